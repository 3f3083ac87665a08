/**
 * The local Stripe stand-in's Refunds (never deployed), in Stripe's wire format:
 *   POST /v1/refunds       form-encoded `payment_intent`, `amount`, `reason`, `metadata[…]`;
 *                          Idempotency-Key honoured as Stripe does (same key and body: the first
 *                          answer again; same key, other body: `idempotency_error`)
 *   GET  /v1/refunds/:id
 * with Stripe's refusals: an unknown PaymentIntent (`resource_missing`), a charge already refunded
 * in full (`charge_already_refunded`), more than is left on it (`amount_too_large`).
 *
 * The events, as Stripe sends them for a card refund, signed by the stand-in's `deliver`, after
 * the API has answered (Stripe tells the webhook on its own time):
 *   - on creation: `refund.created` (the Refund, status `succeeded`: card refunds succeed at once
 *     in test mode) and `charge.refunded` (the Charge, `amount_refunded` updated);
 *   - when the bank fails it later (a charge marked with `failRefundsOf`, like Stripe's test card
 *     4000 0000 0000 5126): `refund.updated` then `refund.failed` (the Refund, status `failed`,
 *     `failure_reason`).
 * Stripe also sends the legacy `charge.refund.updated` for the latter; the service reads the
 * `refund.*` events only (functions/adapters/stripe.ts), so the stand-in leaves it out.
 */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export interface RefundObject {
  id: string;
  object: 'refund';
  amount: number;
  currency: string;
  payment_intent: string;
  charge: string;
  reason: string | null;
  status: 'pending' | 'succeeded' | 'failed' | 'canceled';
  failure_reason?: string;
  metadata: Record<string, string>;
  created: number;
}

/** What the stand-in knows of a payment that can be refunded. */
interface ChargeState {
  paymentIntent: string;
  charge: string;
  amount: number;
  currency: string;
  refunded: number;
  refundsFail: boolean;
}

/** An error as Stripe's API answers it: HTTP status, `error.type`, message and the other `error` fields. */
export class StripeApiError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    message: string,
    readonly extra: Record<string, string> = {},
  ) {
    super(message);
  }
}

const randomId = (prefix: string) => `${prefix}_${randomBytes(18).toString('base64url').replace(/[-_]/g, '0')}`;
const nowSeconds = () => Math.floor(Date.now() / 1000);

export interface RefundsDeps {
  /** Sends a signed event about `object` to the webhook (the stand-in's `deliver`). */
  deliver(type: string, object: Record<string, unknown>): Promise<unknown>;
  /** Keeps a background delivery awaited by `stop`. */
  track(p: Promise<unknown>): void;
  parseForm(body: string): Record<string, unknown>;
}

export function standinRefunds(deps: RefundsDeps) {
  const charges = new Map<string, ChargeState>();
  const refunds = new Map<string, RefundObject>();
  const idempotent = new Map<string, { body: string; answer: RefundObject }>();
  /** Every create request that reached the stand-in (idempotent replays included): what Stripe was asked. */
  const requests: { idempotencyKey: string | undefined; paymentIntent: string; amount: number; unavailable?: true }[] = [];
  /** Create requests still to answer with a 500 before doing anything (`failNextCreates`). */
  let unavailable = 0;

  const chargeObject = (c: ChargeState) => ({
    id: c.charge,
    object: 'charge',
    amount: c.amount,
    amount_refunded: c.refunded,
    currency: c.currency,
    payment_intent: c.paymentIntent,
    refunded: c.refunded >= c.amount,
    paid: true,
    status: 'succeeded',
  });

  async function afterCreate(c: ChargeState, refund: RefundObject) {
    await deps.deliver('refund.created', { ...refund });
    await deps.deliver('charge.refunded', chargeObject(c));
    if (!c.refundsFail) return;
    // The bank sends the money back: the refund fails and the amount is refundable again.
    Object.assign(refund, { status: 'failed', failure_reason: 'expired_or_canceled_card' });
    c.refunded -= refund.amount;
    await deps.deliver('refund.updated', { ...refund });
    await deps.deliver('refund.failed', { ...refund });
  }

  function create(req: IncomingMessage, body: string): RefundObject {
    const key = typeof req.headers['idempotency-key'] === 'string' ? req.headers['idempotency-key'] : undefined;
    const form = deps.parseForm(body);
    const paymentIntent = typeof form.payment_intent === 'string' ? form.payment_intent : '';
    const amountField = typeof form.amount === 'string' && /^\d+$/.test(form.amount) ? Number(form.amount) : undefined;
    if (unavailable > 0) {
      // Stripe down before the refund is made: nothing is created, nothing kept under the key.
      unavailable--;
      requests.push({ idempotencyKey: key, paymentIntent, amount: amountField ?? -1, unavailable: true });
      throw new StripeApiError(500, 'api_error', 'An unknown error occurred (the stand-in plays Stripe unavailable).');
    }
    requests.push({ idempotencyKey: key, paymentIntent, amount: amountField ?? -1 });
    const replay = key ? idempotent.get(key) : undefined;
    if (replay) {
      if (replay.body !== body) {
        throw new StripeApiError(
          400,
          'idempotency_error',
          `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${key}' if you meant to execute a different request.`,
        );
      }
      return replay.answer;
    }
    if (!paymentIntent) throw new StripeApiError(400, 'invalid_request_error', 'One of `charge` or `payment_intent` is required.', { param: 'payment_intent' });
    const c = charges.get(paymentIntent);
    if (!c) throw new StripeApiError(400, 'invalid_request_error', `No such payment_intent: '${paymentIntent}'`, { code: 'resource_missing', param: 'payment_intent' });
    if (form.amount !== undefined && (amountField === undefined || amountField < 1)) throw new StripeApiError(400, 'invalid_request_error', 'Invalid positive integer', { param: 'amount' });
    const left = c.amount - c.refunded;
    if (left <= 0) throw new StripeApiError(400, 'invalid_request_error', `Charge ${c.charge} has already been refunded.`, { code: 'charge_already_refunded' });
    const amount = amountField ?? left;
    if (amount > left) {
      throw new StripeApiError(400, 'invalid_request_error', `Refund amount (${amount}) is greater than unrefunded amount on charge (${left})`, { code: 'amount_too_large', param: 'amount' });
    }
    c.refunded += amount;
    const metadata = Object.fromEntries(Object.entries((form.metadata ?? {}) as Record<string, unknown>).filter((e): e is [string, string] => typeof e[1] === 'string'));
    const refund: RefundObject = {
      id: randomId('re_test'),
      object: 'refund',
      amount,
      currency: c.currency,
      payment_intent: c.paymentIntent,
      charge: c.charge,
      reason: typeof form.reason === 'string' ? form.reason : null,
      status: 'succeeded',
      metadata,
      created: nowSeconds(),
    };
    refunds.set(refund.id, refund);
    if (key) idempotent.set(key, { body, answer: { ...refund } });
    deps.track(afterCreate(c, refund));
    return refund;
  }

  return {
    /** `/v1/refunds…`: the answer, or undefined when the path is not a refunds path. */
    handle(req: IncomingMessage, pathname: string, body: string): RefundObject | undefined {
      const match = /^\/v1\/refunds(?:\/([^/]+))?$/.exec(pathname);
      if (!match) return undefined;
      if (req.method === 'POST' && !match[1]) return create(req, body);
      if (req.method === 'GET' && match[1]) {
        const r = refunds.get(match[1]);
        if (!r) throw new StripeApiError(404, 'invalid_request_error', `No such refund: '${match[1]}'`, { code: 'resource_missing', param: 'id' });
        return r;
      }
      return undefined;
    },
    /** A payment Stripe now holds (a Checkout session paid, an off-session PaymentIntent succeeded). */
    registerCharge(paymentIntent: string, amount: number, currency: string) {
      if (!charges.has(paymentIntent)) charges.set(paymentIntent, { paymentIntent, charge: randomId('ch_test'), amount, currency, refunded: 0, refundsFail: false });
    },
    /** Refunds of this payment fail after their creation (Stripe's test card 4000 0000 0000 5126). */
    failRefundsOf(paymentIntent: string) {
      const c = charges.get(paymentIntent);
      if (!c) throw new Error(`No such payment_intent: ${paymentIntent}`);
      c.refundsFail = true;
    },
    /**
     * The next `count` create requests fail with a 500 before any refund is made (Stripe
     * unavailable). The SDK retries a 500 once (functions/adapters/stripe.ts): one failed call is two requests.
     */
    failNextCreates(count: number) {
      unavailable = count;
    },
    /** Refunds made of a payment, as Stripe holds them. */
    refundsOf: (paymentIntent: string) => [...refunds.values()].filter((r) => r.payment_intent === paymentIntent),
    /** Create requests received (including idempotent replays). */
    requests: () => [...requests],
  };
}

export type StandinRefunds = ReturnType<typeof standinRefunds>;
