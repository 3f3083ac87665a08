/**
 * One part of the benchmark in a process of its own, spawned by run.ts: fresh module state
 * (SDK clients, caches), its own emulators, and memory figures that are its own.
 *
 *   tsx bench/part.ts <bundles|latency|cost|load|peak> <result file> '<options as JSON>'
 *
 * Handler logs go to stdout (discarded by run.ts); progress goes to stderr.
 */
import { writeFileSync } from 'node:fs';
import { benchBundles } from './bundles';
import { benchCost } from './cost';
import { benchLatency } from './latency';
import { benchLoad } from './load';
import { benchPeak } from './peak';
import { childProcesses } from './processes';
import type { Part, PartOptions } from './report';

const [part, out, json] = process.argv.slice(2) as [Part, string, string];
const options = JSON.parse(json) as PartOptions;
const log = (line: string) => process.stderr.write(`  [${part}] ${line}\n`);

// Interrupted: the parts' own clean-up cannot run, so stop the processes this one started
// (DynamoDB Local's java, an esbuild) by their ids before leaving.
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    for (const child of childProcesses()) process.kill(child.pid, 'SIGTERM');
    process.exit(130);
  });
}

// Children already there (tsx's esbuild service) are the loader's, not the part's.
const before = new Set(childProcesses().map((c) => c.pid));

const run: Record<Part, () => Promise<unknown>> = {
  bundles: () => benchBundles({ runs: options.runs, log }),
  latency: () => benchLatency({ iterations: options.iterations, log }),
  cost: () => benchCost({ enrollments: options.enrollments, log }),
  // The same, each enrollment paid in three parts (the daily job run on each later part's day).
  cost3: () => benchCost({ enrollments: options.enrollments, log, plan: 'instalments' }),
  load: () => benchLoad({ students: options.students, timeoutSeconds: options.timeoutSeconds, log }),
  peak: () => benchPeak({ arrivals: options.arrivals, minutes: options.minutes, log }),
};

const result = await run[part]();
writeFileSync(out, JSON.stringify(result));
for (const child of childProcesses().filter((c) => !before.has(c.pid))) {
  log(`warning: stopping a child process left running (${child.pid}: ${child.cmdline.slice(0, 80)})`);
  process.kill(child.pid, 'SIGTERM');
}
// Sockets kept alive by SDK clients must not hold the process open.
process.exit(0);
