import Stripe from 'stripe';
import type { ChargeOutcome, CheckoutEvent, CheckoutSessionState, RefundEvent } from '../domain/dossier';
import type { Lang } from '../domain/messages/errors';
import { ENV, optionalEnv } from '../shared/env';
import { ConcurrentUpdateError, InvalidSignatureError, UpstreamUnavailableError } from '../shared/failures';
import { logger } from '../shared/logger';
import { recordStripeResponse } from '../shared/tracing';
import { stripeSecrets } from './secrets';

/**
 * Stripe, and the only module that imports its SDK: Checkout sessions and Refunds (the real SDK:
 * form-encoded requests, idempotency keys) and webhook verification (Stripe's own `constructEvent`).
 * On AWS requests go to Stripe. The local runtime and tests set STRIPE_API_BASE to a loopback
 * stand-in that speaks Stripe's wire format, so the very same code path runs there too.
 */

/** Stripe's own default: a signature older than five minutes is refused (replays). */
const SIGNATURE_TOLERANCE_SECONDS = 300;
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

function endpointOverride(): { host?: string; port?: number; protocol?: 'http' | 'https' } {
  const base = optionalEnv(ENV.stripeApiBase);
  if (!base) return {};
  const url = new URL(base);
  // Every request carries the secret key: it may go to Stripe or to this machine, nowhere else.
  if (!LOOPBACK.has(url.hostname)) throw new Error(`${ENV.stripeApiBase} must be a loopback address`);
  const protocol = url.protocol === 'https:' ? 'https' : 'http';
  return { host: url.hostname, port: Number(url.port || (protocol === 'https' ? 443 : 80)), protocol };
}

let cached: { fingerprint: string; client: Stripe } | undefined;

/** Built once per execution environment, after the secret is fetched; rebuilt only when the key rotates. */
async function client(): Promise<Stripe> {
  const { secretKey } = await stripeSecrets();
  const fingerprint = `${secretKey}|${optionalEnv(ENV.stripeApiBase) ?? ''}`;
  if (cached?.fingerprint !== fingerprint) {
    const stripe = new Stripe(secretKey, {
      ...endpointOverride(),
      // One retry fits the function's timeout; creations are safe to retry under their idempotency key.
      maxNetworkRetries: 1,
      timeout: 4000,
      telemetry: false,
      appInfo: { name: 'inscrire' },
    });
    // One X-Ray subsegment per Stripe request (functions/shared/tracing.ts).
    stripe.on('response', recordStripeResponse);
    cached = { fingerprint, client: stripe };
  }
  return cached.client;
}

const isMissing = (err: unknown) => err instanceof Stripe.errors.StripeInvalidRequestError && err.code === 'resource_missing';

/**
 * Stripe unreachable or failing → UpstreamUnavailableError (503 PAYMENT_UNAVAILABLE at the edge:
 * the student retries). An idempotency key already used with other parameters (a deployment
 * changed them between two attempts) → ConcurrentUpdateError (409 CONFLICT_RETRY): the key changes with the expiry minute, so a later retry goes through.
 * Any other refused request is our bug or a configuration error; Stripe's message may quote
 * what was sent (the student's e-mail), so only its codes travel on.
 */
function providerError(operation: string, err: unknown): Error {
  if (!(err instanceof Stripe.errors.StripeError)) return err as Error;
  if (err instanceof Stripe.errors.StripeIdempotencyError) {
    logger.warn('Stripe idempotency key reused with other parameters', { operation, requestId: err.requestId });
    return new ConcurrentUpdateError();
  }
  const transient =
    err instanceof Stripe.errors.StripeConnectionError || err instanceof Stripe.errors.StripeAPIError || err instanceof Stripe.errors.StripeRateLimitError || (err.statusCode ?? 0) >= 500;
  if (transient) {
    logger.warn('Stripe unavailable', { operation, type: err.type, statusCode: err.statusCode, requestId: err.requestId });
    return new UpstreamUnavailableError('stripe');
  }
  return new Error(`Stripe refused ${operation}: ${err.type}${err.code ? `/${err.code}` : ''}${err.param ? ` (param ${err.param})` : ''}, request ${err.requestId ?? '-'}`);
}

// ---------------------------------------------------------------------------------------------
// Checkout sessions

export interface CheckoutRequest {
  dossierId: string;
  academicYear: string;
  amountCents: number;
  currency: 'EUR';
  /** The line the student sees on the payment page. */
  description: string;
  customerEmail?: string;
  /** The page's language; `auto`: the browser's. */
  lang: Lang | 'auto';
  successUrl: string;
  cancelUrl: string;
  expiresAt: Date;
  /** Stripe replays the first answer for a repeated key: a retried request opens no second session. */
  idempotencyKey: string;
  /**
   * An instalment plan's payment: the dossier's Stripe Customer, whose card the session saves for
   * the later parts (charged off-session), and the part it pays (`metadata.instalment`).
   */
  instalments?: { customerId: string; n: number };
}

export interface CheckoutSession extends CheckoutSessionState {
  id: string;
  url: string | null;
}

function fromSession(s: Stripe.Checkout.Session): CheckoutSession {
  // Anything but open or complete (`null` from old API versions included) cannot be paid.
  const status = s.status === 'open' ? 'open' : s.status === 'complete' ? 'complete' : 'expired';
  return {
    id: s.id,
    url: s.url,
    status,
    expiresAt: new Date(s.expires_at * 1000).toISOString(),
  };
}

export async function createCheckoutSession(r: CheckoutRequest): Promise<CheckoutSession & { url: string }> {
  const stripe = await client();
  const metadata: Record<string, string> = { dossierId: r.dossierId, academicYear: r.academicYear, ...(r.instalments ? { plan: 'instalments', instalment: String(r.instalments.n) } : {}) };
  let session: Stripe.Checkout.Session;
  try {
    session = await stripe.checkout.sessions.create(
      {
        mode: 'payment',
        // SPEC: card payment online (a filter on Stripe's dynamic payment methods).
        allowed_payment_method_types: ['card'],
        line_items: [{ quantity: 1, price_data: { currency: r.currency.toLowerCase(), unit_amount: r.amountCents, product_data: { name: r.description } } }],
        client_reference_id: r.dossierId,
        metadata,
        // The payment itself carries the dossier too, for whoever looks it up in Stripe's dashboard.
        // On a plan the card is saved on the dossier's Customer for the later, off-session parts.
        payment_intent_data: r.instalments ? { metadata, setup_future_usage: 'off_session' } : { metadata },
        ...(r.instalments ? { customer: r.instalments.customerId } : { customer_email: r.customerEmail }),
        locale: r.lang,
        expires_at: Math.floor(r.expiresAt.getTime() / 1000),
        success_url: r.successUrl,
        cancel_url: r.cancelUrl,
      },
      { idempotencyKey: r.idempotencyKey },
    );
  } catch (err) {
    throw providerError('checkout.sessions.create', err);
  }
  if (!session.url) throw new Error('Stripe returned a Checkout session without a URL');
  return { ...fromSession(session), url: session.url };
}

/** @returns undefined when Stripe knows no such session. */
export async function retrieveCheckoutSession(id: string): Promise<CheckoutSession | undefined> {
  const stripe = await client();
  try {
    return fromSession(await stripe.checkout.sessions.retrieve(id));
  } catch (err) {
    if (isMissing(err)) return undefined;
    throw providerError('checkout.sessions.retrieve', err);
  }
}

/**
 * Closes an open session so it can no longer be paid. Stripe expires only open sessions: when it
 * refuses, the session is read again and its state answered — `complete` means it was paid in
 * the meantime. A session Stripe does not know can no more be paid than an expired one.
 */
export async function expireCheckoutSession(id: string): Promise<'expired' | 'complete'> {
  const stripe = await client();
  try {
    await stripe.checkout.sessions.expire(id);
    return 'expired';
  } catch (err) {
    if (isMissing(err)) return 'expired';
    if (!(err instanceof Stripe.errors.StripeInvalidRequestError)) throw providerError('checkout.sessions.expire', err);
    const latest = await retrieveCheckoutSession(id);
    if (latest?.status === 'open') throw providerError('checkout.sessions.expire', err);
    return latest?.status ?? 'expired';
  }
}

// ---------------------------------------------------------------------------------------------
// Instalments: the dossier's Customer, its saved card, off-session charges

/**
 * The dossier's Stripe Customer (one per dossier, holding the card saved for the later parts).
 * The key is the dossier's: concurrent or retried requests get the same Customer.
 */
export async function createCustomer(r: { dossierId: string; academicYear: string; email?: string }): Promise<string> {
  const stripe = await client();
  try {
    const customer = await stripe.customers.create({ email: r.email, metadata: { dossierId: r.dossierId, academicYear: r.academicYear } }, { idempotencyKey: `customer-${r.dossierId}` });
    return customer.id;
  } catch (err) {
    throw providerError('customers.create', err);
  }
}

/** The card a paid PaymentIntent used (saved on the Customer when the session asked for it). */
export async function paymentMethodOf(paymentIntentId: string): Promise<string | undefined> {
  const stripe = await client();
  try {
    const pi = await stripe.paymentIntents.retrieve(paymentIntentId);
    return typeof pi.payment_method === 'string' ? pi.payment_method : (pi.payment_method?.id ?? undefined);
  } catch (err) {
    if (isMissing(err)) return undefined;
    throw providerError('paymentIntents.retrieve', err);
  }
}

export interface OffSessionCharge {
  dossierId: string;
  academicYear: string;
  customerId: string;
  paymentMethodId: string;
  amountCents: number;
  currency: 'EUR';
  n: number;
  attempt: number;
  description: string;
  /** One per instalment and attempt (functions/domain/dossier/instalments.ts `chargeIdempotencyKey`). */
  idempotencyKey: string;
}

/** What Stripe answered; the outcome itself is applied from the signed webhook, never from here. */
export interface StartedCharge {
  paymentIntentId: string;
  status: 'succeeded' | 'processing' | 'declined';
  declineCode?: string;
}

/** The metadata that marks a PaymentIntent as an instalment charge of ours (read back by `chargeEvent`). */
const CHARGE_KIND = 'instalment_charge';

/**
 * Creates and confirms the off-session PaymentIntent of a due part. A declined card makes Stripe
 * answer 402 with the PaymentIntent it created (and send `payment_intent.payment_failed`): that
 * is an answer, not a failure of ours. The same key replays Stripe's first answer.
 */
export async function createOffSessionCharge(r: OffSessionCharge): Promise<StartedCharge> {
  const stripe = await client();
  const metadata = { kind: CHARGE_KIND, dossierId: r.dossierId, academicYear: r.academicYear, instalment: String(r.n), attempt: String(r.attempt) };
  try {
    const pi = await stripe.paymentIntents.create(
      {
        amount: r.amountCents,
        currency: r.currency.toLowerCase(),
        customer: r.customerId,
        payment_method: r.paymentMethodId,
        off_session: true,
        confirm: true,
        // No customer is there to follow a redirect: only methods that never need one.
        automatic_payment_methods: { enabled: true, allow_redirects: 'never' },
        description: r.description,
        metadata,
      },
      { idempotencyKey: r.idempotencyKey },
    );
    return { paymentIntentId: pi.id, status: pi.status === 'succeeded' ? 'succeeded' : 'processing' };
  } catch (err) {
    if (err instanceof Stripe.errors.StripeCardError && err.payment_intent?.id) {
      return { paymentIntentId: err.payment_intent.id, status: 'declined', declineCode: err.decline_code ?? err.code };
    }
    throw providerError('paymentIntents.create', err);
  }
}

// ---------------------------------------------------------------------------------------------
// Refunds

export interface RefundRequest {
  dossierId: string;
  /** Ours (functions/domain/dossier/withdrawal.ts): carried in the metadata, so its events find it. */
  refundId: string;
  /** The payment to refund (a PaymentIntent). */
  paymentIntent: string;
  amountCents: number;
  /**
   * One key per refund (never per attempt): a retried or concurrent request for the same refund
   * gets Stripe's first answer back, so the student is refunded once.
   */
  idempotencyKey: string;
}

export interface CreatedRefund {
  id: string;
  status: RefundEvent['status'];
  amountCents: number;
}

/** A refund Stripe will not make (already refunded, more than is left on the charge…): not worth retrying. */
export class RefundRefusedError extends Error {
  constructor(readonly code: string) {
    super(`Stripe refused the refund: ${code}`);
    this.name = 'RefundRefusedError';
  }
}

/** Stripe's refund statuses in the domain's terms (`requires_action`: waiting on the bank, like pending). */
function refundStatus(s: string | null): RefundEvent['status'] {
  if (s === 'succeeded') return 'succeeded';
  if (s === 'failed' || s === 'canceled') return 'failed';
  return 'pending';
}

export async function createRefund(r: RefundRequest): Promise<CreatedRefund> {
  const stripe = await client();
  let refund: Stripe.Refund;
  try {
    refund = await stripe.refunds.create(
      {
        payment_intent: r.paymentIntent,
        amount: r.amountCents,
        reason: 'requested_by_customer',
        metadata: { dossierId: r.dossierId, refundId: r.refundId },
      },
      { idempotencyKey: r.idempotencyKey },
    );
  } catch (err) {
    if (err instanceof Stripe.errors.StripeInvalidRequestError && !(err instanceof Stripe.errors.StripeIdempotencyError)) {
      throw new RefundRefusedError(err.code ?? err.type);
    }
    throw providerError('refunds.create', err);
  }
  return { id: refund.id, status: refundStatus(refund.status), amountCents: refund.amount };
}

// ---------------------------------------------------------------------------------------------
// Webhook

export interface VerifiedEvent {
  id: string;
  type: string;
  /** Set for the Checkout events this service acts on, when the session is one of ours. */
  checkout?: { event: CheckoutEvent; dossierId: string };
  /** Set for the outcome of an off-session instalment charge of ours. */
  charge?: { event: ChargeOutcome; dossierId: string };
  /** Set for the refund events this service acts on, when the refund is one of ours. */
  refund?: { event: RefundEvent; dossierId: string };
}

/** The answer to anything that is not a fresh event signed with our webhook secret. */
const invalidSignature = () => new InvalidSignatureError();

/** Verifies the raw body against the `Stripe-Signature` header (HMAC, timestamp tolerance) and reads it. */
export async function verifyWebhookEvent(rawBody: Buffer, signature: string | undefined): Promise<VerifiedEvent> {
  if (!signature) throw invalidSignature();
  // Stripe's check refuses stale signatures only: one dated in the future beyond the same
  // tolerance (a replay prepared in advance, or a skewed clock) is refused too.
  const timestamp = Number(/(?:^|,)t=(\d+)(?:,|$)/.exec(signature)?.[1]);
  if (!Number.isFinite(timestamp) || timestamp > Date.now() / 1000 + SIGNATURE_TOLERANCE_SECONDS) throw invalidSignature();
  const { webhookSecret } = await stripeSecrets();
  let event: Stripe.Event;
  try {
    event = Stripe.webhooks.constructEvent(rawBody, signature, webhookSecret, SIGNATURE_TOLERANCE_SECONDS);
  } catch (err) {
    if (err instanceof Stripe.errors.StripeSignatureVerificationError) throw invalidSignature();
    throw err;
  }
  const refund = refundEvent(event);
  return { id: event.id, type: event.type, checkout: checkoutEvent(event), charge: chargeEvent(event), ...(refund ? { refund } : {}) };
}

/** `payment_intent.succeeded` / `payment_intent.payment_failed` of an instalment charge (its metadata); others are not ours to read. */
function chargeEvent(event: Stripe.Event): VerifiedEvent['charge'] {
  if (event.type !== 'payment_intent.succeeded' && event.type !== 'payment_intent.payment_failed') return undefined;
  const pi = event.data.object;
  const m = pi.metadata ?? {};
  const n = Number(m.instalment);
  const attempt = Number(m.attempt);
  if (m.kind !== CHARGE_KIND || !m.dossierId || !Number.isInteger(n) || n < 1 || !Number.isInteger(attempt) || attempt < 1) return undefined;
  const failureCode = pi.last_payment_error?.decline_code ?? pi.last_payment_error?.code;
  return {
    dossierId: m.dossierId,
    event: {
      eventId: event.id,
      outcome: event.type === 'payment_intent.succeeded' ? 'succeeded' : 'failed',
      n,
      attempt,
      reference: pi.id,
      amountCents: event.type === 'payment_intent.succeeded' ? pi.amount_received || pi.amount : pi.amount,
      currency: pi.currency,
      ...(event.type === 'payment_intent.payment_failed' && failureCode ? { failureCode } : {}),
      at: new Date(event.created * 1000).toISOString(),
    },
  };
}

/**
 * Stripe sends, for a card refund, `refund.created` and `charge.refunded` when it is made, then
 * `refund.updated` (and `refund.failed`) if the bank later fails it. The `refund.*` events carry
 * the Refund itself, with our metadata and its status: those are read; `charge.refunded`
 * carries the charge (Stripe's own advice is to listen to `refund.created` instead) and is left.
 */
const REFUND_EVENTS = new Set(['refund.created', 'refund.updated', 'refund.failed']);

function refundEvent(event: Stripe.Event): VerifiedEvent['refund'] {
  if (!REFUND_EVENTS.has(event.type)) return undefined;
  const r = event.data.object as Stripe.Refund;
  const dossierId = r.metadata?.dossierId;
  const refundId = r.metadata?.refundId;
  // Refunds made from Stripe's dashboard or by anything else are not ours to judge.
  if (!dossierId || !refundId) return undefined;
  return {
    dossierId,
    event: {
      eventId: event.id,
      refundId,
      stripeRefundId: r.id,
      status: event.type === 'refund.failed' ? 'failed' : refundStatus(r.status),
      amountCents: r.amount,
      currency: r.currency,
      failureReason: r.failure_reason ?? undefined,
      at: new Date(event.created * 1000).toISOString(),
    },
  };
}

function checkoutEvent(event: Stripe.Event): VerifiedEvent['checkout'] {
  let kind: CheckoutEvent['kind'];
  switch (event.type) {
    case 'checkout.session.completed':
      // Card payments are paid on completion; an asynchronous method settles later.
      kind = event.data.object.payment_status === 'unpaid' ? 'processing' : 'paid';
      break;
    case 'checkout.session.async_payment_succeeded':
      kind = 'paid';
      break;
    case 'checkout.session.async_payment_failed':
      kind = 'failed';
      break;
    case 'checkout.session.expired':
      kind = 'expired';
      break;
    default:
      return undefined;
  }
  const s = event.data.object;
  const metadataDossierId = s.metadata?.dossierId ?? null;
  const dossierId = s.client_reference_id ?? metadataDossierId;
  // Sessions opened by anything else on the same Stripe account are not ours to judge.
  if (!dossierId) return undefined;
  const paymentIntent = typeof s.payment_intent === 'string' ? s.payment_intent : s.payment_intent?.id;
  return {
    dossierId,
    event: {
      eventId: event.id,
      kind,
      checkoutSessionId: s.id,
      clientReferenceId: s.client_reference_id,
      metadataDossierId,
      academicYear: s.metadata?.academicYear ?? null,
      amountCents: s.amount_total,
      currency: s.currency,
      reference: paymentIntent ?? s.id,
      at: new Date(event.created * 1000).toISOString(),
      ...(Number(s.metadata?.instalment) > 1 ? { instalment: Number(s.metadata!.instalment) } : {}),
    },
  };
}
