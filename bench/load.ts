/**
 * Part 4: N students at once through the whole journey, over HTTP on the local runtime (one
 * process: gateway, handlers, SQS and SES servers, Stripe stand-in; DynamoDB Local in its own
 * java process). Only 127.0.0.1 is ever called. Bounded by a global timeout.
 */
import { performance } from 'node:perf_hooks';
import { stageConfig } from '../config/stages';
import { jobs } from '../functions/routes';
import { academicYearAt } from '../functions/domain/windows';
import { startLocal } from '../scripts/local/runtime';
import { AwsTraffic } from './aws-calls';
import { paymentFlow, runJourney, type RequestSample } from './journey';
import { childProcesses, procStatusKb } from './processes';
import type { NA } from './report';
import { summarize, type Summary } from './stats';
import { admit, benchStudents } from './students';

/** After the last journey, how long the mail pipeline may take to drain. */
const DRAIN_TIMEOUT_MS = 120_000;
const DRAIN_QUIET_MS = 2_000;

export interface RouteLoad {
  route: string;
  requests: number;
  errors: number;
  ms: Summary;
}

export interface LoadResult {
  students: number;
  timeoutSeconds: number;
  journey: string;
  completed: number;
  failed: number;
  firstErrors: string[];
  elapsedSeconds: number;
  journeysPerSecond: number;
  requests: number;
  requestsPerSecond: number;
  journeyMs: Summary | NA;
  routes: RouteLoad[];
  memory: {
    /** This process (runtime, handlers, SQS/SES servers, Stripe stand-in and the load generator). */
    nodePeakRssMb: number;
    nodeRssBeforeMb: number;
    /** DynamoDB Local's java process, sampled during the load. */
    dynamoDbLocalPeakRssMb: number | NA;
    /** Its high-water mark since it started (VmHWM), start-up and seeding included. */
    dynamoDbLocalHwmMb: number | NA;
  };
  mail: { sent: number; drainSeconds: number } | NA;
}

const mb = (bytes: number) => bytes / 1024 / 1024;

export async function benchLoad(o: { students: number; timeoutSeconds: number; log(line: string): void }): Promise<LoadResult> {
  process.env.POWERTOOLS_LOG_LEVEL ??= 'INFO';
  const rt = await startLocal({ port: 0, seed: true, log: () => undefined });
  const traffic = new AwsTraffic({ SQS: rt.endpoints.sqs, SESv2: rt.endpoints.ses }).start();
  let sampler: NodeJS.Timeout | undefined;
  try {
    const base = `http://127.0.0.1:${rt.port}`;
    const flow = paymentFlow();
    const pay = flow.payment && flow.webhook;
    const academicYear = academicYearAt(new Date(), stageConfig('dev').calendar.timeZone);
    const students = benchStudents(o.students, academicYear);
    o.log(`load: admitting ${o.students} students`);
    await admit(students);

    // DynamoDB Local is a child of this process (the runtime spawns `java -jar DynamoDBLocal.jar`).
    const javaPid = childProcesses().find((p) => p.cmdline.includes('DynamoDBLocal.jar'))?.pid;
    const nodeRssBefore = process.memoryUsage().rss;
    let nodePeak = nodeRssBefore;
    let javaPeakKb = 0;
    sampler = setInterval(() => {
      nodePeak = Math.max(nodePeak, process.memoryUsage().rss);
      if (javaPid) javaPeakKb = Math.max(javaPeakKb, procStatusKb(javaPid, 'VmRSS') ?? 0);
    }, 100);

    const samples: RequestSample[] = [];
    const journeyMs: number[] = [];
    const errors: string[] = [];
    let completed = 0;
    const t0 = performance.now();
    const deadline = t0 + o.timeoutSeconds * 1000;
    const progress = setInterval(() => o.log(`load: ${completed}/${o.students} enrolled, ${errors.length} failed, ${samples.length} requests`), 5000);
    const mark = traffic.mark();
    try {
      await Promise.all(
        students.map(async (s) => {
          const started = performance.now();
          const outcome = await runJourney(s, { base, pay, deadline, onRequest: (r) => samples.push(r) });
          if (outcome.ok) {
            completed++;
            journeyMs.push(performance.now() - started);
          } else {
            errors.push(outcome.error ?? 'unknown');
          }
        }),
      );
    } finally {
      clearInterval(progress);
    }
    const elapsed = (performance.now() - t0) / 1000;

    // The mails of these enrollments: until the pipeline falls quiet.
    let mail: LoadResult['mail'] = { na: 'no mail pipeline in the route list' };
    if (jobs.some((j) => j.trigger.kind === 'mailQueue') && jobs.some((j) => j.trigger.kind === 'tableStream')) {
      const drainStart = performance.now();
      const isWork = (e: { service: string; op: string }) => !(e.service === 'SQS' && e.op === 'ReceiveMessage');
      for (;;) {
        const work = traffic.since(mark).events.filter(isWork);
        const last = Math.max(drainStart, ...work.map((e) => e.doneAt ?? performance.now()));
        if (performance.now() - last >= DRAIN_QUIET_MS || performance.now() - drainStart > DRAIN_TIMEOUT_MS) break;
        await new Promise((r) => setTimeout(r, 200));
      }
      const events = traffic.since(mark).events;
      const sent = events.filter((e) => e.service === 'SESv2' && e.op === 'SendEmail').length;
      const lastSend = Math.max(drainStart, ...events.filter((e) => e.service === 'SESv2').map((e) => e.doneAt ?? e.at));
      mail = { sent, drainSeconds: (lastSend - drainStart) / 1000 };
    }
    clearInterval(sampler);
    sampler = undefined;

    const byRoute = new Map<string, RequestSample[]>();
    for (const r of samples) {
      if (!byRoute.has(r.route)) byRoute.set(r.route, []);
      byRoute.get(r.route)!.push(r);
    }
    const hwm = javaPid ? procStatusKb(javaPid, 'VmHWM') : undefined;
    const noJava: NA = { na: 'DynamoDB Local process not found under /proc (Linux only)' };
    return {
      students: o.students,
      timeoutSeconds: o.timeoutSeconds,
      journey: `login → identity → ine → situation → cvec → programme → submit${pay ? ' → payment → stand-in pay (signed webhook)' : ''} → GET dossier until enrolled`,
      completed,
      failed: errors.length,
      firstErrors: [...new Set(errors)].slice(0, 5),
      elapsedSeconds: elapsed,
      journeysPerSecond: completed / elapsed,
      requests: samples.length,
      requestsPerSecond: samples.length / elapsed,
      journeyMs: journeyMs.length ? summarize(journeyMs) : { na: 'no journey completed' },
      routes: [...byRoute].map(([route, rs]) => ({
        route,
        requests: rs.length,
        errors: rs.filter((r) => r.status === 0 || r.status >= 400).length,
        ms: summarize(rs.map((r) => r.ms)),
      })),
      memory: {
        nodePeakRssMb: mb(nodePeak),
        nodeRssBeforeMb: mb(nodeRssBefore),
        dynamoDbLocalPeakRssMb: javaPid ? javaPeakKb / 1024 : noJava,
        dynamoDbLocalHwmMb: hwm !== undefined ? hwm / 1024 : noJava,
      },
      mail,
    };
  } finally {
    if (sampler) clearInterval(sampler);
    traffic.stop();
    await rt.stop();
  }
}
