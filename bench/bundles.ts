/**
 * Part 1: each function's deployment bundle and the cost of loading it.
 *
 * The bundles are built by the very construct a deployment uses (`ServiceFunction`, so the
 * same esbuild options, banner, SDK bundling and environment), into a throwaway cloud
 * assembly. Each bundle is then imported by fresh `node` processes, as a Lambda cold start
 * does, with the environment the construct gives that function; the import time is compared
 * with an empty handler built the same way.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { App, Stack } from 'aws-cdk-lib';
import { AttributeType, Table } from 'aws-cdk-lib/aws-dynamodb';
import type { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Bucket } from 'aws-cdk-lib/aws-s3';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import { ASSET_RESOURCE_METADATA_ENABLED_CONTEXT, ASSET_RESOURCE_METADATA_PATH_KEY } from 'aws-cdk-lib/cx-api';
import { PROJECT_ROOT } from '../lib/config';
import { DEFAULT_MEMORY_MB, ServiceFunction, type ServiceResources } from '../lib/constructs/service-function';
import { jobs, routes, type Access } from '../functions/routes';
import { floorClients, floorId, floorSource, meetsFloorTarget, toFloor, type FloorClient } from './floor';
import type { NA } from './report';
import { median, percentile, summarize, type Summary } from './stats';

const execFileAsync = promisify(execFile);

export interface BundleFigure {
  id: string;
  kind: 'route' | 'job' | 'baseline' | 'floor';
  entry: string;
  /** The clients of its floor (bench/floor.ts), derived from its route's `access`. */
  clients?: FloorClient[];
  /** Its floor's id (one floor per set of clients). */
  floor?: string;
  floorBytes?: number | NA;
  /** Median init of its floor, ms, measured in the same run. */
  floorInitMs?: number | NA;
  bytesToFloor?: number | NA;
  /** Median over the rounds of init / the floor's init measured beside it (see benchBundles). */
  initToFloor?: number | NA;
  /** Quartiles of those per-round ratios: how far one run could be from the median. */
  initToFloorSpread?: { p25: number; p75: number; n: number };
  /** bytesToFloor and initToFloor ≤ 1.3, or ≤ 60 KB for a function without AWS access. */
  meetsTarget?: boolean;
  /** Minified `index.mjs`, the code Lambda loads. */
  bytes: number | NA;
  /** The source map shipped beside it (not loaded at init: see lib/constructs/service-function.ts). */
  mapBytes: number | NA;
  /** `await import(bundle)` in a fresh process, ms. */
  initMs: Summary | NA;
  /** From process start to the handler imported (Node bootstrap + init), ms. */
  readyMs: Summary | NA;
  sizeRatio: number | NA;
  initRatio: number | NA;
}

export interface BundlesResult {
  runsPerFunction: number;
  node: string;
  method: string;
  functions: BundleFigure[];
}

interface Buildable {
  id: string;
  kind: BundleFigure['kind'];
  entry: string;
  access: Access;
  memoryMb?: number;
}

const BASELINE: Buildable = { id: 'EmptyHandler', kind: 'baseline', entry: 'bench/fixtures/empty-handler.ts', access: {} };

/**
 * Imports the bundle given as argument and prints how long that took. Nothing is imported
 * before the first clock reading, so the figure is the bundle's own module initialisation.
 */
const CHILD = `
const t0 = performance.now();
const mod = await import(process.argv[1]);
const t1 = performance.now();
if (typeof mod.handler !== 'function') throw new Error('the bundle exports no handler');
process.stdout.write(JSON.stringify({ initMs: t1 - t0, readyMs: t1 }));
`;

interface Built {
  id: string;
  kind: BundleFigure['kind'];
  entry: string;
  file?: string;
  env?: Record<string, string>;
  error?: string;
}

function benchResources(stack: Stack): ServiceResources {
  return {
    table: new Table(stack, 'Table', { partitionKey: { name: 'pk', type: AttributeType.STRING }, sortKey: { name: 'sk', type: AttributeType.STRING } }),
    mailQueue: new Queue(stack, 'MailQueue'),
    mail: { mailFrom: 'inscription-bench@example.org' },
    assistanceEmail: 'assistance-bench@example.org',
    secrets: {
      session: new Secret(stack, 'SessionSecret'),
      stripe: new Secret(stack, 'StripeSecret'),
      national: new Secret(stack, 'NationalApiSecret'),
      originVerify: new Secret(stack, 'OriginVerifySecret'),
    },
    nationalApis: { cvec: 'https://cvec.bench.invalid', ines: 'https://ines.bench.invalid' },
    // Not 'Documents': that is a route's id (GET /api/dossier/documents), built in the same stack.
    documents: new Bucket(stack, 'DocumentsBucket'),
  };
}

/**
 * The environment Lambda would start the function with: the construct's variables (tokens such
 * as the table name replaced by placeholders: nothing is called at import) plus the ones the
 * Lambda runtime itself sets.
 */
function lambdaEnvironment(stack: Stack, fn: ServiceFunction, id: string, memoryMb: number): Record<string, string> {
  const cfn = fn.function.node.defaultChild as CfnFunction;
  const variables = (stack.resolve(cfn.environment) as { variables?: Record<string, unknown> } | undefined)?.variables ?? {};
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(variables)) env[name] = typeof value === 'string' ? value : `bench-placeholder-${name.toLowerCase()}`;
  return {
    ...env,
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    AWS_REGION: 'eu-west-3',
    AWS_DEFAULT_REGION: 'eu-west-3',
    AWS_LAMBDA_FUNCTION_NAME: id,
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(memoryMb),
    TZ: ':UTC',
  };
}

/**
 * One floor per distinct set of clients, written as TypeScript under the project root (so it
 * resolves the same node_modules) and built with the access of a function that needs it.
 */
function floors(functions: Buildable[], dir: string): Buildable[] {
  const byId = new Map<string, Buildable>();
  for (const f of functions) {
    const clients = floorClients(f.access, { http: f.kind === 'route' });
    const id = floorId(clients);
    if (byId.has(id)) continue;
    const file = join(dir, `${id}.ts`);
    writeFileSync(file, floorSource(clients));
    byId.set(id, { id, kind: 'floor', entry: relative(PROJECT_ROOT, file), access: f.access, memoryMb: f.memoryMb });
  }
  return [...byId.values()];
}

function build(outdir: string, floorDir: string, log: (line: string) => void): Built[] {
  const app = new App({ outdir, context: { [ASSET_RESOURCE_METADATA_ENABLED_CONTEXT]: true } });
  const stack = new Stack(app, 'InscrireBench', { env: { account: '000000000000', region: 'eu-west-3' } });
  const resources = benchResources(stack);
  const functions: Buildable[] = [...routes.map((r) => ({ ...r, kind: 'route' as const })), ...jobs.map((j) => ({ ...j, kind: 'job' as const }))];
  const all: Buildable[] = [...functions, ...floors(functions, floorDir), BASELINE];
  return all.map(({ id, entry, access, memoryMb, kind }) => {
    log(`bundling ${id}`);
    try {
      // A bundling failure throws from the constructor: report it, go on with the others.
      const fn = new ServiceFunction(stack, id, { entry, projectRoot: PROJECT_ROOT, stage: 'dev', publicOrigin: 'https://inscrire-bench.invalid' }).bindAccess(access, resources);
      const cfn = fn.function.node.defaultChild as CfnFunction;
      const assetPath = cfn.cfnOptions.metadata?.[ASSET_RESOURCE_METADATA_PATH_KEY] as string | undefined;
      if (!assetPath) throw new Error('no asset path in the function metadata');
      return { id, kind, entry, file: join(outdir, assetPath, 'index.mjs'), env: lambdaEnvironment(stack, fn, id, memoryMb ?? DEFAULT_MEMORY_MB) };
    } catch (err) {
      return { id, kind, entry, error: (err as Error).message.split('\n')[0]!.slice(0, 200) };
    }
  });
}

const isRoute = (def: { id: string }): boolean => routes.some((r) => r.id === def.id);

/** Functions measured between two runs of their floor. */
const FLOOR_EVERY = 3;

/** Each floor and the functions measured against it, in the order built. */
function floorAssignments(built: Built[]): Map<Built, Built[]> {
  const byId = new Map(built.map((b) => [b.id, b]));
  const out = new Map<Built, Built[]>();
  for (const def of [...routes, ...jobs]) {
    const b = byId.get(def.id);
    const floor = byId.get(floorId(floorClients(def.access, { http: isRoute(def) })));
    if (!b || !floor) continue;
    out.set(floor, [...(out.get(floor) ?? []), b]);
  }
  return out;
}

async function importOnce(b: Built): Promise<{ initMs: number; readyMs: number }> {
  const { stdout } = await execFileAsync(process.execPath, ['--input-type=module', '-e', CHILD, pathToFileURL(b.file!).href], {
    env: b.env,
    cwd: join(b.file!, '..'),
    timeout: 60_000,
  });
  return JSON.parse(stdout) as { initMs: number; readyMs: number };
}

const fileSize = (file: string): number | NA => {
  try {
    return statSync(file).size;
  } catch {
    return { na: `${file} not produced` };
  }
};

export async function benchBundles(o: { runs: number; log(line: string): void }): Promise<BundlesResult> {
  const outdir = mkdtempSync(join(tmpdir(), 'inscrire-bench-bundles-'));
  const floorDir = mkdtempSync(join(PROJECT_ROOT, 'bench', '.floors-'));
  try {
    const built = build(outdir, floorDir, o.log);
    const samples = new Map<string, { init: number[]; ready: number[]; error?: string }>(built.map((b) => [b.id, { init: [], ready: [], error: b.error }]));
    // Each function's init is compared with its floor's measured beside it, in the same round:
    // floor, up to FLOOR_EVERY functions, floor again…, and the function's ratio of that round is
    // its init over the mean of the two floor runs around it. On a loaded shared machine the
    // load drifts within minutes; pairing keeps the drift out of the ratio, and the median over
    // the rounds (with its quartiles as the spread) keeps single bursts out of it.
    const pairRatios = new Map<string, number[]>();
    const floorOf = floorAssignments(built);
    const measure = async (b: Built): Promise<number | undefined> => {
      const s = samples.get(b.id)!;
      if (s.error || !b.file) return undefined;
      try {
        const r = await importOnce(b);
        s.init.push(r.initMs);
        s.ready.push(r.readyMs);
        return r.initMs;
      } catch (err) {
        s.error = `import failed: ${((err as { stderr?: string }).stderr || (err as Error).message).trim().split('\n').slice(-1)[0]!.slice(0, 200)}`;
        return undefined;
      }
    };
    for (let run = 0; run < o.runs; run++) {
      o.log(`init times: run ${run + 1}/${o.runs}`);
      for (const [floor, members] of floorOf) {
        // Rotated each round, so no function is always the first after a floor run.
        const order = members.map((_, i) => members[(i + run) % members.length]!);
        let before = await measure(floor);
        for (let i = 0; i < order.length; i += FLOOR_EVERY) {
          const chunk = order.slice(i, i + FLOOR_EVERY);
          const inits: Array<number | undefined> = [];
          for (const b of chunk) inits.push(await measure(b));
          const after = await measure(floor);
          chunk.forEach((b, j) => {
            const init = inits[j];
            const around = [before, after].filter((x): x is number => x !== undefined);
            if (init === undefined || around.length === 0) return;
            const list = pairRatios.get(b.id) ?? [];
            list.push(init / (around.reduce((a, x) => a + x, 0) / around.length));
            pairRatios.set(b.id, list);
          });
          before = after;
        }
      }
      for (const b of built.filter((x) => !floorOf.has(x) && ![...floorOf.values()].some((m) => m.includes(x)))) await measure(b);
    }
    const baseline = built.find((b) => b.kind === 'baseline')!;
    const baseBytes = baseline.file ? fileSize(baseline.file) : undefined;
    const baseInit = samples.get(baseline.id)!.init;
    const figures = built.map((b): BundleFigure => {
      const s = samples.get(b.id)!;
      const na = (why: string): NA => ({ na: why });
      if (!b.file)
        return {
          id: b.id,
          kind: b.kind,
          entry: b.entry,
          bytes: na(`bundling failed: ${s.error}`),
          mapBytes: na('no bundle'),
          initMs: na('no bundle'),
          readyMs: na('no bundle'),
          sizeRatio: na('no bundle'),
          initRatio: na('no bundle'),
        };
      const bytes = fileSize(b.file);
      // Floors run several times a round (beside their functions).
      const ok = !s.error && s.init.length >= o.runs;
      return {
        id: b.id,
        kind: b.kind,
        entry: b.entry,
        bytes,
        mapBytes: fileSize(`${b.file}.map`),
        initMs: ok ? summarize(s.init) : na(s.error ?? 'no samples'),
        readyMs: ok ? summarize(s.ready) : na(s.error ?? 'no samples'),
        sizeRatio: typeof bytes === 'number' && typeof baseBytes === 'number' ? bytes / baseBytes : na('no baseline size'),
        initRatio: ok && baseInit.length ? median(s.init) / median(baseInit) : na(s.error ?? 'no baseline init time'),
      };
    });
    const byId = new Map(figures.map((f) => [f.id, f]));
    const medianOf = (f: BundleFigure | undefined): number | NA => (!f ? { na: 'no floor' } : 'na' in f.initMs ? f.initMs : f.initMs.p50);
    const functions = figures.map((f): BundleFigure => {
      const def = [...routes, ...jobs].find((d) => d.id === f.id);
      if (!def) return f;
      const clients = floorClients(def.access, { http: isRoute(def) });
      const floor = byId.get(floorId(clients));
      const floorBytes = floor?.bytes ?? { na: 'no floor' };
      const floorInitMs = medianOf(floor);
      const paired = pairRatios.get(f.id) ?? [];
      const initToFloor: number | NA = 'na' in f.initMs ? f.initMs : paired.length ? median(paired) : toFloor(medianOf(f), floorInitMs);
      const withFloor = {
        ...f,
        clients,
        floor: floor?.id,
        floorBytes,
        floorInitMs,
        bytesToFloor: toFloor(f.bytes, floorBytes),
        initToFloor,
        ...(paired.length ? { initToFloorSpread: { p25: percentile(paired, 25), p75: percentile(paired, 75), n: paired.length } } : {}),
      };
      return { ...withFloor, meetsTarget: meetsFloorTarget(withFloor) };
    });
    return {
      runsPerFunction: o.runs,
      node: process.version,
      method:
        'Built by lib/constructs/service-function.ts (ServiceFunction, bundled with the installed esbuild) into a temporary cloud assembly; ' +
        `init = await import(index.mjs) in a fresh \`node\` process with the construct's environment (incl. NODE_OPTIONS), median of ${o.runs} runs, round-robin. ` +
        `Init/floor = median over the runs of the function's init over its floor's, the floor measured just before and after every ${FLOOR_EVERY} functions (spread: quartiles). ` +
        'Floor = bench/floor.ts: the clients the function’s access needs, one call each, built by the same construct with the same access.',
      functions,
    };
  } finally {
    rmSync(outdir, { recursive: true, force: true });
    rmSync(floorDir, { recursive: true, force: true });
  }
}
