import { DeleteCommand, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { handler as operatorProvisionalIne } from '../../functions/admin/provisional-ine';
import { ddb, tableName } from '../../functions/adapters/dynamo/client';
import { putCvecFixture, putInesFixture } from '../../functions/adapters/dynamo/dev-fixtures';
import { dossierPk } from '../../functions/adapters/dynamo/dossiers';
import { logger } from '../../functions/shared/logger';
import { handler as getDossier } from '../../functions/steps/get-dossier';
import { handler as cvec } from '../../functions/steps/cvec';
import { handler as identity } from '../../functions/steps/identity';
import { handler as ine } from '../../functions/steps/ine';
import { handler as programme } from '../../functions/steps/programme';
import { handler as situation } from '../../functions/steps/situation';
import { handler as submit } from '../../functions/steps/submit';
import { httpEvent, invoke } from '../support/events';
import { asOperator } from '../support/operators';
import { admitStudent, loggedInStudent, login } from '../support/students';

// Inside the June–July 2026 window, so the service is open by the calendar.
const IN_WINDOW = new Date('2026-07-01T10:00:00Z');
beforeEach(() => {
  vi.useFakeTimers({ now: IN_WINDOW, toFake: ['Date'] });
});
afterEach(() => {
  vi.useRealTimers();
});

const IDENTITY = {
  email: 'lea.martin@example.org',
  phone: '06 12 34 56 78',
  address: { line1: '3 place Victor Hugo', postalCode: '13003', city: 'Marseille', country: 'fr' },
};

const NO_INE = { noIne: true, noFrenchBac: true, neverEnrolledInFrenchUniversity: true };
/** The year's provisional INE counter (how many numbers were drawn). */
const SEQUENCE_KEY = { pk: 'COUNTER#PROVISIONAL_INE#26', sk: 'COUNTER' };
const provisionalSequence = async () => ((await ddb.send(new GetCommand({ TableName: tableName(), Key: SEQUENCE_KEY, ConsistentRead: true }))).Item?.value as number | undefined) ?? 0;
const setProvisionalSequence = (value: number) => ddb.send(new PutCommand({ TableName: tableName(), Item: { ...SEQUENCE_KEY, value } }));

const step = (handler: typeof identity, token: string, body: unknown, lang?: 'fr' | 'en') => invoke(handler, httpEvent({ method: 'PUT', path: '/api/dossier/x', body, token, lang }));
const post = (handler: typeof submit, token: string) => invoke(handler, httpEvent({ method: 'POST', path: '/api/dossier/submit', token }));

async function fillAll(token: string, o: { scholarship?: 'none' | 'granted' | 'pending'; cvecNumber?: string } = {}) {
  expect((await step(identity, token, IDENTITY)).statusCode).toBe(200);
  expect((await step(ine, token, { ine: '1234567890V' })).statusCode).toBe(200);
  expect((await step(situation, token, { regime: 'formation_initiale', scholarship: o.scholarship ?? 'none' })).statusCode).toBe(200);
  const number = o.cvecNumber ?? `AMU6${String(Math.floor(Math.random() * 1e6)).padStart(6, '0')}`;
  // A granted scholarship proven by the CVEC certificate (state 71).
  await putCvecFixture({ certificateNumber: number, lastName: 'MARTIN', firstName: 'Léa', birthDate: '2008-03-14', state: o.scholarship === 'granted' ? 71 : 75 });
  expect((await step(cvec, token, { certificateNumber: number })).statusCode).toBe(200);
  const prog = await step(programme, token, { programmeCode: 'L1-INFO' });
  expect(prog.statusCode).toBe(200);
  return prog.body;
}

describe('login', () => {
  it('both spellings of a Mon Master login reach the same dossier', async () => {
    const admission = await admitStudent({ identifier: 'M387654321', source: 'monmaster', programmeCode: 'M1-INFO' });
    const a = await login(' cand 8765 4321 ', admission.birthDate);
    const b = await login('m387654321', admission.birthDate);
    expect(a.statusCode).toBe(201);
    expect(b.statusCode).toBe(201);
    expect(a.body.dossier.id).toBe(b.body.dossier.id);
    expect(a.body.dossier).toMatchObject({ identifier: 'M387654321', status: 'draft', nextStep: 'identity', fees: { amountCents: 25400, currency: 'EUR' } });
    expect(new Date(a.body.expiresAt).getTime() - IN_WINDOW.getTime()).toBe(30 * 60 * 1000);
  });

  it('answers the same generic 401 for a wrong birth date and an unknown identifier', async () => {
    const admission = await admitStudent();
    const wrongDate = await login(admission.identifier, '2008-03-15');
    const unknown = await login('P269999999', '2008-03-14');
    expect(wrongDate.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(401);
    expect(wrongDate.body).toEqual(unknown.body);
    expect(wrongDate.body.error.code).toBe('INVALID_CREDENTIALS');
  });

  it('refuses a malformed identifier naming the field, in English on request', async () => {
    const res = await invoke(
      (await import('../../functions/public/session')).handler,
      httpEvent({ method: 'POST', path: '/api/session', body: { identifier: 'X12', birthDate: '2008-02-30' }, lang: 'en' }),
    );
    expect(res.statusCode).toBe(422);
    expect(Object.keys(res.body.error.fields).sort()).toEqual(['birthDate', 'identifier']);
    expect(res.body.error.message).toMatch(/invalid/i);
  });

  it('locks an identifier after 5 failures in 15 minutes, with Retry-After, and unlocks after', async () => {
    const admission = await admitStudent();
    for (let i = 0; i < 5; i++) expect((await login(admission.identifier, '2000-01-01')).statusCode).toBe(401);
    const locked = await login(admission.identifier, admission.birthDate);
    expect(locked.statusCode).toBe(429);
    expect(locked.body.error.code).toBe('TOO_MANY_ATTEMPTS');
    expect(Number(locked.headers['retry-after'])).toBeGreaterThan(14 * 60);
    expect(Number(locked.headers['retry-after'])).toBeLessThanOrEqual(15 * 60);

    vi.setSystemTime(new Date(IN_WINDOW.getTime() + 15 * 60 * 1000 + 1000));
    expect((await login(admission.identifier, admission.birthDate)).statusCode).toBe(201);
  });

  it('concurrent guesses cannot get more than 5 attempts through', async () => {
    const admission = await admitStudent();
    const results = await Promise.all(Array.from({ length: 12 }, () => login(admission.identifier, '2000-01-01')));
    expect(results.filter((r) => r.statusCode === 401)).toHaveLength(5);
    expect(results.filter((r) => r.statusCode === 429)).toHaveLength(7);
  });

  it('an admission whose programme the catalogue lacks: 409 sending the student to the scolarité, the programme code logged only', async () => {
    const admission = await admitStudent({ programmeCode: 'L9-RETIRED' });
    const logged = vi.spyOn(logger, 'error');
    try {
      const res = await login(admission.identifier, admission.birthDate);
      expect(res.statusCode).toBe(409);
      expect(res.body.error).toMatchObject({ code: 'ADMISSION_PROGRAMME_UNKNOWN', message: expect.stringContaining('scolarité') });
      expect(logged).toHaveBeenCalledWith(expect.any(String), { programmeCode: 'L9-RETIRED' });
    } finally {
      logged.mockRestore();
    }
  });
});

describe('tokens', () => {
  it('refuses a missing, tampered, foreign or expired token', async () => {
    const { token } = await loggedInStudent();
    const [h, p, s] = token.split('.');
    const otherPayload = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(p!, 'base64url').toString()), sub: 'someone-else' })).toString('base64url');
    const { SignJWT } = await import('jose');
    const foreign = await new SignJWT({ ay: '2026-2027' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('x')
      .setIssuer('inscrire')
      .setAudience('inscrire:student')
      .setExpirationTime('10m')
      .sign(new TextEncoder().encode('another-secret-another-secret-another-secret'));
    for (const bad of [undefined, `${h}.${otherPayload}.${s}`, foreign, 'garbage']) {
      const res = await invoke(getDossier, httpEvent({ path: '/api/dossier', token: bad }));
      expect(res.statusCode).toBe(401);
    }
    vi.setSystemTime(new Date(IN_WINDOW.getTime() + 31 * 60 * 1000));
    expect((await invoke(getDossier, httpEvent({ path: '/api/dossier', token }))).statusCode).toBe(401);
  });

  it('a valid token whose dossier no longer exists: 401 on a step, as on GET', async () => {
    const { token, dossier } = await loggedInStudent();
    await ddb.send(new DeleteCommand({ TableName: tableName(), Key: { pk: dossierPk(dossier.id), sk: 'DOSSIER' } }));
    const res = await step(identity, token, IDENTITY);
    expect(res.statusCode).toBe(401);
    expect(res.body.error.code).toBe('UNAUTHENTICATED');
  });

  it('each answer renews the session token', async () => {
    const { token } = await loggedInStudent();
    vi.setSystemTime(new Date(IN_WINDOW.getTime() + 20 * 60 * 1000));
    const res = await invoke(getDossier, httpEvent({ path: '/api/dossier', token }));
    const renewed = res.headers['x-session-token'];
    expect(renewed).toBeTruthy();
    vi.setSystemTime(new Date(IN_WINDOW.getTime() + 45 * 60 * 1000));
    expect((await invoke(getDossier, httpEvent({ path: '/api/dossier', token: renewed }))).statusCode).toBe(200);
  });

  it("a student's token only ever reaches their own dossier", async () => {
    const a = await loggedInStudent();
    const b = await loggedInStudent();
    await step(identity, a.token, { ...IDENTITY, email: 'a@example.org' });
    const bView = await invoke(getDossier, httpEvent({ path: '/api/dossier', token: b.token, pathParameters: { id: a.dossier.id }, query: { id: a.dossier.id } }));
    expect(bView.body.id).toBe(b.dossier.id);
    expect(bView.body.steps.identity.status).toBe('todo');
  });
});

describe('steps', () => {
  it('identity: saves valid contacts (normalised) and names each invalid field', async () => {
    const { token } = await loggedInStudent();
    const ok = await step(identity, token, IDENTITY);
    expect(ok.statusCode).toBe(200);
    expect(ok.body.steps.identity).toMatchObject({ status: 'done', phone: '+33612345678', address: { country: 'FR', postalCode: '13003' } });
    expect(ok.body.nextStep).toBe('ine');

    const bad = await step(identity, token, { email: 'not-an-email', phone: '12', address: { line1: 'x', postalCode: 'ABC', city: 'Paris', country: 'FR' } }, 'en');
    expect(bad.statusCode).toBe(422);
    expect(Object.keys(bad.body.error.fields).sort()).toEqual(['address.postalCode', 'email', 'phone']);
    const after = await invoke(getDossier, httpEvent({ path: '/api/dossier', token }));
    expect(after.body.steps.identity.email).toBe('lea.martin@example.org');
  });

  it('ine: accepts a valid BEA, refuses a wrong key saying which format was recognised', async () => {
    const { token } = await loggedInStudent();
    const bad = await step(ine, token, { ine: '1234567890A' });
    expect(bad.statusCode).toBe(422);
    expect(bad.body.error).toMatchObject({ code: 'INE_INVALID', format: 'bea' });
    expect(bad.body.error.fields.ine).toBeTruthy();
    const ok = await step(ine, token, { ine: ' 1234567890v ' });
    expect(ok.body.steps.ine).toMatchObject({ status: 'done', ine: '1234567890V', format: 'bea' });
  });

  it('ine: an INES is checked with the verification service', async () => {
    const { token, admission } = await loggedInStudent();
    const unknown = await step(ine, token, { ine: '987654321ZZ' });
    expect(unknown.statusCode).toBe(422);
    expect(unknown.body.error.fields.ine).toBeTruthy();
    await putInesFixture({ ine: '987654321ZZ', birthDate: admission.birthDate });
    const ok = await step(ine, token, { ine: '987654321zz' });
    expect(ok.body.steps.ine).toMatchObject({ status: 'done', format: 'ines', verified: true });
  });

  it('ine: "no INE" needs both declarations and assigns one provisional INE, kept on repeat', async () => {
    const { token } = await loggedInStudent();
    const refused = await step(ine, token, { noIne: true, noFrenchBac: true, neverEnrolledInFrenchUniversity: false });
    expect(refused.statusCode).toBe(422);
    expect(Object.keys(refused.body.error.fields)).toEqual(['neverEnrolledInFrenchUniversity']);
    const ok = await step(ine, token, { noIne: true, noFrenchBac: true, neverEnrolledInFrenchUniversity: true });
    expect(ok.body.steps.ine.ine).toMatch(/^0226D\d{5}[A-HJ-NPR-Z]$/);
    const again = await step(ine, token, { noIne: true, noFrenchBac: true, neverEnrolledInFrenchUniversity: true });
    expect(again.body.steps.ine.ine).toBe(ok.body.steps.ine.ine);
  });

  it('ine: provisional INEs are unique under concurrency', async () => {
    // Signed in one after the other (fifteen logins at once from the test's one address contend on
    // its rate-limit slot and can outlast the function's budget); the draws below are concurrent.
    const students: Awaited<ReturnType<typeof loggedInStudent>>[] = [];
    for (let i = 0; i < 15; i++) students.push(await loggedInStudent());
    const results = await Promise.all(students.map((s) => step(ine, s.token, { noIne: true, noFrenchBac: true, neverEnrolledInFrenchUniversity: true })));
    const ines = results.map((r) => r.body.steps.ine.ine as string);
    expect(new Set(ines).size).toBe(15);
  });

  it('ine: a dossier that cannot change draws no provisional INE', async () => {
    const { token } = await loggedInStudent();
    await fillAll(token);
    await post(submit, token);
    const before = await provisionalSequence();
    const res = await step(ine, token, NO_INE);
    expect(res.statusCode).toBe(409);
    expect(res.body.error.code).toBe('STEP_LOCKED');
    expect(await provisionalSequence()).toBe(before);
  });

  it('ine: a dossier keeps the one provisional INE it was given, switching to a real INE and back', async () => {
    const { token } = await loggedInStudent();
    const first = (await step(ine, token, NO_INE)).body.steps.ine.ine;
    const drawn = await provisionalSequence();
    expect((await step(ine, token, { ine: '1234567890V' })).body.steps.ine).toMatchObject({ ine: '1234567890V', source: 'student' });
    expect((await step(ine, token, NO_INE)).body.steps.ine).toMatchObject({ ine: first, source: 'no_ine_declaration' });
    expect(await provisionalSequence()).toBe(drawn);
  });

  it('ine: the provisional INE an operator gave is the one "no INE" reuses, and the other way round', async () => {
    const a = await loggedInStudent();
    const byOperator = await asOperator(operatorProvisionalIne, { method: 'POST', id: a.dossier.id });
    expect(byOperator.statusCode).toBe(200);
    await step(ine, a.token, { ine: '1234567890V' });
    expect((await step(ine, a.token, NO_INE)).body.steps.ine.ine).toBe(byOperator.body.steps.ine.ine);

    const b = await loggedInStudent();
    const declared = (await step(ine, b.token, NO_INE)).body.steps.ine.ine;
    await step(ine, b.token, { ine: '1234567890V' });
    const assigned = await asOperator(operatorProvisionalIne, { method: 'POST', id: b.dossier.id });
    expect(assigned.body.steps.ine).toMatchObject({ ine: declared, source: 'operator' });
  });

  it('ine: once the year’s provisional INEs are all out, a clear 503 (not a 500), nothing saved', async () => {
    const { token } = await loggedInStudent();
    const before = await provisionalSequence();
    await setProvisionalSequence(99_999);
    try {
      const res = await step(ine, token, NO_INE, 'en');
      expect(res.statusCode).toBe(503);
      expect(res.body.error).toMatchObject({ code: 'PROVISIONAL_INE_EXHAUSTED', message: expect.stringContaining('scolarité office') });
    } finally {
      await setProvisionalSequence(before);
    }
    expect((await invoke(getDossier, httpEvent({ path: '/api/dossier', token }))).body.steps.ine.status).toBe('todo');
  });

  it('cvec: not asked for formation continue; required otherwise and checked with the CVEC service', async () => {
    const { token } = await loggedInStudent();
    const fc = await step(situation, token, { regime: 'formation_continue', scholarship: 'none' });
    expect(fc.body.steps.cvec).toMatchObject({ status: 'done', required: false });
    const fi = await step(situation, token, { regime: 'formation_initiale', scholarship: 'none' });
    expect(fi.body.steps.cvec).toMatchObject({ status: 'todo', required: true });

    await putCvecFixture({ certificateNumber: 'AMU6100001', lastName: 'Lefèvre', firstName: 'Jean', birthDate: '1990-01-01', state: 75 });
    const mismatch = await step(cvec, token, { certificateNumber: 'amu 6100001' });
    expect(mismatch.statusCode).toBe(409);
    expect(mismatch.body.error.code).toBe('CVEC_MISMATCH');
    expect(mismatch.body.error.message).toMatch(/CROUS/);

    await putCvecFixture({ certificateNumber: 'AMU6100002', lastName: 'MARTIN', firstName: 'Léa', birthDate: '2008-03-14', state: 98 });
    const refunded = await step(cvec, token, { certificateNumber: 'AMU6100002' });
    expect(refunded.statusCode).toBe(422);
    expect(refunded.body.error.fields.certificateNumber).toBeTruthy();

    const wrongCampaign = await step(cvec, token, { certificateNumber: 'AMU5100003' });
    expect(wrongCampaign.statusCode).toBe(422);
    const unknown = await step(cvec, token, { certificateNumber: 'AMU6100404' });
    expect(unknown.statusCode).toBe(422);
    expect(unknown.body.error.code).toBe('CVEC_NOT_FOUND');

    await putCvecFixture({ certificateNumber: 'AMU6100003', lastName: 'MARTIN', firstName: 'Léa', birthDate: '2008-03-14', state: 73 });
    const ok = await step(cvec, token, { certificateNumber: 'AMU6/100003' });
    expect(ok.body.steps.cvec).toMatchObject({ status: 'done', certificateNumber: 'AMU6100003', state: 73 });
  });

  it('cvec: an unreachable CVEC service is a clear retry-later error, never a pass', async () => {
    const { token } = await loggedInStudent();
    await step(situation, token, { regime: 'formation_initiale', scholarship: 'none' });
    process.env.CVEC_API_URL = 'http://127.0.0.1:9/';
    try {
      const res = await step(cvec, token, { certificateNumber: 'AMU6123456' });
      expect(res.statusCode).toBe(503);
      expect(res.body.error.code).toBe('CVEC_UNAVAILABLE');
      expect(res.headers['retry-after']).toBeDefined();
    } finally {
      delete process.env.CVEC_API_URL;
    }
    const dossier = await invoke(getDossier, httpEvent({ path: '/api/dossier', token }));
    expect(dossier.body.steps.cvec.status).toBe('todo');
  });

  it('programme: only the admitted programme; the dossier shows its fees', async () => {
    const { token } = await loggedInStudent({ programmeCode: 'ING-INFO' });
    const other = await step(programme, token, { programmeCode: 'L1-INFO' });
    expect(other.statusCode).toBe(422);
    expect(other.body.error.fields.programmeCode).toBeTruthy();
    const ok = await step(programme, token, { programmeCode: 'ING-INFO' });
    expect(ok.body.steps.programme.status).toBe('done');
    expect(ok.body.fees).toMatchObject({ amountCents: 62800, currency: 'EUR', exempt: false });
  });
});

describe('submit', () => {
  it('names the missing steps on an early submit', async () => {
    const { token } = await loggedInStudent();
    await step(identity, token, IDENTITY);
    const res = await post(submit, token);
    expect(res.statusCode).toBe(409);
    expect(res.body.error.code).toBe('INCOMPLETE');
    expect(res.body.error.missingSteps).toEqual(['ine', 'situation', 'cvec', 'programme']);
  });

  it.each([
    ['none', 'awaiting_payment', 17800],
    ['pending', 'pay_at_office', 17800],
    ['granted', 'enrolled', 0],
  ] as const)('scholarship %s → %s', async (scholarship, status, amount) => {
    const { token } = await loggedInStudent();
    await fillAll(token, { scholarship });
    const res = await post(submit, token);
    expect(res.statusCode).toBe(200);
    expect(res.body).toMatchObject({ status, nextStep: null, fees: { amountCents: amount } });
  });

  it('locks every step after submit', async () => {
    const { token } = await loggedInStudent();
    await fillAll(token);
    await post(submit, token);
    const res = await step(identity, token, IDENTITY);
    expect(res.statusCode).toBe(409);
    expect(res.body.error.code).toBe('STEP_LOCKED');
    expect((await post(submit, token)).statusCode).toBe(409);
  });
});

describe('concurrency', () => {
  it('20 concurrent writes to one dossier all land', async () => {
    const { token, dossier } = await loggedInStudent();
    const writes = Array.from({ length: 20 }, (_, i) =>
      i % 2 === 0 ? step(identity, token, { ...IDENTITY, email: `lea.${i}@example.org` }) : step(situation, token, { regime: 'formation_initiale', scholarship: i % 4 === 1 ? 'none' : 'granted' }),
    );
    const results = await Promise.all(writes);
    expect(results.map((r) => r.statusCode)).toEqual(Array(20).fill(200));
    const final = await invoke(getDossier, httpEvent({ path: '/api/dossier', token }));
    expect(final.body.version).toBe(dossier.version + 20);
    expect(final.body.steps.identity.status).toBe('done');
    expect(final.body.steps.situation.status).toBe('done');
  });
});

describe('concurrency on one step', () => {
  it('50 concurrent writes to the same step all land, one after the other', async () => {
    const { token, dossier } = await loggedInStudent();
    const emails = Array.from({ length: 50 }, (_, i) => `lea.${i}@example.org`);
    const results = await Promise.all(emails.map((email) => step(identity, token, { ...IDENTITY, email })));
    expect(results.map((r) => r.statusCode)).toEqual(Array(50).fill(200));
    // Every write saw the one before it: 50 distinct versions, ending 50 after the start.
    const versions = results.map((r) => r.body.version as number).sort((a, b) => a - b);
    expect(versions).toEqual(Array.from({ length: 50 }, (_, i) => dossier.version + 1 + i));
    const final = await invoke(getDossier, httpEvent({ path: '/api/dossier', token }));
    const last = results.find((r) => r.body.version === dossier.version + 50)!;
    expect(final.body.steps.identity.email).toBe(last.body.steps.identity.email);
  });
});

describe('request hygiene', () => {
  it('malformed JSON → 400, wrong content type → 415, oversized body → 413', async () => {
    const { token } = await loggedInStudent();
    const malformed = await invoke(identity, httpEvent({ method: 'PUT', token, rawBody: '{"email":', headers: { 'content-type': 'application/json' } }));
    expect(malformed.statusCode).toBe(400);
    expect(malformed.body.error.code).toBe('MALFORMED_JSON');
    const wrongType = await invoke(identity, httpEvent({ method: 'PUT', token, rawBody: 'email=x', headers: { 'content-type': 'application/x-www-form-urlencoded' } }));
    expect(wrongType.statusCode).toBe(415);
    const huge = await invoke(identity, httpEvent({ method: 'PUT', token, body: { ...IDENTITY, pad: 'x'.repeat(70_000) } }));
    expect(huge.statusCode).toBe(413);
  });
});
