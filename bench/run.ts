/**
 * `npm run bench`: the service's performance figures (not part of `npm test`).
 *
 *   1. bundles  each function's bundle size and module init time vs an empty handler
 *   2. latency  warm latency of each step handler vs the same DynamoDB requests sent raw
 *   3. cost     requests per completed enrollment → cost per 10,000 at list prices
 *      cost3    the same for an enrollment paid in three parts (the daily InstalmentsDue job run
 *               on each later part's day; its one invocation a day is shared by every dossier, not counted)
 *   4. load     N students at once through the whole journey over HTTP
 *   5. peak     one measured journey scaled to N arrivals per minute: concurrency, hot items,
 *               Stripe and API Gateway limits, and which breaks first (bench/peak.ts)
 *
 * Each part runs in a process of its own (bench/part.ts) that starts and stops its own
 * emulators. Prints a table and writes bench/results.json.
 *
 *   npm run bench -- [--only bundles,latency,cost,cost3,load,peak] [--runs 10] [--iterations 200]
 *                    [--enrollments 10] [--students 300] [--timeout 600] [--arrivals 5000] [--minutes 1]
 *
 * Parts not run this time keep their previous figures in bench/results.json (each part's
 * date is in `ranAt`).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { formatReport, isNA, PARTS, type BenchResults, type NA, type Part, type PartOptions } from './report';

const USAGE = `Usage: npm run bench -- [options]
  --only <parts>      comma-separated: ${PARTS.join(', ')} (default: all)
  --runs <n>          fresh processes per function for init times (default 10)
  --iterations <n>    measured calls per step handler (default 200)
  --enrollments <n>   enrollments per pass of the cost measurement (default 10)
  --students <n>      concurrent students of the load test (default 300)
  --timeout <s>       global timeout of the load test in seconds (default 600)
  --arrivals <n>      peak model: students arriving (default 5000)
  --minutes <n>       peak model: over this many minutes (default 1)`;

function positive(name: string, raw: string): number {
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be a positive integer (got ${raw})\n${USAGE}`);
  return n;
}

function options(): PartOptions & { only: Part[] } {
  const { values } = parseArgs({
    options: {
      only: { type: 'string' },
      runs: { type: 'string', default: '10' },
      iterations: { type: 'string', default: '200' },
      enrollments: { type: 'string', default: '10' },
      students: { type: 'string', default: '300' },
      timeout: { type: 'string', default: '600' },
      arrivals: { type: 'string', default: '5000' },
      minutes: { type: 'string', default: '1' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const only = (values.only?.split(',').map((p) => p.trim()) ?? [...PARTS]) as Part[];
  const unknown = only.filter((p) => !PARTS.includes(p));
  if (unknown.length) throw new Error(`unknown part(s): ${unknown.join(', ')}\n${USAGE}`);
  return {
    only: PARTS.filter((p) => only.includes(p)),
    runs: positive('runs', values.runs),
    iterations: positive('iterations', values.iterations),
    enrollments: positive('enrollments', values.enrollments),
    students: positive('students', values.students),
    timeoutSeconds: positive('timeout', values.timeout),
    arrivals: positive('arrivals', values.arrivals),
    minutes: positive('minutes', values.minutes),
  };
}

/** Time a part may take before it is stopped (the load test's own timeout plus its set-up). */
function budgetSeconds(part: Part, o: PartOptions): number {
  return part === 'load' ? o.timeoutSeconds + 600 : 1800;
}

let current: ChildProcess | undefined;

/** Runs a part in a child process (the same Node and tsx loader as this one). */
function runPart(part: Part, o: PartOptions): Promise<unknown> {
  const dir = mkdtempSync(join(tmpdir(), `inscrire-bench-${part}-`));
  const out = join(dir, 'result.json');
  return new Promise<unknown>((resolve) => {
    const child = spawn(process.execPath, [...process.execArgv, join(import.meta.dirname, 'part.ts'), part, out, JSON.stringify(o)], {
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    current = child;
    const timer = setTimeout(() => child.kill('SIGTERM'), budgetSeconds(part, o) * 1000);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      current = undefined;
      let result: unknown = { na: `the ${part} process ended with ${signal ?? `code ${code}`} (see its output above)` } satisfies NA;
      if (code === 0) result = JSON.parse(readFileSync(out, 'utf8')) as unknown;
      rmSync(dir, { recursive: true, force: true });
      resolve(result);
    });
  });
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    // The part stops its own emulators when told to.
    current?.kill('SIGTERM');
    process.exit(130);
  });
}

const o = options();
const cpuList = cpus();
const results: BenchResults = {
  date: new Date().toISOString(),
  machine: {
    cpus: cpuList.length,
    cpuModel: cpuList[0]?.model.trim() ?? 'unknown',
    memoryGb: totalmem() / 1024 ** 3,
    platform: `${process.platform} ${process.arch}`,
    node: process.version,
    loadAverageStart: loadavg(),
    loadAverageEnd: [],
  },
  options: o,
  seconds: {},
  ranAt: {},
};
const file = join(import.meta.dirname, 'results.json');
// Keep the figures of the parts not run this time (e.g. `--only peak` keeps the bundles).
if (existsSync(file)) {
  try {
    const previous = JSON.parse(readFileSync(file, 'utf8')) as BenchResults;
    for (const part of PARTS.filter((p) => !o.only.includes(p) && previous[p] !== undefined)) {
      Object.assign(results, { [part]: previous[part] });
      results.seconds[part] = previous.seconds?.[part];
      results.ranAt![part] = previous.ranAt?.[part] ?? previous.date;
    }
  } catch {
    // An unreadable previous file is replaced.
  }
}
for (const part of o.only) {
  process.stderr.write(`bench: ${part}…\n`);
  const t0 = performance.now();
  const result = await runPart(part, o);
  results.seconds[part] = (performance.now() - t0) / 1000;
  results.ranAt![part] = new Date().toISOString();
  Object.assign(results, { [part]: result });
}
results.machine.loadAverageEnd = loadavg();
writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
console.log(formatReport(results));
console.log(`Written: ${file}`);

// A part that could not run, or a load test with errors, fails the command (the figures are still printed).
const failed = o.only.filter((part) => isNA(results[part]));
const loadErrors = results.load && !isNA(results.load) ? results.load.failed : 0;
if (failed.length || loadErrors) {
  console.log(`FAILED: ${[...failed.map((p) => `${p} did not run`), ...(loadErrors ? [`${loadErrors} load-test journey(s) failed (must be 0)`] : [])].join('; ')}`);
  process.exitCode = 1;
}
