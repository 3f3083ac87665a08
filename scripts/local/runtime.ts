/**
 * The whole service in one process: emulators, table and queues, every route of the route
 * list behind a local API Gateway, the mail queue's event source mapping, the window
 * schedules and the `rate` jobs, the `/dev` routes and the student pages. Used by
 * `npm start` and by tests.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { stageConfig, type Calendar } from '../../config/stages';
import { jobs, routes, type JobDef, type RouteDef, timeoutSecondsOf } from '../../functions/routes';
import { startDynamoDbLocal, startLocalS3, startSes, startSqs, type Emulator, type S3Event } from './emulators';
import { canonicalRedirect } from './canonical-host';
import { createCheckoutPage } from './checkout-page';
import { createDevRoutes } from './dev-routes';
import { createGateway, type LambdaHttpHandler } from './gateway';
import { createDevJobs } from './dev-jobs';
import { lambdaContext } from './lambda-context';
import { startOidcProvider, type DemoOperator } from './oidc';
import { ensureBucket, ensureQueues, ensureTable } from './provision';
import { startQueuePoller, type SqsHandler } from './queue-poller';
import { startStreamPoller, type StreamHandler } from './stream-poller';
import { startDailySchedule, startRateSchedule, startScheduler } from './scheduler';
import { seedDemo, type DemoStudent } from './seed';
import { startStripeStandin } from './stripe-standin';
import { createStaticSite } from './static';
import { discover } from '../ops/oauth';
import { academicYearAt, computeServiceState } from '../../functions/domain/windows';
import { getServiceRecord, setOverride } from '../../functions/adapters/dynamo/service-state';
import { ddb } from '../../functions/adapters/dynamo/client';
import { asEntry, enforceTableAccess } from './table-access';
import { requeueUnsentMail } from './outbox-recovery';

export const repoRoot = resolve(import.meta.dirname, '../..');

export interface LocalOptions {
  /** @default 3000 (0: any free port) */
  port?: number;
  /** Folder for DynamoDB files and generated local secrets; in memory when absent. */
  dataDir?: string;
  adminToken?: string;
  webhookSecret?: string;
  /**
   * An OpenID Connect provider already running (the tests' global setup starts one) that admin
   * routes trust, as the user pool on AWS. @default a provider of the runtime's own
   */
  oidc?: LocalOidcInfo;
  /** Seed the demo admissions and stand-in records. @default true */
  seed?: boolean;
  /**
   * Outside the enrollment windows, force the service open (an audited operator override) so
   * the demo can be used at any time of year; `npm run ops -- calendar` returns to the calendar.
   * Only applied when no override exists yet. @default true
   */
  demoOpen?: boolean;
  log?(line: string): void;
}

/** The local user pool: issuer, client ids, demo accounts. */
export interface LocalOidcInfo {
  issuer: string;
  audience: string[];
  consoleClientId: string;
  machineClient: { id: string; secret: string };
  accounts: DemoOperator[];
}

export interface LocalRuntime {
  url: string;
  /** The operators' sign-in (./oidc.ts). */
  oidc: LocalOidcInfo;
  port: number;
  adminToken: string;
  adminTokenGenerated: boolean;
  /** Mail jobs relayed before the last stop but never sent, queued again at this start (./outbox-recovery.ts). */
  requeuedMail: number;
  endpoints: { dynamodb: string; sqs: string; ses: string; s3: string };
  queues: { mailQueueUrl: string; mailDlqUrl: string };
  demoStudents: DemoStudent[];
  /** Set when the runtime forced the service open for the demo. */
  demoOverride: boolean;
  stop(): Promise<void>;
}

interface LocalSecrets {
  sessionSecret: string;
  adminToken: string;
  /** The local machine client's secret (client credentials). */
  machineSecret: string;
}

/** Secrets generated once and kept with the local data, so sessions and the admin token survive restarts. */
function localSecrets(dataDir: string | undefined): LocalSecrets & { generated: boolean } {
  const fresh = { sessionSecret: randomBytes(32).toString('base64url'), adminToken: randomBytes(24).toString('base64url'), machineSecret: randomBytes(24).toString('base64url') };
  if (!dataDir) return { ...fresh, generated: true };
  const file = join(dataDir, 'local-secrets.json');
  if (existsSync(file)) {
    const kept = JSON.parse(readFileSync(file, 'utf8')) as Partial<LocalSecrets>;
    if (kept.machineSecret) return { ...(kept as LocalSecrets), generated: false };
    // Kept from before operators signed in with OpenID Connect: add the machine client's secret.
    const upgraded = { ...fresh, ...kept } as LocalSecrets;
    writeFileSync(file, JSON.stringify(upgraded, null, 2), { mode: 0o600 });
    return { ...upgraded, generated: false };
  }
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(file, JSON.stringify(fresh, null, 2), { mode: 0o600 });
  return { ...fresh, generated: true };
}

async function openForDemo(calendar: Calendar): Promise<boolean> {
  const now = new Date();
  const record = await getServiceRecord();
  const state = computeServiceState(calendar, record.override, now);
  if (record.override || state.open) return false;
  const override = { mode: 'open' as const, reason: 'Démo locale : service ouvert hors calendrier', by: 'local-runtime', at: now.toISOString() };
  await setOverride(override, computeServiceState(calendar, override, now), {
    actor: 'local-runtime',
    action: 'service.open',
    at: now.toISOString(),
    reason: override.reason,
    before: { override: null },
    after: { override, open: true },
  });
  return true;
}

/** An entry's handler, run under its declared table access (./table-access.ts), as its role runs it on AWS. */
async function importHandler<T>(def: RouteDef | JobDef): Promise<T> {
  const mod = (await import(pathToFileURL(join(repoRoot, def.entry)).href)) as { handler?: (...args: unknown[]) => unknown };
  if (typeof mod.handler !== 'function') throw new Error(`${def.entry} does not export a handler`);
  const handler = mod.handler;
  return ((...args: unknown[]) => asEntry(def, () => handler(...args))) as T;
}

export async function startLocal(options: LocalOptions = {}): Promise<LocalRuntime> {
  const log = options.log ?? (() => undefined);
  const config = stageConfig('dev');
  // Each function's table calls are held to its declared access, as IAM holds them on AWS.
  enforceTableAccess(ddb);
  const started: Emulator[] = [];
  let server: Server | undefined;
  const stops: (() => Promise<void> | void)[] = [];
  const stopAll = async () => {
    for (const stop of stops.reverse()) await stop();
    if (server) {
      const closed = new Promise<void>((r) => server!.close(() => r()));
      // An in-flight request must not hold the shutdown forever.
      server.closeAllConnections();
      await closed;
    }
    for (const e of started.reverse()) await e.stop();
  };

  try {
    // Started together; if one fails, the others that did start are stopped with the rest.
    const emulators = await Promise.allSettled([startDynamoDbLocal({ dataDir: options.dataDir ? join(options.dataDir, 'dynamodb') : undefined }), startSqs(), startSes()]);
    for (const e of emulators) if (e.status === 'fulfilled') started.push(e.value);
    const failedStart = emulators.find((e): e is PromiseRejectedResult => e.status === 'rejected');
    if (failedStart) throw failedStart.reason;
    const [dynamo, sqsEmu, sesEmu] = started as [Emulator, Emulator, Emulator];

    const secrets = localSecrets(options.dataDir);
    const adminToken = options.adminToken ?? secrets.adminToken;
    const port = options.port ?? 3000;

    // The operators' user pool: an OpenID Connect provider on loopback (its key kept with the data).
    let oidc: LocalOidcInfo | undefined = options.oidc;
    if (!oidc) {
      const own = await startOidcProvider({ machineSecret: secrets.machineSecret, keyFile: options.dataDir ? join(options.dataDir, 'oidc-signing-key.json') : undefined });
      stops.push(() => own.stop());
      oidc = own;
    }
    const signIn = oidc;

    // Stripe's API, hosted checkout page and webhook deliveries, on loopback (read lazily: the origin is known once listening).
    const stripe = await startStripeStandin({
      checkoutPageUrl: (id) => `${process.env.PUBLIC_ORIGIN}/dev/checkout/${id}`,
      webhookUrl: () => `${process.env.PUBLIC_ORIGIN}/api/payments/webhook`,
      webhookSecret: () => process.env.STRIPE_WEBHOOK_SECRET!,
      secretKey: () => process.env.STRIPE_SECRET_KEY!,
    });
    stops.push(() => stripe.stop());

    // The same variables the CDK construct sets on AWS, pointed at the emulators.
    Object.assign(process.env, {
      AWS_REGION: 'eu-west-3',
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
      AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
      AWS_ENDPOINT_URL_SQS: sqsEmu.endpoint,
      AWS_ENDPOINT_URL_SESV2: sesEmu.endpoint,
      STAGE: config.stage,
      TABLE_NAME: 'inscrire-local',
      SESSION_SECRET: secrets.sessionSecret,
      STRIPE_SECRET_KEY: 'sk_test_local_inscrire',
      STRIPE_WEBHOOK_SECRET: options.webhookSecret ?? process.env.STRIPE_WEBHOOK_SECRET ?? 'whsec_local_inscrire_dev_secret',
      STRIPE_API_BASE: stripe.apiBase,
      MAIL_FROM: config.mailFrom,
      ASSISTANCE_EMAIL: config.assistanceEmail,
      POWERTOOLS_SERVICE_NAME: 'inscrire',
      INSCRIRE_LOCAL_STANDINS: '1',
      POWERTOOLS_LOG_LEVEL: process.env.POWERTOOLS_LOG_LEVEL ?? 'WARN',
    });

    // The documents bucket: s3rver behind the proxy enforcing S3's upload policies; its
    // object-created events invoke the check job as S3 does on AWS (asynchronously).
    const checkJob = jobs.find((j) => j.trigger.kind === 'documentUploads')!;
    const check = await importHandler<(e: S3Event, c: unknown) => Promise<unknown>>(checkJob);
    const s3 = await startLocalS3({
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      region: 'eu-west-3',
      dataDir: options.dataDir ? join(options.dataDir, 's3') : undefined,
      allowedOrigins: () => [process.env.PUBLIC_ORIGIN ?? ''],
      onObjectCreated: (event) => {
        const run = (attempt: number): void => {
          check(event, lambdaContext(checkJob.id, timeoutSecondsOf(checkJob))).catch((err: Error) => {
            log(`! ${checkJob.id}: ${err.message}`);
            // S3's asynchronous invocation retries twice.
            if (attempt < 2) setTimeout(() => run(attempt + 1), 1000 * (attempt + 1));
          });
        };
        run(0);
      },
    });
    started.push(s3);
    process.env.AWS_ENDPOINT_URL_S3 = s3.endpoint;
    process.env.DOCUMENTS_BUCKET = 'inscrire-local-documents';
    await ensureBucket(s3.endpoint, process.env.DOCUMENTS_BUCKET);

    const ddbAdmin = new DynamoDBClient({});
    await ensureTable(ddbAdmin, process.env.TABLE_NAME!);
    ddbAdmin.destroy();
    const sqs = new SQSClient({});
    const mailer = jobs.find((j) => j.trigger.kind === 'mailQueue')!;
    const queues = await ensureQueues(sqs, 'inscrire-local', config.mailMaxReceiveCount, 6 * timeoutSecondsOf(mailer));
    process.env.MAIL_QUEUE_URL = queues.mailQueueUrl;
    // The queue lives in memory: jobs relayed to it before a crash and never sent go on it again (./outbox-recovery.ts).
    const { mailJobSent } = (await import(pathToFileURL(join(repoRoot, mailer.entry)).href)) as { mailJobSent(jobId: string): Promise<boolean> };
    const requeued = await requeueUnsentMail(mailJobSent);

    const gateway = createGateway({
      routes,
      adminToken,
      jwt: { issuer: signIn.issuer, audience: signIn.audience },
      loadHandler: (route: RouteDef) => importHandler<LambdaHttpHandler>(route),
      log,
    });

    const devRoutes = createDevRoutes({ sesEndpoint: sesEmu.endpoint, oidc: signIn });
    const devJobs = createDevJobs({ jobs, load: (job) => importHandler(job) });
    const checkoutPage = createCheckoutPage(stripe);
    // The console signs in at the local provider, as it does at Cognito's hosted pages on AWS.
    const endpoints = await discover(signIn.issuer);
    const site = await createStaticSite({
      siteConfig: {
        assistanceEmail: config.assistanceEmail,
        operatorSignIn: { clientId: signIn.consoleClientId, authorizationEndpoint: endpoints.authorization_endpoint, tokenEndpoint: endpoints.token_endpoint },
      },
      uploadOrigin: s3.endpoint,
      connectOrigins: [new URL(endpoints.token_endpoint).origin],
      log,
    });
    const demoStudents = options.seed === false ? [] : await seedDemo(academicYearAt(new Date(), config.calendar.timeZone));
    const demoOverride = options.demoOpen === false ? false : await openForDemo(config.calendar);

    server = createServer((req, res) => {
      // A fixed base: the Host header is the client's to send, and a malformed one must not
      // crash the process (nothing reads the URL's host).
      let url: URL;
      try {
        url = new URL(req.url ?? '/', 'http://localhost');
      } catch {
        res.writeHead(400, { 'content-type': 'application/json; charset=utf-8' });
        res.end(JSON.stringify({ message: 'Bad Request' }));
        return;
      }
      const canonical = process.env.PUBLIC_ORIGIN ? canonicalRedirect(req.method, req.headers.host, url, process.env.PUBLIC_ORIGIN) : null;
      if (canonical) {
        res.writeHead(308, { location: canonical, 'cache-control': 'no-store' });
        res.end();
        return;
      }
      gateway(req, res, url)
        .then((handled) => handled || devJobs(req, res, url))
        .then((handled) => handled || devRoutes(req, res, url))
        .then((handled) => handled || checkoutPage(req, res, url))
        .then((handled) => handled || site(req, res, url))
        .then((handled) => {
          if (!handled) {
            res.writeHead(404, { 'content-type': 'application/json; charset=utf-8' });
            res.end(JSON.stringify({ error: { code: 'NOT_FOUND', message: 'Ressource introuvable.' } }));
          }
        })
        .catch((err: Error) => {
          log(`! ${err.message}`);
          if (!res.headersSent) res.writeHead(500);
          res.end();
        });
    });
    await new Promise<void>((resolveListen, reject) => {
      server!.once('error', reject);
      server!.listen(port, '127.0.0.1', () => resolveListen());
    });
    const actualPort = (server.address() as { port: number }).port;
    const url = `http://localhost:${actualPort}`;
    process.env.PUBLIC_ORIGIN = url;

    // Every job, started as its trigger starts it on AWS. One case per trigger kind: a new
    // kind in functions/routes.ts fails the type-check here until the local runtime runs it.
    const streamClients = { dynamodb: new DynamoDBClient({}), streams: new DynamoDBStreamsClient({ endpoint: dynamo.endpoint }) };
    stops.push(() => (streamClients.dynamodb.destroy(), streamClients.streams.destroy()));
    for (const job of jobs) {
      const context = () => lambdaContext(job.id, timeoutSecondsOf(job));
      const trigger = job.trigger;
      switch (trigger.kind) {
        case 'mailQueue': {
          // The mail queue's event source mapping.
          const queueArn = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queues.mailQueueUrl, AttributeNames: ['QueueArn'] }))).Attributes!.QueueArn!;
          const poller = startQueuePoller({
            sqs,
            queueUrl: queues.mailQueueUrl,
            queueArn,
            batchSize: trigger.batchSize,
            functionName: job.id,
            timeoutSeconds: timeoutSecondsOf(job),
            handler: await importHandler<SqsHandler>(job),
            log,
          });
          // Stops run in reverse: the poller stops before its client is destroyed.
          stops.push(
            () => sqs.destroy(),
            () => poller.stop(),
          );
          break;
        }
        case 'tableStream': {
          // The stream jobs (outbox relay, certificates), fed by the table's stream as Lambda's
          // event source mappings feed them: one poller each, with its own filter.
          const relay = await startStreamPoller({ ...streamClients, tableName: process.env.TABLE_NAME!, job, handler: await importHandler<StreamHandler>(job), log });
          stops.push(() => relay.stop());
          break;
        }
        case 'windowSchedules': {
          // The window schedules, plus one run now: a process that was down during a transition catches up.
          const windowSwitch = await importHandler<(e: unknown, c: unknown) => Promise<unknown>>(job);
          const fire = async (payload: unknown) => {
            await windowSwitch(payload, context());
          };
          await fire({ source: 'local-runtime-startup' });
          const scheduler = startScheduler(config.calendar, fire, log);
          stops.push(() => scheduler.stop());
          break;
        }
        case 'rate': {
          // Invoked as their schedules invoke them on AWS.
          const run = await importHandler<(e: unknown, c: unknown) => Promise<unknown>>(job);
          const schedule = startRateSchedule(
            trigger.minutes,
            async (payload) => {
              await run(payload, context());
            },
            (line) => log(`${job.id}: ${line}`),
          );
          stops.push(() => schedule.stop());
          break;
        }
        case 'daily': {
          // Once a day at its wall-clock time; `POST /dev/jobs/{id} {at}` runs it at any time.
          const run = await importHandler<(e: unknown, c: unknown) => Promise<unknown>>(job);
          const schedule = startDailySchedule(
            trigger,
            async (payload) => {
              await run(payload, context());
            },
            (line) => log(`${job.id}: ${line}`),
          );
          stops.push(() => schedule.stop());
          break;
        }
        case 'documentUploads':
          // Started with the local S3 above: its object-created events invoke this job.
          break;
        default: {
          const unhandled: never = trigger;
          throw new Error(`The local runtime cannot run trigger ${JSON.stringify(unhandled)}`);
        }
      }
    }

    return {
      url,
      oidc: { issuer: signIn.issuer, audience: signIn.audience, consoleClientId: signIn.consoleClientId, machineClient: signIn.machineClient, accounts: signIn.accounts },
      port: actualPort,
      adminToken,
      adminTokenGenerated: !options.adminToken && secrets.generated,
      requeuedMail: requeued,
      endpoints: { dynamodb: dynamo.endpoint, sqs: sqsEmu.endpoint, ses: sesEmu.endpoint, s3: s3.endpoint },
      queues,
      demoStudents,
      demoOverride,
      stop: stopAll,
    };
  } catch (err) {
    await stopAll();
    throw err;
  }
}
