/** The benchmark's results file and its printed report. */
import type { BundlesResult } from './bundles';
import type { CostResult } from './cost';
import type { LatencyResult } from './latency';
import type { LoadResult } from './load';
import type { PeakResult } from './peak';
import type { Summary } from './stats';

/** A figure that could not be measured, and why. */
export interface NA {
  na: string;
}

export const PARTS = ['bundles', 'latency', 'cost', 'cost3', 'load', 'peak'] as const;
export type Part = (typeof PARTS)[number];

export interface PartOptions {
  /** Fresh processes per function for init times. */
  runs: number;
  /** Measured calls per step handler (after a warm-up). */
  iterations: number;
  /** Enrollments per pass of the cost measurement. */
  enrollments: number;
  /** Concurrent students of the load test. */
  students: number;
  /** Global timeout of the load test. */
  timeoutSeconds: number;
  /** Peak model: students arriving over `minutes`. */
  arrivals: number;
  minutes: number;
}

export interface Machine {
  cpus: number;
  cpuModel: string;
  memoryGb: number;
  platform: string;
  node: string;
  loadAverageStart: number[];
  loadAverageEnd: number[];
}

export interface BenchResults {
  date: string;
  machine: Machine;
  options: PartOptions & { only: Part[] };
  seconds: Partial<Record<Part, number>>;
  /** When each part's figures were measured (parts not rerun keep their earlier figures). */
  ranAt?: Partial<Record<Part, string>>;
  bundles?: BundlesResult | NA;
  latency?: LatencyResult | NA;
  cost?: CostResult | NA;
  /** The cost of an enrollment paid in three parts. */
  cost3?: CostResult | NA;
  load?: LoadResult | NA;
  peak?: PeakResult | NA;
}

export const isNA = (x: unknown): x is NA => typeof x === 'object' && x !== null && 'na' in x;

// ---------------------------------------------------------------------------------------------
// Formatting

/** A table cell; n/a reasons are collected and printed under the table. */
class Cells {
  readonly reasons: string[] = [];

  num(x: number | NA | undefined, digits = 1): string {
    if (x === undefined) return '–';
    if (isNA(x)) return this.na(x);
    return Number.isFinite(x) ? x.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits }) : 'n/a';
  }

  pair(s: Summary | NA, digits = 1): string {
    return isNA(s) ? this.na(s) : `${this.num(s.p50, digits)} / ${this.num(s.p99, digits)}`;
  }

  na(x: NA): string {
    if (!this.reasons.includes(x.na)) this.reasons.push(x.na);
    return `n/a[${this.reasons.indexOf(x.na) + 1}]`;
  }

  footnotes(): string[] {
    return this.reasons.map((r, i) => `  [${i + 1}] n/a: ${r}`);
  }
}

function table(headers: string[], rows: string[][], rightAligned: boolean[]): string[] {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => `  ${cells.map((c, i) => (rightAligned[i] ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ')}`.trimEnd();
  return [line(headers), `  ${widths.map((w) => '─'.repeat(w)).join('  ')}`, ...rows.map(line)];
}

const kb = (x: number | NA) => (isNA(x) ? x : x / 1024);

function bundlesSection(r: BundlesResult): string[] {
  const c = new Cells();
  const rows = r.functions.map((f) => [
    f.id,
    c.num(kb(f.bytes)),
    c.num(f.sizeRatio, 0),
    c.num(kb(f.mapBytes)),
    isNA(f.initMs) ? c.na(f.initMs) : c.num(f.initMs.p50),
    c.num(f.initRatio, 0),
    isNA(f.readyMs) ? c.na(f.readyMs) : c.num(f.readyMs.p50),
    f.floorBytes === undefined ? '–' : c.num(kb(f.floorBytes)),
    c.num(f.floorInitMs),
    c.num(f.bytesToFloor, 2),
    c.num(f.initToFloor, 2),
    f.initToFloorSpread ? `${f.initToFloorSpread.p25.toFixed(2)}–${f.initToFloorSpread.p75.toFixed(2)}` : '',
    f.meetsTarget === undefined ? '' : f.meetsTarget ? 'yes' : 'NO',
  ]);
  return [
    `1. Bundles and module init — ${r.method}`,
    ...table(['Function', 'Size KB', '× empty', 'Map KB', 'Init p50 ms', '× empty', 'Ready p50 ms', 'Floor KB', 'Floor init', 'Size/floor', 'Init/floor', 'Init/floor IQR', 'Target'], rows, [
      false,
      true,
      true,
      true,
      true,
      true,
      true,
      true,
      true,
      true,
      true,
      true,
      false,
    ]),
    '  Target (issue 16): size/floor and init/floor ≤ 1.3; ≤ 60 KB for a function with no AWS access (its floor is an empty handler).',
    ...c.footnotes(),
    '  Size: minified index.mjs. Init: the bundle’s import() alone. Ready: process start → handler imported (Node bootstrap + init).',
  ];
}

function latencySection(r: LatencyResult): string[] {
  const c = new Cells();
  const rows = r.steps.map((s) => [
    s.route,
    c.pair(s.handlerMs),
    c.pair(s.floorMs),
    c.num(s.dynamoRequests, 0),
    c.num(s.overheadMs),
    c.num(s.ratio, 2),
    c.num(s.otherIoMs),
    String(s.errors + s.replayErrors),
  ]);
  return [
    `2. Warm handler latency vs its DynamoDB floor — ${r.iterations} calls per step after ${r.warmup} warm-up. ${r.method}`,
    ...table(['Step', 'Handler p50 / p99 ms', 'Raw DDB p50 / p99 ms', 'DDB req', 'Overhead p50 ms', '× raw', 'Other I/O ms', 'Errors'], rows, [false, true, true, true, true, true, true, true]),
    ...c.footnotes(),
    ...r.steps.flatMap((s) => (s.firstErrors.length ? [`  ${s.route}: ${s.firstErrors.join('; ')}`] : [])),
    ...(r.absent.length ? [`  Absent from the route list: ${r.absent.join(', ')}`] : []),
    '  DDB req: DynamoDB requests per call (the service-state read of the gate happens at most every 5 s). Other I/O: Stripe’s API (local stand-in) during the payment step.',
  ];
}

const usd = (x: number | NA, c: Cells) => (isNA(x) ? c.na(x) : `$${x.toFixed(4)}`);

function costSection(r: CostResult): string[] {
  const c = new Cells();
  const p = r.perEnrollment;
  const fn = p.functions.map((f) => [f.id, c.num(f.invocations, 2), c.num(f.ms, 0), String(f.memoryMb)]);
  const cost = r.costPer10k;
  const costRows = [
    ['DynamoDB on-demand', `${c.num(p.dynamodb.readUnits)} RRU + ${c.num(p.dynamodb.writeUnits)} WRU`, usd(cost.dynamodb, c)],
    ['Lambda requests', `${c.num(p.lambdaInvocations, 1)} invocations`, usd(cost.lambdaRequests, c)],
    ['Lambda compute (arm64)', `${c.num(p.lambdaGbSeconds, 3)} GB-s`, usd(cost.lambdaCompute, c)],
    ['API Gateway HTTP API', `${c.num(p.apiGatewayRequests, 1)} requests`, usd(cost.apiGateway, c)],
    ['SQS', `${c.num(p.sqs.billable, 1)} requests`, usd(cost.sqs, c)],
    ['SES', `${c.num(p.sesEmails, 1)} mails`, usd(cost.ses, c)],
    ['Total', '', usd(cost.total, c)],
    ['Secrets Manager (upper bound)', `≤ ${c.num(p.secretsManagerCallsMax, 0)} GetSecretValue`, `≤ ${usd(cost.secretsManagerMax, c)}`],
  ];
  const ops = (o: Record<string, number>) =>
    Object.entries(o)
      .filter(([, n]) => n > 0)
      .map(([k, n]) => `${k.replace(/^[A-Za-z]+\./, '')} ${c.num(n, n % 1 ? 1 : 0)}`)
      .join(', ');
  const units = Object.entries(p.dynamodb.unitsByOperation)
    .map(([op, n]) => `${op} ${c.num(n)}`)
    .join(', ');
  return [
    `3. One completed enrollment (mean of ${r.enrollments}, after a warm-up one): ${r.journey.join(' → ')}`,
    ...table(['Function', 'Invocations', 'ms (local)', 'MB'], fn, [false, true, true, true]),
    `  DynamoDB requests: ${ops(p.dynamodb.requests)} (+ ${c.num(p.dynamodb.standInReads, 0)} read(s) of the local CVEC/INES stand-ins, not billed on AWS)`,
    `  DynamoDB units by operation: ${units} (DynamoDB Local itself reported ${c.num(p.dynamodb.unitsReportedByLocal)} for the instrumented requests)`,
    `  SQS: ${ops(p.sqs.requests)} → ${c.num(p.sqs.billable, 1)} billable (receives that delivered + sends + deletes; ${c.num(p.sqs.idleReceives, 1)} idle polls excluded)`,
    `  SES: ${c.num(p.sesEmails, 1)} mail(s). Stripe API calls: ${c.num(p.stripeApiCalls, 1)} (not AWS).`,
    '',
    `  Cost per 10,000 enrollments — ${r.prices.region} list prices in ${r.prices.currency} as of ${r.prices.asOf}${r.prices.verified ? '' : ' (NOT VERIFIED: check config/prices.ts against the AWS price pages)'}`,
    ...table(['Item', 'Per enrollment', 'Per 10,000'], costRows, [false, true, true]),
    ...c.footnotes(),
    ...r.notes.map((n) => `  • ${n}`),
    ...(r.absent.length ? [`  Absent when measured: ${r.absent.join(', ')}`] : []),
  ];
}

function loadSection(r: LoadResult): string[] {
  const c = new Cells();
  const rows = r.routes.map((x) => [x.route, String(x.requests), c.num(x.ms.p50, 0), c.num(x.ms.p99, 0), String(x.errors)]);
  const m = r.memory;
  return [
    `4. Load — ${r.students} students at once over HTTP on the local runtime (127.0.0.1), global timeout ${r.timeoutSeconds} s: ${r.journey}`,
    `  Completed ${r.completed}/${r.students} in ${c.num(r.elapsedSeconds)} s — ${c.num(r.journeysPerSecond, 2)} journeys/s, ${c.num(r.requestsPerSecond)} requests/s (${r.requests} requests); errors: ${r.failed}`,
    ...(r.firstErrors.length ? [`  First errors: ${r.firstErrors.join(' | ')}`] : []),
    `  Journey p50 / p99: ${c.pair(r.journeyMs, 0)} ms`,
    ...table(['Route', 'Requests', 'p50 ms', 'p99 ms', 'Errors'], rows, [false, true, true, true, true]),
    `  Peak RSS: Node process ${c.num(m.nodePeakRssMb, 0)} MB (${c.num(m.nodeRssBeforeMb, 0)} MB before the load; runtime, handlers, SQS/SES servers, Stripe stand-in and load generator share it); ` +
      `DynamoDB Local (java) ${c.num(m.dynamoDbLocalPeakRssMb, 0)} MB during the load, high-water mark ${c.num(m.dynamoDbLocalHwmMb, 0)} MB`,
    isNA(r.mail) ? `  Mail: ${c.na(r.mail)}` : `  Mail: ${r.mail.sent} sent; the last ${c.num(r.mail.drainSeconds)} s after the last journey ended`,
    ...c.footnotes(),
  ];
}

function peakSection(r: PeakResult): string[] {
  const c = new Cells();
  const fmt = (x: number) => (Number.isFinite(x) ? c.num(x, 0) : '∞');
  return [
    `5. The opening minute, on paper — ${r.arrivals} arrivals over ${r.minutes} min (${c.num(r.arrivalsPerSecond, 1)}/s), stage ${r.stage}`,
    `  Lambda concurrency needed: ${c.num(r.totalConcurrency, 0)} in all; ${r.concurrency.map((f) => `${f.id} ${c.num(f.concurrent, 1)}`).join(', ')}`,
    ...table(
      ['Limit', 'Limit /s', 'Used at model', 'Breaks at arrivals/min', 'Raised by'],
      r.limits.map((l) => [l.name, fmt(l.limit), c.num(l.atModel, 1), fmt(l.breaksAtPerMinute), l.raise]),
      [false, true, true, true, false],
    ),
    `  First to break: ${r.firstToBreak.name} at ${fmt(r.firstToBreak.atArrivalsPerMinute)} arrivals/min${r.exceeded.length ? `; exceeded at this rate: ${r.exceeded.join('; ')}` : '; none exceeded at this rate'}`,
    ...r.notes.map((n) => `  ${n}`),
  ];
}

export function formatReport(r: BenchResults): string {
  const m = r.machine;
  const lines = [
    `Inscrire — npm run bench — ${r.date}`,
    `Machine: ${m.cpus} × ${m.cpuModel}, ${m.memoryGb.toFixed(1)} GB, ${m.platform}, Node ${m.node}; load average ${m.loadAverageStart.map((x) => x.toFixed(1)).join(' ')} at start, ${m.loadAverageEnd.map((x) => x.toFixed(1)).join(' ')} at end`,
    '',
  ];
  const section = <T>(part: Part, result: T | NA | undefined, format: (x: T) => string[]) => {
    if (result === undefined) return;
    const took = r.seconds[part] !== undefined ? ` (${r.seconds[part]!.toFixed(0)} s)` : '';
    lines.push(...(isNA(result) ? [`${part}: n/a — ${result.na}`] : format(result)), `  — ${part}${took}`, '');
  };
  section('bundles', r.bundles, bundlesSection);
  section('latency', r.latency, latencySection);
  section('cost', r.cost, costSection);
  section('cost3', r.cost3, (x) => ['Enrollment paid in three parts (first part by Checkout, two off-session charges by InstalmentsDue):', ...costSection(x)]);
  section('load', r.load, loadSection);
  section('peak', r.peak, peakSection);
  return lines.join('\n');
}
