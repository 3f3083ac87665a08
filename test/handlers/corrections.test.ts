import { beforeAll, describe, expect, it } from 'vitest';
import { admissionAuditTrail, getAdmission } from '../../functions/adapters/dynamo/admissions';
import { getDossier } from '../../functions/adapters/dynamo/dossiers';
import { handler as decide } from '../../functions/corrections/admin-decide';
import { handler as adminList } from '../../functions/corrections/admin-list';
import { handler as create } from '../../functions/corrections/create';
import { handler as list } from '../../functions/corrections/list';
import { handler as documents } from '../../functions/documents/list';
import { httpEvent, invoke } from '../support/events';
import { forceServiceOpen } from '../support/open-service';
import { login, loggedInStudent } from '../support/students';

const OPERATOR = 'arn:aws:iam::000000000000:user/agent';
beforeAll(forceServiceOpen);

const ask = (token: string, body: unknown, lang?: 'en') => invoke(create, httpEvent({ method: 'POST', path: '/api/dossier/corrections', token, body, lang }));
const decideOn = (id: string, body: unknown) => invoke(decide, httpEvent({ method: 'POST', adminPrincipal: OPERATOR, body, pathParameters: { id } }));

describe('a student asks for a correction', () => {
  it('is stored pending, listed, and offers a proof document', async () => {
    const { token } = await loggedInStudent();
    const res = await ask(token, { field: 'birthPlace', proposedValue: 'Aix-en-Provence', message: 'Erreur de ville' });
    expect(res.statusCode).toBe(201);
    expect(res.body).toEqual({ id: expect.any(String), status: 'pending' });
    const mine = await invoke(list, httpEvent({ path: '/api/dossier/corrections', token }));
    expect(mine.body.items).toEqual([expect.objectContaining({ id: res.body.id, field: 'birthPlace', proposedValue: 'Aix-en-Provence', status: 'pending' })]);
    const docs = await invoke(documents, httpEvent({ path: '/api/dossier/documents', token }));
    expect(docs.body.items).toContainEqual(expect.objectContaining({ kind: 'correction_proof', required: false, status: 'missing' }));
    const queue = await invoke(adminList, httpEvent({ adminPrincipal: OPERATOR, query: { status: 'pending' } }));
    expect(queue.body.items.map((c: { id: string }) => c.id)).toContain(res.body.id);
  });

  it('refuses an unknown field or an invalid value with 422 naming the field', async () => {
    const { token } = await loggedInStudent();
    const field = await ask(token, { field: 'ine', proposedValue: 'x', message: 'm' });
    expect(field.statusCode).toBe(422);
    expect(Object.keys(field.body.error.fields)).toEqual(['field']);
    const date = await ask(token, { field: 'birthDate', proposedValue: '31/02/2003', message: 'm' }, 'en');
    expect(date.statusCode).toBe(422);
    expect(Object.keys(date.body.error.fields)).toEqual(['proposedValue']);
  });
});

describe('an operator decides', () => {
  it('accepting a birth date changes the admission, the dossier and the login', async () => {
    const { token, admission, dossier } = await loggedInStudent();
    const asked = await ask(token, { field: 'birthDate', proposedValue: '2004-01-15', message: 'Mauvaise date' });
    const res = await decideOn(asked.body.id, { decision: 'accept' });
    expect(res.statusCode).toBe(200);
    expect(res.body).toMatchObject({ status: 'accepted' });
    expect((await getAdmission(admission.identifier, admission.academicYear))?.birthDate).toBe('2004-01-15');
    expect((await getDossier(dossier.id))?.student.birthDate).toBe('2004-01-15');
    expect((await login(admission.identifier, admission.birthDate)).statusCode).toBe(401);
    expect((await login(admission.identifier, '2004-01-15')).statusCode).toBe(201);
    expect(await admissionAuditTrail(admission.identifier, admission.academicYear)).toContainEqual(
      expect.objectContaining({ action: 'admission.corrected', actor: OPERATOR, after: { birthDate: '2004-01-15' } }),
    );
    const again = await decideOn(asked.body.id, { decision: 'reject', reason: 'non' });
    expect(again.statusCode).toBe(409);
    expect(again.body.error.code).toBe('CORRECTION_ALREADY_DECIDED');
  });

  it('rejecting needs a reason and leaves the civil status as it was', async () => {
    const { token, admission } = await loggedInStudent();
    const asked = await ask(token, { field: 'birthName', proposedValue: 'DUPONT', message: 'Nom' });
    const noReason = await decideOn(asked.body.id, { decision: 'reject' });
    expect(noReason.statusCode).toBe(422);
    expect(Object.keys(noReason.body.error.fields)).toEqual(['reason']);
    const res = await decideOn(asked.body.id, { decision: 'reject', reason: 'Justificatif manquant' });
    expect(res.body).toMatchObject({ status: 'rejected', reason: 'Justificatif manquant' });
    expect((await getAdmission(admission.identifier, admission.academicYear))?.birthName).toBe(admission.birthName);
    expect((await decideOn('nope', { decision: 'accept' })).statusCode).toBe(404);
  });
});
