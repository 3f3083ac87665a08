/**
 * Part 3: what one completed enrollment uses, and what 10,000 would cost at list prices.
 *
 * Students go, one at a time, through the whole journey over HTTP on the local runtime (login,
 * steps, submit, card payment through the Stripe stand-in, its signed webhook, the outbox
 * relay, the mail queue and the mailer), and everything that reaches an AWS emulator or the
 * API gateway is counted until the mail has gone and the service is quiet again.
 *
 * Two passes over different students: the first counts requests and times the functions, the
 * second asks DynamoDB for each request's consumed capacity (and reads the images a
 * transaction's estimate needs) — which would otherwise lengthen the timed functions.
 */
import { performance } from 'node:perf_hooks';
import { prices } from '../config/prices';
import { stageConfig } from '../config/stages';
import { tableSchema } from '../functions/adapters/dynamo/table-schema';
import { academicYearAt } from '../functions/domain/windows';
import { jobs, matchPath, routes, type JobDef, type RouteDef } from '../functions/routes';
import { DEFAULT_MEMORY_MB } from '../lib/constructs/service-function';
import { startLocal } from '../scripts/local/runtime';
import { AwsTraffic, countByOperation, DynamoRecorder, READ_OPS, type AwsEvent, type DynamoCall, type ServedRequest } from './aws-calls';
import { paymentFlow, runJourney } from './journey';
import type { NA } from './report';
import { sharedAndPerStudent, stripeEndpoints, writeHotspots } from './peak';
import { admit, benchStudents } from './students';

/** How long to wait for the mail once the student is enrolled. */
const MAIL_TIMEOUT_MS = 30_000;
/** The service is quiet when nothing but the pollers' idle reads happened for this long. */
const QUIET_MS = 1_000;
const JOURNEY_TIMEOUT_MS = 60_000;

export interface FunctionUse {
  id: string;
  invocations: number;
  /** Billed-duration proxy: local wall time of the invocations, ms (sum per enrollment). */
  ms: number | NA;
  memoryMb: number;
  how: string;
}

export interface CostResult {
  enrollments: number;
  /** `instalments`: enrollments paid in three parts (SPEC "Instalments"): bench part `cost3`. */
  plan?: 'full' | 'instalments';
  journey: string[];
  absent: string[];
  perEnrollment: {
    functions: FunctionUse[];
    apiGatewayRequests: number;
    lambdaInvocations: number;
    lambdaGbSeconds: number | NA;
    dynamodb: {
      /** Requests by operation, every client included (the local stand-ins' reads excluded). */
      requests: Record<string, number>;
      readUnits: number;
      writeUnits: number;
      /** Read and write units by operation (the stand-ins' reads excluded). */
      unitsByOperation: Record<string, number>;
      /** What DynamoDB Local itself reported for the same requests (its transaction figures are unreliable). */
      unitsReportedByLocal: number;
      /** Requests of clients the benchmark cannot instrument (Powertools idempotency's own client), at 1 unit each. */
      unitsAssumed: number;
      standInReads: number;
      /** Write units per enrollment on items every student shares, the busiest student item, index partitions (bench/peak.ts). */
      hotspots: { sharedItems: Record<string, number>; maxWritesToOneStudentItem: number; indexPartitions: Record<string, number> };
    };
    sqs: { requests: Record<string, number>; billable: number; idleReceives: number };
    sesEmails: number;
    stripeApiCalls: number;
    /** Stripe requests per enrollment by endpoint, ids replaced by `{id}`. */
    stripeByEndpoint: Record<string, number>;
    /** Upper bound: one GetSecretValue per secret per invocation (the functions cache secrets 5 minutes). */
    secretsManagerCallsMax: number;
  };
  costPer10k: {
    dynamodb: number;
    lambdaRequests: number;
    lambdaCompute: number | NA;
    apiGateway: number;
    sqs: number;
    ses: number;
    total: number | NA;
    secretsManagerMax: number;
  };
  prices: typeof prices;
  notes: string[];
}

interface Sample {
  events: AwsEvent[];
  served: ServedRequest[];
  calls: DynamoCall[];
}

const IDLE = (e: AwsEvent) => (e.service === 'SQS' && e.op === 'ReceiveMessage') || e.service === 'DynamoDBStreams';

function routeOf(r: ServedRequest): RouteDef | undefined {
  return routes.find((route) => route.method === r.method && matchPath(route.path, r.path));
}

function isStandInRead(c: DynamoCall): boolean {
  const key = (c.input.Key ?? {}) as Record<string, { S?: string }>;
  return key[tableSchema.partitionKey]?.S?.startsWith('DEV#') ?? false;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Waits for the mail (when one is expected) and then for the service to fall quiet. */
async function settle(traffic: AwsTraffic, mark: ReturnType<AwsTraffic['mark']>, expectMail: boolean): Promise<boolean> {
  const deadline = performance.now() + MAIL_TIMEOUT_MS;
  const seen = () => traffic.since(mark).events;
  let mailed = false;
  while (expectMail && performance.now() < deadline) {
    const events = seen();
    mailed = events.some((e) => e.op === 'SendEmail') && events.some((e) => e.service === 'SQS' && e.op.startsWith('DeleteMessage'));
    if (mailed) break;
    await sleep(100);
  }
  for (;;) {
    const busy = seen().filter((e) => !IDLE(e));
    const last = Math.max(0, ...busy.map((e) => e.doneAt ?? performance.now()));
    if (performance.now() - last >= QUIET_MS) return mailed;
    await sleep(100);
  }
}

/** When the poller's last read of `trigger` before `marker` came back: the invocation started then. */
function fedAt(events: AwsEvent[], marker: AwsEvent, trigger: (e: AwsEvent) => boolean): number | undefined {
  return events.filter((e) => trigger(e) && e.doneAt !== undefined && e.doneAt <= marker.at).at(-1)?.doneAt;
}

const memoryOf = (d: RouteDef | JobDef) => d.memoryMb ?? DEFAULT_MEMORY_MB;
const avg = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / Math.max(1, xs.length);

export async function benchCost(o: { enrollments: number; log(line: string): void; plan?: 'full' | 'instalments' }): Promise<CostResult> {
  process.env.POWERTOOLS_LOG_LEVEL ??= 'INFO';
  const rt = await startLocal({ port: 0, seed: false, log: () => undefined });
  const recorder = new DynamoRecorder().install();
  const traffic = new AwsTraffic(
    { DynamoDB: rt.endpoints.dynamodb, SQS: rt.endpoints.sqs, SESv2: rt.endpoints.ses, ...(process.env.STRIPE_API_BASE ? { Stripe: process.env.STRIPE_API_BASE } : {}) },
    rt.port,
  ).start();
  const notes: string[] = [];
  try {
    const base = `http://127.0.0.1:${rt.port}`;
    const flow = paymentFlow();
    const pay = flow.payment && flow.webhook;
    const mailJob = jobs.find((j) => j.trigger.kind === 'mailQueue');
    const relayJob = jobs.find((j) => j.trigger.kind === 'tableStream');
    const absent = [
      ...(flow.payment ? [] : ['POST /api/dossier/payment']),
      ...(flow.webhook ? [] : ['POST /api/payments/webhook']),
      ...(mailJob ? [] : ['mail queue consumer (mailer)']),
      ...(relayJob ? [] : ['outbox relay']),
    ];
    let expectMail = Boolean(mailJob && relayJob);

    const academicYear = academicYearAt(new Date(), stageConfig('dev').calendar.timeZone);
    // One more student for a warm-up enrollment: the gateway loads each handler on its first
    // request; the measured enrollments then see warm functions, as most do on Lambda.
    const students = benchStudents(2 * o.enrollments + 1, academicYear);
    await admit(students);

    const runPass = async (pass: 'count' | 'capacity', offset: number): Promise<Sample[]> => {
      recorder.capacity = pass === 'capacity';
      const samples: Sample[] = [];
      for (let k = 0; k < o.enrollments; k++) {
        o.log(`cost: ${pass} pass, enrollment ${k + 1}/${o.enrollments}`);
        const mark = traffic.mark();
        recorder.start();
        const outcome = await runJourney(students[offset + k]!, { base, pay, plan: o.plan, deadline: performance.now() + JOURNEY_TIMEOUT_MS });
        const mailed = outcome.ok ? await settle(traffic, mark, expectMail) : false;
        const calls = recorder.stop();
        if (!outcome.ok) throw new Error(`enrollment failed: ${outcome.error}`);
        if (expectMail && !mailed) {
          notes.push(`No mail was sent within ${MAIL_TIMEOUT_MS / 1000} s of an enrollment: mail figures are for what happened.`);
          expectMail = false;
        }
        samples.push({ ...traffic.since(mark), calls });
      }
      return samples;
    };
    o.log('cost: warm-up enrollment');
    const warmMark = traffic.mark();
    const warm = await runJourney(students[2 * o.enrollments]!, { base, pay, plan: o.plan, deadline: performance.now() + JOURNEY_TIMEOUT_MS });
    if (!warm.ok) throw new Error(`warm-up enrollment failed: ${warm.error}`);
    await settle(traffic, warmMark, expectMail);
    const counted = await runPass('count', 0);
    const measured = await runPass('capacity', o.enrollments);

    // Functions: HTTP routes from the gateway's side; jobs from the calls that mark their invocations.
    const functions: FunctionUse[] = [];
    const perRoute = new Map<string, { n: number; ms: number }>();
    for (const s of counted) {
      for (const r of s.served) {
        const route = routeOf(r);
        if (!route) continue;
        const agg = perRoute.get(route.id) ?? { n: 0, ms: 0 };
        agg.n += 1;
        agg.ms += r.ms;
        perRoute.set(route.id, agg);
      }
    }
    for (const route of routes) {
      const agg = perRoute.get(route.id);
      if (agg) functions.push({ id: route.id, invocations: agg.n / counted.length, ms: agg.ms / counted.length, memoryMb: memoryOf(route), how: 'requests served by the API gateway' });
    }
    const jobUse = (job: JobDef | undefined, marker: (e: AwsEvent) => boolean, window: (events: AwsEvent[], m: AwsEvent) => number | undefined, how: string) => {
      if (!job) return;
      const perSample = counted.map((s) => {
        const windows = s.events.filter(marker).map((m) => window(s.events, m));
        return { n: windows.length, ms: windows.every((w) => w !== undefined) ? windows.reduce((a: number, w) => a + w!, 0) : undefined };
      });
      const n = avg(perSample.map((p) => p.n));
      if (n === 0) return;
      const timed = perSample.every((p) => p.ms !== undefined);
      functions.push({ id: job.id, invocations: n, ms: timed ? avg(perSample.map((p) => p.ms!)) : { na: 'invocation window not observed' }, memoryMb: memoryOf(job), how });
    };
    const isStreamRead = (e: AwsEvent) => e.service === 'DynamoDBStreams' && e.op === 'GetRecords';
    const isReceive = (e: AwsEvent) => e.service === 'SQS' && e.op === 'ReceiveMessage';
    jobUse(
      relayJob,
      (e) => e.service === 'SQS' && e.op.startsWith('SendMessage'),
      (events, m) => {
        const start = fedAt(events, m, isStreamRead);
        const next = events.find((e) => e.service === 'DynamoDBStreams' && e.at >= (m.doneAt ?? m.at));
        return start !== undefined && next ? next.at - start : undefined;
      },
      'one per SendMessage(Batch) to the mail queue; time from the stream read that fed it to the poller’s next read',
    );
    jobUse(
      mailJob,
      (e) => e.service === 'SQS' && e.op.startsWith('DeleteMessage'),
      (events, m) => {
        const start = fedAt(events, m, isReceive);
        return start !== undefined ? m.at - start : undefined;
      },
      'one per DeleteMessage(Batch) (the event source mapping deletes each successful batch); time from the receive to the delete',
    );
    const lambdaInvocations = functions.reduce((s, f) => s + f.invocations, 0);
    const untimed = functions.filter((f) => typeof f.ms !== 'number').map((f) => f.id);
    const lambdaGbSeconds: number | NA = untimed.length ? { na: `no duration for ${untimed.join(', ')}` } : functions.reduce((s, f) => s + ((f.ms as number) / 1000) * (f.memoryMb / 1024), 0);
    const apiGatewayRequests = functions.filter((f) => routes.some((r) => r.id === f.id)).reduce((s, f) => s + f.invocations, 0);

    // DynamoDB: every client's requests (first pass), capacity from the second.
    const dynamoEvents = counted.flatMap((s) => s.events.filter((e) => e.service === 'DynamoDB'));
    const standInReads = counted.flatMap((s) => s.calls.filter(isStandInRead)).length / counted.length;
    const requests = countByOperation(dynamoEvents);
    for (const c of counted.flatMap((s) => s.calls.filter(isStandInRead))) requests[`DynamoDB.${c.op}`] = (requests[`DynamoDB.${c.op}`] ?? 0) - 1;
    for (const key of Object.keys(requests)) requests[key] = requests[key]! / counted.length;

    const billed = measured.flatMap((s) => s.calls.filter((c) => !isStandInRead(c) && !c.error));
    const unitsOf = (c: DynamoCall) => c.estimatedCapacity ?? c.reportedCapacity ?? 0;
    let readUnits = billed.filter((c) => READ_OPS.has(c.op)).reduce((s, c) => s + unitsOf(c), 0) / measured.length;
    let writeUnits = billed.filter((c) => !READ_OPS.has(c.op)).reduce((s, c) => s + unitsOf(c), 0) / measured.length;
    const unitsByOperation: Record<string, number> = {};
    for (const c of billed) unitsByOperation[c.op] = (unitsByOperation[c.op] ?? 0) + unitsOf(c) / measured.length;
    const unitsReportedByLocal = billed.reduce((s, c) => s + (c.reportedCapacity ?? 0), 0) / measured.length;
    const failedWrites = measured.flatMap((s) => s.calls.filter((c) => c.error)).length;
    if (failedWrites) notes.push(`${failedWrites} DynamoDB request(s) failed during the capacity pass (counted as requests, not as capacity).`);
    // Requests made by clients other than the shared one (seen on the wire only).
    const uninstrumented = countByOperation(measured.flatMap((s) => s.events.filter((e) => e.service === 'DynamoDB')));
    for (const c of measured.flatMap((s) => s.calls)) uninstrumented[`DynamoDB.${c.op}`] = (uninstrumented[`DynamoDB.${c.op}`] ?? 0) - 1;
    let unitsAssumed = 0;
    for (const [op, n] of Object.entries(uninstrumented)) {
      if (n <= 0) continue;
      const perEnrollment = n / measured.length;
      unitsAssumed += perEnrollment;
      const name = op.replace('DynamoDB.', '');
      unitsByOperation[name] = (unitsByOperation[name] ?? 0) + perEnrollment;
      if (READ_OPS.has(name)) readUnits += perEnrollment;
      else writeUnits += perEnrollment;
    }
    if (unitsAssumed)
      notes.push(
        `${unitsAssumed} DynamoDB request(s) per enrollment come from a DynamoDB client other than the shared one (in this code base, the mailer's Powertools idempotency store, whose records are under 1 KB): counted at 1 unit each.`,
      );

    // SQS: what the service sends, the receives that delivered (one per mailer invocation), the deletes.
    const sqsEvents = counted.flatMap((s) => s.events.filter((e) => e.service === 'SQS'));
    const sqsRequests = countByOperation(sqsEvents);
    for (const key of Object.keys(sqsRequests)) sqsRequests[key] = sqsRequests[key]! / counted.length;
    const mailerInvocations = functions.find((f) => f.id === mailJob?.id)?.invocations ?? 0;
    const receives = sqsRequests['SQS.ReceiveMessage'] ?? 0;
    const sqsBillable =
      Object.entries(sqsRequests)
        .filter(([op]) => op !== 'SQS.ReceiveMessage')
        .reduce((s, [, n]) => s + n, 0) + mailerInvocations;
    const sesEmails = counted.flatMap((s) => s.events.filter((e) => e.service === 'SESv2' && e.op === 'SendEmail')).length / counted.length;
    const stripeApiCalls = counted.flatMap((s) => s.events.filter((e) => e.service === 'Stripe')).length / counted.length;
    const stripeByEndpoint = stripeEndpoints(countByOperation(counted.flatMap((s) => s.events.filter((e) => e.service === 'Stripe'))));
    for (const key of Object.keys(stripeByEndpoint)) stripeByEndpoint[key] = stripeByEndpoint[key]! / counted.length;
    const perItem = counted.map((s) => sharedAndPerStudent(writeHotspots(s.calls.filter((c) => !c.error)).byItem));
    const perIndex = counted.map((s) => writeHotspots(s.calls.filter((c) => !c.error)).byIndexPartition);
    const averaged = (maps: Record<string, number>[]) => {
      const out: Record<string, number> = {};
      for (const m of maps) for (const [k, n] of Object.entries(m)) out[k] = (out[k] ?? 0) + n / maps.length;
      return out;
    };
    const hotspots = {
      sharedItems: averaged(perItem.map((p) => p.shared)),
      maxWritesToOneStudentItem: Math.max(0, ...perItem.map((p) => p.maxPerStudent)),
      indexPartitions: averaged(perIndex),
    };
    const secretsManagerCallsMax = functions.reduce((s, f) => {
      const def = [...routes, ...jobs].find((d) => d.id === f.id);
      return s + f.invocations * new Set(def?.access.secrets ?? []).size;
    }, 0);

    const per10k = 10_000;
    const dynamodbCost = ((readUnits * prices.dynamodb.perMillionReadRequestUnits + writeUnits * prices.dynamodb.perMillionWriteRequestUnits) / 1e6) * per10k;
    const lambdaRequests = ((lambdaInvocations * prices.lambda.perMillionRequests) / 1e6) * per10k;
    const lambdaCompute: number | NA = typeof lambdaGbSeconds === 'number' ? lambdaGbSeconds * prices.lambda.perGbSecondArm * per10k : lambdaGbSeconds;
    const apiGateway = ((apiGatewayRequests * prices.apiGatewayHttp.perMillionRequests) / 1e6) * per10k;
    const sqs = ((sqsBillable * prices.sqs.perMillionRequests) / 1e6) * per10k;
    const ses = ((sesEmails * prices.ses.perThousandEmails) / 1000) * per10k;
    const total: number | NA = typeof lambdaCompute === 'number' ? dynamodbCost + lambdaRequests + lambdaCompute + apiGateway + sqs + ses : { na: 'Lambda compute unknown' };

    notes.push(
      'Lambda compute uses local wall time (x86, shared machine, DynamoDB Local on loopback) as a proxy for billed Arm duration; cold-start init time is not included.',
      'Not counted: CloudWatch Logs ingestion and X-Ray traces (volume not measured locally), DynamoDB storage and backups, data transfer, KMS, the fixed monthly costs (secrets, alarms), free tiers, and Stripe’s own fees.',
      'The event source mappings’ idle polling (SQS receives, stream reads) is a fixed cost of the deployment, not of an enrollment: excluded.',
    );

    return {
      enrollments: o.enrollments,
      plan: o.plan ?? 'full',
      journey: [
        'POST /api/session',
        'PUT identity, ine, situation (formation initiale, ' + (pay ? 'no scholarship' : 'scholarship granted: nothing to pay') + '), cvec, programme',
        'POST /api/dossier/submit',
        ...(pay ? [`POST /api/dossier/payment${o.plan === 'instalments' ? ' {plan:"instalments"}' : ''}`, 'POST /dev/checkout/{id}/pay (stand-in: Stripe sends the signed webhook)'] : []),
        'GET /api/dossier until enrolled',
        ...(o.plan === 'instalments' ? ['for parts 2 and 3: InstalmentsDue on the due day (off-session PaymentIntent, signed webhook), GET /api/dossier until paid'] : []),
        ...(relayJob && mailJob ? ['outbox relay → mail queue → mailer → SES'] : []),
      ],
      absent,
      perEnrollment: {
        functions,
        apiGatewayRequests,
        lambdaInvocations,
        lambdaGbSeconds,
        dynamodb: { requests, readUnits, writeUnits, unitsByOperation, unitsReportedByLocal, unitsAssumed, standInReads, hotspots },
        sqs: { requests: sqsRequests, billable: sqsBillable, idleReceives: receives - mailerInvocations },
        sesEmails,
        stripeApiCalls,
        stripeByEndpoint,
        secretsManagerCallsMax,
      },
      costPer10k: {
        dynamodb: dynamodbCost,
        lambdaRequests,
        lambdaCompute,
        apiGateway,
        sqs,
        ses,
        total,
        secretsManagerMax: ((secretsManagerCallsMax * prices.secretsManager.perTenThousandApiCalls) / 10_000) * per10k,
      },
      prices,
      notes,
    };
  } finally {
    traffic.stop();
    recorder.destroy();
    await rt.stop();
  }
}
