import { randomBytes } from 'node:crypto';
import { createSocket, type Socket } from 'node:dgram';

/**
 * X-Ray subsegments for every AWS SDK call and every Stripe request, without the X-Ray SDK.
 *
 * Why not Powertools Tracer: it wraps `aws-xray-sdk-core`, which adds 125 KB minified to a
 * 332 KB DynamoDB floor (×1.37 on its own, over the 1.3 budget of issue 16) and ~50 % to its
 * init. What the service needs from it is small and documented: Lambda's active tracing
 * already records the invocation's segment; a subsegment per downstream call is one JSON
 * document sent over UDP to the X-Ray daemon Lambda runs beside the function
 * (AWS_XRAY_DAEMON_ADDRESS), under the trace and parent the runtime sets in _X_AMZN_TRACE_ID
 * ("Sending segment documents to the X-Ray daemon", X-Ray developer guide). Not sampled, or no
 * trace header (local runtime, tests): nothing is sent.
 *
 * Subsegments carry the service, operation, region, request id, status and attempts — never
 * the request's parameters or payloads (they may hold personal data).
 */

export interface TraceHeader {
  root: string;
  parent: string;
  sampled: boolean;
}

/** `Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1` */
export function parseTraceHeader(header: string | undefined): TraceHeader | undefined {
  if (!header) return undefined;
  const fields = Object.fromEntries(
    header.split(';').map((part) => {
      const i = part.indexOf('=');
      return [part.slice(0, i).trim(), part.slice(i + 1).trim()];
    }),
  );
  if (!fields.Root || !fields.Parent) return undefined;
  return { root: fields.Root, parent: fields.Parent, sampled: fields.Sampled === '1' };
}

/** `169.254.79.129:2000`, or the `udp:host:port tcp:host:port` form. */
export function daemonAddress(value: string | undefined): { host: string; port: number } | undefined {
  if (!value) return undefined;
  const parts = value.trim().split(/\s+/);
  const udp = parts.find((p) => p.startsWith('udp:'))?.slice(4) ?? parts.find((p) => !p.startsWith('tcp:'));
  const m = udp ? /^(.+):(\d+)$/.exec(udp) : null;
  return m ? { host: m[1]!, port: Number(m[2]) } : undefined;
}

export interface Subsegment {
  name: string;
  namespace: 'aws' | 'remote';
  /** Seconds since the epoch. */
  start: number;
  end: number;
  aws?: { operation?: string; region?: string; request_id?: string; retries?: number };
  http?: { request?: { method?: string; url?: string }; response?: { status?: number } };
  /** HTTP status, or undefined when the call failed before an answer. */
  status?: number;
  failed?: boolean;
}

/** The document the daemon takes: its header line, then the subsegment. */
export function subsegmentDocument(trace: TraceHeader, s: Subsegment, id = randomBytes(8).toString('hex')): string {
  const status = s.status;
  const doc = {
    name: s.name,
    id,
    trace_id: trace.root,
    parent_id: trace.parent,
    type: 'subsegment',
    start_time: s.start,
    end_time: s.end,
    namespace: s.namespace,
    ...(s.aws ? { aws: s.aws } : {}),
    ...(s.http || status !== undefined ? { http: { ...s.http, ...(status !== undefined ? { response: { status } } : {}) } } : {}),
    ...(status === 429 ? { throttle: true, error: true } : status !== undefined && status >= 400 && status < 500 ? { error: true } : {}),
    ...((status !== undefined && status >= 500) || (s.failed && status === undefined) ? { fault: true } : {}),
  };
  return `{"format":"json","version":1}\n${JSON.stringify(doc)}`;
}

let socket: Socket | undefined;

/** Sends a subsegment under the current invocation's trace, if it is sampled. Never throws. */
export function recordSubsegment(s: Subsegment): void {
  try {
    const trace = parseTraceHeader(process.env._X_AMZN_TRACE_ID);
    const daemon = daemonAddress(process.env.AWS_XRAY_DAEMON_ADDRESS);
    if (!trace?.sampled || !daemon) return;
    socket ??= createSocket('udp4').unref();
    socket.send(subsegmentDocument(trace, s), daemon.port, daemon.host, () => undefined);
  } catch {
    // Tracing must never fail a request.
  }
}

/** What the SDK reports of a call, on its output and on its error. */
type Metadata = { requestId?: string; httpStatusCode?: number; attempts?: number };

interface SdkClient {
  config: { serviceId?: string; region?: unknown };
  middlewareStack: {
    add(
      mw: (next: (args: unknown) => Promise<unknown>, context: { commandName?: string; clientName?: string }) => (args: unknown) => Promise<unknown>,
      options: { step: 'initialize'; name: string },
    ): void;
  };
}

/**
 * Adds a subsegment per command to an AWS SDK v3 client (the whole call, retries included).
 * Returns the client, so construction reads `traced(new DynamoDBClient({}))`.
 */
export function traced<C extends object>(client: C): C {
  const c = client as unknown as SdkClient;
  c.middlewareStack.add(
    (next, context) => async (args) => {
      const start = Date.now() / 1000;
      const service = (c.config.serviceId ?? context.clientName?.replace(/Client$/, '') ?? 'AWS').replace(/\s/g, '');
      const operation = context.commandName?.replace(/Command$/, '');
      const region = typeof c.config.region === 'function' ? await (c.config.region as () => Promise<string>)().catch(() => undefined) : (c.config.region as string | undefined);
      const record = (meta: Metadata | undefined, failed?: true) =>
        recordSubsegment({
          name: service,
          namespace: 'aws',
          start,
          end: Date.now() / 1000,
          aws: { operation, region, request_id: meta?.requestId, retries: Math.max(0, (meta?.attempts ?? 1) - 1) },
          status: meta?.httpStatusCode,
          ...(failed ? { failed } : {}),
        });
      try {
        const out = (await next(args)) as { output?: { $metadata?: Metadata } };
        record(out.output?.$metadata);
        return out;
      } catch (err) {
        record((err as { $metadata?: Metadata }).$metadata, true);
        throw err;
      }
    },
    { step: 'initialize', name: 'inscrireXRaySubsegment' },
  );
  return client;
}

/** Stripe's `response` event (stripe-node): one subsegment per request, path without query. */
export interface StripeResponseEvent {
  method: string;
  path: string;
  status: number;
  request_id?: string;
  request_start_time: number;
  request_end_time: number;
}

export function recordStripeResponse(r: StripeResponseEvent): void {
  recordSubsegment({
    name: 'api.stripe.com',
    namespace: 'remote',
    start: r.request_start_time / 1000,
    end: r.request_end_time / 1000,
    http: { request: { method: r.method, url: `https://api.stripe.com${r.path.split('?')[0]}` } },
    status: r.status,
  });
}
