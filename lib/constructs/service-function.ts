/**
 * The one way the service builds a Lambda function: the same runtime, architecture, bundling,
 * tracing and logging for every route and job, and `bind…()` helpers that grant least privilege
 * and set the matching environment variable in the same call, so a function can never hold an
 * ARN it may not use nor a permission it has no variable for.
 */
import { existsSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { type AddToPrincipalPolicyResult, Effect, PolicyDocument, PolicyStatement, Role, type RoleProps, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, LoggingFormat, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { LogLevel, NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { BUNDLED_FONT_DIR, CERTIFICATE_FONTS } from '../../functions/certificates/fonts';
import { type Access, type BundledFiles, DEFAULT_TIMEOUT_SECONDS, type NationalApi, type SecretName, type TableAccess } from '../../functions/routes';
import { KEY_PREFIXES } from '../../functions/adapters/dynamo/key-prefixes';
import { tableSchema } from '../../functions/adapters/dynamo/table-schema';
import { ENV } from '../../functions/shared/env';
import { DOCUMENTS_BUCKET_ENV } from '../../functions/adapters/s3';
import { CERTIFICATES_PREFIX } from '../../functions/adapters/certificate-files';
import { SERVICE_NAME } from '../config';
import { DOCUMENTS_PREFIX } from './documents-bucket';
import { acknowledge, nagArnOf } from '../nag';

/** Memory of a function whose entry does not set `memoryMb`. */
export const DEFAULT_MEMORY_MB = 512;

/** Environment variable holding each secret's ARN. */
const SECRET_ARN_ENV: Record<SecretName, string> = {
  session: ENV.sessionSecretArn,
  stripe: ENV.stripeSecretArn,
  national: ENV.nationalApiSecretArn,
  originVerify: ENV.originVerifySecretArn,
};

/** Environment variable holding each national service's base URL. */
const NATIONAL_API_ENV: Record<NationalApi, string> = {
  cvec: ENV.cvecApiUrl,
  ines: ENV.inesApiUrl,
};

/**
 * ESM output needs `require` for the few CommonJS dependencies that call it at runtime;
 * esbuild cannot rewrite those calls, so the bundle defines it from `import.meta.url`.
 */
const ESM_REQUIRE_SHIM = "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);";

export interface ServiceFunctionProps {
  /** Handler module, relative to `projectRoot`; it exports `handler`. */
  readonly entry: string;
  /** Absolute path of the repository root, which holds package-lock.json. */
  readonly projectRoot: string;
  /** Stage name, exposed to the handler as STAGE. */
  readonly stage: string;
  /** Public origin of the student pages, exposed as PUBLIC_ORIGIN (return URLs, mail links). */
  readonly publicOrigin: string;
  /**
   * What the function does, shown in the console.
   * @default - no description
   */
  readonly description?: string;
  /**
   * Memory in MB (128 to 10240).
   * @default 512
   */
  readonly memorySize?: number;
  /**
   * Maximum run time (1 s to 15 min).
   * @default Duration.seconds(10)
   */
  readonly timeout?: Duration;
  /**
   * How long the function's logs are kept.
   * @default RetentionDays.ONE_MONTH
   */
  readonly logRetention?: RetentionDays;
  /**
   * What happens to the log group when the stack is deleted.
   * @default RemovalPolicy.RETAIN
   */
  readonly logRemovalPolicy?: RemovalPolicy;
  /**
   * Instances reserved for this function: always available whatever else runs in the
   * account, and its ceiling.
   * @default - none: the function draws on the account's unreserved concurrency
   */
  readonly reservedConcurrency?: number;
  /**
   * Package files the handler reads at run time, copied into the bundle's folder.
   * @default - none
   */
  readonly bundledFiles?: BundledFiles[];
}

/** Shell commands copying each kind of bundled file from the project into the bundle's folder. */
function copyCommands(files: BundledFiles[], projectRoot: string, outputDir: string): string[] {
  return files.flatMap((kind) => {
    switch (kind) {
      case 'fonts':
        return [
          `mkdir -p "${join(outputDir, BUNDLED_FONT_DIR)}"`,
          ...Object.values(CERTIFICATE_FONTS).map((f) => `cp "${join(projectRoot, 'node_modules', 'dejavu-fonts-ttf', 'ttf', f)}" "${join(outputDir, BUNDLED_FONT_DIR, f)}"`),
          `cp "${join(projectRoot, 'node_modules', 'dejavu-fonts-ttf', 'LICENSE')}" "${join(outputDir, BUNDLED_FONT_DIR, 'LICENSE')}"`,
        ];
      default:
        throw new Error(`Unknown bundled files ${String(kind satisfies never)}`);
    }
  });
}

/** The resources an `Access` declaration can refer to. */
export interface ServiceResources {
  readonly table: ITable;
  readonly mailQueue: IQueue;
  readonly mail: MailIdentity;
  readonly secrets: Record<SecretName, ISecret>;
  /** Base URLs of the national services (stage config). */
  readonly nationalApis: Record<NationalApi, string>;
  /** The assistance mailbox, for the functions that forward to it (`Access.assistanceMailbox`). */
  readonly assistanceEmail: string;
  /** The supporting documents' bucket. */
  readonly documents: IBucket;
}

/** Who the service sends mail as. */
export interface MailIdentity {
  /** The address the service sends from, verified in SES (itself, or its domain). */
  readonly mailFrom: string;
  /**
   * SES configuration set the mails are sent with.
   * @default - none
   */
  readonly configurationSetName?: string;
}

const SES_SEND_ACTIONS = ['ses:SendEmail', 'ses:SendRawEmail'];

/**
 * The SES identities that can authorise sending as `address`: the address itself, its domain,
 * and each parent domain short of the top-level one (a verified domain covers its subdomains).
 */
export function sesIdentitiesFor(address: string): string[] {
  const at = address.lastIndexOf('@');
  if (at < 1) throw new Error(`Not an e-mail address: ${address}`);
  const labels = address
    .slice(at + 1)
    .toLowerCase()
    .split('.');
  return [address, ...labels.slice(0, -1).map((_, i) => labels.slice(i).join('.'))];
}

/**
 * A role whose grants land in one inline policy of the role itself instead of a separate
 * `AWS::IAM::Policy` resource (the default): the same permissions, one CloudFormation resource
 * fewer per function, which keeps the stack under CloudFormation's 500-resource limit as routes
 * are added (test/infra/day-one.test.ts). The document is resolved at synth, after every grant.
 */
class InlinePolicyRole extends Role {
  private readonly access: PolicyDocument;

  constructor(scope: Construct, id: string, props: RoleProps) {
    const access = new PolicyDocument();
    super(scope, id, { ...props, inlinePolicies: { ...props.inlinePolicies, access } });
    this.access = access;
  }

  override addToPrincipalPolicy(statement: PolicyStatement): AddToPrincipalPolicyResult {
    this.access.addStatements(statement);
    return { statementAdded: true, policyDependable: this };
  }
}

/**
 * A Node.js 22 / ARM64 Lambda function bundled locally with esbuild (no Docker), with active
 * tracing, JSON logs in its own log group, and its own role that starts with nothing but
 * write access to that log group.
 */
export class ServiceFunction extends Construct {
  readonly function: NodejsFunction;
  readonly role: Role;
  readonly logGroup: LogGroup;
  private readonly wildcardReasons: string[] = [];

  constructor(scope: Construct, id: string, props: ServiceFunctionProps) {
    super(scope, id);
    const memorySize = props.memorySize ?? DEFAULT_MEMORY_MB;
    const timeout = props.timeout ?? Duration.seconds(DEFAULT_TIMEOUT_SECONDS);
    const entry = validateProps(this, props, memorySize, timeout);

    this.logGroup = new LogGroup(this, 'LogGroup', {
      retention: props.logRetention ?? RetentionDays.ONE_MONTH,
      removalPolicy: props.logRemovalPolicy ?? RemovalPolicy.RETAIN,
    });

    // An explicit role instead of the default one with AWSLambdaBasicExecutionRole: that
    // managed policy may create any log group and write to every one of them; this role can
    // only write to the function's own log group.
    this.role = new InlinePolicyRole(this, 'Role', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `Execution role of ${this.node.path}`,
    });
    this.logGroup.grantWrite(this.role);

    this.function = new NodejsFunction(this, 'Function', {
      entry,
      handler: 'handler',
      projectRoot: props.projectRoot,
      depsLockFilePath: join(props.projectRoot, 'package-lock.json'),
      runtime: Runtime.NODEJS_22_X,
      architecture: Architecture.ARM_64,
      memorySize,
      timeout,
      description: props.description,
      role: this.role,
      reservedConcurrentExecutions: props.reservedConcurrency,
      tracing: Tracing.ACTIVE,
      logGroup: this.logGroup,
      // Powertools Logger writes JSON; the JSON format makes the platform's lines (START,
      // REPORT with duration and memory) JSON too, so one Logs Insights query reads both.
      loggingFormat: LoggingFormat.JSON,
      environment: {
        [ENV.stage]: props.stage,
        [ENV.publicOrigin]: props.publicOrigin,
        POWERTOOLS_SERVICE_NAME: SERVICE_NAME,
        // No NODE_OPTIONS=--enable-source-maps: Node would parse the whole map at every cold
        // start (issue 16). The map still ships beside the bundle, to decode a stack trace
        // offline; the logs carry error names and scrubbed messages, not stacks.
      },
      bundling: {
        forceDockerBundling: false,
        format: OutputFormat.ESM,
        target: 'node22',
        minify: true,
        sourceMap: true,
        // esbuild's per-bundle size report would drown the synth output.
        logLevel: LogLevel.WARNING,
        // The maps only need line mappings; embedding every dependency's source would
        // multiply the package size and the cold start.
        sourcesContent: false,
        // Prefer the ESM builds of dependencies so esbuild can tree-shake them.
        mainFields: ['module', 'main'],
        banner: ESM_REQUIRE_SHIM,
        // Bundle the AWS SDK too: the functions run with the SDK versions package-lock.json
        // pins and the tests ran with, not whichever version the runtime happens to carry.
        bundleAwsSDK: true,
        ...(props.bundledFiles?.length
          ? {
              commandHooks: {
                beforeBundling: () => [],
                beforeInstall: () => [],
                afterBundling: (_inputDir: string, outputDir: string) => copyCommands(props.bundledFiles!, props.projectRoot, outputDir),
              },
            }
          : {}),
      },
    });

    acknowledge(
      this.function,
      'L1',
      'nodejs22.x is a supported LTS runtime (deprecation 2027-04-30) and the version the handlers are built (esbuild target node22) and tested against; moving to nodejs24.x is a deliberate upgrade with its own test run, not a side effect of a CDK bump.',
    );

    // X-Ray has no resource-level permissions: Tracing.ACTIVE must grant its two write
    // actions on "*".
    this.allowWildcardResource('active tracing needs xray:PutTraceSegments and xray:PutTelemetryRecords');
  }

  /**
   * Acknowledges, on this function's role only, a grant on Resource "*" of actions that
   * support no resource-level permissions. test/infra asserts which actions those are, so the
   * acknowledgement cannot silently cover another wildcard.
   *
   * @param why the grant that needs it, e.g. "active tracing needs xray:PutTraceSegments".
   */
  allowWildcardResource(why: string): void {
    this.wildcardReasons.push(why);
    // A later acknowledgement of the same finding on the same construct replaces the earlier
    // one in the validation report, so each call restates every reason.
    acknowledge(this.role, 'IAM5', `Resource "*" is the only valid resource for these actions (no resource-level permissions): ${this.wildcardReasons.join('; ')}.`, 'Resource::*');
  }

  /**
   * Grants the DynamoDB actions `access` lists on `table`, on the items whose partition key has
   * one of its item kinds' prefixes (`dynamodb:LeadingKeys`; every item of a transaction or a
   * batch is checked), plus Query on the keys-only index when it reads one (an index has other
   * partition keys: that grant has no key condition, and reads keys only), and sets TABLE_NAME.
   * Locally, scripts/local/table-access.ts holds the calls to the same declaration.
   */
  bindTable(table: ITable, access: TableAccess): this {
    if (access.actions.length === 0 || access.items.length === 0) throw new Error(`${this.node.path}: a table access needs actions and item kinds`);
    this.role.addToPrincipalPolicy(
      new PolicyStatement({
        effect: Effect.ALLOW,
        actions: [...new Set(access.actions)].map((a) => `dynamodb:${a}`),
        resources: [table.tableArn],
        conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': leadingKeyPatterns(access) } },
      }),
    );
    if (access.index) {
      if (!access.actions.includes('Query')) throw new Error(`${this.node.path}: reading the index needs the Query action`);
      this.role.addToPrincipalPolicy(
        new PolicyStatement({ effect: Effect.ALLOW, actions: ['dynamodb:Query'], resources: tableSchema.globalSecondaryIndexes.map((i) => `${table.tableArn}/index/${i.indexName}`) }),
      );
    }
    this.function.addEnvironment(ENV.tableName, table.tableName);
    return this;
  }

  /** Grants sending to `queue` and sets MAIL_QUEUE_URL. */
  bindMailQueue(queue: IQueue): this {
    queue.grantSendMessages(this.role);
    this.function.addEnvironment(ENV.mailQueueUrl, queue.queueUrl);
    return this;
  }

  /**
   * Grants sending mail as `identity.mailFrom` only, and sets MAIL_FROM and
   * MAIL_CONFIGURATION_SET. SES authorises a send against the identity that verified the
   * sender (the address itself, or its domain, or a parent domain: universities usually
   * verify the domain, with DKIM), and against the configuration set when one is given: the
   * grant covers each of those identities, on the condition that the From address is the
   * stage's sender, and the configuration set.
   */
  bindSes(identity: MailIdentity): this {
    const stack = Stack.of(this);
    this.role.addToPrincipalPolicy(
      new PolicyStatement({
        effect: Effect.ALLOW,
        actions: SES_SEND_ACTIONS,
        resources: sesIdentitiesFor(identity.mailFrom).map((name) => stack.formatArn({ service: 'ses', resource: 'identity', resourceName: name })),
        conditions: { StringEquals: { 'ses:FromAddress': identity.mailFrom } },
      }),
    );
    if (identity.configurationSetName) {
      this.role.addToPrincipalPolicy(
        new PolicyStatement({
          effect: Effect.ALLOW,
          actions: SES_SEND_ACTIONS,
          resources: [stack.formatArn({ service: 'ses', resource: 'configuration-set', resourceName: identity.configurationSetName })],
        }),
      );
      this.function.addEnvironment(ENV.mailConfigurationSet, identity.configurationSetName);
    }
    this.function.addEnvironment(ENV.mailFrom, identity.mailFrom);
    return this;
  }

  /** Grants reading `secret` and sets its `*_SECRET_ARN` variable. */
  bindSecret(name: SecretName, secret: ISecret): this {
    secret.grantRead(this.role);
    this.function.addEnvironment(SECRET_ARN_ENV[name], secret.secretArn);
    return this;
  }

  /**
   * Sets the base URL of a national service (CVEC control, INES verification). They are
   * outside AWS: no IAM grant, the API key comes with the `national` secret.
   */
  bindNationalApi(api: NationalApi, baseUrl: string): this {
    if (!/^https:\/\//.test(baseUrl)) throw new Error(`${this.node.path}: the ${api} API URL must be https (got ${baseUrl})`);
    this.function.addEnvironment(NATIONAL_API_ENV[api], baseUrl);
    return this;
  }

  /** Binds exactly what an entry's `access` declares, and nothing more. */
  bindAccess(access: Access, resources: ServiceResources): this {
    if (access.table) this.bindTable(resources.table, access.table);
    if (access.mailQueue === 'send') this.bindMailQueue(resources.mailQueue);
    if (access.ses === 'send') this.bindSes(resources.mail);
    for (const name of new Set(access.secrets ?? [])) this.bindSecret(name, resources.secrets[name]);
    for (const api of new Set(access.nationalApis ?? [])) this.bindNationalApi(api, resources.nationalApis[api]);
    if (access.assistanceMailbox) this.function.addEnvironment(ENV.assistanceEmail, resources.assistanceEmail);
    if (access.documents) this.bindDocuments(resources.documents, access.documents);
    if (access.certificates) this.bindCertificates(resources.documents, access.certificates);
    return this;
  }

  /**
   * Grants reading (`read`: s3:GetObject, also what a presigned download URL carries) or
   * writing (`presign`: s3:PutObject, what the browser's presigned POST carries) the documents'
   * objects only, and sets DOCUMENTS_BUCKET.
   */
  /**
   * Grants reading (`read`: s3:GetObject) or writing (`write`: s3:PutObject) the certificates'
   * PDFs only (objects under CERTIFICATES_PREFIX of the documents bucket), and sets
   * DOCUMENTS_BUCKET.
   */
  bindCertificates(bucket: IBucket, mode: 'read' | 'write'): this {
    this.role.addToPrincipalPolicy(
      new PolicyStatement({ effect: Effect.ALLOW, actions: [mode === 'read' ? 's3:GetObject' : 's3:PutObject'], resources: [bucket.arnForObjects(`${CERTIFICATES_PREFIX}*`)] }),
    );
    this.function.addEnvironment(DOCUMENTS_BUCKET_ENV, bucket.bucketName);
    acknowledge(
      this.role,
      'IAM5',
      `Certificates are objects under ${CERTIFICATES_PREFIX} of the documents bucket, several per dossier: the grant names that prefix and one action.`,
      `Resource::${nagArnOf(bucket)}/${CERTIFICATES_PREFIX}*`,
    );
    return this;
  }

  bindDocuments(bucket: IBucket, mode: 'read' | 'presign'): this {
    const objects = bucket.arnForObjects(`${DOCUMENTS_PREFIX}*`);
    this.role.addToPrincipalPolicy(new PolicyStatement({ effect: Effect.ALLOW, actions: [mode === 'read' ? 's3:GetObject' : 's3:PutObject'], resources: [objects] }));
    this.function.addEnvironment(DOCUMENTS_BUCKET_ENV, bucket.bucketName);
    acknowledge(
      this.role,
      'IAM5',
      `Documents are objects under ${DOCUMENTS_PREFIX} of the documents bucket, one per dossier and kind: the grant names that prefix and one action.`,
      `Resource::${nagArnOf(bucket)}/${DOCUMENTS_PREFIX}*`,
    );
    return this;
  }
}

/**
 * The `dynamodb:LeadingKeys` patterns of a table access: `DOSSIER#*` for a prefix followed by
 * an id, the key itself for a whole key (`SERVICE`).
 */
export function leadingKeyPatterns(access: TableAccess): string[] {
  return [...new Set(access.items)].map((kind) => (KEY_PREFIXES[kind].endsWith('#') ? `${KEY_PREFIXES[kind]}*` : KEY_PREFIXES[kind]));
}

/** Fails the synth with the offending value; returns the absolute entry path. */
function validateProps(scope: Construct, props: ServiceFunctionProps, memorySize: number, timeout: Duration): string {
  const where = scope.node.path;
  if (isAbsolute(props.entry)) {
    throw new Error(`${where}: entry must be relative to the project root (got ${props.entry})`);
  }
  const entry = join(props.projectRoot, props.entry);
  if (!existsSync(entry)) {
    throw new Error(`${where}: handler module ${props.entry} does not exist`);
  }
  if (!Number.isInteger(memorySize) || memorySize < 128 || memorySize > 10_240) {
    throw new Error(`${where}: memorySize must be an integer between 128 and 10240 MB (got ${memorySize})`);
  }
  const seconds = timeout.toSeconds();
  if (!Number.isInteger(seconds) || seconds < 1 || seconds > 900) {
    throw new Error(`${where}: timeout must be a whole number of seconds between 1 and 900 (got ${seconds})`);
  }
  return entry;
}
