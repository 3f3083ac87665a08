import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { dossierAuditTrail, getDossier } from '../../functions/adapters/dynamo/dossiers';
import { linkIne } from '../../functions/adapters/dynamo/ine-lookup';
import { ddb, tableName } from '../../functions/adapters/dynamo/client';
import { DeleteCommand } from '@aws-sdk/lib-dynamodb';
import { backfillIneLookups } from '../../scripts/backfill-ine-lookups';
import { handler as cancel } from '../../functions/admin/cancel-dossier';
import { handler as importAdmissions } from '../../functions/admin/import-admissions';
import { handler as putService } from '../../functions/admin/put-service';
import { handler as refund } from '../../functions/admin/refund';
import { handler as getOne } from '../../functions/admin/get-dossier';
import { handler as officePayment } from '../../functions/admin/office-payment';
import { handler as provisionalIne } from '../../functions/admin/provisional-ine';
import { handler as resend } from '../../functions/admin/resend-mail';
import { handler as search } from '../../functions/admin/search-dossiers';
import { handler as supportRequests } from '../../functions/admin/support-requests';
import { beaKey, checkIne } from '../../functions/domain/ine';
import { routes } from '../../functions/routes';
import { handler as support } from '../../functions/public/support';
import { handler as ineStep } from '../../functions/steps/ine';
import { handler as payment } from '../../functions/steps/payment';
import { handler as situation } from '../../functions/steps/situation';
import { handler as submit } from '../../functions/steps/submit';
import { randomInt } from 'node:crypto';
import { httpEvent, invoke } from '../support/events';
import { asOperator, OPERATOR, outboxJob, studentThroughWizard } from '../support/operators';
import { admitStudent, loggedInStudent, login } from '../support/students';

// Inside the June–July 2026 window (academic year 2026-2027).
const IN_WINDOW = new Date('2026-07-01T10:00:00Z');
beforeEach(() => {
  vi.useFakeTimers({ now: IN_WINDOW, toFake: ['Date'] });
});
afterEach(() => {
  vi.useRealTimers();
});

const post = (handler: Parameters<typeof asOperator>[0], id: string, body?: unknown, lang?: 'fr' | 'en') => asOperator(handler, { method: 'POST', id, body, lang });

describe('every admin action needs an operator the JWT authorizer identified', () => {
  it.each([
    ['search', search],
    ['get', getOne],
    ['provisional INE', provisionalIne],
    ['office payment', officePayment],
    ['cancel', cancel],
    ['resend', resend],
    ['support requests', supportRequests],
  ])('%s → 401 without a token', async (_name, handler) => {
    const res = await asOperator(handler, { method: 'POST', id: '00000000-0000-4000-8000-000000000000', principal: null, body: {} });
    expect(res.statusCode).toBe(401);
    expect(res.body.error.code).toBe('UNAUTHENTICATED');
  });
});

describe('GET /api/admin/dossiers (search)', () => {
  it('narrows a listing to one programme', async () => {
    const { dossier: master } = await loggedInStudent({ programmeCode: 'M1-INFO' });
    const { dossier: licence } = await loggedInStudent({ programmeCode: 'L1-INFO' });
    const res = await asOperator(search, { query: { status: 'draft', programme: 'M1-INFO', limit: '100' } });
    expect(res.statusCode).toBe(200);
    const ids = (res.body.items as { id: string; programmeCode: string }[]).map((i) => i.id);
    expect(ids).toContain(master.id);
    expect(ids).not.toContain(licence.id);
    expect(new Set((res.body.items as { programmeCode: string }[]).map((i) => i.programmeCode))).toEqual(new Set(['M1-INFO']));
  });

  it('finds a dossier by identifier, whatever the Mon Master spelling', async () => {
    const { dossier } = await loggedInStudent({ identifier: 'M398765432', source: 'monmaster', programmeCode: 'M1-INFO' });
    const res = await asOperator(search, { query: { q: 'cand 9876 5432' } });
    expect(res.statusCode).toBe(200);
    expect(res.body).toEqual({
      items: [expect.objectContaining({ id: dossier.id, identifier: 'M398765432', status: 'draft', programmeCode: 'M1-INFO' })],
      next: null,
      academicYear: '2026-2027',
    });
  });

  it('finds students by name, accents and case ignored, before and after they log in', async () => {
    const logged = await loggedInStudent({ birthName: 'Lefèvre', firstNames: 'Éloïse' });
    const notYet = await admitStudent({ birthName: 'Lefebvre', firstNames: 'Marc' });
    const res = await asOperator(search, { query: { q: 'LEFE' } });
    const items = res.body.items.filter((i: { identifier: string }) => [logged.admission.identifier, notYet.identifier].includes(i.identifier));
    expect(items).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ id: logged.dossier.id, status: 'draft', lastName: 'Lefèvre' }),
        expect.objectContaining({ id: null, status: 'no_dossier', identifier: notYet.identifier, lastName: 'Lefebvre' }),
      ]),
    );
    const precise = await asOperator(search, { query: { q: 'lefevre eloise' } });
    expect(precise.body.items.map((i: { id: string }) => i.id)).toContain(logged.dossier.id);
    expect(precise.body.items.map((i: { identifier: string }) => i.identifier)).not.toContain(notYet.identifier);
  });

  it('lists by status, newest change first, page by page; a forged cursor is refused', async () => {
    const a = await studentThroughWizard({ scholarship: 'pending', submit: true });
    vi.setSystemTime(new Date(IN_WINDOW.getTime() + 60_000));
    const b = await studentThroughWizard({ scholarship: 'pending', submit: true });

    const first = await asOperator(search, { query: { status: 'pay_at_office', limit: '1' } });
    expect(first.statusCode).toBe(200);
    expect(first.body.items).toEqual([expect.objectContaining({ id: b.dossier.id, status: 'pay_at_office', scholarship: 'pending', paymentStatus: 'due_at_office' })]);
    const second = await asOperator(search, { query: { status: 'pay_at_office', limit: '1', cursor: first.body.next } });
    expect(second.body.items).toEqual([expect.objectContaining({ id: a.dossier.id })]);

    const forged = Buffer.from(JSON.stringify({ pk: 'DOSSIER#x', sk: 'DOSSIER', gsi1pk: 'DOSSIERS#2026-2027#enrolled', gsi1sk: 'x' })).toString('base64url');
    const refused = await asOperator(search, { query: { status: 'pay_at_office', cursor: forged } });
    expect(refused.statusCode).toBe(422);
    expect(refused.body.error.fields).toEqual({ cursor: expect.stringMatching(/curseur/) });
  });

  it('refuses, naming the cursor, a cursor that is not a whole key of the listing (not a 500 from DynamoDB)', async () => {
    const { dossier } = await loggedInStudent();
    const partition = 'DOSSIERS#2026-2027#draft';
    const key = { pk: `DOSSIER#${dossier.id}`, sk: 'DOSSIER', gsi1pk: partition, gsi1sk: `${dossier.createdAt}#${dossier.id}` };
    const tampered = [{ gsi1pk: partition }, { gsi1pk: partition, gsi1sk: key.gsi1sk }, { ...key, pk: '' }, { ...key, sk: 1 }, { ...key, extra: 'x' }];
    for (const start of tampered) {
      const res = await asOperator(search, { query: { status: 'draft', cursor: Buffer.from(JSON.stringify(start)).toString('base64url') }, lang: 'en' });
      expect(res.statusCode, JSON.stringify(start)).toBe(422);
      expect(res.body.error.fields).toEqual({ cursor: expect.stringMatching(/cursor/) });
    }
    const whole = await asOperator(search, { query: { status: 'draft', cursor: Buffer.from(JSON.stringify(key)).toString('base64url') } });
    expect(whole.statusCode).toBe(200);
  });

  it('refuses a name-search cursor reused with another search', async () => {
    for (const firstNames of ['Anne', 'Anna', 'Annick']) await admitStudent({ birthName: 'Durand', firstNames });
    const first = await asOperator(search, { query: { q: 'durand', limit: '1' } });
    expect(first.body.next).toEqual(expect.any(String));
    expect((await asOperator(search, { query: { q: 'durand', limit: '1', cursor: first.body.next } })).statusCode).toBe(200);

    // Same index partition (initial D), outside the other query's begins_with range.
    const reused = await asOperator(search, { query: { q: 'dupont', cursor: first.body.next } });
    expect(reused.statusCode).toBe(422);
    expect(reused.body.error.fields).toEqual({ cursor: expect.stringMatching(/curseur/) });
  });

  it('asks for something to search, naming the field', async () => {
    const queries: Record<string, string>[] = [{}, { q: 'é' }, { status: 'lost' }, { limit: '1000', status: 'draft' }];
    for (const query of queries) {
      const res = await asOperator(search, { query });
      expect(res.statusCode).toBe(422);
      expect(Object.keys(res.body.error.fields).length).toBe(1);
    }
  });
});

describe('GET /api/admin/dossiers?q=<INE> (search by INE)', () => {
  /** A valid INE-BEA no other test uses: 10 random digits and their key letter. */
  const newBea = () => {
    const digits = `9${String(randomInt(0, 1e9)).padStart(9, '0')}`;
    return `${digits}${beaKey(digits)}`;
  };
  const putIne = (token: string, body: unknown) => invoke(ineStep, httpEvent({ method: 'PUT', path: '/api/dossier/ine', body, token }));
  const idsFor = async (q: string) => {
    const res = await asOperator(search, { route: 'AdminSearchDossiers', groups: ['operator'], query: { q } });
    expect(res.statusCode, JSON.stringify(res.body)).toBe(200);
    expect(res.body.next).toBeNull();
    return (res.body.items as { id: string }[]).map((i) => i.id);
  };

  it('finds the dossier by the INE the student typed, in any case and spacing; after a change, by the new INE and not the old', async () => {
    const { token, dossier } = await loggedInStudent();
    const [first, second] = [newBea(), newBea()];
    expect((await putIne(token, { ine: ` ${first.toLowerCase()} ` })).statusCode).toBe(200);
    expect(await idsFor(first)).toEqual([dossier.id]);
    const spaced = `${first.slice(0, 4)} ${first.slice(4, 8)} ${first.slice(8).toLowerCase()}`;
    expect(await idsFor(spaced)).toEqual([dossier.id]);

    const holdingFirst = (await getDossier(dossier.id))!;
    expect((await putIne(token, { ine: second })).statusCode).toBe(200);
    expect(await idsFor(second)).toEqual([dossier.id]);
    expect(await idsFor(first)).toEqual([]);
    // A lookup item still pointing at the dossier under its old INE (a backfill that read it before the change) finds nothing either.
    expect(await linkIne(holdingFirst)).toBe(true);
    expect(await idsFor(first)).toEqual([]);
    // Back to the first: found by it again, and no longer by the second.
    expect((await putIne(token, { ine: first })).statusCode).toBe(200);
    expect(await idsFor(first)).toEqual([dossier.id]);
    expect(await idsFor(second)).toEqual([]);
  });

  it('finds every dossier holding one INE, only in the year asked, with the usual search item', async () => {
    const ine = newBea();
    const a = await loggedInStudent({ programmeCode: 'M1-INFO' });
    const b = await loggedInStudent({ programmeCode: 'L1-INFO' });
    for (const s of [a, b]) expect((await putIne(s.token, { ine })).statusCode).toBe(200);
    const res = await asOperator(search, { query: { q: ine } });
    expect(res.body).toEqual({ items: expect.any(Array), next: null, academicYear: '2026-2027' });
    expect(res.body.items).toHaveLength(2);
    expect(res.body.items).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ id: a.dossier.id, identifier: a.admission.identifier, status: 'draft', programmeCode: 'M1-INFO' }),
        expect.objectContaining({ id: b.dossier.id, programmeCode: 'L1-INFO' }),
      ]),
    );
    expect((await asOperator(search, { query: { q: ine, programme: 'L1-INFO' } })).body.items.map((i: { id: string }) => i.id)).toEqual([b.dossier.id]);
    expect((await asOperator(search, { query: { q: ine, year: '2025-2026' } })).body.items).toEqual([]);
  });

  it('finds provisional INEs: granted by an operator, or drawn for a student with no INE', async () => {
    const stuck = await loggedInStudent();
    const granted = await post(provisionalIne, stuck.dossier.id);
    expect(granted.statusCode).toBe(200);
    expect(await idsFor(granted.body.steps.ine.ine.toLowerCase())).toEqual([stuck.dossier.id]);

    const noIne = await loggedInStudent();
    const drawn = await putIne(noIne.token, { noIne: true, noFrenchBac: true, neverEnrolledInFrenchUniversity: true });
    expect(drawn.statusCode).toBe(200);
    expect(await idsFor(drawn.body.steps.ine.ine)).toEqual([noIne.dossier.id]);
  });

  it('finds a dossier saved before the lookup existed once scripts/backfill-ine-lookups.ts has run (twice: idempotent)', async () => {
    const { token, dossier } = await loggedInStudent();
    const ine = newBea();
    expect((await putIne(token, { ine })).statusCode).toBe(200);
    // As before this change: the dossier holds the INE, no lookup item does.
    await ddb.send(new DeleteCommand({ TableName: tableName(), Key: { pk: `INE#${ine}`, sk: `2026-2027#${dossier.id}` } }));
    expect(await idsFor(ine)).toEqual([]);
    for (let run = 0; run < 2; run++) {
      const done = await backfillIneLookups('2026-2027');
      expect(done.linked).toBeGreaterThanOrEqual(1);
      expect(done.read).toBeGreaterThanOrEqual(done.linked);
      expect(await idsFor(ine)).toEqual([dossier.id]);
    }
  });

  it('answers an unknown INE with no dossier, and refuses an INE with a wrong key naming q', async () => {
    expect(await idsFor(newBea())).toEqual([]);
    const digits = '9876543210';
    const wrongKey = `${digits}${beaKey(digits) === 'A' ? 'B' : 'A'}`;
    for (const [lang, words] of [
      ['fr', /forme d.un INE, mais ce n.est pas un INE valide/],
      ['en', /shape of an INE but is not a valid one/],
    ] as const) {
      const res = await asOperator(search, { query: { q: wrongKey }, lang });
      expect(res.statusCode).toBe(422);
      expect(res.body.error).toMatchObject({ code: 'VALIDATION_FAILED', fields: { q: expect.stringMatching(words) } });
    }
  });
});

describe('GET /api/admin/dossiers/{id}', () => {
  it('shows the dossier, its admission and its audit trail; 404 for an unknown or malformed id', async () => {
    const { dossier, admission } = await loggedInStudent();
    await post(cancel, dossier.id, { reason: 'Doublon de candidature' });
    const res = await asOperator(getOne, { id: dossier.id });
    expect(res.statusCode).toBe(200);
    expect(res.body).toMatchObject({
      id: dossier.id,
      status: 'cancelled',
      admission: { identifier: admission.identifier, birthName: 'Martin', birthDate: '2008-03-14' },
      paymentAnomaly: null,
      audit: [{ subject: 'dossier', actor: OPERATOR, action: 'dossier.cancel', reason: 'Doublon de candidature', before: { status: 'draft' }, after: { status: 'cancelled' } }],
    });
    expect((await asOperator(getOne, { id: '00000000-0000-4000-8000-000000000000' })).statusCode).toBe(404);
    expect((await asOperator(getOne, { id: '../DOSSIER' })).statusCode).toBe(404);
  });
});

describe('POST /api/admin/dossiers/{id}/office-payment', () => {
  it('enrolls a pay-at-office dossier, records the synthesis mail and the receipt, and audits it all in one go', async () => {
    const { dossier } = await studentThroughWizard({ scholarship: 'pending', submit: true });
    expect(dossier.status).toBe('pay_at_office');

    const res = await post(officePayment, dossier.id, { kind: 'paid', reference: 'QUITTANCE-2026-0042' });

    expect(res.statusCode).toBe(200);
    expect(res.body).toMatchObject({ status: 'enrolled', payment: { status: 'paid', method: 'office', reference: 'QUITTANCE-2026-0042', amountCents: 17800 } });
    expect(await outboxJob(`synthesis#${dossier.id}`)).toMatchObject({ template: 'synthesis', to: ['lea.martin@example.org'], summary: { paymentMethod: 'office' } });
    expect(await outboxJob(`receipt#${dossier.id}`)).toMatchObject({ template: 'receipt' });
    const trail = await dossierAuditTrail(dossier.id);
    expect(trail).toHaveLength(2);
    expect(trail).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          actor: OPERATOR,
          action: 'dossier.office_payment',
          at: IN_WINDOW.toISOString(),
          reason: 'paid QUITTANCE-2026-0042',
          before: expect.objectContaining({ status: 'pay_at_office', payment: expect.objectContaining({ status: 'due_at_office' }) }),
          after: expect.objectContaining({ status: 'enrolled', payment: expect.objectContaining({ status: 'paid' }) }),
        }),
        // The money movement, audited in the same write (functions/domain/dossier/money.ts).
        expect.objectContaining({
          actor: OPERATOR,
          action: 'money.payment.succeeded',
          before: null,
          after: expect.objectContaining({ kind: 'payment', method: 'office', reference: 'QUITTANCE-2026-0042', amountCents: 17800, status: 'succeeded' }),
        }),
      ]),
    );

    // The same receipt again (a retried request): nothing changes, nothing more is sent or audited.
    const again = await post(officePayment, dossier.id, { kind: 'paid', reference: 'QUITTANCE-2026-0042' });
    expect(again.statusCode).toBe(200);
    expect(again.body.version).toBe(res.body.version);
    expect(await dossierAuditTrail(dossier.id)).toHaveLength(2);
    const other = await post(officePayment, dossier.id, { kind: 'paid', reference: 'AUTRE-REF' });
    expect(other.statusCode).toBe(409);
    expect(other.body.error).toMatchObject({ code: 'PAYMENT_NOT_ALLOWED', message: expect.stringContaining('QUITTANCE-2026-0042') });
  });

  it('records a scholarship granted by the CROUS: exempt, enrolled, synthesis only', async () => {
    const { dossier } = await studentThroughWizard({ scholarship: 'pending', submit: true });
    const res = await post(officePayment, dossier.id, { kind: 'scholarship_granted', reference: 'CROUS-NOTIF-123' });
    expect(res.body).toMatchObject({ status: 'enrolled', fees: { exempt: true, reason: 'scholarship_granted' }, payment: { status: 'not_required', method: 'scholarship' } });
    expect(res.body.steps.situation.scholarship).toBe('granted');
    expect(await outboxJob(`synthesis#${dossier.id}`)).toBeDefined();
    expect(await outboxJob(`receipt#${dossier.id}`)).toBeUndefined();
  });

  it('refuses a dossier with nothing to pay at the desk, in words for operators, and a bad body naming the field', async () => {
    const { dossier } = await loggedInStudent();
    const draft = await post(officePayment, dossier.id, { kind: 'paid', reference: 'Q-1' });
    expect(draft.statusCode).toBe(409);
    expect(draft.body.error).toMatchObject({ code: 'PAYMENT_NOT_ALLOWED', status: 'draft', message: expect.stringContaining('(brouillon)') });
    const bad = await post(officePayment, dossier.id, { kind: 'cheque' });
    expect(bad.statusCode).toBe(422);
    expect(Object.keys(bad.body.error.fields).sort()).toEqual(['kind', 'reference']);
    expect(await dossierAuditTrail(dossier.id)).toEqual([]);
  });
});

describe('POST /api/admin/dossiers/{id}/provisional-ine', () => {
  it('gives a stuck student a provisional INE once, audited; a second click keeps it', async () => {
    const { dossier } = await loggedInStudent();
    const res = await post(provisionalIne, dossier.id);
    expect(res.statusCode).toBe(200);
    const ine = res.body.steps.ine;
    expect(ine).toMatchObject({ status: 'done', format: 'provisional', source: 'operator' });
    expect(checkIne(ine.ine)).toMatchObject({ ok: true, format: 'provisional' });
    expect(ine.ine).toMatch(/^0226D\d{5}[A-HJ-NPR-Z]$/);

    const again = await post(provisionalIne, dossier.id);
    expect(again.body.steps.ine.ine).toBe(ine.ine);
    expect(await dossierAuditTrail(dossier.id)).toEqual([
      expect.objectContaining({ actor: OPERATOR, action: 'dossier.provisional_ine', before: expect.objectContaining({ ine: { status: 'todo' } }), after: expect.objectContaining({ ine }) }),
    ]);
  });

  it('is refused once the dossier is submitted', async () => {
    const { dossier } = await studentThroughWizard({ submit: true });
    const res = await post(provisionalIne, dossier.id, undefined, 'en');
    expect(res.statusCode).toBe(409);
    expect(res.body.error).toMatchObject({ code: 'STEP_LOCKED', message: expect.stringMatching(/no longer a draft \(awaiting online payment\)/) });
  });
});

describe('POST /api/admin/dossiers/{id}/cancel', () => {
  it('cancels with a reason, audited; the cancelled dossier can do nothing more', async () => {
    const { dossier, token: before, admission } = await studentThroughWizard({ submit: true });
    expect(dossier.status).toBe('awaiting_payment');

    const res = await post(cancel, dossier.id, { reason: 'Renonciation écrite de l’étudiante' });
    expect(res.statusCode).toBe(200);
    expect(res.body).toMatchObject({ status: 'cancelled', cancelReason: 'Renonciation écrite de l’étudiante', cancelledAt: IN_WINDOW.toISOString() });
    expect(await dossierAuditTrail(dossier.id)).toEqual([
      expect.objectContaining({
        actor: OPERATOR,
        action: 'dossier.cancel',
        reason: 'Renonciation écrite de l’étudiante',
        before: expect.objectContaining({ status: 'awaiting_payment' }),
        after: expect.objectContaining({ status: 'cancelled' }),
      }),
    ]);

    // The cancellation ended the student's session; signed in again, they can do nothing more.
    expect((await invoke(situation, httpEvent({ method: 'PUT', path: '/api/dossier/situation', token: before, body: { regime: 'formation_initiale', scholarship: 'none' } }))).statusCode).toBe(401);
    const token = (await login(admission.identifier, admission.birthDate)).body.token as string;
    const step = await invoke(situation, httpEvent({ method: 'PUT', path: '/api/dossier/situation', token, body: { regime: 'formation_initiale', scholarship: 'none' } }));
    expect(step.statusCode).toBe(409);
    expect(step.body.error.code).toBe('STEP_LOCKED');
    expect((await invoke(submit, httpEvent({ method: 'POST', path: '/api/dossier/submit', token }))).body.error.code).toBe('STEP_LOCKED');
    const pay = await invoke(payment, httpEvent({ method: 'POST', path: '/api/dossier/payment', token }));
    expect(pay.statusCode).toBe(409);
    expect(pay.body.error).toMatchObject({ code: 'PAYMENT_NOT_ALLOWED', reason: 'payment_cancelled' });
    expect((await post(officePayment, dossier.id, { kind: 'paid', reference: 'Q-9' })).body.error.code).toBe('PAYMENT_NOT_ALLOWED');
    expect((await post(provisionalIne, dossier.id)).body.error.code).toBe('STEP_LOCKED');

    const twice = await post(cancel, dossier.id, { reason: 'Encore' });
    expect(twice.statusCode).toBe(409);
    expect(twice.body.error).toMatchObject({ code: 'INVALID_TRANSITION', message: 'Ce dossier est déjà annulé.' });
    expect(await dossierAuditTrail(dossier.id)).toHaveLength(1);
  });

  it('needs a reason', async () => {
    const { dossier } = await loggedInStudent();
    const res = await post(cancel, dossier.id, { reason: ' ' });
    expect(res.statusCode).toBe(422);
    expect(Object.keys(res.body.error.fields)).toEqual(['reason']);
    expect((await getDossier(dossier.id))?.status).toBe('draft');
  });
});

describe('POST /api/admin/dossiers/{id}/resend-mail', () => {
  it('queues the synthesis mail again under a new job id each time, audited', async () => {
    const { dossier } = await studentThroughWizard({ scholarship: 'granted', submit: true });
    expect(dossier.status).toBe('enrolled');

    const first = await post(resend, dossier.id);
    vi.setSystemTime(new Date(IN_WINDOW.getTime() + 1000));
    const second = await post(resend, dossier.id);

    expect(first.statusCode).toBe(202);
    expect(first.body).toEqual({ jobId: `synthesis#${dossier.id}#resend#1` });
    expect(second.body).toEqual({ jobId: `synthesis#${dossier.id}#resend#2` });
    expect(await outboxJob(first.body.jobId)).toMatchObject({ template: 'synthesis', to: ['lea.martin@example.org'] });
    expect(await outboxJob(second.body.jobId)).toBeDefined();
    expect((await dossierAuditTrail(dossier.id)).map((e) => [e.actor, e.action, (e.after as { jobId: string }).jobId])).toEqual([
      [OPERATOR, 'dossier.resend_mail', first.body.jobId],
      [OPERATOR, 'dossier.resend_mail', second.body.jobId],
    ]);
  });

  it('has nothing to resend before enrollment', async () => {
    const { dossier } = await loggedInStudent();
    const res = await post(resend, dossier.id);
    expect(res.statusCode).toBe(409);
    expect(res.body.error).toMatchObject({ code: 'MAIL_NOT_AVAILABLE', message: expect.stringContaining('brouillon') });
  });
});

describe('GET /api/admin/support-requests', () => {
  it('lists the year’s support requests, newest first', async () => {
    const body = { identifier: 'P261112223', lastName: 'Martin', firstName: 'Léa', programme: 'L1 Informatique', email: 'lea.martin@example.org', message: 'Je n’ai pas d’INE.' };
    expect((await invoke(support, httpEvent({ method: 'POST', path: '/api/support', body }))).statusCode).toBe(202);
    const res = await asOperator(supportRequests, { query: { limit: '10' } });
    expect(res.statusCode).toBe(200);
    expect(res.body).toMatchObject({ academicYear: '2026-2027', items: [expect.objectContaining({ identifier: 'P261112223', message: 'Je n’ai pas d’INE.' })] });
    expect((await asOperator(supportRequests, { query: { cursor: 'nope' } })).statusCode).toBe(422);
  });
});

describe('roles: the role each route declares in functions/routes.ts, from the access token’s claims', () => {
  const adminRoutes = routes.filter((r) => r.auth === 'admin');
  const supervisorRoutes = adminRoutes.filter((r) => r.role === 'supervisor');
  const supervisorHandlers: Record<string, Parameters<typeof asOperator>[0]> = { AdminPutService: putService, AdminImportAdmissions: importAdmissions, AdminRefund: refund };

  it('declares supervisor for the service switch, the admissions import and refunds, operator for the rest', () => {
    expect(supervisorRoutes.map((r) => `${r.method} ${r.path}`).sort()).toEqual(['POST /api/admin/admissions', 'POST /api/admin/dossiers/{id}/refund', 'PUT /api/admin/service']);
  });

  // Each handler asks for its role itself (functions/shared/operator-auth.ts does not read the route list): it must be the one declared.
  it.each(adminRoutes.map((r) => [`${r.method} ${r.path}`, r] as const))('%s: its handler asks for the role the route declares', async (_name, route) => {
    const { handler } = (await import(`../../${route.entry}`)) as { handler: Parameters<typeof asOperator>[0] };
    const asAgent = await asOperator(handler, { route: route.id, principal: 'agent', groups: ['operator'], id: 'D-unknown', body: {} });
    if (route.role === 'supervisor') expect(asAgent.body?.error?.code).toBe('FORBIDDEN_ROLE');
    else expect(asAgent.statusCode, JSON.stringify(asAgent.body)).not.toBe(403);
    const asSupervisor = await asOperator(handler, { route: route.id, principal: 'responsable', groups: ['supervisor'], id: 'D-unknown', body: {} });
    expect(asSupervisor.statusCode, JSON.stringify(asSupervisor.body)).not.toBe(403);
  });

  it.each(supervisorRoutes.map((r) => [`${r.method} ${r.path}`, r] as const))('%s: an operator gets 403 FORBIDDEN_ROLE (FR and EN)', async (_name, route) => {
    const handler = supervisorHandlers[route.id]!;
    const fr = await asOperator(handler, { route: route.id, principal: 'agent', groups: ['operator'], body: { mode: 'closed', reason: 'Essai' } });
    expect(fr.statusCode).toBe(403);
    expect(fr.body.error).toMatchObject({ code: 'FORBIDDEN_ROLE', role: 'supervisor', message: expect.stringContaining('« supervisor »') });
    const en = await asOperator(handler, { route: route.id, principal: 'agent', groups: ['operator'], body: {}, lang: 'en' });
    expect(en.body.error.message).toContain('"supervisor" role');
    // A person's scopes never grant a role: only their groups do.
    const scoped = await asOperator(handler, {
      route: route.id,
      claims: { token_use: 'access', username: 'agent', client_id: 'c', 'cognito:groups': '[operator]', scope: 'openid inscrire-api/supervisor' },
      body: {},
    });
    expect(scoped.body.error.code).toBe('FORBIDDEN_ROLE');
  });

  it('a supervisor switches the service; the audit and the override name their username', async () => {
    const closed = await asOperator(putService, { route: 'AdminPutService', principal: 'responsable', groups: ['supervisor'], body: { mode: 'closed', reason: 'Contrôle des rôles' } });
    expect(closed.statusCode).toBe(200);
    expect(closed.body.override).toMatchObject({ mode: 'closed', by: 'responsable' });
    const back = await asOperator(putService, { route: 'AdminPutService', principal: 'responsable', body: { mode: 'calendar', reason: 'Fin' } });
    expect(back.statusCode).toBe(200);
  });

  it('an operator does the operator routes, and the audit records their username', async () => {
    const { dossier } = await studentThroughWizard({ submit: true });
    expect((await asOperator(search, { route: 'AdminSearchDossiers', principal: 'agent', groups: ['operator'], query: { q: dossier.id } })).statusCode).toBe(200);
    const res = await asOperator(cancel, { route: 'AdminCancelDossier', principal: 'agent', groups: ['operator'], id: dossier.id, body: { reason: 'Demande écrite' } });
    expect(res.statusCode).toBe(200);
    expect(await dossierAuditTrail(dossier.id)).toEqual([expect.objectContaining({ actor: 'agent', action: 'dossier.cancel' })]);
  });

  it('403 FORBIDDEN for a token of no group, an ID token, or no person nor client', async () => {
    const noGroup = await asOperator(search, { route: 'AdminSearchDossiers', claims: { token_use: 'access', username: 'stagiaire', client_id: 'c', scope: 'openid' } });
    expect(noGroup.statusCode).toBe(403);
    expect(noGroup.body.error.code).toBe('FORBIDDEN');
    const unknownGroup = await asOperator(search, { route: 'AdminSearchDossiers', principal: 'x', groups: ['admins'] });
    expect(unknownGroup.body.error.code).toBe('FORBIDDEN');
    const idToken = await asOperator(search, { route: 'AdminSearchDossiers', claims: { token_use: 'id', 'cognito:username': 'agent', aud: 'c', 'cognito:groups': '[supervisor]' } });
    expect(idToken.body.error.code).toBe('FORBIDDEN');
    expect((await asOperator(search, { route: 'AdminSearchDossiers', claims: { token_use: 'access' } })).statusCode).toBe(403);
  });

  it('a machine client acts with the roles of its scopes, recorded by its client id', async () => {
    const operatorScope = { token_use: 'access', client_id: 'automation-client', sub: 'automation-client', scope: 'inscrire-api/operator' };
    expect((await asOperator(search, { route: 'AdminSearchDossiers', claims: operatorScope, query: { status: 'draft' } })).statusCode).toBe(200);
    expect((await asOperator(putService, { route: 'AdminPutService', claims: operatorScope, body: { mode: 'closed', reason: 'x' } })).body.error.code).toBe('FORBIDDEN_ROLE');
    const { dossier } = await studentThroughWizard({ submit: true });
    const res = await asOperator(cancel, { route: 'AdminCancelDossier', claims: { ...operatorScope, scope: 'inscrire-api/supervisor' }, id: dossier.id, body: { reason: 'Doublon détecté' } });
    expect(res.statusCode).toBe(200);
    expect(await dossierAuditTrail(dossier.id)).toEqual([expect.objectContaining({ actor: 'client:automation-client' })]);
  });

  it('reads groups as API Gateway renders them ("[a b]") and as arrays', async () => {
    for (const groups of ['[operator supervisor]', ['operator', 'supervisor']]) {
      const claims = { token_use: 'access', username: 'responsable', client_id: 'c', 'cognito:groups': groups } as unknown as Record<string, string>;
      expect((await asOperator(search, { route: 'AdminSearchDossiers', claims, query: { status: 'draft' } })).statusCode).toBe(200);
    }
  });
});
