/**
 * Part 2: warm latency of each step handler, in-process against DynamoDB Local, and its floor.
 *
 * Each step runs on dossiers already in the state it needs, cloned from a template dossier
 * built by the handlers themselves. Clones come in identical twins: the handler works on one
 * while its DynamoDB requests are recorded (wire form), then exactly those requests are sent
 * raw, with a plain DynamoDB client, against the other twin (same item sizes, same conditions).
 * The handler's time over the raw time is its overhead: validation, middleware, JWT checks and
 * renewal, (un)marshalling, domain code — and, for the payment step, its calls to Stripe (the
 * local stand-in here), reported apart.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import * as dynamodb from '@aws-sdk/client-dynamodb';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { ddb, tableName } from '../functions/adapters/dynamo/client';
import { dossierPk } from '../functions/adapters/dynamo/dossiers';
import { tableSchema } from '../functions/adapters/dynamo/table-schema';
import { academicYearAt } from '../functions/domain/windows';
import { routes, type RouteDef, timeoutSecondsOf } from '../functions/routes';
import { issueToken } from '../functions/shared/tokens';
import { stageConfig } from '../config/stages';
import { startDynamoDbLocal } from '../scripts/local/emulators';
import { lambdaContext } from '../scripts/local/lambda-context';
import { ensureTable } from '../scripts/local/provision';
import { repoRoot } from '../scripts/local/runtime';
import { startStripeStandin } from '../scripts/local/stripe-standin';
import { httpEvent } from '../test/support/events';
import { AwsTraffic, DynamoRecorder, forTwin, type DynamoCall } from './aws-calls';
import type { NA } from './report';
import { median, summarize, type Summary } from './stats';
import { admit, batchWrite, benchStudents, IDENTITY, type BenchStudent } from './students';

type Handler = (event: APIGatewayProxyEventV2, context: Context) => Promise<APIGatewayProxyStructuredResultV2>;

/** The dossier state a step starts from. */
type Stage = 'admitted' | 'draft' | 'situated' | 'complete' | 'submitted';

interface StepSpec {
  method: string;
  path: string;
  before: Stage;
  expected: number;
  body?(s: BenchStudent): unknown;
}

const STEPS: StepSpec[] = [
  { method: 'POST', path: '/api/session', before: 'admitted', expected: 201, body: (s) => ({ identifier: s.admission.identifier, birthDate: s.admission.birthDate }) },
  { method: 'GET', path: '/api/dossier', before: 'draft', expected: 200 },
  { method: 'PUT', path: '/api/dossier/identity', before: 'draft', expected: 200, body: () => IDENTITY },
  { method: 'PUT', path: '/api/dossier/ine', before: 'draft', expected: 200, body: (s) => ({ ine: s.ine }) },
  { method: 'PUT', path: '/api/dossier/situation', before: 'draft', expected: 200, body: () => ({ regime: 'formation_initiale', scholarship: 'none' }) },
  { method: 'PUT', path: '/api/dossier/cvec', before: 'situated', expected: 200, body: (s) => ({ certificateNumber: s.cvecNumber }) },
  { method: 'PUT', path: '/api/dossier/programme', before: 'draft', expected: 200, body: (s) => ({ programmeCode: s.admission.programmeCode }) },
  { method: 'POST', path: '/api/dossier/submit', before: 'complete', expected: 200 },
  { method: 'POST', path: '/api/dossier/payment', before: 'submitted', expected: 201 },
];

/** The steps a template goes through to reach each stage (after logging in). */
const PATH_TO: Record<Exclude<Stage, 'admitted'>, string[]> = {
  draft: [],
  situated: ['/api/dossier/identity', '/api/dossier/ine', '/api/dossier/situation'],
  complete: ['/api/dossier/identity', '/api/dossier/ine', '/api/dossier/situation', '/api/dossier/cvec', '/api/dossier/programme'],
  submitted: ['/api/dossier/identity', '/api/dossier/ine', '/api/dossier/situation', '/api/dossier/cvec', '/api/dossier/programme', '/api/dossier/submit'],
};

export interface StepLatency {
  route: string;
  id: string;
  handlerMs: Summary | NA;
  /** The same DynamoDB requests sent raw, one after the other. */
  floorMs: Summary | NA;
  /** Median over iterations of handler − floor. */
  overheadMs: number | NA;
  /** handler p50 / floor p50. */
  ratio: number | NA;
  /** DynamoDB requests per call (median) and their operations on the first measured call. */
  dynamoRequests: number | NA;
  operations: string[];
  /** Time the handler itself spent waiting on DynamoDB (SDK calls), median. */
  inHandlerDynamoMs: number | NA;
  /** Time spent on other services during the call (Stripe's API, the local stand-in here), median. */
  otherIoMs: number | NA;
  errors: number;
  replayErrors: number;
  firstErrors: string[];
}

export interface LatencyResult {
  iterations: number;
  warmup: number;
  method: string;
  steps: StepLatency[];
  absent: string[];
}

const ADMIN_ARN = 'arn:aws:iam::000000000000:user/inscrire-bench';

function routeFor(method: string, path: string): RouteDef | undefined {
  return routes.find((r) => r.method === method && r.path === path);
}

async function loadHandler(route: RouteDef): Promise<Handler> {
  const mod = (await import(pathToFileURL(join(repoRoot, route.entry)).href)) as { handler?: Handler };
  if (typeof mod.handler !== 'function') throw new Error(`${route.entry} does not export a handler`);
  return mod.handler;
}

type RawCommand = Parameters<dynamodb.DynamoDBClient['send']>[0];

function rawCommand(op: string, input: Record<string, unknown>): RawCommand {
  const Ctor = (dynamodb as unknown as Record<string, new (input: unknown) => RawCommand>)[`${op}Command`];
  if (!Ctor) throw new Error(`no raw command for ${op}`);
  return new Ctor(input);
}

/** Copies every item of a dossier (its partition) under fresh ids. */
async function cloneDossier(templateId: string, count: number): Promise<string[]> {
  const out = await ddb.send(
    new QueryCommand({
      TableName: tableName(),
      KeyConditionExpression: '#pk = :pk',
      ExpressionAttributeNames: { '#pk': tableSchema.partitionKey },
      ExpressionAttributeValues: { ':pk': dossierPk(templateId) },
    }),
  );
  const json = JSON.stringify(out.Items ?? []);
  const ids = Array.from({ length: count }, () => randomUUID());
  await batchWrite(ids.flatMap((id) => JSON.parse(json.split(templateId).join(id)) as Record<string, unknown>[]));
  return ids;
}

export async function benchLatency(o: { iterations: number; log(line: string): void }): Promise<LatencyResult> {
  const warmup = Math.max(10, Math.round(o.iterations / 10));
  const pairs = warmup + o.iterations;
  const dynamo = await startDynamoDbLocal();
  let raw: dynamodb.DynamoDBClient | undefined;
  const recorder = new DynamoRecorder();
  // Stripe's API on loopback, as in the local runtime: the payment step never leaves the machine.
  const stripe = await startStripeStandin({
    checkoutPageUrl: (id) => `http://127.0.0.1:9/dev/checkout/${id}`,
    webhookUrl: () => 'http://127.0.0.1:9/api/payments/webhook',
    webhookSecret: () => process.env.STRIPE_WEBHOOK_SECRET!,
    secretKey: () => process.env.STRIPE_SECRET_KEY!,
  });
  const otherIo = new AwsTraffic({ Stripe: stripe.apiBase }).start();
  try {
    // The environment the construct gives a function, pointed at DynamoDB Local. Logs at
    // Powertools' default level (INFO), as deployed; this process's stdout is discarded.
    Object.assign(process.env, {
      AWS_REGION: 'eu-west-3',
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
      AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
      STAGE: 'dev',
      TABLE_NAME: 'inscrire-bench',
      SESSION_SECRET: randomBytes(32).toString('base64url'),
      STRIPE_SECRET_KEY: 'sk_test_inscrire_bench',
      STRIPE_WEBHOOK_SECRET: 'whsec_inscrire_bench',
      STRIPE_API_BASE: stripe.apiBase,
      MAIL_FROM: 'inscription-bench@example.org',
      ASSISTANCE_EMAIL: 'assistance-bench@example.org',
      PUBLIC_ORIGIN: 'http://127.0.0.1:3000',
      POWERTOOLS_SERVICE_NAME: 'inscrire',
      POWERTOOLS_LOG_LEVEL: 'INFO',
      INSCRIRE_LOCAL_STANDINS: '1',
    });
    const rawClient = new dynamodb.DynamoDBClient({});
    raw = rawClient;
    await ensureTable(rawClient, tableName());
    recorder.install();

    const present = STEPS.filter((s) => routeFor(s.method, s.path));
    const absent = STEPS.filter((s) => !routeFor(s.method, s.path)).map((s) => `${s.method} ${s.path}`);
    const handlers = new Map<string, { route: RouteDef; handler: Handler }>();
    for (const s of present) {
      const route = routeFor(s.method, s.path)!;
      handlers.set(s.path, { route, handler: await loadHandler(route) });
    }
    const call = (path: string, event: APIGatewayProxyEventV2) => {
      const { route, handler } = handlers.get(path)!;
      return handler(event, lambdaContext(route.id, timeoutSecondsOf(route)));
    };

    const openService = routeFor('PUT', '/api/admin/service');
    if (!openService) throw new Error('PUT /api/admin/service is needed to open the service for the benchmark');
    const opened = await (await loadHandler(openService))(
      httpEvent({ method: 'PUT', path: openService.path, body: { mode: 'open', reason: 'Banc de performance' }, adminPrincipal: ADMIN_ARN }),
      lambdaContext(openService.id, 10),
    );
    if (opened.statusCode !== 200) throw new Error(`could not open the service: ${opened.statusCode}`);

    // A template student per stage (one login = one dossier), then the login step's own students.
    const academicYear = academicYearAt(new Date(), stageConfig('dev').calendar.timeZone);
    const stages = [...new Set(present.map((s) => s.before))].filter((s): s is Exclude<Stage, 'admitted'> => s !== 'admitted');
    const templateStudents = new Map(benchStudents(stages.length, academicYear).map((s, i) => [stages[i]!, s]));
    const loginStudents = present.some((s) => s.before === 'admitted') ? benchStudents(2 * pairs, academicYear, stages.length) : [];
    await admit([...templateStudents.values(), ...loginStudents]);

    o.log('latency: building template dossiers');
    const templates = new Map<Stage, string>();
    for (const [stage, student] of templateStudents) {
      const login = await call('/api/session', httpEvent({ method: 'POST', path: '/api/session', body: STEPS[0]!.body!(student) }));
      if (login.statusCode !== 201) throw new Error(`template login failed: ${login.statusCode} ${login.body}`);
      const { token, dossier } = JSON.parse(login.body!) as { token: string; dossier: { id: string } };
      for (const path of PATH_TO[stage]) {
        const spec = STEPS.find((s) => s.path === path)!;
        if (!handlers.has(path)) throw new Error(`${path} is needed to prepare the ${stage} stage`);
        const res = await call(path, httpEvent({ method: spec.method, path, body: spec.body?.(student), token }));
        if (res.statusCode !== spec.expected) throw new Error(`template ${path} failed: ${res.statusCode} ${res.body}`);
      }
      templates.set(stage, dossier.id);
    }

    const steps: StepLatency[] = [];
    for (const spec of present) {
      const route = routeFor(spec.method, spec.path)!;
      o.log(`latency: ${route.id} (${pairs} iterations incl. ${warmup} warm-up)`);
      const twins = spec.before === 'admitted' ? loginStudents.map((s) => s.admission.identifier) : await cloneDossier(templates.get(spec.before)!, 2 * pairs);
      const handlerMs: number[] = [];
      const floorMs: number[] = [];
      const overhead: number[] = [];
      const requests: number[] = [];
      const inHandler: number[] = [];
      const otherMs: number[] = [];
      let operations: string[] = [];
      let errors = 0;
      let replayErrors = 0;
      const firstErrors: string[] = [];
      for (let i = 0; i < pairs; i++) {
        const [a, b] = [twins[2 * i]!, twins[2 * i + 1]!];
        const student = spec.before === 'admitted' ? loginStudents[2 * i]! : templateStudents.get(spec.before)!;
        const token = spec.before === 'admitted' ? undefined : (await issueToken({ dossierId: a, academicYear })).token;
        const event = httpEvent({ method: spec.method, path: spec.path, body: spec.body?.(student), token });

        const mark = otherIo.mark();
        recorder.start();
        const t0 = performance.now();
        const res = await call(spec.path, event);
        const t1 = performance.now();
        const calls: DynamoCall[] = recorder.stop();
        const other = otherIo.since(mark).events.reduce((sum, e) => sum + ((e.doneAt ?? t1) - e.at), 0);
        if (res.statusCode !== spec.expected) {
          errors++;
          if (firstErrors.length < 3) firstErrors.push(`${res.statusCode} ${(JSON.parse(res.body || '{}') as { error?: { code?: string } }).error?.code ?? ''}`.trim());
          continue;
        }

        const replay = forTwin(calls, { [a]: b });
        const t2 = performance.now();
        for (const r of replay) {
          try {
            await rawClient.send(rawCommand(r.op, r.input));
          } catch (err) {
            replayErrors++;
            if (firstErrors.length < 3) firstErrors.push(`replay ${r.op}: ${(err as Error).name}`);
          }
        }
        const t3 = performance.now();
        if (i < warmup) continue;
        handlerMs.push(t1 - t0);
        floorMs.push(t3 - t2);
        overhead.push(t1 - t0 - (t3 - t2));
        requests.push(calls.length);
        inHandler.push(calls.reduce((s, c) => s + c.ms, 0));
        otherMs.push(other);
        if (operations.length === 0) operations = calls.map((c) => c.op);
      }
      const na = (why: string): NA => ({ na: why });
      const measured = handlerMs.length > 0;
      const why = `no successful call (${firstErrors.join('; ') || 'no sample'})`;
      steps.push({
        route: `${spec.method} ${spec.path}`,
        id: route.id,
        handlerMs: measured ? summarize(handlerMs) : na(why),
        floorMs: measured ? summarize(floorMs) : na(why),
        overheadMs: measured ? median(overhead) : na(why),
        ratio: measured ? median(handlerMs) / median(floorMs) : na(why),
        dynamoRequests: measured ? median(requests) : na(why),
        operations,
        inHandlerDynamoMs: measured ? median(inHandler) : na(why),
        otherIoMs: measured ? median(otherMs) : na(why),
        errors,
        replayErrors,
        firstErrors,
      });
    }
    return {
      iterations: o.iterations,
      warmup,
      method:
        'In-process handler calls (warm modules, fresh twin dossiers in the needed state) against DynamoDB Local; floor = the DynamoDB requests recorded ' +
        'during the call (wire form) replayed sequentially with a plain DynamoDBClient against the identical twin. Service-state cache and log level as deployed.',
      steps,
      absent,
    };
  } finally {
    otherIo.stop();
    recorder.destroy();
    raw?.destroy();
    await stripe.stop();
    await dynamo.stop();
  }
}
