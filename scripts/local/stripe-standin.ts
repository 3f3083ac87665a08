/**
 * The local runtime's Stripe (never deployed). A loopback server speaking just enough of
 * Stripe's API, in its wire format, for Checkout:
 *   POST /v1/checkout/sessions            form-encoded, Idempotency-Key honoured as Stripe does
 *   GET  /v1/checkout/sessions/:id
 *   POST /v1/checkout/sessions/:id/expire
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
import { RefundApiError, standinRefunds, type StandinRefunds } from './stripe-refunds';

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
  livemode: false;
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
  /** Completes an open session as paid and delivers the signed event. */
  pay(id: string): Promise<{ session: SessionObject; delivery: Delivery }>;
  /** Refunds (./stripe-refunds.ts): what Stripe holds and was asked, and a bank failing them. */
  refunds: StandinRefunds;
  /** Every event delivered, oldest first (to replay one, or count them). */
  deliveries(): Delivery[];
  /** Waits for the events still being delivered in the background. */
  settle(): Promise<void>;
  stop(): Promise<void>;
}

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
    livemode: false,
  };
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

export async function startStripeStandin(options: StandinOptions): Promise<StripeStandin> {
  const sessions = new Map<string, { session: SessionObject; lineItems: LineItem[]; deliveries: Delivery[] }>();
  /** Idempotency key → the request it first came with and the answer given. */
  const idempotent = new Map<string, { body: string; answer: SessionObject }>();
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

  async function deliver(type: string, session: SessionObject): Promise<Delivery> {
    const delivery = await deliverObject(type, { ...session });
    sessions.get(session.id)?.deliveries.push(delivery);
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

  function create(req: IncomingMessage, body: string): SessionObject {
    const key = req.headers['idempotency-key'];
    const replay = typeof key === 'string' ? idempotent.get(key) : undefined;
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
    const entry = newSession(parseStripeForm(body), options.checkoutPageUrl);
    sessions.set(entry.session.id, { ...entry, deliveries: [] });
    if (typeof key === 'string') idempotent.set(key, { body, answer: { ...entry.session } });
    return entry.session;
  }

  function expire(id: string): SessionObject {
    const entry = current(id);
    if (!entry) throw new StripeApiError(404, 'invalid_request_error', `No such checkout.session: '${id}'`, { code: 'resource_missing', param: 'session' });
    if (entry.session.status !== 'open') throw invalid('Only Checkout Sessions with a status of open can be expired.');
    entry.session.status = 'expired';
    // Stripe tells the webhook on its own time, not within the API call.
    track(deliver('checkout.session.expired', entry.session));
    return entry.session;
  }

  const server = createServer((req, res) => {
    void (async () => {
      try {
        if (req.headers.authorization !== `Bearer ${options.secretKey()}`) {
          throw new StripeApiError(401, 'invalid_request_error', 'Invalid API Key provided.');
        }
        const url = new URL(req.url ?? '/', 'http://stripe.local');
        const body = await readBody(req);
        const match = /^\/v1\/checkout\/sessions(?:\/([^/]+))?(\/expire)?$/.exec(url.pathname);
        if (match && req.method === 'POST' && !match[1]) return send(res, 200, create(req, body));
        if (match && req.method === 'GET' && match[1] && !match[2]) {
          const entry = current(match[1]);
          if (!entry) throw new StripeApiError(404, 'invalid_request_error', `No such checkout.session: '${match[1]}'`, { code: 'resource_missing', param: 'session' });
          return send(res, 200, entry.session);
        }
        if (match && req.method === 'POST' && match[1] && match[2]) return send(res, 200, expire(match[1]));
        const refund = refunds.handle(req, url.pathname, body);
        if (refund) return send(res, 200, refund);
        throw new StripeApiError(404, 'invalid_request_error', `Unrecognized request URL (${req.method}: ${url.pathname}). This stand-in implements Checkout sessions and refunds only.`);
      } catch (err) {
        if (err instanceof StripeApiError || err instanceof RefundApiError) return send(res, err.status, { error: { type: err.type, message: err.message, ...err.extra } });
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
    async pay(id) {
      const entry = current(id);
      if (!entry) throw new StripeApiError(404, 'invalid_request_error', `No such checkout.session: '${id}'`);
      if (entry.session.status !== 'open') throw invalid(`This Checkout Session is ${entry.session.status}: it can no longer be paid.`);
      Object.assign(entry.session, { status: 'complete', payment_status: 'paid', payment_intent: randomId('pi_test') });
      refunds.registerCharge(entry.session.payment_intent!, entry.session.amount_total, entry.session.currency);
      return { session: entry.session, delivery: await deliver('checkout.session.completed', entry.session) };
    },
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
