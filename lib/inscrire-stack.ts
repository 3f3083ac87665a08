/**
 * One stage of the service. Composition only: every function, route, grant and trigger is
 * derived from the route and job lists in `functions/routes.ts`; the constructs in
 * `lib/constructs/` own the details.
 */
import { Annotations, Aspects, CfnOutput, Duration, RemovalPolicy, Stack, Tags, type IAspect, type StackProps } from 'aws-cdk-lib';
import { Certificate } from 'aws-cdk-lib/aws-certificatemanager';
import { StreamViewType } from 'aws-cdk-lib/aws-dynamodb';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { CfnQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct, type IConstruct } from 'constructs';
import type { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import { scheduleSpecs } from '../functions/domain/windows';
import { jobs as allJobs, routes as allRoutes, type JobDef, type JobTrigger, type RouteDef, timeoutSecondsOf } from '../functions/routes';
import { PROJECT_ROOT, SERVICE_NAME, configErrors, placeholders, type StageConfig } from './config';
import { Api } from './constructs/api';
import { Mailer } from './constructs/mailer';
import { Monitoring, type MonitoredQueue } from './constructs/monitoring';
import { OperatorSignIn } from './constructs/operator-sign-in';
import { RateSchedule, WindowSchedules } from './constructs/schedules';
import { ServiceSecrets } from './constructs/secrets';
import { documents as documentRules } from '../config/catalogue';
import { DocumentsBucket, documentsExpirationDays } from './constructs/documents-bucket';
import { DEFAULT_MEMORY_MB, ServiceFunction, type ServiceResources } from './constructs/service-function';
import { TableStreamConsumer } from './constructs/stream-consumer';
import { WebHosting } from './constructs/web-hosting';
import { ServiceTable } from './constructs/table';

/** Tag carrying a function's route/job id (also how tests find a function). */
export const FUNCTION_ID_TAG = `${SERVICE_NAME}:function`;

export interface InscrireStackProps extends StackProps {
  readonly config: StageConfig;
  /**
   * HTTP routes to deploy.
   * @default - every entry of `routes` in functions/routes.ts
   */
  readonly routes?: RouteDef[];
  /**
   * Event-driven jobs to deploy: exactly one `mailQueue` and one `windowSchedules` job, any
   * number of `tableStream` and `rate` jobs.
   * @default - every entry of `jobs` in functions/routes.ts
   */
  readonly jobs?: JobDef[];
  /**
   * ARN of the CLOUDFRONT-scope WAF web ACL (the `Inscrire-<stage>-edge` stack in us-east-1,
   * lib/edge-stack.ts) to attach to the distribution.
   * @default - none
   */
  readonly webAclArn?: string;
  /**
   * Repository root the entries are relative to.
   * @default - the directory above lib/
   */
  readonly projectRoot?: string;
}

export class InscrireStack extends Stack {
  readonly table: ServiceTable;
  readonly secrets: ServiceSecrets;
  readonly mailer: Mailer;
  readonly api: Api;
  /** The operators' user pool, its hosted sign-in and clients. */
  readonly operatorSignIn: OperatorSignIn;
  readonly schedules: WindowSchedules;
  /** Jobs run at a fixed rate (in the window schedules' group), by job id. */
  readonly rateSchedules: Readonly<Record<string, RateSchedule>>;
  /** Jobs fed by the table stream, by job id. */
  readonly streamConsumers: Readonly<Record<string, TableStreamConsumer>>;
  readonly monitoring: Monitoring;
  /** The student pages (S3 + CloudFront), with `/api/*` routed to the HTTP API on the same origin. */
  readonly web: WebHosting;
  /** The supporting documents (private, versioned, deleted after the retention period). */
  readonly documents: DocumentsBucket;
  /** Every function, by route/job id. */
  readonly functions: Readonly<Record<string, ServiceFunction>>;

  constructor(scope: Construct, id: string, props: InscrireStackProps) {
    super(scope, id, props);
    const { config } = props;
    const routes = props.routes ?? allRoutes;
    const jobs = props.jobs ?? allJobs;
    assertUniqueIds([...routes, ...jobs]);
    const mailJob = singleJob(jobs, 'mailQueue');
    singleJob(jobs, 'windowSchedules');
    const errors = configErrors(config);
    const unknownReserved = Object.keys(config.reservedConcurrency).filter((fnId) => ![...routes, ...jobs].some((def) => def.id === fnId));
    if (unknownReserved.length > 0) errors.push(`reservedConcurrency names no route or job: ${unknownReserved.join(', ')}`);
    if (errors.length > 0) throw new Error(`Stage ${config.stage} (config/stages.ts): ${errors.join('; ')}`);
    // What is still an example is deployable but reaches no one: said at every synth, and
    // refused by `npm run predeploy` (scripts/predeploy.ts).
    for (const p of placeholders(config)) {
      Annotations.of(this).addWarningV2(`inscrire:placeholder:${p.path}`, `Stage ${config.stage}: ${p.path} (${p.value ?? 'unset'}) is ${p.reason} (config/stages.ts).`);
    }

    Tags.of(this).add('project', SERVICE_NAME);
    Tags.of(this).add('stage', config.stage);
    const removalPolicy = config.retainData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;
    const logRetention = LOG_RETENTION[config.logRetentionDays];
    // Distinct per stage: two stages may share an account (configuration sets, metric
    // namespaces, API and policy names are per account and region).
    const stageName = `${SERVICE_NAME}-${config.stage}`;
    const metricNamespace = `Inscrire/${config.stage}`;
    if (config.retainData) {
      // Queued mails and the dead letters waiting for a redrive survive the stack's deletion.
      Aspects.of(this).add(new RetainQueues());
    }

    this.table = new ServiceTable(this, 'Data', {
      retainData: config.retainData,
      // Only new images: stream consumers react to what was written, never diff it.
      stream: jobs.some((job) => job.trigger.kind === 'tableStream') ? StreamViewType.NEW_IMAGE : undefined,
    });
    this.secrets = new ServiceSecrets(this, 'Secrets', { retainData: config.retainData });
    this.mailer = new Mailer(this, 'Mail', {
      consumerTimeout: timeoutOf(mailJob),
      maxReceiveCount: config.mailMaxReceiveCount,
      configurationSetName: stageName,
      metricNamespace,
    });

    this.documents = new DocumentsBucket(this, 'Documents', {
      publicOrigin: config.publicOrigin,
      expirationDays: documentsExpirationDays(documentRules.retentionMonthsAfterYear),
      removalPolicy,
    });

    const resources: ServiceResources = {
      documents: this.documents.bucket,
      table: this.table.table,
      mailQueue: this.mailer.queue,
      assistanceEmail: config.assistanceEmail,
      mail: { mailFrom: config.mailFrom, configurationSetName: this.mailer.configurationSet.configurationSetName },
      secrets: this.secrets.byName,
      nationalApis: config.nationalApis,
    };
    // Functions get their own scope so that an entry id can never collide with another
    // construct of the stack (an entry named "Api" or "Data", say).
    const functionScope = new Construct(this, 'Functions');
    const functions: Record<string, ServiceFunction> = {};
    const buildFunction = (def: RouteDef | JobDef, description: string): ServiceFunction => {
      const fn = new ServiceFunction(functionScope, def.id, {
        entry: def.entry,
        projectRoot: props.projectRoot ?? PROJECT_ROOT,
        stage: config.stage,
        publicOrigin: config.publicOrigin,
        description: `Inscrire ${config.stage}: ${description}`,
        memorySize: def.memoryMb ?? DEFAULT_MEMORY_MB,
        timeout: timeoutOf(def),
        logRetention,
        logRemovalPolicy: removalPolicy,
        bundledFiles: 'files' in def ? def.files : undefined,
        reservedConcurrency: config.reservedConcurrency[def.id],
      }).bindAccess(def.access, resources);
      Tags.of(fn).add(FUNCTION_ID_TAG, def.id);
      functions[def.id] = fn;
      return fn;
    };

    this.operatorSignIn = new OperatorSignIn(this, 'OperatorSignIn', {
      publicOrigin: config.publicOrigin,
      domainPrefix: config.operatorSignIn.domainPrefix,
      retainData: config.retainData,
    });
    this.api = new Api(this, 'Api', {
      name: stageName,
      routes: routes.map((def) => ({ def, handler: buildFunction(def, `${def.method} ${def.path} (${def.auth})`).function })),
      throttling: config.throttling,
      operators: { userPool: this.operatorSignIn.userPool, clients: [this.operatorSignIn.consoleClient, this.operatorSignIn.machineClient] },
      domain: { name: config.apiDomain.name, certificate: Certificate.fromCertificateArn(this, 'ApiCertificate', config.apiDomain.certificateArn) },
      logRetention,
      logRemovalPolicy: removalPolicy,
    });

    let windowSwitch: ServiceFunction | undefined;
    const streamConsumers: Record<string, TableStreamConsumer> = {};
    // Scheduled once the schedule group exists (it comes with the window schedules).
    const rateJobs: Array<{ job: JobDef; fn: ServiceFunction; minutes: number; timeZone?: string; dailyAt?: { hour: number; minute: number; timeZone: string } }> = [];
    for (const job of jobs) {
      const fn = buildFunction(job, JOB_DESCRIPTIONS[job.trigger.kind]);
      const trigger: JobTrigger = job.trigger;
      switch (trigger.kind) {
        case 'mailQueue':
          this.mailer.addConsumer(fn.function, { batchSize: trigger.batchSize, sesMaxSendRate: config.sesMaxSendRate, logGroup: fn.logGroup });
          break;
        case 'windowSchedules':
          windowSwitch = fn;
          break;
        case 'tableStream':
          streamConsumers[job.id] = new TableStreamConsumer(this, `${job.id}Stream`, {
            table: this.table.table,
            consumer: fn,
            batchSize: trigger.batchSize,
            filterPattern: trigger.filterPattern,
          });
          break;
        case 'rate':
          // Runs may not overlap: each must be over before the next one starts.
          if (timeoutOf(job).toSeconds() >= trigger.minutes * 60) {
            throw new Error(`Job ${job.id} times out after ${timeoutOf(job).toSeconds()} s, not within its ${trigger.minutes}-minute rate`);
          }
          rateJobs.push({ job, fn, minutes: trigger.minutes, timeZone: trigger.timeZone });
          break;
        case 'daily':
          rateJobs.push({ job, fn, minutes: 24 * 60, dailyAt: { hour: trigger.hour, minute: trigger.minute, timeZone: trigger.timeZone } });
          break;
        case 'documentUploads':
          this.documents.notifyUploads(fn.function);
          break;
        default:
          throw new Error(`Job ${job.id} has an unknown trigger ${JSON.stringify(trigger satisfies never)}`);
      }
    }
    this.streamConsumers = streamConsumers;
    this.functions = functions;

    // Readers before writers: what a function writes for the table's stream or the mail queue (a
    // new certificate event cause, a new mail template) must be readable by the job that reads it
    // from the moment it is written, so on an update CloudFormation deploys those jobs' code first.
    const readers = jobs.filter((job) => job.trigger.kind === 'tableStream' || job.trigger.kind === 'mailQueue').map((job) => cfnFunction(functions[job.id]!));
    for (const def of [...routes, ...jobs]) {
      const fn = cfnFunction(functions[def.id]!);
      if (!readers.includes(fn)) for (const reader of readers) fn.addDependency(reader);
    }

    this.schedules = new WindowSchedules(this, 'WindowSchedules', {
      specs: scheduleSpecs(config.calendar),
      target: windowSwitch!.function,
      scheduleGroupName: stageName,
    });
    this.rateSchedules = Object.fromEntries(
      rateJobs.map(({ job, fn, minutes, dailyAt, timeZone }) => [
        job.id,
        new RateSchedule(this, `${job.id}Schedule`, {
          target: fn.function,
          minutes,
          dailyAt,
          timeZone,
          scheduleGroup: this.schedules.scheduleGroup,
          scheduleName: job.id,
        }),
      ]),
    );

    const queues: MonitoredQueue[] = [
      { label: 'Mail', queue: this.mailer.queue, deadLetterQueue: this.mailer.deadLetterQueue, deadLetterAlarm: this.mailer.deadLetterAlarm },
      { label: 'Window switch', deadLetterQueue: this.schedules.deadLetterQueue, deadLetterAlarm: this.schedules.deadLetterAlarm },
      ...Object.entries(streamConsumers).map(([jobId, consumer]) => ({
        label: `${jobId} stream`,
        deadLetterQueue: consumer.failureQueue,
        deadLetterAlarm: consumer.failureAlarm,
      })),
      ...Object.entries(this.rateSchedules).map(([jobId, schedule]) => ({
        label: `${jobId} schedule`,
        deadLetterQueue: schedule.deadLetterQueue,
        deadLetterAlarm: schedule.deadLetterAlarm,
      })),
    ];
    this.monitoring = new Monitoring(this, 'Monitoring', {
      alarmEmail: config.alarmEmail,
      api: this.api.httpApi,
      apiAccessLogs: this.api.accessLogGroup,
      metricNamespace,
      functions: Object.fromEntries(Object.entries(functions).map(([fnId, fn]) => [fnId, fn.function])),
      queues,
      // Failures the functions report per record leave their Errors at 0: these see them.
      alarms: [
        this.mailer.oldestMessageAlarm,
        this.mailer.failureAlarm!,
        this.mailer.bounceRateAlarm,
        this.mailer.complaintRateAlarm,
        ...Object.values(streamConsumers).map((consumer) => consumer.iteratorAgeAlarm),
      ],
    });

    this.web = new WebHosting(this, 'Web', {
      api: this.api.httpApi,
      originVerifySecret: this.secrets.originVerify,
      webAclId: props.webAclArn,
      apiOriginDomain: config.apiDomain.name,
      siteConfig: {
        assistanceEmail: config.assistanceEmail,
        // The console signs in on the hosted sign-in pages (authorization code + PKCE).
        operatorSignIn: {
          clientId: this.operatorSignIn.consoleClient.userPoolClientId,
          authorizationEndpoint: `${this.operatorSignIn.signInUrl}/oauth2/authorize`,
          tokenEndpoint: `${this.operatorSignIn.signInUrl}/oauth2/token`,
          logoutEndpoint: `${this.operatorSignIn.signInUrl}/logout`,
        },
      },
      connectOrigins: [this.operatorSignIn.signInUrl],
      // The documents page POSTs files straight to the bucket; the presigned URL is virtual-hosted
      // on the regional endpoint (functions/adapters/s3.ts, no path style on AWS).
      uploadOrigin: `https://${this.documents.bucket.bucketRegionalDomainName}`,
      // publicOrigin is one of these names (configErrors): Stripe's return URLs and the mails'
      // links reach the pages.
      domain: {
        names: config.domain.names,
        certificate: Certificate.fromCertificateArn(this, 'Certificate', config.domain.certificateArn),
      },
      deploymentLogRetention: logRetention,
      removalPolicy,
      projectRoot: props.projectRoot,
    });
    new CfnOutput(this, 'PagesUrl', { description: 'Student pages, with /api on the same origin', value: this.web.url });
    new CfnOutput(this, 'ApiUrl', { description: 'Base URL of the HTTP API (its custom domain; the execute-api endpoint is disabled)', value: this.api.url });
    new CfnOutput(this, 'ApiDomainTarget', {
      description: `Point a DNS record (CNAME, or alias A/AAAA) of ${config.apiDomain.name} at this name`,
      value: this.api.domainName.regionalDomainName,
    });
    new CfnOutput(this, 'OperatorIssuer', { description: 'INSCRIRE_OIDC_ISSUER for npm run ops -- login', value: this.operatorSignIn.issuer });
    new CfnOutput(this, 'OperatorConsoleClientId', { description: 'INSCRIRE_OIDC_CLIENT_ID: the console and ops CLI client', value: this.operatorSignIn.consoleClient.userPoolClientId });
    new CfnOutput(this, 'OperatorMachineClientId', {
      description: 'INSCRIRE_CLIENT_ID for automation; its secret: aws cognito-idp describe-user-pool-client --user-pool-id <OperatorUserPoolId> --client-id <this>',
      value: this.operatorSignIn.machineClient.userPoolClientId,
    });
    new CfnOutput(this, 'OperatorUserPoolId', {
      description: 'Create operator accounts here (admin-create-user) and add them to operator or supervisor',
      value: this.operatorSignIn.userPool.userPoolId,
    });
    new CfnOutput(this, 'OperatorSignInUrl', { description: 'Hosted sign-in domain', value: this.operatorSignIn.signInUrl });
    new CfnOutput(this, 'TableName', { value: this.table.table.tableName });
    new CfnOutput(this, 'DocumentsBucketName', { value: this.documents.bucket.bucketName });
    new CfnOutput(this, 'MailQueueUrl', { value: this.mailer.queue.queueUrl });
    new CfnOutput(this, 'MailDeadLetterQueueUrl', { value: this.mailer.deadLetterQueue.queueUrl });
    new CfnOutput(this, 'WindowSwitchDeadLetterQueueUrl', { value: this.schedules.deadLetterQueue.queueUrl });
    for (const [jobId, consumer] of Object.entries(streamConsumers)) {
      new CfnOutput(this, `${jobId}FailureQueueUrl`, { value: consumer.failureQueue.queueUrl });
    }
    for (const [jobId, schedule] of Object.entries(this.rateSchedules)) {
      new CfnOutput(this, `${jobId}ScheduleDeadLetterQueueUrl`, { value: schedule.deadLetterQueue.queueUrl });
    }
    new CfnOutput(this, 'SessionSecretArn', { description: 'Session-signing key (generated)', value: this.secrets.session.secretArn });
    new CfnOutput(this, 'StripeSecretArn', {
      description: 'Put the real Stripe keys after the first deploy: aws secretsmanager put-secret-value --secret-id <this ARN> --secret-string \'{"secretKey":"sk_...","webhookSecret":"whsec_..."}\'',
      value: this.secrets.stripe.secretArn,
    });
    new CfnOutput(this, 'NationalApiSecretArn', {
      description: 'Put the national CVEC/INES API key: aws secretsmanager put-secret-value --secret-id <this ARN> --secret-string \'{"apiKey":"..."}\'',
      value: this.secrets.national.secretArn,
    });
    new CfnOutput(this, 'AlarmTopicArn', { value: this.monitoring.topic.topicArn });
    new CfnOutput(this, 'DistributionDomainName', {
      description: `Point ${config.domain.names.join(', ')} at this name (DNS CNAME, or an alias record)`,
      value: this.web.distribution.distributionDomainName,
    });
    new CfnOutput(this, 'MailConfigurationSet', { description: 'SES configuration set of every mail (bounce and complaint events)', value: this.mailer.configurationSet.configurationSetName });
  }
}

/** Keeps every queue of the stack (and its messages) when the stack is deleted. */
class RetainQueues implements IAspect {
  visit(node: IConstruct): void {
    if (node instanceof CfnQueue) node.applyRemovalPolicy(RemovalPolicy.RETAIN);
  }
}

/** Function descriptions of jobs, by trigger. */
const JOB_DESCRIPTIONS: Record<JobTrigger['kind'], string> = {
  mailQueue: 'sends the queued mails with SES',
  windowSchedules: 'opens and closes the service on the enrollment calendar',
  tableStream: 'reacts to table changes (stream, filtered)',
  rate: 'runs at a fixed rate (EventBridge Scheduler)',
  daily: 'runs once a day (EventBridge Scheduler, local time)',
  documentUploads: 'checks each uploaded document (S3 event)',
};

const LOG_RETENTION: Record<StageConfig['logRetentionDays'], RetentionDays> = {
  7: RetentionDays.ONE_WEEK,
  30: RetentionDays.ONE_MONTH,
  90: RetentionDays.THREE_MONTHS,
  365: RetentionDays.ONE_YEAR,
};

function timeoutOf(def: RouteDef | JobDef): Duration {
  return Duration.seconds(timeoutSecondsOf(def));
}

/** The one job with a given trigger: the mail queue and the schedules each feed a single function. */
function singleJob<K extends JobTrigger['kind']>(jobs: JobDef[], kind: K): JobDef & { trigger: Extract<JobTrigger, { kind: K }> } {
  const found = jobs.filter((job): job is JobDef & { trigger: Extract<JobTrigger, { kind: K }> } => job.trigger.kind === kind);
  if (found.length !== 1) {
    throw new Error(`Expected exactly one job triggered by ${kind}, found ${found.length} (${found.map((j) => j.id).join(', ') || 'none'})`);
  }
  return found[0]!;
}

function assertUniqueIds(defs: Array<RouteDef | JobDef>): void {
  const seen = new Set<string>();
  for (const { id } of defs) {
    if (!/^[A-Z][A-Za-z0-9]*$/.test(id)) throw new Error(`Route/job id ${id} must be PascalCase (it names constructs)`);
    if (seen.has(id)) throw new Error(`Duplicate route/job id ${id}`);
    seen.add(id);
  }
}

/** The CloudFormation resource of a function (what an update deploys). */
function cfnFunction(fn: ServiceFunction): CfnFunction {
  return fn.function.node.defaultChild as CfnFunction;
}
