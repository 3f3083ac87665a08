/**
 * The local runtime's Stripe (never deployed). A loopback server speaking just enough of
 * Stripe's API, in its wire format, for Checkout:
 *   POST /v1/checkout/sessions            form-encoded, Idempotency-Key honoured as Stripe does
 *   GET  /v1/checkout/sessions/:id
 *   POST /v1/checkout/sessions/:id/expire
 *   POST /v1/customers, GET /v1/customers/:id
 *   POST /v1/payment_intents (off-session, confirmed), GET /v1/payment_intents/:id
 *   POST /v1/refunds, GET /v1/refunds/:id   (./stripe-refunds.ts, with the refund events)
 * so the service's real adapter — the Stripe SDK itself — runs locally and in tests (STRIPE_API_BASE).
 * Stripe's side of the payment lives here too: `pay` completes a session and delivers a
 * `checkout.session.completed` event signed with Stripe's own helper and the local webhook
 * secret, so the webhook's real verification runs. The hosted page that calls it is
 * checkout-page.ts (`/dev/checkout/{id}`). State is in memory: after a restart the service
 * finds its recorded sessions gone (404) and opens new ones, as it would for any lost session.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import Stripe from 'stripe';
import { StripeApiError, standinRefunds, type StandinRefunds } from './stripe-refunds';

export interface StandinOptions {
  /** The hosted checkout page of a session (the `url` Stripe returns). */
  checkoutPageUrl(sessionId: string): string;
  /** Where events are delivered: the local API Gateway's webhook route. */
  webhookUrl(): string;
  webhookSecret(): string;
  /** The API key the service must send (Authorization: Bearer …). */
  secretKey(): string;
}

export interface LineItem {
  name: string;
  unitAmount: number;
  quantity: number;
}

/** A Checkout session as Stripe's API returns it (the fields the service and the page use). */
export interface SessionObject {
  id: string;
  object: 'checkout.session';
  mode: 'payment';
  status: 'open' | 'complete' | 'expired';
  payment_status: 'unpaid' | 'paid';
  amount_subtotal: number;
  amount_total: number;
  currency: string;
  client_reference_id: string | null;
  customer_email: string | null;
  metadata: Record<string, string>;
  locale: string | null;
  created: number;
  expires_at: number;
  success_url: string;
  cancel_url: string | null;
  url: string | null;
  payment_intent: string | null;
  customer: string | null;
  livemode: false;
}

/** The cards a local payer may use: `declines_later` pays the session, then declines every off-session charge. */
export type LocalCard = 'succeeds' | 'declines_later';

/** A PaymentIntent as Stripe's API returns it (the fields the service reads). */
export interface PaymentIntentObject {
  id: string;
  object: 'payment_intent';
  amount: number;
  amount_received: number;
  currency: string;
  customer: string | null;
  payment_method: string | null;
  status: 'succeeded' | 'requires_payment_method';
  setup_future_usage: string | null;
  off_session?: boolean;
  metadata: Record<string, string>;
  last_payment_error: { type: string; code: string; decline_code: string; message: string } | null;
  created: number;
  livemode: false;
}

/** A request the service made, for tests asserting the exact calls (never the secret key). */
export interface RecordedCall {
  method: string;
  path: string;
  idempotencyKey?: string;
  /** The form as sent. */
  form: Record<string, unknown>;
}

export interface Delivery {
  eventId: string;
  type: string;
  /** The exact bytes sent and their signature, for replaying the event. */
  payload: string;
  signature: string;
  /** The webhook's HTTP status (0: unreachable). */
  status: number;
}

export interface StripeStandin {
  /** STRIPE_API_BASE. */
  apiBase: string;
  /** The session as Stripe would return it now, with its line items; undefined if unknown. */
  find(id: string): { session: SessionObject; lineItems: LineItem[]; deliveries: Delivery[] } | undefined;
  /** Completes an open session as paid (with `card`, saved on its Customer when asked) and delivers the signed event. */
  pay(id: string, card?: LocalCard): Promise<{ session: SessionObject; delivery: Delivery }>;
  /** Every PaymentIntent, oldest first, with the events delivered about it. */
  paymentIntents(): { paymentIntent: PaymentIntentObject; deliveries: Delivery[] }[];
  /** Every API request received, oldest first. */
  calls(): RecordedCall[];
  /** Refunds (./stripe-refunds.ts): what Stripe holds and was asked, and a bank failing them. */
  refunds: StandinRefunds;
  /** Every event delivered, oldest first (to replay one, or count them). */
  deliveries(): Delivery[];
  /** Waits for the events still being delivered in the background. */
  settle(): Promise<void>;
  stop(): Promise<void>;
}

const nowSeconds = () => Math.floor(Date.now() / 1000);
const randomId = (prefix: string) => `${prefix}_${randomBytes(18).toString('base64url').replace(/[-_]/g, '0')}`;
const invalid = (message: string, param?: string) => new StripeApiError(400, 'invalid_request_error', message, param ? { param } : {});

/** Stripe's bracket notation (`line_items[0][price_data][currency]=eur`) to nested objects. */
export function parseStripeForm(body: string): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  for (const [key, value] of new URLSearchParams(body)) {
    const path = key.replace(/\]/g, '').split('[');
    if (path.some((k) => k === '__proto__' || k === 'constructor' || k === 'prototype')) continue;
    let node = root as Record<string, unknown>;
    path.forEach((k, i) => {
      if (i === path.length - 1) node[k] = value;
      else node = (node[k] ??= /^\d+$/.test(path[i + 1]!) ? [] : {}) as Record<string, unknown>;
    });
  }
  return root;
}

type Form = Record<string, unknown>;
const str = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);
const int = (v: unknown) => (typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : undefined);

/** The checks Stripe makes on what the service sends (those a mistake of ours could trip). */
function newSession(form: Form, pageUrl: (id: string) => string): { session: SessionObject; lineItems: LineItem[] } {
  if (form.mode !== 'payment') throw invalid('This stand-in only supports mode=payment.', 'mode');
  const rawItems = Array.isArray(form.line_items) ? (form.line_items as Form[]) : [];
  if (rawItems.length === 0) throw invalid('line_items is required in payment mode.', 'line_items');
  const currencies = new Set<string>();
  const lineItems = rawItems.map((item, i) => {
    const price = (item.price_data ?? {}) as Form;
    const product = (price.product_data ?? {}) as Form;
    const currency = str(price.currency);
    const unitAmount = int(price.unit_amount);
    const name = str(product.name);
    const quantity = int(item.quantity);
    if (!currency || !/^[a-z]{3}$/.test(currency)) throw invalid('A lowercase ISO currency is required.', `line_items[${i}][price_data][currency]`);
    if (unitAmount === undefined) throw invalid('unit_amount must be a non-negative integer.', `line_items[${i}][price_data][unit_amount]`);
    if (!name) throw invalid('product_data.name is required.', `line_items[${i}][price_data][product_data][name]`);
    if (!quantity) throw invalid('quantity must be a positive integer.', `line_items[${i}][quantity]`);
    currencies.add(currency);
    return { name, unitAmount, quantity };
  });
  if (currencies.size !== 1) throw invalid('All line items must share one currency.', 'line_items');
  const successUrl = str(form.success_url);
  if (!successUrl) throw invalid('success_url is required.', 'success_url');
  const created = nowSeconds();
  const expiresAt = form.expires_at === undefined ? created + 24 * 3600 : int(form.expires_at);
  if (expiresAt === undefined || expiresAt < created + 30 * 60 || expiresAt > created + 24 * 3600) {
    throw invalid('The Checkout Session must expire between 30 minutes and 24 hours after its creation.', 'expires_at');
  }
  const amount = lineItems.reduce((sum, l) => sum + l.unitAmount * l.quantity, 0);
  const id = randomId('cs_test');
  const session: SessionObject = {
    id,
    object: 'checkout.session',
    mode: 'payment',
    status: 'open',
    payment_status: 'unpaid',
    amount_subtotal: amount,
    amount_total: amount,
    currency: [...currencies][0]!,
    client_reference_id: str(form.client_reference_id) ?? null,
    customer_email: str(form.customer_email) ?? null,
    metadata: Object.fromEntries(Object.entries((form.metadata ?? {}) as Form).filter((e): e is [string, string] => typeof e[1] === 'string')),
    locale: str(form.locale) ?? null,
    created,
    expires_at: expiresAt,
    success_url: successUrl,
    cancel_url: str(form.cancel_url) ?? null,
    url: pageUrl(id),
    payment_intent: null,
    customer: str(form.customer) ?? null,
    livemode: false,
  };
  if (session.customer && session.customer_email) throw invalid('You may only specify one of these parameters: customer, customer_email.', 'customer');
  return { session, lineItems };
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function send(res: ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { 'content-type': 'application/json', 'request-id': randomId('req') });
  res.end(JSON.stringify(body));
}

type Deliveries = Delivery[];

export async function startStripeStandin(options: StandinOptions): Promise<StripeStandin> {
  const sessions = new Map<string, { session: SessionObject; lineItems: LineItem[]; deliveries: Deliveries; intentData: { metadata: Record<string, string>; setupFutureUsage: string | null } }>();
  const customers = new Map<string, { id: string; object: 'customer'; email: string | null; metadata: Record<string, string>; created: number; livemode: false }>();
  /** Saved cards: which Customer holds them (null: used once, not saved), and how they behave. */
  const paymentMethods = new Map<string, { customer: string | null; card: LocalCard }>();
  const intents = new Map<string, { paymentIntent: PaymentIntentObject; deliveries: Deliveries }>();
  /** Idempotency key → the request it first came with and the answer given (errors included, as Stripe replays them). */
  const idempotent = new Map<string, { path: string; body: string; status: number; answer: unknown }>();
  const callLog: RecordedCall[] = [];
  const inFlight = new Set<Promise<unknown>>();

  /** What Stripe would say now: an open session past its expiry is expired. */
  const current = (id: string) => {
    const entry = sessions.get(id);
    if (entry?.session.status === 'open' && nowSeconds() >= entry.session.expires_at) entry.session.status = 'expired';
    return entry;
  };

  const delivered: Delivery[] = [];
  const track = (pending: Promise<unknown>) => {
    inFlight.add(pending);
    void pending.finally(() => inFlight.delete(pending));
  };

  /** Delivers an event about a session or a PaymentIntent, kept with it (`sink`) and in the list of every delivery. */
  async function deliver(type: string, object: SessionObject | PaymentIntentObject, sink: Deliveries | undefined): Promise<Delivery> {
    const delivery = await deliverObject(type, { ...object });
    sink?.push(delivery);
    return delivery;
  }

  async function deliverObject(type: string, object: Record<string, unknown>): Promise<Delivery> {
    const event = {
      id: randomId('evt_test'),
      object: 'event',
      api_version: Stripe.API_VERSION,
      created: nowSeconds(),
      data: { object },
      livemode: false,
      pending_webhooks: 1,
      request: { id: null, idempotency_key: null },
      type,
    };
    const payload = JSON.stringify(event, null, 2);
    const signature = Stripe.webhooks.generateTestHeaderString({ payload, secret: options.webhookSecret() });
    let status = 0;
    try {
      const res = await fetch(options.webhookUrl(), {
        method: 'POST',
        headers: { 'content-type': 'application/json; charset=utf-8', 'stripe-signature': signature, 'user-agent': 'Stripe/1.0 (+https://stripe.com/docs/webhooks)' },
        body: payload,
      });
      status = res.status;
      await res.arrayBuffer();
    } catch {
      status = 0;
    }
    const delivery = { eventId: event.id, type, payload, signature, status };
    delivered.push(delivery);
    return delivery;
  }

  const refunds = standinRefunds({ deliver: deliverObject, track, parseForm: parseStripeForm });

  /** Stripe tells the webhook on its own time, not within the API call. */
  function deliverLater(type: string, object: SessionObject | PaymentIntentObject, sink: Deliveries) {
    track(deliver(type, object, sink));
  }

  /** Runs `make` once per idempotency key; a repeat gets the first answer, another body under the key an error. */
  function idempotently(req: IncomingMessage, path: string, body: string, make: () => { status: number; answer: unknown }): { status: number; answer: unknown } {
    const key = req.headers['idempotency-key'];
    const replay = typeof key === 'string' ? idempotent.get(key) : undefined;
    if (replay) {
      if (replay.body !== body || replay.path !== path) {
        throw new StripeApiError(
          400,
          'idempotency_error',
          `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${key}' if you meant to execute a different request.`,
        );
      }
      return replay;
    }
    let result: { status: number; answer: unknown };
    try {
      result = make();
    } catch (err) {
      // Stripe stores the answer of a request that failed its checks too.
      if (!(err instanceof StripeApiError)) throw err;
      result = { status: err.status, answer: { error: { type: err.type, message: err.message, ...err.extra } } };
    }
    if (typeof key === 'string') idempotent.set(key, { path, body, ...result });
    return result;
  }

  function createSession(form: Form): SessionObject {
    const entry = newSession(form, options.checkoutPageUrl);
    if (entry.session.customer && !customers.has(entry.session.customer)) throw invalid(`No such customer: '${entry.session.customer}'`, 'customer');
    const data = (form.payment_intent_data ?? {}) as Form;
    const setupFutureUsage = str(data.setup_future_usage) ?? null;
    if (setupFutureUsage && setupFutureUsage !== 'off_session' && setupFutureUsage !== 'on_session') throw invalid('Invalid setup_future_usage.', 'payment_intent_data[setup_future_usage]');
    const metadata = Object.fromEntries(Object.entries((data.metadata ?? {}) as Form).filter((e): e is [string, string] => typeof e[1] === 'string'));
    sessions.set(entry.session.id, { ...entry, deliveries: [], intentData: { metadata, setupFutureUsage } });
    return { ...entry.session };
  }

  function createCustomer(form: Form) {
    const customer = {
      id: randomId('cus_test'),
      object: 'customer' as const,
      email: str(form.email) ?? null,
      metadata: Object.fromEntries(Object.entries((form.metadata ?? {}) as Form).filter((e): e is [string, string] => typeof e[1] === 'string')),
      created: nowSeconds(),
      livemode: false as const,
    };
    customers.set(customer.id, customer);
    return customer;
  }

  /** An off-session, confirmed PaymentIntent on a saved card: the only kind the service creates. */
  function createIntent(form: Form): { status: number; answer: unknown } {
    const amount = int(form.amount);
    const currency = str(form.currency);
    const customer = str(form.customer);
    const pm = str(form.payment_method);
    if (!amount) throw invalid('amount must be a positive integer.', 'amount');
    if (!currency || !/^[a-z]{3}$/.test(currency)) throw invalid('A lowercase ISO currency is required.', 'currency');
    if (form.confirm !== 'true' || form.off_session !== 'true') throw invalid('This stand-in only creates confirmed off-session PaymentIntents.', 'confirm');
    if (!customer || !customers.has(customer)) throw invalid(`No such customer: '${customer}'`, 'customer');
    const card = pm ? paymentMethods.get(pm) : undefined;
    if (!pm || !card) throw invalid(`No such PaymentMethod: '${pm}'`, 'payment_method');
    if (card.customer !== customer) {
      throw invalid('The provided PaymentMethod was previously used with a PaymentIntent without Customer attachment, or is attached to another Customer.', 'payment_method');
    }
    const declined = card.card === 'declines_later';
    const paymentIntent: PaymentIntentObject = {
      id: randomId('pi_test'),
      object: 'payment_intent',
      amount,
      amount_received: declined ? 0 : amount,
      currency,
      customer,
      payment_method: declined ? null : pm,
      status: declined ? 'requires_payment_method' : 'succeeded',
      setup_future_usage: null,
      off_session: true,
      metadata: Object.fromEntries(Object.entries((form.metadata ?? {}) as Form).filter((e): e is [string, string] => typeof e[1] === 'string')),
      last_payment_error: declined ? { type: 'card_error', code: 'card_declined', decline_code: 'insufficient_funds', message: 'Your card has insufficient funds.' } : null,
      created: nowSeconds(),
      livemode: false,
    };
    const entry = { paymentIntent, deliveries: [] as Deliveries };
    intents.set(paymentIntent.id, entry);
    if (!declined) refunds.registerCharge(paymentIntent.id, amount, currency);
    deliverLater(declined ? 'payment_intent.payment_failed' : 'payment_intent.succeeded', paymentIntent, entry.deliveries);
    if (!declined) return { status: 200, answer: paymentIntent };
    return {
      status: 402,
      answer: { error: { type: 'card_error', code: 'card_declined', decline_code: 'insufficient_funds', message: 'Your card has insufficient funds.', payment_intent: paymentIntent } },
    };
  }

  function expire(id: string): SessionObject {
    const entry = current(id);
    if (!entry) throw new StripeApiError(404, 'invalid_request_error', `No such checkout.session: '${id}'`, { code: 'resource_missing', param: 'session' });
    if (entry.session.status !== 'open') throw invalid('Only Checkout Sessions with a status of open can be expired.');
    entry.session.status = 'expired';
    deliverLater('checkout.session.expired', entry.session, entry.deliveries);
    return entry.session;
  }

  const missing = (kind: string, id: string, param: string) => new StripeApiError(404, 'invalid_request_error', `No such ${kind}: '${id}'`, { code: 'resource_missing', param });

  const server = createServer((req, res) => {
    void (async () => {
      try {
        if (req.headers.authorization !== `Bearer ${options.secretKey()}`) {
          throw new StripeApiError(401, 'invalid_request_error', 'Invalid API Key provided.');
        }
        const url = new URL(req.url ?? '/', 'http://stripe.local');
        const body = await readBody(req);
        const key = req.headers['idempotency-key'];
        const form = parseStripeForm(body);
        callLog.push({ method: req.method ?? '', path: url.pathname, ...(typeof key === 'string' ? { idempotencyKey: key } : {}), form });
        const answer = (r: { status: number; answer: unknown }) => send(res, r.status, r.answer);
        const match = /^\/v1\/checkout\/sessions(?:\/([^/]+))?(\/expire)?$/.exec(url.pathname);
        if (match && req.method === 'POST' && !match[1]) return answer(idempotently(req, url.pathname, body, () => ({ status: 200, answer: createSession(form) })));
        if (match && req.method === 'GET' && match[1] && !match[2]) {
          const entry = current(match[1]);
          if (!entry) throw missing('checkout.session', match[1], 'session');
          return send(res, 200, entry.session);
        }
        if (match && req.method === 'POST' && match[1] && match[2]) return send(res, 200, expire(match[1]));
        if (url.pathname === '/v1/customers' && req.method === 'POST') return answer(idempotently(req, url.pathname, body, () => ({ status: 200, answer: createCustomer(form) })));
        const customer = /^\/v1\/customers\/([^/]+)$/.exec(url.pathname);
        if (customer && req.method === 'GET') {
          const found = customers.get(customer[1]!);
          if (!found) throw missing('customer', customer[1]!, 'id');
          return send(res, 200, found);
        }
        if (url.pathname === '/v1/payment_intents' && req.method === 'POST') return answer(idempotently(req, url.pathname, body, () => createIntent(form)));
        const intent = /^\/v1\/payment_intents\/([^/]+)$/.exec(url.pathname);
        if (intent && req.method === 'GET') {
          const found = intents.get(intent[1]!);
          if (!found) throw missing('payment_intent', intent[1]!, 'intent');
          return send(res, 200, found.paymentIntent);
        }
        const refund = refunds.handle(req, url.pathname, body);
        if (refund) return send(res, 200, refund);
        throw new StripeApiError(
          404,
          'invalid_request_error',
          `Unrecognized request URL (${req.method}: ${url.pathname}). This stand-in implements Checkout sessions, customers, off-session payment intents and refunds.`,
        );
      } catch (err) {
        if (err instanceof StripeApiError) return send(res, err.status, { error: { type: err.type, message: err.message, ...err.extra } });
        send(res, 500, { error: { type: 'api_error', message: (err as Error).message } });
      }
    })();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as { port: number };

  return {
    apiBase: `http://127.0.0.1:${port}`,
    find: (id) => current(id),
    async pay(id, card = 'succeeds') {
      const entry = current(id);
      if (!entry) throw new StripeApiError(404, 'invalid_request_error', `No such checkout.session: '${id}'`);
      if (entry.session.status !== 'open') throw invalid(`This Checkout Session is ${entry.session.status}: it can no longer be paid.`);
      // The card the payer typed; saved on the session's Customer when the session asked for it.
      const pm = randomId('pm_test');
      const saved = entry.session.customer && entry.intentData.setupFutureUsage ? entry.session.customer : null;
      paymentMethods.set(pm, { customer: saved, card });
      const paymentIntent: PaymentIntentObject = {
        id: randomId('pi_test'),
        object: 'payment_intent',
        amount: entry.session.amount_total,
        amount_received: entry.session.amount_total,
        currency: entry.session.currency,
        customer: entry.session.customer,
        payment_method: pm,
        status: 'succeeded',
        setup_future_usage: entry.intentData.setupFutureUsage,
        metadata: entry.intentData.metadata,
        last_payment_error: null,
        created: nowSeconds(),
        livemode: false,
      };
      intents.set(paymentIntent.id, { paymentIntent, deliveries: [] });
      refunds.registerCharge(paymentIntent.id, paymentIntent.amount, paymentIntent.currency);
      Object.assign(entry.session, { status: 'complete', payment_status: 'paid', payment_intent: paymentIntent.id });
      return { session: entry.session, delivery: await deliver('checkout.session.completed', entry.session, entry.deliveries) };
    },
    paymentIntents: () => [...intents.values()],
    calls: () => [...callLog],
    refunds,
    deliveries: () => [...delivered],
    async settle() {
      while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
    },
    async stop() {
      await Promise.allSettled([...inFlight]);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
