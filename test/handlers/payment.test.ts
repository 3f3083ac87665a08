/**
 * Payments: POST /api/dossier/payment and POST /api/payments/webhook, with the real Stripe
 * adapter talking to the local Stripe stand-in, whose "pay" delivers signed events through the
 * local API Gateway to the webhook handler, as Stripe does on AWS.
 */
import { createServer, type Server } from 'node:http';
import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import Stripe from 'stripe';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { ddb, itemsOf, tableName } from '../../functions/adapters/dynamo/client';
import { putCvecFixture } from '../../functions/adapters/dynamo/dev-fixtures';
import { dossierAuditTrail, getDossier, mutateDossier } from '../../functions/adapters/dynamo/dossiers';
import { outboxKey } from '../../functions/adapters/dynamo/outbox';
import { PAYMENT_ANOMALIES, stripeEventKey } from '../../functions/adapters/dynamo/stripe-events';
import { handler as cancelOperator } from '../../functions/admin/cancel-dossier';
import { handler as officePayment } from '../../functions/admin/office-payment';
import { handler as putService } from '../../functions/admin/put-service';
import { cancelDossier } from '../../functions/domain/dossier';
import { handler as webhook } from '../../functions/events/payment-webhook';
import { routes } from '../../functions/routes';
import { handler as cvec } from '../../functions/steps/cvec';
import { handler as identity } from '../../functions/steps/identity';
import { handler as ine } from '../../functions/steps/ine';
import { handler as payment } from '../../functions/steps/payment';
import { handler as programme } from '../../functions/steps/programme';
import { handler as situation } from '../../functions/steps/situation';
import { handler as submit } from '../../functions/steps/submit';
import { createGateway } from '../../scripts/local/gateway';
import { startStripeStandin, type SessionObject, type StripeStandin } from '../../scripts/local/stripe-standin';
import { httpEvent, invoke } from '../support/events';
import { asOperator } from '../support/operators';
import { loggedInStudent, login } from '../support/students';

const IN_WINDOW = new Date('2026-07-01T10:00:00Z');
const MINUTE = 60_000;
let stripe: StripeStandin;
let hook: Server;
/** When set, the webhook endpoint answers 503 (a deployment gone wrong): Stripe's delivery fails. */
let webhookDown = false;
/** Between the service and the stand-in (see `throughProxy`). */
let proxy: Server;
type Answer = { status: number; body: string };
let intercept: ((request: string, forward: () => Promise<Answer>) => Promise<Answer>) | undefined;

beforeAll(async () => {
  const gateway = createGateway({
    routes: routes.filter((r) => r.id === 'PaymentWebhook'),
    loadHandler: async () => webhook,
    adminToken: 'unused-admin-token',
    jwt: { issuer: 'http://127.0.0.1:9', audience: [] },
  });
  hook = createServer((req, res) => {
    if (webhookDown) return void res.writeHead(503).end();
    void gateway(req, res, new URL(req.url ?? '/', 'http://127.0.0.1')).then((handled) => handled || res.writeHead(404).end());
  });
  await new Promise<void>((r) => hook.listen(0, '127.0.0.1', () => r()));
  const hookPort = (hook.address() as { port: number }).port;
  stripe = await startStripeStandin({
    checkoutPageUrl: (id) => `${process.env.PUBLIC_ORIGIN}/dev/checkout/${id}`,
    webhookUrl: () => `http://127.0.0.1:${hookPort}/api/payments/webhook`,
    webhookSecret: () => process.env.STRIPE_WEBHOOK_SECRET!,
    secretKey: () => process.env.STRIPE_SECRET_KEY!,
  });
  proxy = createServer((req, res) => {
    void (async () => {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const forward = async (): Promise<Answer> => {
        const headers = Object.fromEntries(['authorization', 'content-type', 'idempotency-key'].flatMap((h) => (typeof req.headers[h] === 'string' ? [[h, req.headers[h]]] : [])));
        const r = await fetch(`${stripe.apiBase}${req.url}`, { method: req.method, headers, body: req.method === 'GET' ? undefined : Buffer.concat(chunks) });
        return { status: r.status, body: await r.text() };
      };
      const request = `${req.method} ${req.url}`;
      const answer = await (intercept ? intercept(request, forward) : forward());
      // The SDK would retry a 5xx itself: this proxy decides what happens.
      res.writeHead(answer.status, { 'content-type': 'application/json', 'stripe-should-retry': 'false' }).end(answer.body);
    })();
  });
  await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', () => r()));
});
afterAll(async () => {
  proxy?.closeAllConnections();
  await new Promise<void>((r) => proxy?.close(() => r()));
  await stripe?.stop();
  hook?.closeAllConnections();
  await new Promise<void>((r) => hook?.close(() => r()));
});
beforeEach(() => {
  vi.useFakeTimers({ now: IN_WINDOW, toFake: ['Date'] });
  webhookDown = false;
  intercept = undefined;
  process.env.STRIPE_API_BASE = stripe.apiBase;
});

/**
 * Sends the service's Stripe requests through a proxy: `onRequest` sees each one (`POST
 * /v1/checkout/sessions/…/expire`) and decides what happens around it, e.g. the student paying
 * at that very moment.
 */
function throughProxy(onRequest: NonNullable<typeof intercept>) {
  intercept = onRequest;
  process.env.STRIPE_API_BASE = `http://127.0.0.1:${(proxy.address() as { port: number }).port}`;
}
afterEach(() => {
  vi.useRealTimers();
});

// ---------------------------------------------------------------------------------------------
// Helpers

const IDENTITY = {
  email: 'lea.martin@example.org',
  phone: '06 12 34 56 78',
  address: { line1: '3 place Victor Hugo', postalCode: '13003', city: 'Marseille', country: 'FR' },
};

/** A logged-in student whose dossier is submitted with the given scholarship status. */
async function submittedStudent(scholarship: 'none' | 'granted' | 'pending' = 'none', lang?: 'fr' | 'en') {
  const { token, dossier, admission } = await loggedInStudent();
  const put = async (handler: typeof identity, body: unknown) => {
    const res = await invoke(handler, httpEvent({ method: 'PUT', token, body }));
    expect(res.statusCode).toBe(200);
  };
  await put(identity, IDENTITY);
  await put(ine, { ine: '1234567890V' });
  await put(situation, { regime: 'formation_initiale', scholarship });
  const number = `AMU6${String(Math.floor(Math.random() * 1e6)).padStart(6, '0')}`;
  // A granted scholarship proven by the CVEC certificate (state 71).
  await putCvecFixture({ certificateNumber: number, lastName: 'MARTIN', firstName: 'Léa', birthDate: '2008-03-14', state: scholarship === 'granted' ? 71 : 75 });
  await put(cvec, { certificateNumber: number });
  await put(programme, { programmeCode: 'L1-INFO' });
  const submitted = await invoke(submit, httpEvent({ method: 'POST', token, lang }));
  expect(submitted.statusCode).toBe(200);
  return { token, admission, dossierId: dossier.id as string, status: submitted.body.status as string };
}

const pay = (token: string, lang?: 'fr' | 'en') => invoke(payment, httpEvent({ method: 'POST', path: '/api/dossier/payment', token, lang }));
const dossierOf = async (id: string) => (await getDossier(id))!;
/** The mail job recorded in the outbox under `jobId`, if any. */
async function outboxJob(jobId: string) {
  const item = (await ddb.send(new GetCommand({ TableName: tableName(), Key: outboxKey(jobId), ConsistentRead: true }))).Item;
  return item ? JSON.parse(item.body as string) : undefined;
}
const auditActions = async (id: string) => (await dossierAuditTrail(id)).map((e) => e.action);

/** A Stripe event about `session`, signed as Stripe signs it. */
function signed(type: string, session: Partial<SessionObject>, o: { id?: string; secret?: string; timestamp?: number } = {}) {
  const payload = JSON.stringify({ id: o.id ?? `evt_test_${Math.random().toString(36).slice(2)}`, object: 'event', type, created: Math.floor(Date.now() / 1000), data: { object: session } });
  const header = Stripe.webhooks.generateTestHeaderString({ payload, secret: o.secret ?? process.env.STRIPE_WEBHOOK_SECRET!, timestamp: o.timestamp });
  return { payload, header };
}

const deliver = (e: { payload: string; header: string }, o: { base64?: boolean } = {}) => {
  const event = httpEvent({
    method: 'POST',
    path: '/api/payments/webhook',
    rawBody: o.base64 ? Buffer.from(e.payload).toString('base64') : e.payload,
    headers: { 'content-type': 'application/json', 'Stripe-Signature': e.header },
  });
  event.isBase64Encoded = o.base64 ?? false;
  return invoke(webhook, event);
};

/** A student awaiting payment with an open Checkout session: its Stripe object. */
async function openCheckout() {
  const student = await submittedStudent();
  const res = await pay(student.token);
  expect(res.statusCode).toBe(201);
  return { ...student, session: stripe.find(res.body.sessionId)!.session };
}

const paidSession = (s: SessionObject, over: Partial<SessionObject> = {}): SessionObject => ({ ...s, status: 'complete', payment_status: 'paid', payment_intent: `pi_${s.id}`, ...over });

// ---------------------------------------------------------------------------------------------

describe('POST /api/dossier/payment', () => {
  it('opens a Stripe Checkout session for the fees computed at submit, and records it', async () => {
    const { token, dossierId, status } = await submittedStudent();
    expect(status).toBe('awaiting_payment');

    const res = await pay(token);

    expect(res.statusCode).toBe(201);
    expect(res.body).toMatchObject({ checkoutUrl: `http://localhost:3000/dev/checkout/${res.body.sessionId}`, reused: false });
    const { session, lineItems } = stripe.find(res.body.sessionId)!;
    expect(session).toMatchObject({
      mode: 'payment',
      status: 'open',
      amount_total: 17800,
      currency: 'eur',
      client_reference_id: dossierId,
      metadata: { dossierId, academicYear: '2026-2027' },
      customer_email: 'lea.martin@example.org',
      locale: 'auto',
      success_url: 'http://localhost:3000/paiement/retour?session_id={CHECKOUT_SESSION_ID}',
      cancel_url: 'http://localhost:3000/paiement/annule',
    });
    expect(lineItems).toEqual([{ name: "Droits d'inscription / Registration fees 2026-2027 — Licence 1 Informatique", unitAmount: 17800, quantity: 1 }]);
    const lifetime = session.expires_at * 1000 - IN_WINDOW.getTime();
    expect(lifetime).toBeGreaterThan(30 * MINUTE);
    expect(lifetime).toBeLessThanOrEqual(32 * MINUTE);
    expect(res.body.expiresAt).toBe(new Date(session.expires_at * 1000).toISOString());
    expect((await dossierOf(dossierId)).payment.checkoutSessionId).toBe(res.body.sessionId);
  });

  it('reuses the open session instead of opening another; concurrent clicks share one session', async () => {
    const { token } = await submittedStudent('none', 'en');
    const first = await Promise.all(Array.from({ length: 5 }, () => pay(token, 'en')));
    expect(first.map((r) => r.statusCode)).toEqual([201, 201, 201, 201, 201]);
    expect(new Set(first.map((r) => r.body.sessionId)).size).toBe(1);
    expect(stripe.find(first[0]!.body.sessionId)!.lineItems[0]!.name).toBe("Droits d'inscription / Registration fees 2026-2027 — Licence 1 Informatique");

    vi.setSystemTime(new Date(IN_WINDOW.getTime() + 10 * MINUTE));
    const again = await pay(token);
    expect(again.body).toMatchObject({ sessionId: first[0]!.body.sessionId, reused: true });
  });

  it('replaces a session about to lapse (closing it) or expired', async () => {
    const { token, dossierId } = await submittedStudent();
    const first = (await pay(token)).body.sessionId as string;

    vi.setSystemTime(new Date(IN_WINDOW.getTime() + 28 * MINUTE));
    const replaced = await pay(token);
    const second = replaced.body.sessionId as string;
    expect(second).not.toBe(first);
    expect(stripe.find(first)!.session.status).toBe('expired');
    expect(stripe.find(second)!.session.status).toBe('open');

    vi.setSystemTime(new Date(IN_WINDOW.getTime() + 45 * MINUTE));
    const reused = await pay(replaced.headers['x-session-token']!);
    expect(reused.body).toMatchObject({ sessionId: second, reused: true });

    vi.setSystemTime(new Date(IN_WINDOW.getTime() + 62 * MINUTE));
    const third = await pay(reused.headers['x-session-token']!);
    expect(stripe.find(second)!.session.status).toBe('expired');
    expect(third.body).toMatchObject({ reused: false });
    expect(third.body.sessionId).not.toBe(second);
    expect((await dossierOf(dossierId)).payment.checkoutSessionId).toBe(third.body.sessionId);
  });

  it.each([
    ['fr', /scolarité sur production des pièces justificatives.*ne vous reconnectez pas ultérieurement pour payer en ligne/],
    ['en', /pay at the scolarité desk on presentation of supporting documents.*Do not come back online later to pay/],
  ] as const)('scholarship pending: never an online payment, and the student is told why (%s)', async (lang, explanation) => {
    const { token, dossierId, status } = await submittedStudent('pending');
    expect(status).toBe('pay_at_office');

    const res = await pay(token, lang);

    expect(res.statusCode).toBe(409);
    expect(res.body.error).toMatchObject({ code: 'PAYMENT_NOT_ALLOWED', reason: 'payment_pay_at_office' });
    expect(res.body.error.message).toMatch(explanation);
    expect((await dossierOf(dossierId)).payment.checkoutSessionId).toBeUndefined();
  });

  it('refuses an enrolled (nothing due), a cancelled and a draft dossier', async () => {
    const exempt = await submittedStudent('granted');
    expect(exempt.status).toBe('enrolled');
    expect((await pay(exempt.token)).body.error).toMatchObject({ code: 'PAYMENT_NOT_ALLOWED', reason: 'payment_already_done' });

    const cancelled = await submittedStudent();
    await mutateDossier(cancelled.dossierId, (d) => cancelDossier(d, { reason: 'Demande de l’étudiante', at: IN_WINDOW.toISOString() }));
    // The cancellation ended the student's session; signed in again, they cannot pay.
    expect((await pay(cancelled.token, 'en')).statusCode).toBe(401);
    const again = (await login(cancelled.admission.identifier, cancelled.admission.birthDate)).body.token as string;
    const refused = await pay(again, 'en');
    expect(refused.statusCode).toBe(409);
    expect(refused.body.error).toMatchObject({ code: 'PAYMENT_NOT_ALLOWED', reason: 'payment_cancelled', message: expect.stringMatching(/cancelled/) });

    const draft = await loggedInStudent();
    expect((await pay(draft.token)).body.error).toMatchObject({ code: 'PAYMENT_NOT_ALLOWED', reason: 'payment_not_due' });
  });

  it('a paid session whose confirmation is late: no second checkout meanwhile; the retried event enrolls', async () => {
    const { token, dossierId, session } = await openCheckout();
    webhookDown = true;
    const { delivery } = await stripe.pay(session.id);
    expect(delivery.status).toBe(503);
    expect((await dossierOf(dossierId)).status).toBe('awaiting_payment');

    const again = await pay(token);
    expect(again.statusCode).toBe(409);
    expect(again.body.error).toMatchObject({ code: 'PAYMENT_NOT_ALLOWED', reason: 'payment_processing' });

    webhookDown = false;
    expect((await deliver({ payload: delivery.payload, header: delivery.signature })).statusCode).toBe(200);
    expect((await dossierOf(dossierId)).status).toBe('enrolled');
  });

  it('a session paid between its check and its closing is not replaced: no second payable session', async () => {
    const { token, dossierId } = await submittedStudent();
    const first = (await pay(token)).body.sessionId as string;
    vi.setSystemTime(new Date(IN_WINDOW.getTime() + 28 * MINUTE));
    webhookDown = true;
    throughProxy(async (request, forward) => {
      if (request.endsWith('/expire')) await stripe.pay(first);
      return forward();
    });

    const res = await pay(token);

    expect(res.statusCode).toBe(409);
    expect(res.body.error).toMatchObject({ code: 'PAYMENT_NOT_ALLOWED', reason: 'payment_processing' });
    expect(stripe.find(first)!.session.status).toBe('complete');
    expect((await dossierOf(dossierId)).payment.checkoutSessionId).toBe(first);
  });

  it('a retry in another language, after Stripe opened a session whose answer was lost, opens the session', async () => {
    const { token, dossierId } = await submittedStudent();
    throughProxy(async (request, forward) => {
      if (request !== 'POST /v1/checkout/sessions') return forward();
      intercept = undefined;
      await forward();
      return { status: 500, body: JSON.stringify({ error: { type: 'api_error', message: 'The answer was lost.' } }) };
    });
    expect((await pay(token, 'fr')).statusCode).toBe(503);

    const retried = await pay(token, 'en');

    expect(retried.statusCode).toBe(201);
    expect(stripe.find(retried.body.sessionId)!.session.locale).toBe('auto');
    expect((await dossierOf(dossierId)).payment.checkoutSessionId).toBe(retried.body.sessionId);
  });

  it('20 concurrent requests in mixed languages get ONE session; paying it twice charges once (issue 11 point 3)', async () => {
    const { token, dossierId } = await submittedStudent();
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => pay(token, i % 2 ? 'en' : 'fr')));
    expect(results.map((r) => r.statusCode)).toEqual(Array(20).fill(201));
    const ids = new Set(results.map((r) => r.body.sessionId as string));
    expect(ids.size).toBe(1);
    const [sessionId] = [...ids];
    expect((await dossierOf(dossierId)).payment.checkoutSessionId).toBe(sessionId);

    await stripe.pay(sessionId!);
    await expect(stripe.pay(sessionId!)).rejects.toThrow(/can no longer be paid/);
    const charged = stripe.find(sessionId!)!.deliveries.filter((d) => d.type === 'checkout.session.completed');
    expect(charged).toHaveLength(1);
    await eventuallyEnrolled(dossierId);
    const again = await pay(token, 'en');
    expect(again.statusCode).toBe(409);
  });
});

async function eventuallyEnrolled(dossierId: string) {
  for (let i = 0; i < 50; i++) {
    if ((await dossierOf(dossierId)).status === 'enrolled') return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('dossier not enrolled');
}

describe('operators settling a dossier the student may be paying online', () => {
  const settle = {
    'office payment': (id: string, lang?: 'fr' | 'en') => asOperator(officePayment, { method: 'POST', id, body: { kind: 'paid', reference: 'QUITTANCE-2026-0077' }, lang }),
    cancellation: (id: string, lang?: 'fr' | 'en') => asOperator(cancelOperator, { method: 'POST', id, body: { reason: 'Renonciation écrite' }, lang }),
  };

  it.each([
    ['office payment', 'enrolled'],
    ['cancellation', 'cancelled'],
  ] as const)('%s: the open Checkout session is closed first, it can no longer be paid', async (action, status) => {
    const { dossierId, session } = await openCheckout();

    const res = await settle[action](dossierId);

    expect(res.statusCode).toBe(200);
    expect(res.body.status).toBe(status);
    expect(stripe.find(session.id)!.session.status).toBe('expired');
    await expect(stripe.pay(session.id)).rejects.toThrow(/can no longer be paid/);
    // Stripe's expiry event, delivered on its own time, changes nothing more.
    await vi.waitFor(() => expect(stripe.find(session.id)!.deliveries.map((d) => d.status)).toEqual([200]), { timeout: 5000 });
    expect((await dossierOf(dossierId)).status).toBe(status);
  });

  it.each(['office payment', 'cancellation'] as const)('%s: refused while a card payment just made awaits its confirmation', async (action) => {
    const { dossierId, session } = await openCheckout();
    webhookDown = true;
    const { delivery } = await stripe.pay(session.id);
    const before = await dossierOf(dossierId);

    const res = await settle[action](dossierId);

    expect(res.statusCode).toBe(409);
    expect(res.body.error).toMatchObject({ code: 'PAYMENT_IN_PROGRESS', message: expect.stringMatching(/vient d'être effectué.*attendez sa confirmation/) });
    expect((await settle[action](dossierId, 'en')).body.error.message).toMatch(/card payment was just made.*wait for its confirmation/);
    expect(await dossierOf(dossierId)).toEqual(before);
    expect(await auditActions(dossierId)).toEqual([]);

    webhookDown = false;
    expect((await deliver({ payload: delivery.payload, header: delivery.signature })).statusCode).toBe(200);
    expect((await dossierOf(dossierId)).payment).toMatchObject({ status: 'paid', method: 'card' });
  });

  it('a session the student opens while the operator acts is not left payable: 409 CONFLICT_RETRY, and the retry closes it', async () => {
    const { token, dossierId, session } = await openCheckout();
    let opened: string | undefined;
    throughProxy(async (request, forward) => {
      const answer = await forward();
      if (request.endsWith('/expire') && !opened) opened = (await pay(token)).body.sessionId;
      return answer;
    });

    const res = await settle.cancellation(dossierId);

    expect(res.statusCode).toBe(409);
    expect(res.body.error.code).toBe('CONFLICT_RETRY');
    expect(opened).toBeDefined();
    expect(opened).not.toBe(session.id);
    expect((await dossierOf(dossierId)).status).toBe('awaiting_payment');

    const retried = await settle.cancellation(dossierId);
    expect(retried.statusCode).toBe(200);
    expect(stripe.find(opened!)!.session.status).toBe('expired');
  });
});

describe('POST /api/payments/webhook', () => {
  it('a paid session enrolls the dossier and requests the synthesis mail and the receipt', async () => {
    const { dossierId, session } = await openCheckout();
    const before = await dossierOf(dossierId);

    const { delivery } = await stripe.pay(session.id);

    expect(delivery.status).toBe(200);
    const after = await dossierOf(dossierId);
    expect(after).toMatchObject({ status: 'enrolled', version: before.version + 1 });
    expect(after.payment).toMatchObject({ status: 'paid', method: 'card', amountCents: 17800, reference: expect.stringMatching(/^pi_test_/), checkoutSessionId: session.id });
    expect(await outboxJob(`synthesis#${dossierId}`)).toMatchObject({ template: 'synthesis', to: ['lea.martin@example.org'], summary: { dossierId, paymentMethod: 'card' } });
    expect(await outboxJob(`receipt#${dossierId}`)).toMatchObject({ template: 'receipt', summary: { amountCents: 17800 } });
    expect(await auditActions(dossierId)).toContain('payment.card_confirmed');
    expect((await ddb.send(new GetCommand({ TableName: tableName(), Key: stripeEventKey(delivery.eventId) }))).Item).toMatchObject({ effect: 'enrolled', dossierId });
  });

  it('accepts the body base64-encoded, as API Gateway may hand it over', async () => {
    const { dossierId, session } = await openCheckout();
    expect((await deliver(signed('checkout.session.completed', paidSession(session)), { base64: true })).statusCode).toBe(200);
    expect((await dossierOf(dossierId)).status).toBe('enrolled');
  });

  it.each([
    [
      'a tampered body',
      (s: SessionObject) => {
        const e = signed('checkout.session.completed', paidSession(s, { amount_total: 100 }));
        return { ...e, payload: e.payload.replace('"amount_total":100', '"amount_total":17800') };
      },
    ],
    ['a stale signature', (s: SessionObject) => signed('checkout.session.completed', paidSession(s), { timestamp: Math.floor(Date.now() / 1000) - 10 * 60 })],
    ['another secret', (s: SessionObject) => signed('checkout.session.completed', paidSession(s), { secret: 'whsec_not_ours' })],
    ['no signature', (s: SessionObject) => ({ ...signed('checkout.session.completed', paidSession(s)), header: '' })],
  ])('refuses %s with 400, and nothing changes', async (_what, make) => {
    const { dossierId, session } = await openCheckout();
    const before = await dossierOf(dossierId);

    const res = await deliver(make(session));

    expect(res.statusCode).toBe(400);
    expect(res.body.error.code).toBe('WEBHOOK_SIGNATURE_INVALID');
    expect(await dossierOf(dossierId)).toEqual(before);
    expect(await outboxJob(`synthesis#${dossierId}`)).toBeUndefined();
  });

  it('the same event delivered 10 times at once: one transition, one synthesis mail', async () => {
    const { dossierId, session } = await openCheckout();
    const before = await dossierOf(dossierId);
    const event = signed('checkout.session.completed', paidSession(session));

    const results = await Promise.all(Array.from({ length: 10 }, () => deliver(event)));

    expect(results.map((r) => r.statusCode)).toEqual(Array(10).fill(200));
    const after = await dossierOf(dossierId);
    expect(after).toMatchObject({ status: 'enrolled', version: before.version + 1 });
    expect((await auditActions(dossierId)).filter((a) => a === 'payment.card_confirmed')).toHaveLength(1);
    const synthesis = await ddb.send(new QueryCommand({ TableName: tableName(), KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': outboxKey(`synthesis#${dossierId}`).pk } }));
    expect(synthesis.Items).toHaveLength(1);

    // And replayed later, however often: nothing more.
    for (let i = 0; i < 3; i++) expect((await deliver(event)).statusCode).toBe(200);
    expect(await dossierOf(dossierId)).toEqual(after);
  });

  it('out of order: an expiry after the payment changes nothing; a payment after its expiry still enrolls', async () => {
    const a = await openCheckout();
    expect((await deliver(signed('checkout.session.completed', paidSession(a.session)))).statusCode).toBe(200);
    const enrolled = await dossierOf(a.dossierId);
    expect((await deliver(signed('checkout.session.expired', { ...a.session, status: 'expired' }))).statusCode).toBe(200);
    expect(await dossierOf(a.dossierId)).toEqual(enrolled);

    const b = await openCheckout();
    expect((await deliver(signed('checkout.session.expired', { ...b.session, status: 'expired' }))).statusCode).toBe(200);
    expect((await dossierOf(b.dossierId)).payment.checkoutSessionId).toBeUndefined();
    expect((await deliver(signed('checkout.session.completed', paidSession(b.session)))).statusCode).toBe(200);
    expect((await dossierOf(b.dossierId)).status).toBe('enrolled');
  });

  it('a failed asynchronous payment lets the student open a new session', async () => {
    const { token, dossierId, session } = await openCheckout();
    expect((await deliver(signed('checkout.session.async_payment_failed', { ...session, status: 'complete', payment_status: 'unpaid' }))).statusCode).toBe(200);
    expect((await dossierOf(dossierId)).payment.checkoutSessionId).toBeUndefined();
    const next = await pay(token);
    expect(next.body).toMatchObject({ reused: false });
    expect(next.body.sessionId).not.toBe(session.id);
  });

  it.each([
    ['the wrong amount', { amount_total: 100 }, 'payment_amount_mismatch'],
    ['another currency', { currency: 'usd' }, 'payment_currency_mismatch'],
    ['another academic year', { metadata: { academicYear: '2025-2026' } }, 'payment_dossier_mismatch'],
  ] as const)('a payment of %s is flagged for the operators, not enrolled (200: no retry)', async (_what, over, reason) => {
    const { dossierId, session } = await openCheckout();
    const metadata = { ...session.metadata, ...('metadata' in over ? over.metadata : {}) };
    const event = signed('checkout.session.completed', paidSession(session, { ...over, metadata } as Partial<SessionObject>));

    expect((await deliver(event)).statusCode).toBe(200);
    expect((await deliver(event)).statusCode).toBe(200);

    const after = await dossierOf(dossierId);
    expect(after.status).toBe('awaiting_payment');
    expect(after.payment).toMatchObject({ status: 'due', anomalies: [{ reason, checkoutSessionId: session.id }] });
    expect((await auditActions(dossierId)).filter((a) => a === 'payment.anomaly')).toHaveLength(1);
    expect(await outboxJob(`synthesis#${dossierId}`)).toBeUndefined();
    const flagged = await ddb.send(new QueryCommand({ TableName: tableName(), IndexName: 'gsi1', KeyConditionExpression: 'gsi1pk = :pk', ExpressionAttributeValues: { ':pk': PAYMENT_ANOMALIES } }));
    // The index holds keys only: read the flagged event records themselves.
    expect((await itemsOf(flagged.Items)).some((i) => i.dossierId === dossierId && (i.anomaly as { reason: string }).reason === reason)).toBe(true);
  });

  it('a payment naming a dossier this service does not hold is flagged too', async () => {
    const { session } = await openCheckout();
    const ghost = { ...paidSession(session), client_reference_id: 'no-such-dossier', metadata: { dossierId: 'no-such-dossier', academicYear: '2026-2027' } };
    const event = signed('checkout.session.completed', ghost, { id: `evt_ghost_${Date.now()}` });
    expect((await deliver(event)).statusCode).toBe(200);
    const eventId = JSON.parse(event.payload).id as string;
    expect((await ddb.send(new GetCommand({ TableName: tableName(), Key: stripeEventKey(eventId) }))).Item).toMatchObject({
      effect: 'anomaly',
      dossierId: 'no-such-dossier',
      gsi1pk: PAYMENT_ANOMALIES,
    });
  });

  it('answers 200 to events it does not act on', async () => {
    const res = await deliver(signed('charge.refunded', { id: 'ch_1' } as unknown as SessionObject));
    expect(res.statusCode).toBe(200);
  });

  it('completes a payment started before the service closed', async () => {
    const { token, dossierId, session } = await openCheckout();
    await invoke(putService, httpEvent({ method: 'PUT', body: { mode: 'closed', reason: 'Fermeture de test' }, adminPrincipal: 'arn:aws:iam::123456789012:user/operator' }));
    try {
      expect((await pay(token)).statusCode).toBe(503);
      const { delivery } = await stripe.pay(session.id);
      expect(delivery.status).toBe(200);
      expect((await dossierOf(dossierId)).status).toBe('enrolled');
    } finally {
      await invoke(putService, httpEvent({ method: 'PUT', body: { mode: 'calendar', reason: 'Fin du test' }, adminPrincipal: 'arn:aws:iam::123456789012:user/operator' }));
    }
  });
});
