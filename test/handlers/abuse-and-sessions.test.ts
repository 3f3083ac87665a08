/**
 * Issue 11 "Abuse and sessions", handlers against DynamoDB Local: the lockout per identifier
 * and client address (point 5), session lifetime, logout and revocation (point 7), webhook
 * signatures dated in the future (point 8), the CVEC step on a locked dossier and its lookup
 * limit (point 9).
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import Stripe from 'stripe';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ddb, tableName } from '../../functions/adapters/dynamo/client';
import { putCvecFixture } from '../../functions/adapters/dynamo/dev-fixtures';
import { handler as provisionalIne } from '../../functions/admin/provisional-ine';
import { routes } from '../../functions/routes';
import { handler as cancel } from '../../functions/admin/cancel-dossier';
import { CVEC_LOOKUP_POLICY, LOGIN_POLICY } from '../../functions/domain/rate-limits';
import { handler as webhook } from '../../functions/events/payment-webhook';
import { handler as logout } from '../../functions/public/logout';
import { handler as session } from '../../functions/public/session';
import { ENV } from '../../functions/shared/env';
import { METRIC } from '../../functions/shared/metric-names';
import { SESSION_ABSOLUTE_SECONDS } from '../../functions/shared/tokens';
import { handler as getDossier } from '../../functions/steps/get-dossier';
import { handler as cvec } from '../../functions/steps/cvec';
import { handler as ine } from '../../functions/steps/ine';
import { handler as createCorrection } from '../../functions/corrections/create';
import { httpEvent, invoke } from '../support/events';
import { captureStdout, emfDocuments } from '../support/stdout';
import { OPERATOR, asOperator, studentThroughWizard } from '../support/operators';
import { admitStudent, loggedInStudent, login } from '../support/students';

const IN_WINDOW = new Date('2026-07-01T10:00:00Z');
beforeEach(() => {
  vi.useFakeTimers({ now: IN_WINDOW, toFake: ['Date'] });
});
afterEach(() => {
  vi.useRealTimers();
});

const loginFrom = (address: string, identifier: string, birthDate: string) => {
  const event = httpEvent({ method: 'POST', path: '/api/session', body: { identifier, birthDate } });
  event.requestContext.http.sourceIp = address;
  return invoke(session, event);
};
const dossierWith = (token: string) => invoke(getDossier, httpEvent({ method: 'GET', path: '/api/dossier', token }));

describe('point 5: lockout per identifier and client address', () => {
  it('a student whose identifier is hammered from another address still logs in from their own, at once', async () => {
    const a = await admitStudent();
    const attacker = '203.0.113.66';
    const guesses = [];
    for (let i = 0; i <= LOGIN_POLICY.perIdentifierAndAddress.max; i++) guesses.push(await loginFrom(attacker, a.identifier, '2001-01-01'));
    expect(guesses.at(-1)!.statusCode).toBe(429);
    // Even the right birth date is refused from the attacker's address now…
    expect((await loginFrom(attacker, a.identifier, a.birthDate)).statusCode).toBe(429);
    // …but the student, from their own address, gets in.
    expect((await loginFrom('198.51.100.20', a.identifier, a.birthDate)).statusCode).toBe(201);
  });

  it('an address spraying one birth date over many identifiers is refused, and alarmed (AbuseRefusals)', async () => {
    const sprayer = '203.0.113.99';
    const results = [];
    for (let i = 0; i < LOGIN_POLICY.perAddress.max; i++) results.push(await loginFrom(sprayer, `P26${String(9_000_000 + i).padStart(7, '0')}`, '2001-01-01'));
    expect(results.every((r) => r.statusCode === 401)).toBe(true);
    // The refused attempt publishes the metric the abuse alarm watches (lib/constructs/monitoring.ts).
    const printed = captureStdout();
    let refused: Awaited<ReturnType<typeof loginFrom>>;
    try {
      refused = await loginFrom(sprayer, 'P269999999', '2001-01-01');
    } finally {
      printed.restore();
    }
    expect(refused.statusCode).toBe(429);
    expect(emfDocuments(printed.lines()).map((doc) => doc[METRIC.abuseRefusals])).toContain(1);
  });

  it('successful logins do not count: a student logs in again and again', async () => {
    const a = await admitStudent();
    for (let i = 0; i <= LOGIN_POLICY.perIdentifierAndAddress.max + 1; i++) expect((await loginFrom('198.51.100.21', a.identifier, a.birthDate)).statusCode).toBe(201);
  });
});

describe('point 7: sessions', () => {
  it('end 4 hours after login, however active the student', async () => {
    const { token } = await loggedInStudent();
    let current = token;
    for (let t = 20; t * 60 < SESSION_ABSOLUTE_SECONDS; t += 20) {
      vi.setSystemTime(new Date(IN_WINDOW.getTime() + t * 60_000));
      const res = await dossierWith(current);
      expect(res.statusCode).toBe(200);
      current = res.headers['x-session-token']!;
    }
    vi.setSystemTime(new Date(IN_WINDOW.getTime() + SESSION_ABSOLUTE_SECONDS * 1000 + 1000));
    expect((await dossierWith(current)).statusCode).toBe(401);
  });

  it('DELETE /api/session ends this session and the others of the dossier', async () => {
    const { token, admission } = await loggedInStudent();
    const other = (await loginFrom('198.51.100.30', admission.identifier, admission.birthDate)).body.token as string;
    const res = await invoke(logout, httpEvent({ method: 'DELETE', path: '/api/session', token }));
    expect(res.statusCode).toBe(204);
    expect((await dossierWith(token)).statusCode).toBe(401);
    expect((await dossierWith(other)).statusCode).toBe(401);
    // A new login works.
    const again = (await loginFrom('198.51.100.30', admission.identifier, admission.birthDate)).body.token as string;
    expect((await dossierWith(again)).statusCode).toBe(200);
  });

  it('an operator cancelling the dossier revokes its sessions', async () => {
    const { token, dossier } = await loggedInStudent();
    expect((await asOperator(cancel, { method: 'POST', id: dossier.id, body: { reason: 'Doublon' } })).statusCode).toBe(200);
    expect((await dossierWith(token)).statusCode).toBe(401);
  });
});

describe('point 8: webhook signatures dated in the future', () => {
  it('are refused beyond the tolerance (400), like stale ones', async () => {
    const payload = JSON.stringify({ id: 'evt_future', object: 'event', type: 'customer.created', data: { object: {} }, created: 0 });
    const future = Math.floor(Date.now() / 1000) + 3600;
    const header = Stripe.webhooks.generateTestHeaderString({ payload, secret: process.env.STRIPE_WEBHOOK_SECRET!, timestamp: future });
    const res = await invoke(webhook, httpEvent({ method: 'POST', path: '/api/payments/webhook', rawBody: payload, headers: { 'stripe-signature': header, 'content-type': 'application/json' } }));
    expect(res.statusCode).toBe(400);
    expect(res.body.error.code).toBe('WEBHOOK_SIGNATURE_INVALID');
    const now = Stripe.webhooks.generateTestHeaderString({ payload, secret: process.env.STRIPE_WEBHOOK_SECRET!, timestamp: Math.floor(Date.now() / 1000) });
    expect((await invoke(webhook, httpEvent({ method: 'POST', path: '/api/payments/webhook', rawBody: payload, headers: { 'stripe-signature': now } }))).statusCode).toBe(200);
  });
});

describe('point 9: the CVEC step', () => {
  const put = (token: string, certificateNumber: string) => invoke(cvec, httpEvent({ method: 'PUT', path: '/api/dossier/cvec', token, body: { certificateNumber } }));

  it('refuses a submitted or cancelled dossier before calling the national API, saying which', async () => {
    const { token, dossier } = await studentThroughWizard({ submit: true });
    expect(dossier.status).toBe('awaiting_payment');
    // The national API: a loopback server counting the lookups it receives.
    let lookups = 0;
    const server = createServer((_req, res) => {
      lookups++;
      res.writeHead(500).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const previous = process.env[ENV.cvecApiUrl];
    process.env[ENV.cvecApiUrl] = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      expect((await put(token, 'AMU6000001')).body.error).toMatchObject({ code: 'STEP_LOCKED', status: 'awaiting_payment' });
      const { token: t2, dossier: d2, admission } = await loggedInStudent();
      await asOperator(cancel, { method: 'POST', id: d2.id, body: { reason: 'Doublon' } });
      const again = (await login(admission.identifier, admission.birthDate)).body.token as string;
      const cancelled = await invoke(cvec, httpEvent({ method: 'PUT', path: '/api/dossier/cvec', token: again, body: { certificateNumber: 'AMU6000001' }, lang: 'en' }));
      expect(cancelled.body.error).toMatchObject({ code: 'STEP_LOCKED', status: 'cancelled', message: expect.stringMatching(/cancelled/) });
      expect((await put(t2, 'AMU6000001')).statusCode).toBe(401);
      expect(lookups).toBe(0);
      // Control: a draft dossier does reach the national API (here failing: 503, never a pass).
      const { token: t3 } = await loggedInStudent();
      expect((await put(t3, 'AMU6000001')).statusCode).toBe(503);
      expect(lookups).toBeGreaterThan(0);
    } finally {
      if (previous === undefined) delete process.env[ENV.cvecApiUrl];
      else process.env[ENV.cvecApiUrl] = previous;
      server.close();
    }
  });

  it('limits lookups per dossier (no certificate-number oracle)', async () => {
    const { token, admission } = await loggedInStudent();
    await putCvecFixture({ certificateNumber: 'AMU6999999', lastName: admission.birthName.toUpperCase(), firstName: 'Léa', birthDate: admission.birthDate, state: 75 });
    const results = [];
    for (let i = 0; i <= CVEC_LOOKUP_POLICY.max; i++) results.push(await put(token, `AMU6${String(100000 + i)}`));
    expect(results.slice(0, -1).every((r) => r.statusCode === 422)).toBe(true);
    expect(results.at(-1)!.statusCode).toBe(429);
    expect(results.at(-1)!.body.error.code).toBe('TOO_MANY_CVEC_LOOKUPS');
  });
});

describe('point 9: provisional INEs', () => {
  const counter = async () =>
    ((await ddb.send(new GetCommand({ TableName: tableName(), Key: { pk: 'COUNTER#PROVISIONAL_INE#26', sk: 'COUNTER' }, ConsistentRead: true }))).Item?.value as number | undefined) ?? 0;
  const NO_INE = { noIne: true, noFrenchBac: true, neverEnrolledInFrenchUniversity: true };

  it('many concurrent requests for one dossier (operators and the student at once) draw exactly one number', async () => {
    const { token, dossier } = await loggedInStudent();
    const before = await counter();
    const calls = Array.from({ length: 24 }, (_, i) =>
      i % 2 === 0 ? asOperator(provisionalIne, { method: 'POST', id: dossier.id }) : invoke(ine, httpEvent({ method: 'PUT', path: '/api/dossier/ine', token, body: NO_INE })),
    );
    const results = await Promise.all(calls);
    expect(results.map((r) => r.statusCode)).toEqual(results.map(() => 200));
    const numbers = new Set(results.map((r) => r.body.steps.ine.ine as string));
    expect(numbers.size).toBe(1);
    expect(await counter()).toBe(before + 1);
    // The reservation is gone once the number is recorded; the dossier holds it.
    const stored = (await ddb.send(new GetCommand({ TableName: tableName(), Key: { pk: `DOSSIER#${dossier.id}`, sk: 'DOSSIER' }, ConsistentRead: true }))).Item!.dossier;
    expect(stored.provisionalIne).toBe([...numbers][0]);
    expect(stored.provisionalIneDraw).toBeUndefined();
  });
});

const NO_INE_BODY = { noIne: true, noFrenchBac: true, neverEnrolledInFrenchUniversity: true };

describe('point 9: a cancelled dossier says so', () => {
  /** Bodies that pass validation, so the answer is about the dossier, not the input. */
  const STUDENT_WRITES: Record<string, unknown> = {
    StepIdentity: { email: 'lea.martin@example.org', phone: '06 12 34 56 78', address: { line1: '3 place Victor Hugo', postalCode: '13003', city: 'Marseille', country: 'FR' } },
    StepIne: NO_INE_BODY,
    StepSituation: { regime: 'formation_initiale', scholarship: 'none' },
    StepCvec: { certificateNumber: 'AMU6000001' },
    StepProgramme: { programmeCode: 'L1-INFO' },
    Submit: undefined,
    Payment: undefined,
    DocumentUpload: { fileName: 'photo.jpg', contentType: 'image/jpeg', size: 50_000 },
    CorrectionCreate: { field: 'birthName', proposedValue: 'DUPONT', message: 'Erreur de saisie' },
    InstalmentPayment: undefined,
    Withdrawal: { reason: 'Je change d’université' },
  };
  const OPERATOR_WRITES: Record<string, unknown> = {
    AdminProvisionalIne: undefined,
    AdminOfficePayment: { kind: 'paid', reference: 'CHQ-1' },
    AdminCancelDossier: { reason: 'Encore' },
    AdminScholarship: { decision: 'confirmed', reason: 'Notification CROUS' },
    AdminDocumentReview: { decision: 'accept' },
    AdminResendMail: {},
    AdminReissueCertificates: { reason: 'Erreur' },
  };

  it('every student and operator route that would change it answers that it is cancelled', async () => {
    const { token: before, admission, dossier } = await studentThroughWizard({ submit: true, scholarship: 'granted' });
    const correction = await invoke(createCorrection, httpEvent({ method: 'POST', path: '/api/dossier/corrections', token: before, body: STUDENT_WRITES.CorrectionCreate }));
    expect(correction.statusCode).toBe(201);
    expect((await asOperator(cancel, { method: 'POST', id: dossier.id, body: { reason: 'Doublon' } })).statusCode).toBe(200);

    // The session the cancellation ended says why.
    const revoked = await invoke(getDossier, httpEvent({ method: 'GET', path: '/api/dossier', token: before, lang: 'en' }));
    expect(revoked.statusCode).toBe(401);
    expect(revoked.body.error.message).toMatch(/cancelled/);

    const token = (await login(admission.identifier, admission.birthDate)).body.token as string;
    expect(Object.keys(STUDENT_WRITES).sort()).toEqual(
      routes
        .filter((r) => r.auth === 'student' && r.method !== 'GET' && r.id !== 'Logout')
        .map((r) => r.id)
        .sort(),
    );
    for (const [id, body] of Object.entries(STUDENT_WRITES)) {
      const route = routes.find((r) => r.id === id)!;
      const { handler } = await import(/* @vite-ignore */ `../../${route.entry}`);
      const pathParameters: Record<string, string> | undefined = route.path.includes('{kind}') ? { kind: 'photo' } : route.path.includes('{n}') ? { n: '2' } : undefined;
      const res = await invoke(handler, httpEvent({ method: route.method, path: route.path, token, body, lang: 'en', pathParameters }));
      expect([id, res.statusCode, res.body.error.message]).toEqual([id, 409, expect.stringMatching(/cancelled/)]);
    }
    for (const [id, body] of Object.entries(OPERATOR_WRITES)) {
      const route = routes.find((r) => r.id === id)!;
      const { handler } = await import(/* @vite-ignore */ `../../${route.entry}`);
      const pathParameters = { id: dossier.id, ...(route.path.includes('{kind}') ? { kind: 'photo' } : {}) };
      const res = await invoke(handler, httpEvent({ method: route.method, path: route.path, body, lang: 'en', adminPrincipal: OPERATOR, pathParameters }));
      expect([id, res.statusCode, res.body.error.message]).toEqual([id, 409, expect.stringMatching(/cancelled/)]);
    }
    const { handler: decide } = await import('../../functions/corrections/admin-decide');
    const accepted = await asOperator(decide, { route: 'AdminCorrectionDecision', body: { decision: 'accept' }, lang: 'en', id: correction.body.id });
    expect(accepted.statusCode).toBe(409);
    expect(accepted.body.error.message).toMatch(/cancelled/);
  });
});
