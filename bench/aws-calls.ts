/**
 * Watching the AWS calls the service makes, without touching its code:
 *
 * - `AwsTraffic`: every request any client of this process sends to the emulators (and to the
 *   Stripe stand-in), seen on Node's `http.client.*` diagnostics channels (service from the
 *   endpoint, operation from the X-Amz-Target header or the REST path), and every request the
 *   local API gateway serves (`http.server.*`), with its duration.
 * - `DynamoRecorder`: middleware on the shared DynamoDB client (`ddb`, which every repository
 *   uses): each request's wire-level input (to replay it raw), and on demand its consumed
 *   capacity.
 */
import { randomUUID } from 'node:crypto';
import diagnostics from 'node:diagnostics_channel';
import type { ClientRequest, IncomingMessage, Server, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import { DynamoDBClient, GetItemCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { ddb } from '../functions/adapters/dynamo/client';
import { tableSchema } from '../functions/adapters/dynamo/table-schema';

/** Requests of the benchmark's own side client carry this header; the counts skip them. */
const PROBE_HEADER = 'x-inscrire-bench-probe';

export interface AwsEvent {
  /** `performance.now()` at the request start. */
  at: number;
  service: string;
  op: string;
  /** `performance.now()` when the response arrived (`http.client.response.finish`). */
  doneAt?: number;
}

export interface ServedRequest {
  method: string;
  path: string;
  status: number;
  startedAt: number;
  ms: number;
}

function hostOf(endpoint: string): string {
  return new URL(endpoint).host;
}

function operationOf(service: string, req: ClientRequest): string {
  const target = req.getHeader('x-amz-target');
  if (typeof target === 'string') return target.slice(target.indexOf('.') + 1);
  if (service === 'SESv2' && req.method === 'POST' && req.path.startsWith('/v2/email/outbound-emails')) return 'SendEmail';
  return `${req.method} ${req.path.split('?')[0]}`;
}

/** Streams are read by Lambda's event source mapping on AWS, not by our code. */
function serviceOf(base: string, req: ClientRequest): string {
  const target = req.getHeader('x-amz-target');
  if (base === 'DynamoDB' && typeof target === 'string' && target.startsWith('DynamoDBStreams_')) return 'DynamoDBStreams';
  return base;
}

export class AwsTraffic {
  readonly events: AwsEvent[] = [];
  readonly served: ServedRequest[] = [];
  private readonly services: Map<string, string>;
  private readonly pending = new WeakMap<ClientRequest, AwsEvent>();
  private readonly started = new WeakMap<IncomingMessage, number>();

  /**
   * @param endpoints service name → emulator endpoint (e.g. `{ DynamoDB: 'http://127.0.0.1:8000' }`)
   * @param gatewayPort the local API gateway's port, whose served requests are recorded
   */
  constructor(
    endpoints: Record<string, string>,
    private readonly gatewayPort?: number,
  ) {
    this.services = new Map(Object.entries(endpoints).map(([service, endpoint]) => [hostOf(endpoint), service]));
  }

  private readonly onClientStart = (message: unknown) => {
    const req = (message as { request: ClientRequest }).request;
    if (req.getHeader(PROBE_HEADER)) return;
    const host = req.getHeader('host');
    const base = typeof host === 'string' ? this.services.get(host) : undefined;
    if (!base) return;
    const service = serviceOf(base, req);
    const event: AwsEvent = { at: performance.now(), service, op: operationOf(service, req) };
    this.events.push(event);
    this.pending.set(req, event);
  };

  private readonly onClientFinish = (message: unknown) => {
    const event = this.pending.get((message as { request: ClientRequest }).request);
    if (event) event.doneAt = performance.now();
  };

  private readonly onServerStart = (message: unknown) => {
    const { request, server } = message as { request: IncomingMessage; server: Server };
    if (this.gatewayPort !== undefined && (server.address() as { port?: number } | null)?.port === this.gatewayPort) {
      this.started.set(request, performance.now());
    }
  };

  private readonly onServerFinish = (message: unknown) => {
    const { request, response } = message as { request: IncomingMessage; response: ServerResponse };
    const startedAt = this.started.get(request);
    if (startedAt === undefined) return;
    this.served.push({ method: request.method ?? 'GET', path: (request.url ?? '/').split('?')[0]!, status: response.statusCode, startedAt, ms: performance.now() - startedAt });
  };

  start(): this {
    diagnostics.subscribe('http.client.request.start', this.onClientStart);
    diagnostics.subscribe('http.client.response.finish', this.onClientFinish);
    diagnostics.subscribe('http.server.request.start', this.onServerStart);
    diagnostics.subscribe('http.server.response.finish', this.onServerFinish);
    return this;
  }

  stop(): void {
    diagnostics.unsubscribe('http.client.request.start', this.onClientStart);
    diagnostics.unsubscribe('http.client.response.finish', this.onClientFinish);
    diagnostics.unsubscribe('http.server.request.start', this.onServerStart);
    diagnostics.unsubscribe('http.server.response.finish', this.onServerFinish);
  }

  /** Marks a point in time; `since(mark)` returns what happened after it. */
  mark(): { events: number; served: number } {
    return { events: this.events.length, served: this.served.length };
  }

  since(mark: { events: number; served: number }): { events: AwsEvent[]; served: ServedRequest[] } {
    return { events: this.events.slice(mark.events), served: this.served.slice(mark.served) };
  }
}

/** `{ 'SQS.SendMessage': 1, ... }` */
export function countByOperation(events: readonly AwsEvent[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const e of events) counts[`${e.service}.${e.op}`] = (counts[`${e.service}.${e.op}`] ?? 0) + 1;
  return counts;
}

// ---------------------------------------------------------------------------------------------
// DynamoDB

export interface DynamoCall {
  /** Operation name, e.g. `GetItem`. */
  op: string;
  /** The request as sent on the wire (marshalled), for a raw replay. */
  input: Record<string, unknown>;
  ms: number;
  error?: string;
  /** Capacity units DynamoDB Local reported (when asked for). */
  reportedCapacity?: number;
  /** For transactions: units estimated from the items' before/after images (see `transactWriteUnits`). */
  estimatedCapacity?: number;
}

const CAPACITY_OPS = new Set(['GetItem', 'PutItem', 'UpdateItem', 'DeleteItem', 'Query', 'Scan', 'BatchGetItem', 'BatchWriteItem', 'TransactGetItems', 'TransactWriteItems']);
export const READ_OPS = new Set(['GetItem', 'Query', 'Scan', 'BatchGetItem', 'TransactGetItems']);

type Item = Record<string, AttributeValue>;
type TransactItem = {
  Put?: { TableName: string; Item: Item };
  Update?: { TableName: string; Key: Item };
  Delete?: { TableName: string; Key: Item };
  ConditionCheck?: { TableName: string; Key: Item };
};

const utf8 = (s: string) => Buffer.byteLength(s, 'utf8');

/** DynamoDB's number size: about one byte per two significant digits, plus one. */
function numberSize(n: string): number {
  const digits = n.replace(/^-/, '').replace('.', '').replace(/^0+/, '').replace(/0+$/, '');
  return Math.ceil(Math.max(1, digits.length) / 2) + 1;
}

function valueSize(v: AttributeValue): number {
  if (v.S !== undefined) return utf8(v.S);
  if (v.N !== undefined) return numberSize(v.N);
  if (v.B !== undefined) return v.B.length;
  if (v.BOOL !== undefined || v.NULL !== undefined) return 1;
  if (v.SS) return v.SS.reduce((s, x) => s + utf8(x), 0);
  if (v.NS) return v.NS.reduce((s, x) => s + numberSize(x), 0);
  if (v.BS) return v.BS.reduce((s, x) => s + x.length, 0);
  if (v.L) return 3 + v.L.reduce((s, x) => s + 1 + valueSize(x), 0);
  if (v.M) return 3 + Object.entries(v.M).reduce((s, [k, x]) => s + 1 + utf8(k) + valueSize(x), 0);
  return 0;
}

/** Item size by DynamoDB's rules (attribute names + values). */
export function itemSize(item: Item | undefined): number {
  if (!item) return 0;
  return Object.entries(item).reduce((s, [name, v]) => s + utf8(name) + valueSize(v), 0);
}

const kb = (bytes: number) => Math.max(1, Math.ceil(bytes / 1024));

function indexKey(item: Item | undefined, index: { partitionKey: string; sortKey: string }): string | undefined {
  const pk = item?.[index.partitionKey]?.S;
  const sk = item?.[index.sortKey]?.S;
  return pk !== undefined && sk !== undefined ? `${pk}\u0000${sk}` : undefined;
}

/**
 * Write units of a TransactWriteItems, by AWS's documented rules: two units per KB of the
 * larger of each item's before and after images (transactions write twice: prepare, commit),
 * plus the index writes (one unit per KB; a changed index key deletes the old entry and puts
 * the new one). DynamoDB Local's own figure for multi-item transactions is not reliable (it
 * reports the same units for one small item as for three), hence this estimate.
 */
export function transactWriteUnits(items: readonly TransactItem[], before: readonly (Item | undefined)[], after: readonly (Item | undefined)[]): number {
  let units = 0;
  items.forEach((_, i) => {
    const b = itemSize(before[i]);
    const a = itemSize(after[i]);
    units += 2 * kb(Math.max(a, b));
    for (const index of tableSchema.globalSecondaryIndexes) {
      const bk = indexKey(before[i], index);
      const ak = indexKey(after[i], index);
      if (bk !== undefined && bk === ak) units += kb(Math.max(a, b));
      else {
        if (bk !== undefined) units += kb(b);
        if (ak !== undefined) units += kb(a);
      }
    }
  });
  return units;
}

function keyOf(t: TransactItem): { TableName: string; Key: Item } | undefined {
  if (t.Put) return { TableName: t.Put.TableName, Key: { [tableSchema.partitionKey]: t.Put.Item[tableSchema.partitionKey]!, [tableSchema.sortKey]: t.Put.Item[tableSchema.sortKey]! } };
  const op = t.Update ?? t.Delete ?? t.ConditionCheck;
  return op && { TableName: op.TableName, Key: op.Key };
}

function sumCapacity(consumed: unknown): number | undefined {
  if (!consumed) return undefined;
  const list = Array.isArray(consumed) ? consumed : [consumed];
  return list.reduce((s: number, c: { CapacityUnits?: number }) => s + (c.CapacityUnits ?? 0), 0);
}

/** A plain client for the benchmark's own reads (images, raw replays); its requests are not counted. */
export function sideClient(): DynamoDBClient {
  const client = new DynamoDBClient({});
  client.middlewareStack.add(
    (next) => async (args) => {
      const request = args.request as { headers?: Record<string, string> };
      if (request.headers) request.headers[PROBE_HEADER] = '1';
      return next(args);
    },
    { step: 'build', name: 'inscrireBenchProbeHeader' },
  );
  return client;
}

export class DynamoRecorder {
  private calls: DynamoCall[] = [];
  private recording = false;
  /** Ask DynamoDB for each request's consumed capacity (adds `ReturnConsumedCapacity`). */
  capacity = false;
  private side: DynamoDBClient | undefined;
  private readonly byContext = new WeakMap<object, DynamoCall>();

  /** Adds the middleware to the shared client once; recording stays off until `start()`. */
  install(): this {
    ddb.middlewareStack.add(
      (next, context) => async (args) => {
        if (!this.recording) return next(args);
        const op = (context.commandName ?? 'Unknown').replace(/Command$/, '');
        const call: DynamoCall = { op, input: {}, ms: 0 };
        this.byContext.set(context, call);
        // In issue order, as a raw replay will send them.
        this.calls.push(call);
        const input = this.capacity && CAPACITY_OPS.has(op) ? { ...(args.input as object), ReturnConsumedCapacity: 'TOTAL' } : args.input;
        const t0 = performance.now();
        try {
          const result = await next({ ...args, input });
          call.reportedCapacity = sumCapacity((result.output as { ConsumedCapacity?: unknown }).ConsumedCapacity);
          return result;
        } catch (err) {
          call.error = (err as Error).name;
          throw err;
        } finally {
          call.ms = performance.now() - t0;
        }
      },
      { step: 'initialize', name: 'inscrireBenchRecorder', priority: 'high' },
    );
    // After serialisation: the input is in its wire form (the document client has marshalled it).
    ddb.middlewareStack.add(
      (next, context) => async (args) => {
        const call = this.byContext.get(context);
        if (!call) return next(args);
        call.input = args.input as Record<string, unknown>;
        if (!this.capacity || call.op !== 'TransactWriteItems') return next(args);
        const items = (call.input.TransactItems ?? []) as TransactItem[];
        const before = await this.images(items);
        const result = await next(args);
        call.estimatedCapacity = transactWriteUnits(items, before, await this.images(items));
        return result;
      },
      { step: 'build', name: 'inscrireBenchWireInput' },
    );
    return this;
  }

  private async images(items: readonly TransactItem[]): Promise<(Item | undefined)[]> {
    this.side ??= sideClient();
    const side = this.side;
    return Promise.all(
      items.map(async (t) => {
        const key = keyOf(t);
        return key ? (await side.send(new GetItemCommand({ ...key, ConsistentRead: true }))).Item : undefined;
      }),
    );
  }

  start(): void {
    this.calls = [];
    this.recording = true;
  }

  stop(): DynamoCall[] {
    this.recording = false;
    return this.calls;
  }

  destroy(): void {
    this.side?.destroy();
  }
}

/**
 * The requests of one handler call, made replayable against an identical twin: the ids in
 * `mapping` are swapped for the twin's, and any other UUID (ids the handler generated: new
 * dossiers, audit entries, mail jobs) for a fresh one, so conditions such as
 * `attribute_not_exists(pk)` hold on the replay as they did for the handler.
 */
export function forTwin(calls: readonly DynamoCall[], mapping: Record<string, string>): { op: string; input: Record<string, unknown> }[] {
  const swap = new Map<string, string>(Object.entries(mapping));
  const twinIds = new Set(swap.values());
  const uuid = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;
  return calls.map((c) => {
    let json = JSON.stringify(c.input);
    for (const [from, to] of Object.entries(mapping)) json = json.split(from).join(to);
    json = json.replace(uuid, (id) => {
      if (twinIds.has(id)) return id;
      if (!swap.has(id)) {
        swap.set(id, randomUUID());
        twinIds.add(swap.get(id)!);
      }
      return swap.get(id)!;
    });
    return { op: c.op, input: JSON.parse(json) as Record<string, unknown> };
  });
}
