/**
 * The Stripe adapter's instalment calls with the real SDK, pointed at a loopback recorder: the
 * exact requests (path, form, idempotency key) for the plan's Checkout session, the dossier's
 * Customer, the saved card's lookup and the off-session charges, and how a decline comes back.
 */
import Stripe from 'stripe';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createCheckoutSession, createCustomer, createOffSessionCharge, paymentMethodOf, verifyWebhookEvent } from '../../functions/adapters/stripe';
import { chargeIdempotencyKey } from '../../functions/domain/dossier';
import { stripeRecorder } from '../support/stripe-recorder';

interface Recorded {
  method: string;
  path: string;
  idempotencyKey?: string;
  form: Record<string, string>;
}

const SECRET_KEY = 'sk_test_instalments_0123456789';
const WEBHOOK_SECRET = 'whsec_instalments_0123456789';

const recorder = stripeRecorder<Recorded>({
  record: (req, body) => {
    const key = req.headers['idempotency-key'];
    return { method: req.method!, path: req.url!, ...(typeof key === 'string' ? { idempotencyKey: key } : {}), form: Object.fromEntries(new URLSearchParams(body)) };
  },
  fallback: () => ({ status: 200, body: {} }),
});
const { requests, answers } = recorder;

beforeAll(async () => {
  await recorder.start();
  Object.assign(process.env, { STRIPE_SECRET_KEY: SECRET_KEY, STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET });
});
afterAll(() => recorder.stop());
beforeEach(() => recorder.reset());

const pi = (over: Record<string, unknown> = {}) => ({ id: 'pi_rec', object: 'payment_intent', status: 'succeeded', amount: 5933, currency: 'eur', payment_method: 'pm_saved', ...over });

describe('the instalment plan through Stripe', () => {
  it('creates one Customer per dossier, under the dossier key', async () => {
    answers.push({ status: 200, body: { id: 'cus_rec', object: 'customer' } });
    await expect(createCustomer({ dossierId: 'd-42', academicYear: '2026-2027', email: 'lea@example.org' })).resolves.toBe('cus_rec');
    expect(requests).toEqual([
      { method: 'POST', path: '/v1/customers', idempotencyKey: 'customer-d-42', form: { email: 'lea@example.org', 'metadata[dossierId]': 'd-42', 'metadata[academicYear]': '2026-2027' } },
    ]);
  });

  it("opens the first part's Checkout session on the Customer, saving the card for off-session use", async () => {
    answers.push({ status: 200, body: { id: 'cs_rec', object: 'checkout.session', status: 'open', url: 'https://checkout.example/cs_rec', expires_at: 1_782_900_000 } });
    await createCheckoutSession({
      dossierId: 'd-42',
      academicYear: '2026-2027',
      amountCents: 5934,
      currency: 'EUR',
      description: 'Fees',
      customerEmail: 'lea@example.org',
      lang: 'auto',
      successUrl: 'https://x.example/ok',
      cancelUrl: 'https://x.example/ko',
      expiresAt: new Date(1_782_900_000_000),
      idempotencyKey: 'checkout-d-42-v3-instalments-1782900000',
      instalments: { customerId: 'cus_rec', n: 1 },
    });
    const [r] = requests;
    expect(r).toMatchObject({ method: 'POST', path: '/v1/checkout/sessions', idempotencyKey: 'checkout-d-42-v3-instalments-1782900000' });
    expect(r!.form).toMatchObject({
      customer: 'cus_rec',
      'payment_intent_data[setup_future_usage]': 'off_session',
      'payment_intent_data[metadata][plan]': 'instalments',
      'payment_intent_data[metadata][instalment]': '1',
      'metadata[instalment]': '1',
      'line_items[0][price_data][unit_amount]': '5934',
    });
    // Stripe refuses customer and customer_email together.
    expect(r!.form.customer_email).toBeUndefined();
  });

  it('reads the saved card from the PaymentIntent that paid a part', async () => {
    answers.push({ status: 200, body: pi({ id: 'pi_first', payment_method: 'pm_saved' }) });
    await expect(paymentMethodOf('pi_first')).resolves.toBe('pm_saved');
    expect(requests).toEqual([{ method: 'GET', path: '/v1/payment_intents/pi_first', form: {} }]);
  });

  const charge = (attempt: number) => ({
    dossierId: 'd-42',
    academicYear: '2026-2027',
    customerId: 'cus_rec',
    paymentMethodId: 'pm_saved',
    amountCents: 5933,
    currency: 'EUR' as const,
    n: 2,
    attempt,
    description: 'Fees 2/3',
    idempotencyKey: chargeIdempotencyKey('d-42', 2, attempt),
  });

  it('charges a due part off-session, confirmed, with one key per part and attempt', async () => {
    answers.push({ status: 200, body: pi({ id: 'pi_2a' }) });
    await expect(createOffSessionCharge(charge(1))).resolves.toEqual({ paymentIntentId: 'pi_2a', status: 'succeeded' });
    expect(requests).toEqual([
      {
        method: 'POST',
        path: '/v1/payment_intents',
        idempotencyKey: 'instalment-d-42-2-a1',
        form: {
          amount: '5933',
          currency: 'eur',
          customer: 'cus_rec',
          payment_method: 'pm_saved',
          off_session: 'true',
          confirm: 'true',
          'automatic_payment_methods[enabled]': 'true',
          'automatic_payment_methods[allow_redirects]': 'never',
          description: 'Fees 2/3',
          'metadata[kind]': 'instalment_charge',
          'metadata[dossierId]': 'd-42',
          'metadata[academicYear]': '2026-2027',
          'metadata[instalment]': '2',
          'metadata[attempt]': '1',
        },
      },
    ]);
  });

  it("answers a declined card with Stripe's PaymentIntent and decline code (a 402 is an answer, not a failure)", async () => {
    const failed = pi({ id: 'pi_2b', status: 'requires_payment_method', payment_method: null });
    answers.push({ status: 402, body: { error: { type: 'card_error', code: 'card_declined', decline_code: 'insufficient_funds', message: 'Declined', payment_intent: failed } } });
    await expect(createOffSessionCharge(charge(2))).resolves.toEqual({ paymentIntentId: 'pi_2b', status: 'declined', declineCode: 'insufficient_funds' });
    expect(requests[0]!.idempotencyKey).toBe('instalment-d-42-2-a2');
  });

  it('reads the signed outcome of an instalment charge, and ignores PaymentIntents that are not ours', async () => {
    const event = (object: Record<string, unknown>, type = 'payment_intent.payment_failed') => {
      const payload = JSON.stringify({ id: 'evt_rec', object: 'event', type, created: 1_785_916_800, data: { object } });
      return verifyWebhookEvent(Buffer.from(payload), Stripe.webhooks.generateTestHeaderString({ payload, secret: WEBHOOK_SECRET }));
    };
    const metadata = { kind: 'instalment_charge', dossierId: 'd-42', academicYear: '2026-2027', instalment: '2', attempt: '1' };
    const verified = await event(pi({ id: 'pi_2a', status: 'requires_payment_method', metadata, last_payment_error: { code: 'card_declined', decline_code: 'insufficient_funds' } }));
    expect(verified.charge).toEqual({
      dossierId: 'd-42',
      event: { eventId: 'evt_rec', outcome: 'failed', n: 2, attempt: 1, reference: 'pi_2a', amountCents: 5933, currency: 'eur', failureCode: 'insufficient_funds', at: '2026-08-05T08:00:00.000Z' },
    });
    // The Checkout session's own PaymentIntent (no `kind`) is the Checkout events' business.
    expect((await event(pi({ metadata: { dossierId: 'd-42', academicYear: '2026-2027' } }), 'payment_intent.succeeded')).charge).toBeUndefined();
  });
});
