/**
 * The Stripe adapter with the real SDK, pointed at a loopback recorder: what goes over the
 * wire (form body, headers), how Stripe's answers and failures come back, and webhook
 * verification with Stripe's own signing helper.
 */
import { createServer } from 'node:http';
import Stripe from 'stripe';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createCheckoutSession, createRefund, expireCheckoutSession, RefundRefusedError, retrieveCheckoutSession, verifyWebhookEvent, type CheckoutRequest } from '../../functions/adapters/stripe';
import { toKnownError } from '../../functions/shared/domain-errors';
import { AppError } from '../../functions/shared/errors';
import { stripeRecorder } from '../support/stripe-recorder';

/** What the HTTP edge answers for the adapter's failure (undefined: an unexpected error, a 500). */
const answer = (p: Promise<unknown>) =>
  p.then(
    () => undefined,
    (e: unknown) => toKnownError(e),
  );

interface Recorded {
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  form: URLSearchParams;
}

const SECRET_KEY = 'sk_test_adapter_0123456789';
const WEBHOOK_SECRET = 'whsec_adapter_0123456789';

const session = (over: Record<string, unknown> = {}) => ({
  id: 'cs_test_rec',
  object: 'checkout.session',
  status: 'open',
  url: 'https://checkout.example/cs_test_rec',
  expires_at: 1_782_900_000,
  ...over,
});

const recorder = stripeRecorder<Recorded>({
  record: (req, body) => ({ method: req.method!, path: req.url!, headers: req.headers, form: new URLSearchParams(body) }),
  fallback: () => ({ status: 200, body: session() }),
});
const { requests, answers } = recorder;

beforeAll(async () => {
  await recorder.start();
  Object.assign(process.env, { STRIPE_SECRET_KEY: SECRET_KEY, STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET });
});
afterAll(() => recorder.stop());
beforeEach(() => recorder.reset());

const request = (over: Partial<CheckoutRequest> = {}): CheckoutRequest => ({
  dossierId: 'dossier-42',
  academicYear: '2026-2027',
  amountCents: 17800,
  currency: 'EUR',
  description: "Droits d'inscription 2026-2027 — Licence 1 Informatique",
  customerEmail: 'lea.martin@example.org',
  lang: 'fr',
  successUrl: 'http://localhost:3000/paiement/retour?session_id={CHECKOUT_SESSION_ID}',
  cancelUrl: 'http://localhost:3000/paiement/annule',
  expiresAt: new Date('2026-07-01T10:31:00Z'),
  idempotencyKey: 'checkout-dossier-42-v7-1782901860',
  ...over,
});

describe('createCheckoutSession', () => {
  it('sends one form-encoded payment session with the amount, currency, dossier, expiry and idempotency key', async () => {
    const created = await createCheckoutSession(request());

    expect(requests).toHaveLength(1);
    const [sent] = requests;
    expect(sent).toMatchObject({ method: 'POST', path: '/v1/checkout/sessions' });
    expect(sent!.headers['idempotency-key']).toBe('checkout-dossier-42-v7-1782901860');
    expect(sent!.headers.authorization).toBe(`Bearer ${SECRET_KEY}`);
    expect(sent!.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(Object.fromEntries(sent!.form)).toEqual({
      mode: 'payment',
      'allowed_payment_method_types[0]': 'card',
      'line_items[0][quantity]': '1',
      'line_items[0][price_data][currency]': 'eur',
      'line_items[0][price_data][unit_amount]': '17800',
      'line_items[0][price_data][product_data][name]': "Droits d'inscription 2026-2027 — Licence 1 Informatique",
      client_reference_id: 'dossier-42',
      'metadata[dossierId]': 'dossier-42',
      'metadata[academicYear]': '2026-2027',
      'payment_intent_data[metadata][dossierId]': 'dossier-42',
      'payment_intent_data[metadata][academicYear]': '2026-2027',
      customer_email: 'lea.martin@example.org',
      locale: 'fr',
      expires_at: String(Date.parse('2026-07-01T10:31:00Z') / 1000),
      success_url: 'http://localhost:3000/paiement/retour?session_id={CHECKOUT_SESSION_ID}',
      cancel_url: 'http://localhost:3000/paiement/annule',
    });
    expect(created).toEqual({ id: 'cs_test_rec', url: 'https://checkout.example/cs_test_rec', status: 'open', expiresAt: new Date(1_782_900_000 * 1000).toISOString() });
  });

  it('turns Stripe failing into 503 PAYMENT_UNAVAILABLE', async () => {
    answers.push({ status: 500, body: { error: { type: 'api_error', message: 'Something went wrong' } } });
    await expect(answer(createCheckoutSession(request()))).resolves.toMatchObject({ statusCode: 503, code: 'PAYMENT_UNAVAILABLE', headers: { 'retry-after': '30' } });
  });

  it('turns Stripe unreachable into 503 PAYMENT_UNAVAILABLE', async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', () => r()));
    const port = (closed.address() as { port: number }).port;
    await new Promise<void>((r) => closed.close(() => r()));
    process.env.STRIPE_API_BASE = `http://127.0.0.1:${port}`;
    await expect(answer(createCheckoutSession(request()))).resolves.toMatchObject({ statusCode: 503, code: 'PAYMENT_UNAVAILABLE', headers: { 'retry-after': '30' } });
  });

  it("keeps Stripe's refusal message (which may quote the student's e-mail) out of the error", async () => {
    answers.push({ status: 400, body: { error: { type: 'invalid_request_error', param: 'customer_email', message: 'Invalid email address: lea.martin@example.org' } } });
    const err = await createCheckoutSession(request()).catch((e: Error) => e);
    expect(err).toBeInstanceOf(Error);
    expect(err).not.toBeInstanceOf(AppError);
    expect(toKnownError(err)).toBeUndefined();
    expect((err as Error).message).toContain('customer_email');
    expect((err as Error).message).not.toContain('lea.martin');
  });

  it('turns an idempotency key reused with other parameters into 409 CONFLICT_RETRY', async () => {
    answers.push({ status: 400, body: { error: { type: 'idempotency_error', message: 'Keys for idempotent requests can only be used with the same parameters they were first used with.' } } });
    await expect(answer(createCheckoutSession(request()))).resolves.toMatchObject({ statusCode: 409, code: 'CONFLICT_RETRY' });
  });

  it('refuses an API base that is not this machine: the secret key would go there', async () => {
    process.env.STRIPE_API_BASE = 'http://stripe.attacker.example:8080';
    await expect(createCheckoutSession(request())).rejects.toThrow(/loopback/);
    expect(requests).toHaveLength(0);
  });
});

describe('retrieveCheckoutSession and expireCheckoutSession', () => {
  it('reads a session and its status', async () => {
    answers.push({ status: 200, body: session({ status: 'complete' }) });
    expect(await retrieveCheckoutSession('cs_test_rec')).toMatchObject({ id: 'cs_test_rec', status: 'complete' });
    expect(requests[0]).toMatchObject({ method: 'GET', path: '/v1/checkout/sessions/cs_test_rec' });
  });

  it('answers undefined for a session Stripe does not know', async () => {
    answers.push({ status: 404, body: { error: { type: 'invalid_request_error', code: 'resource_missing', message: "No such checkout.session: 'cs_gone'" } } });
    expect(await retrieveCheckoutSession('cs_gone')).toBeUndefined();
  });

  const notOpen = { status: 400, body: { error: { type: 'invalid_request_error', message: 'Only Checkout Sessions with a status of open can be expired.' } } };

  it('expires an open session', async () => {
    answers.push({ status: 200, body: session({ status: 'expired' }) });
    await expect(expireCheckoutSession('cs_test_rec')).resolves.toBe('expired');
    expect(requests).toMatchObject([{ method: 'POST', path: '/v1/checkout/sessions/cs_test_rec/expire' }]);
  });

  it('reads a session Stripe will not expire again: one paid meanwhile is complete, not expired', async () => {
    answers.push(notOpen, { status: 200, body: session({ status: 'complete' }) });
    await expect(expireCheckoutSession('cs_test_rec')).resolves.toBe('complete');
    expect(requests.map((r) => `${r.method} ${r.path}`)).toEqual(['POST /v1/checkout/sessions/cs_test_rec/expire', 'GET /v1/checkout/sessions/cs_test_rec']);

    answers.push(notOpen, { status: 200, body: session({ status: 'expired' }) });
    await expect(expireCheckoutSession('cs_test_rec')).resolves.toBe('expired');
  });

  it('takes a session Stripe does not know for closed', async () => {
    answers.push({ status: 404, body: { error: { type: 'invalid_request_error', code: 'resource_missing', message: "No such checkout.session: 'cs_gone'" } } });
    await expect(expireCheckoutSession('cs_gone')).resolves.toBe('expired');
    expect(requests).toHaveLength(1);
  });

  it('does not take a refusal for a closed session when the session is still open', async () => {
    answers.push({ status: 400, body: { error: { type: 'invalid_request_error', message: 'Something else.' } } }, { status: 200, body: session() });
    const err = await expireCheckoutSession('cs_test_rec').catch((e: Error) => e);
    expect(err).toBeInstanceOf(Error);
    expect(err).not.toBeInstanceOf(AppError);
    expect(toKnownError(err)).toBeUndefined();
    expect((err as Error).message).toMatch(/^Stripe refused checkout\.sessions\.expire/);
  });
});

describe('createRefund', () => {
  const refund = (over: Record<string, unknown> = {}) => ({ id: 're_rec', object: 'refund', amount: 15500, currency: 'eur', status: 'succeeded', payment_intent: 'pi_rec', ...over });
  const req = { dossierId: 'dossier-42', refundId: 'dossier-42#refund#1', paymentIntent: 'pi_rec', amountCents: 15500, idempotencyKey: 'refund-dossier-42#refund#1' };

  it("sends one form-encoded refund of the PaymentIntent, with our refund's id in the metadata and its idempotency key", async () => {
    answers.push({ status: 200, body: refund() });
    const created = await createRefund(req);
    expect(requests).toHaveLength(1);
    expect(requests[0]).toMatchObject({ method: 'POST', path: '/v1/refunds' });
    expect(requests[0]!.headers['idempotency-key']).toBe('refund-dossier-42#refund#1');
    expect(Object.fromEntries(requests[0]!.form)).toEqual({
      payment_intent: 'pi_rec',
      amount: '15500',
      reason: 'requested_by_customer',
      'metadata[dossierId]': 'dossier-42',
      'metadata[refundId]': 'dossier-42#refund#1',
    });
    expect(created).toEqual({ id: 're_rec', status: 'succeeded', amountCents: 15500 });
  });

  it.each([
    ['pending', 'pending'],
    ['requires_action', 'pending'],
    ['failed', 'failed'],
    ['canceled', 'failed'],
  ])("reads Stripe's status %s as %s", async (stripeStatus, status) => {
    answers.push({ status: 200, body: refund({ status: stripeStatus }) });
    expect((await createRefund(req)).status).toBe(status);
  });

  it('turns a refund Stripe refuses (already refunded, too large) into RefundRefusedError with its code', async () => {
    answers.push({ status: 400, body: { error: { type: 'invalid_request_error', code: 'charge_already_refunded', message: 'Charge ch_1 has already been refunded.' } } });
    const err = await createRefund(req).catch((e: Error) => e);
    expect(err).toBeInstanceOf(RefundRefusedError);
    expect((err as RefundRefusedError).code).toBe('charge_already_refunded');
  });

  it('turns Stripe failing into 503 PAYMENT_UNAVAILABLE, and a reused key into 409 CONFLICT_RETRY', async () => {
    answers.push({ status: 500, body: { error: { type: 'api_error', message: 'Something went wrong' } } });
    await expect(answer(createRefund(req))).resolves.toMatchObject({ statusCode: 503, code: 'PAYMENT_UNAVAILABLE' });
    answers.push({ status: 400, body: { error: { type: 'idempotency_error', message: 'Keys for idempotent requests can only be used with the same parameters.' } } });
    await expect(answer(createRefund(req))).resolves.toMatchObject({ statusCode: 409, code: 'CONFLICT_RETRY' });
  });
});

describe('verifyWebhookEvent', () => {
  const completed = (object: Record<string, unknown> = {}, type = 'checkout.session.completed') =>
    JSON.stringify({
      id: 'evt_rec_1',
      object: 'event',
      type,
      created: 1_782_900_000,
      data: {
        object: {
          id: 'cs_test_rec',
          object: 'checkout.session',
          client_reference_id: 'dossier-42',
          metadata: { dossierId: 'dossier-42', academicYear: '2026-2027' },
          amount_total: 17800,
          currency: 'eur',
          payment_status: 'paid',
          payment_intent: 'pi_rec',
          ...object,
        },
      },
    });
  const sign = (payload: string, o: { secret?: string; timestamp?: number } = {}) => Stripe.webhooks.generateTestHeaderString({ payload, secret: o.secret ?? WEBHOOK_SECRET, timestamp: o.timestamp });

  it('reads a correctly signed paid session as a domain event', async () => {
    const payload = completed();
    const verified = await verifyWebhookEvent(Buffer.from(payload), sign(payload));
    expect(verified).toEqual({
      id: 'evt_rec_1',
      type: 'checkout.session.completed',
      checkout: {
        dossierId: 'dossier-42',
        event: {
          eventId: 'evt_rec_1',
          kind: 'paid',
          checkoutSessionId: 'cs_test_rec',
          clientReferenceId: 'dossier-42',
          metadataDossierId: 'dossier-42',
          academicYear: '2026-2027',
          amountCents: 17800,
          currency: 'eur',
          reference: 'pi_rec',
          at: new Date(1_782_900_000 * 1000).toISOString(),
        },
      },
    });
  });

  it.each([
    ['checkout.session.completed', { payment_status: 'unpaid' }, 'processing'],
    ['checkout.session.async_payment_succeeded', {}, 'paid'],
    ['checkout.session.async_payment_failed', {}, 'failed'],
    ['checkout.session.expired', { payment_status: 'unpaid', payment_intent: null }, 'expired'],
  ])('%s (%j) → %s', async (type, object, kind) => {
    const payload = completed(object, type);
    expect((await verifyWebhookEvent(Buffer.from(payload), sign(payload))).checkout?.event.kind).toBe(kind);
  });

  const refundEvent = (type: string, object: Record<string, unknown> = {}) =>
    JSON.stringify({
      id: 'evt_ref_1',
      object: 'event',
      type,
      created: 1_782_900_000,
      data: { object: { id: 're_1', object: 'refund', amount: 15500, currency: 'eur', status: 'succeeded', metadata: { dossierId: 'dossier-42', refundId: 'dossier-42#refund#1' }, ...object } },
    });

  it.each([
    ['refund.created', {}, 'succeeded'],
    ['refund.updated', { status: 'pending' }, 'pending'],
    ['refund.updated', { status: 'failed', failure_reason: 'lost_or_stolen_card' }, 'failed'],
    ['refund.failed', { status: 'failed' }, 'failed'],
  ])('reads %s (%j) as a refund event: %s', async (type, object, status) => {
    const payload = refundEvent(type, object);
    const verified = await verifyWebhookEvent(Buffer.from(payload), sign(payload));
    expect(verified.refund).toEqual({
      dossierId: 'dossier-42',
      event: {
        eventId: 'evt_ref_1',
        refundId: 'dossier-42#refund#1',
        stripeRefundId: 're_1',
        status,
        amountCents: 15500,
        currency: 'eur',
        failureReason: (object as { failure_reason?: string }).failure_reason,
        at: new Date(1_782_900_000 * 1000).toISOString(),
      },
    });
    expect(verified.checkout).toBeUndefined();
  });

  it('leaves refunds that are not ours (made from the dashboard) and charge.refunded to nobody', async () => {
    const foreign = refundEvent('refund.created', { metadata: {} });
    expect((await verifyWebhookEvent(Buffer.from(foreign), sign(foreign))).refund).toBeUndefined();
    const charge = JSON.stringify({ id: 'evt_ch', object: 'event', type: 'charge.refunded', created: 1, data: { object: { id: 'ch_1', object: 'charge', metadata: { dossierId: 'dossier-42' } } } });
    expect((await verifyWebhookEvent(Buffer.from(charge), sign(charge))).refund).toBeUndefined();
  });

  it('leaves other events, and sessions that are not ours, to nobody', async () => {
    const other = JSON.stringify({ id: 'evt_x', object: 'event', type: 'charge.refunded', created: 1, data: { object: { id: 'ch_1' } } });
    expect(await verifyWebhookEvent(Buffer.from(other), sign(other))).toEqual({ id: 'evt_x', type: 'charge.refunded', checkout: undefined });
    const foreign = completed({ client_reference_id: null, metadata: {} });
    expect((await verifyWebhookEvent(Buffer.from(foreign), sign(foreign))).checkout).toBeUndefined();
  });

  it.each([
    ['a tampered body', (p: string) => ({ body: p.replace('17800', '100'), header: sign(p) })],
    ['a stale signature', (p: string) => ({ body: p, header: sign(p, { timestamp: Math.floor(Date.now() / 1000) - 301 }) })],
    ['another secret', (p: string) => ({ body: p, header: sign(p, { secret: 'whsec_someone_else' }) })],
    ['no signature', (p: string) => ({ body: p, header: undefined })],
    ['a garbage signature', (p: string) => ({ body: p, header: 't=1,v1=00' })],
  ])('refuses %s with 400 WEBHOOK_SIGNATURE_INVALID', async (_what, make) => {
    const { body, header } = make(completed());
    await expect(answer(verifyWebhookEvent(Buffer.from(body), header))).resolves.toMatchObject({ statusCode: 400, code: 'WEBHOOK_SIGNATURE_INVALID' });
  });
});
