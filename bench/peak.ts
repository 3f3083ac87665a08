/**
 * Part 5: the opening minute, on paper (issue 16). This machine cannot show AWS at the scale of
 * a window's opening, so the part measures one journey (bench/cost.ts: requests per function,
 * handler times, DynamoDB writes by item, Stripe calls by endpoint) and computes what N arrivals
 * per minute ask of every limit in the way, and which one breaks first.
 *
 * The model is steady state (Little's law): with λ = arrivals per second sustained, a function
 * invoked k times per journey for t seconds each needs λ·k·t concurrent executions, an item
 * written w times per journey takes λ·w writes per second, and so on. A limit L consumed at
 * c per arrival-per-second breaks at 60·L/c arrivals per minute. Everything below `benchPeak`
 * is pure and unit-tested (test/unit/peak.test.ts).
 */
import { stageConfig, type StageName } from '../config/stages';
import { benchCost, type CostResult } from './cost';
import type { NA } from './report';

/** Documented limits (checked 2026-12; each with where it comes from). */
export const LIMITS = {
  /** Lambda: concurrent executions per account and region (default quota, raisable). */
  lambdaAccountConcurrency: 1000,
  /** Lambda: each function scales by 1,000 execution environments every 10 seconds. */
  lambdaScalePer10s: 1000,
  /** DynamoDB: per partition (so per item, and per index partition-key value before any split for heat). */
  dynamoWritesPerPartition: 1000,
  dynamoReadsPerPartition: 3000,
  /** Stripe live mode (docs.stripe.com/rate-limits): global requests per second, and per endpoint unless stated otherwise. */
  stripeGlobalPerSecond: 100,
  stripeEndpointPerSecond: 25,
  /** API Gateway HTTP APIs: account-level requests per second per region (the stage throttle comes from config/stages.ts). */
  apiGatewayAccountPerSecond: 10_000,
} as const;

/** What one journey asks, as measured by the cost part. */
export interface JourneyLoad {
  /** Per function: invocations per journey and mean handler time per invocation (ms). */
  functions: { id: string; invocations: number; msPerInvocation: number }[];
  apiRequests: number;
  /** Writes per journey to each item shared by every student (normalised key), and the busiest per-student item. */
  sharedItemWrites: Record<string, number>;
  maxWritesToOneStudentItem: number;
  /** Index entries written per journey, by index partition-key value. */
  indexPartitionWrites: Record<string, number>;
  /** Stripe requests per journey, by endpoint (`POST /v1/checkout/sessions`). */
  stripeByEndpoint: Record<string, number>;
}

export interface Limit {
  name: string;
  /** The limit's value, per second (or executions for concurrency). */
  limit: number;
  /** What one arrival per second consumes of it. */
  perArrivalPerSecond: number;
  /** Use at the modelled arrival rate. */
  atModel: number;
  /** Arrivals per minute at which it is reached (Infinity when nothing uses it). */
  breaksAtPerMinute: number;
  /** Whether this project can raise it itself (stage config, quota request) or depends on a third party. */
  raise: string;
}

export interface PeakResult {
  arrivals: number;
  minutes: number;
  arrivalsPerSecond: number;
  stage: StageName;
  journey: JourneyLoad;
  concurrency: { id: string; concurrent: number }[];
  totalConcurrency: number;
  limits: Limit[];
  firstToBreak: { name: string; atArrivalsPerMinute: number };
  /** Limits already exceeded at the modelled arrival rate. */
  exceeded: string[];
  notes: string[];
}

const WRITE_OPS = new Set(['PutItem', 'UpdateItem', 'DeleteItem', 'BatchWriteItem', 'TransactWriteItems']);
type Attr = { S?: string };
type Item = Record<string, Attr>;

/** A key with its per-student parts (UUIDs, hashes, long digit runs, Stripe ids) replaced by `{id}`. */
export function normaliseKey(key: string): string {
  return key
    .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi, '{id}')
    .replace(/\b(cs|evt|pi|ch|cus)_[A-Za-z0-9_]+/g, '{id}')
    .replace(/[0-9a-f]{16,}/gi, '{id}')
    .replace(/\d{6,}[A-Z]*/g, '{id}');
}

/**
 * Write units (items up to 1 KB; two per item in a transaction) by item, and index entries
 * written by index partition, in a journey's recorded DynamoDB requests (wire form).
 * An index entry counts when a put gives an item an index key it did not have in the journey
 * before (a new entry, or a moved one); an unchanged index key is not rewritten (KEYS_ONLY).
 */
export function writeHotspots(
  calls: readonly { op: string; input: Record<string, unknown> }[],
  index = { partitionKey: 'gsi1pk', sortKey: 'gsi1sk' },
): { byItem: Record<string, number>; byIndexPartition: Record<string, number> } {
  const byItem: Record<string, number> = {};
  const byIndexPartition: Record<string, number> = {};
  const indexKeyOf = new Map<string, string>();
  const add = (m: Record<string, number>, k: string, units: number) => (m[k] = (m[k] ?? 0) + units);
  // A transaction writes each item twice (prepare, commit): two units per item of up to 1 KB.
  const put = (item: Item, units: number) => {
    const pk = item.pk?.S;
    if (pk === undefined) return;
    add(byItem, pk, units);
    const ipk = item[index.partitionKey]?.S;
    const isk = item[index.sortKey]?.S;
    if (ipk === undefined) return;
    const key = `${ipk}\u0000${isk ?? ''}`;
    const before = indexKeyOf.get(pk);
    if (before !== key) {
      // A moved entry: the old one is deleted from its partition, the new one put in this one.
      if (before !== undefined) add(byIndexPartition, before.split('\u0000')[0]!, 1);
      add(byIndexPartition, ipk, 1);
    }
    indexKeyOf.set(pk, key);
  };
  const keyed = (key: Item | undefined, units: number) => key?.pk?.S !== undefined && add(byItem, key.pk.S, units);
  for (const c of calls) {
    if (!WRITE_OPS.has(c.op)) continue;
    const input = c.input as {
      Item?: Item;
      Key?: Item;
      TransactItems?: { Put?: { Item: Item }; Update?: { Key: Item }; Delete?: { Key: Item } }[];
      RequestItems?: Record<string, { PutRequest?: { Item: Item }; DeleteRequest?: { Key: Item } }[]>;
    };
    if (input.Item) put(input.Item, 1);
    else if (input.Key) keyed(input.Key, 1);
    for (const t of input.TransactItems ?? []) {
      if (t.Put) put(t.Put.Item, 2);
      else keyed((t.Update ?? t.Delete)?.Key, 2);
    }
    for (const requests of Object.values(input.RequestItems ?? {})) {
      for (const r of requests) {
        if (r.PutRequest) put(r.PutRequest.Item, 1);
        else keyed(r.DeleteRequest?.Key, 1);
      }
    }
  }
  return { byItem, byIndexPartition };
}

/** Splits item writes into items every student shares (key without `{id}`) and the busiest per-student item. */
export function sharedAndPerStudent(byItem: Record<string, number>): { shared: Record<string, number>; maxPerStudent: number } {
  const shared: Record<string, number> = {};
  let maxPerStudent = 0;
  for (const [key, n] of Object.entries(byItem)) {
    const normal = normaliseKey(key);
    if (normal.includes('{id}')) maxPerStudent = Math.max(maxPerStudent, n);
    else shared[normal] = (shared[normal] ?? 0) + n;
  }
  return { shared, maxPerStudent };
}

/** Stripe requests by endpoint, ids replaced. */
export function stripeEndpoints(ops: Record<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [op, n] of Object.entries(ops)) {
    if (!op.startsWith('Stripe.')) continue;
    const endpoint = normaliseKey(op.slice('Stripe.'.length));
    out[endpoint] = (out[endpoint] ?? 0) + n;
  }
  return out;
}

/** The arithmetic: concurrency per function, every limit's use, and which breaks first. */
export function peakModel(o: {
  arrivals: number;
  minutes: number;
  stage: StageName;
  journey: JourneyLoad;
  throttling: { rateLimit: number; burstLimit: number };
  serviceStateCacheSeconds: number;
}): PeakResult {
  const lambda = o.arrivals / (o.minutes * 60);
  const j = o.journey;
  const concurrency = j.functions.map((f) => ({ id: f.id, concurrent: lambda * f.invocations * (f.msPerInvocation / 1000) }));
  const concurrencyPerArrival = j.functions.reduce((s, f) => s + f.invocations * (f.msPerInvocation / 1000), 0);
  const totalConcurrency = lambda * concurrencyPerArrival;
  const busiestFunction = j.functions.reduce(
    (best, f) => (f.invocations * f.msPerInvocation > best.invocations * best.msPerInvocation ? f : best),
    j.functions[0] ?? { id: 'none', invocations: 0, msPerInvocation: 0 },
  );
  const limit = (name: string, value: number, perArrivalPerSecond: number, raise: string): Limit => ({
    name,
    limit: value,
    perArrivalPerSecond,
    atModel: lambda * perArrivalPerSecond,
    breaksAtPerMinute: perArrivalPerSecond > 0 ? (60 * value) / perArrivalPerSecond : Number.POSITIVE_INFINITY,
    raise,
  });
  const stripeTotal = Object.values(j.stripeByEndpoint).reduce((s, n) => s + n, 0);
  const limits: Limit[] = [
    limit(`API Gateway stage throttle (config/stages.ts ${o.stage}.throttling.rateLimit)`, o.throttling.rateLimit, j.apiRequests, 'this project: config/stages.ts'),
    limit('API Gateway account requests per second (region)', LIMITS.apiGatewayAccountPerSecond, j.apiRequests, 'AWS quota request'),
    limit('Lambda concurrent executions (account, region)', LIMITS.lambdaAccountConcurrency, concurrencyPerArrival, 'AWS quota request (weeks before the opening)'),
    limit(
      `Lambda scaling of ${busiestFunction.id} (1,000 environments per 10 s)`,
      LIMITS.lambdaScalePer10s,
      busiestFunction.invocations * (busiestFunction.msPerInvocation / 1000),
      'none: fixed by AWS',
    ),
    ...Object.entries(j.sharedItemWrites).map(([key, w]) => limit(`DynamoDB writes to item ${key}`, LIMITS.dynamoWritesPerPartition, w, 'the data model (shard the item)')),
    ...Object.entries(j.indexPartitionWrites).map(([key, w]) =>
      limit(`DynamoDB index partition ${normaliseKey(key)} (gsi1)`, LIMITS.dynamoWritesPerPartition, w, 'the data model (shard the index key)'),
    ),
    // The gate reads the state at most once per cache period per execution environment.
    limit('DynamoDB reads of the service-state item (gate cache)', LIMITS.dynamoReadsPerPartition, concurrencyPerArrival / o.serviceStateCacheSeconds, 'config/stages.ts serviceStateCacheSeconds'),
    limit('Stripe live mode, all requests', LIMITS.stripeGlobalPerSecond, stripeTotal, 'Stripe support (6 weeks ahead)'),
    ...Object.entries(j.stripeByEndpoint).map(([endpoint, n]) => limit(`Stripe live mode, ${endpoint}`, LIMITS.stripeEndpointPerSecond, n, 'Stripe support (6 weeks ahead)')),
  ];
  const sorted = [...limits].sort((a, b) => a.breaksAtPerMinute - b.breaksAtPerMinute);
  const first = sorted[0]!;
  return {
    arrivals: o.arrivals,
    minutes: o.minutes,
    arrivalsPerSecond: lambda,
    stage: o.stage,
    journey: j,
    concurrency,
    totalConcurrency,
    limits: sorted,
    firstToBreak: { name: first.name, atArrivalsPerMinute: first.breaksAtPerMinute },
    exceeded: sorted.filter((l) => l.atModel > l.limit).map((l) => l.name),
    notes: [
      'Steady state: arrivals spread evenly and sustained; every journey’s requests happen at the arrival rate (Little’s law). A burst inside one second also meets the stage burst limit.',
      'Handler times are local wall times (x86, shared machine, emulators on loopback): an order of magnitude for Lambda, not a prediction; cold starts add their init time to the first request of each new environment.',
      'DynamoDB partitions split for heat under sustained load; the per-partition figures are the limit before any split.',
    ],
  };
}

/** Reads the load of one journey from the cost part's result. */
export function journeyLoad(cost: CostResult): JourneyLoad {
  const p = cost.perEnrollment;
  return {
    functions: p.functions.map((f) => ({ id: f.id, invocations: f.invocations, msPerInvocation: typeof f.ms === 'number' && f.invocations > 0 ? f.ms / f.invocations : 0 })),
    apiRequests: p.apiGatewayRequests,
    sharedItemWrites: p.dynamodb.hotspots.sharedItems,
    maxWritesToOneStudentItem: p.dynamodb.hotspots.maxWritesToOneStudentItem,
    indexPartitionWrites: p.dynamodb.hotspots.indexPartitions,
    stripeByEndpoint: p.stripeByEndpoint,
  };
}

export async function benchPeak(o: { arrivals: number; minutes: number; stage?: StageName; log(line: string): void }): Promise<PeakResult | NA> {
  const stage = o.stage ?? 'prod';
  o.log('peak: measuring one journey (cost part, 2 enrollments)');
  const cost = await benchCost({ enrollments: 2, log: o.log });
  const config = stageConfig(stage);
  return peakModel({ arrivals: o.arrivals, minutes: o.minutes, stage, journey: journeyLoad(cost), throttling: config.throttling, serviceStateCacheSeconds: config.serviceStateCacheSeconds });
}
