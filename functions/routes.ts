/**
 * The single list of the service's functions: every HTTP route and every event-driven job.
 * Pure data (no handler imports): the CDK stack builds one function, one API route and the
 * least-privilege grants from each entry; the local runtime mounts the very same entries.
 */
import { instalmentsConfig } from '../config/instalments';
import { refundRetryConfig } from '../config/refunds';
import type { Role } from '../config/sign-in';
import { KEY_PREFIXES, type ItemKind } from './adapters/dynamo/key-prefixes';

export type { ItemKind, Role };

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

/**
 * Who may call a route. `student`: a session token; `admin`: an operator's access token from
 * the user pool (API Gateway's JWT authorizer on AWS, the local gateway's same check locally).
 */
export type AuthKind = 'public' | 'student' | 'admin';

/** Secrets a function may read (Secrets Manager on AWS, environment variables locally). */
export type SecretName = 'session' | 'stripe' | 'national' | 'originVerify';

/** National services a function calls (URLs from the stage config). */
export type NationalApi = 'cvec' | 'ines';

/**
 * DynamoDB actions a function may call, as IAM names them (a transaction's items are authorised
 * one by one as PutItem, UpdateItem, DeleteItem, ConditionCheckItem or GetItem). No Scan: the
 * service never scans.
 */
export type TableAction = 'GetItem' | 'BatchGetItem' | 'Query' | 'ConditionCheckItem' | 'PutItem' | 'UpdateItem' | 'DeleteItem' | 'BatchWriteItem';

/** What a function may do in the single table: the CDK grant and the local check are built from it. */
export interface TableAccess {
  actions: readonly TableAction[];
  /**
   * The kinds of items it touches (their partition-key prefixes, functions/adapters/dynamo/key-prefixes.ts):
   * the grant's `dynamodb:LeadingKeys` condition.
   */
  items: readonly ItemKind[];
  /** It queries the keys-only index gsi1 (operators' listings, the outbox sweeper) @default false */
  index?: true;
}

/** Whether `table`'s grant covers the partition key `pk`. */
export function leadingKeyAllowed(table: TableAccess, pk: string): boolean {
  return table.items.some((kind) => {
    const prefix = KEY_PREFIXES[kind];
    return prefix.endsWith('#') ? pk.startsWith(prefix) : pk === prefix;
  });
}

/** What a function may touch. Anything not listed is denied. */
export interface Access {
  /** The single DynamoDB table. */
  table?: TableAccess;
  /** Send messages to the mail queue. */
  mailQueue?: 'send';
  /** Send mail with SES. */
  ses?: 'send';
  secrets?: SecretName[];
  /** National services it calls over HTTPS (CVEC control, INES verification). */
  nationalApis?: NationalApi[];
  /** It addresses mails to the assistance mailbox (support requests): it gets the stage's address. */
  assistanceMailbox?: true;
  /**
   * The documents bucket: `read` its files (and sign short-lived download URLs), `presign`
   * browser uploads (the presigned POST carries the function's right to put objects).
   */
  documents?: 'read' | 'presign';
  /**
   * The certificates' PDFs, under `certificates/` in the documents bucket: `read` them (the
   * download route), `write` them (the certificate job).
   */
  certificates?: 'read' | 'write';
}

export interface RouteDef {
  /** Stable id, used to name the function and its construct. PascalCase. */
  id: string;
  method: HttpMethod;
  /** API Gateway path, with `{param}` placeholders. */
  path: string;
  /** Handler module, relative to the repository root; it exports `handler`. */
  entry: string;
  auth: AuthKind;
  /**
   * Admin routes: the role needed. The handler asks for it (`auth: supervisorAccess` or
   * `operatorAccess`, functions/shared/operator-auth.ts), which does not import this list;
   * test/handlers/admin-dossiers.test.ts ("roles") holds the two together. @default 'operator'
   */
  role?: Role;
  /**
   * A student route that answers while the service is closed (its handler opts out of the
   * closed-service gate; test/handlers/closed-service.test.ts holds the two together).
   * @default false
   */
  openWhenClosed?: true;
  access: Access;
  /** Memory in MB. @default lib/constructs/service-function.ts DEFAULT_MEMORY_MB */
  memoryMb?: number;
  /** Timeout in seconds. @default DEFAULT_TIMEOUT_SECONDS */
  timeoutSeconds?: number;
}

/** Timeout of a function whose entry does not set `timeoutSeconds`. */
export const DEFAULT_TIMEOUT_SECONDS = 10;

/** A route's or job's timeout in seconds: its own, or DEFAULT_TIMEOUT_SECONDS. */
export const timeoutSecondsOf = (def: { timeoutSeconds?: number }): number => def.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS;

/**
 * Package files a function reads at run time, copied beside its bundle (esbuild does not
 * follow `readFile`): `fonts` are the certificates' TTF files (functions/certificates/pdf.ts).
 */
export type BundledFiles = 'fonts';

export type JobTrigger =
  /** The mail queue, through an event source mapping reporting batch item failures. */
  | { kind: 'mailQueue'; batchSize: number }
  /** EventBridge Scheduler, at each window's opening and closing (Europe/Paris). */
  | { kind: 'windowSchedules' }
  /**
   * The table's stream (view type NEW_IMAGE), through an event source mapping that keeps only
   * the records matching `filterPattern` (Lambda event filtering syntax, applied to each
   * stream record), reports batch item failures, bisects a failing batch and retries.
   */
  | { kind: 'tableStream'; batchSize: number; filterPattern: Record<string, unknown> }
  /**
   * EventBridge Scheduler, every `minutes` (a whole number; the job's timeout must be shorter,
   * so runs never overlap), with `{scheduledFor}` (the scheduled time, ISO 8601) as the event.
   */
  | {
      kind: 'rate';
      minutes: number;
      /**
       * Run on this zone's clock (a cron every `minutes`, a divisor of 60, from the hour)
       * rather than every `minutes` from the schedule's creation. @default - a plain rate
       */
      timeZone?: string;
    }
  /**
   * EventBridge Scheduler, once a day at `hour`:`minute` in `timeZone` (the scheduler handles
   * summer time), with `{scheduledFor}` as the event.
   */
  | { kind: 'daily'; hour: number; minute: number; timeZone: string }
  /**
   * S3 event notifications of the documents bucket: every object created (the browser's
   * presigned POST uploads), invoked asynchronously with the S3 event (retried on failure).
   */
  | { kind: 'documentUploads' };

export interface JobDef {
  id: string;
  entry: string;
  trigger: JobTrigger;
  access: Access;
  memoryMb?: number;
  timeoutSeconds?: number;
  /** Files copied beside the bundle. @default none */
  files?: BundledFiles[];
}

/** An entry's table access (see `TableAccess`); `INDEX` when it also queries the keys-only index. */
const INDEX = { index: true } as const;
const table = (actions: TableAction[], items: ItemKind[], o: { index?: true } = {}): TableAccess => ({ actions, items, ...o });

export const routes: RouteDef[] = [
  // Public
  { id: 'Status', method: 'GET', path: '/api/status', entry: 'functions/public/status.ts', auth: 'public', access: { table: table(['GetItem'], ['service']) } },
  { id: 'Programmes', method: 'GET', path: '/api/programmes', entry: 'functions/public/programmes.ts', auth: 'public', access: {} },
  {
    id: 'Session',
    method: 'POST',
    path: '/api/session',
    entry: 'functions/public/session.ts',
    auth: 'public',
    access: { table: table(['GetItem', 'BatchGetItem', 'PutItem', 'UpdateItem'], ['service', 'admission', 'dossier', 'rate']), secrets: ['session', 'originVerify'] },
  },
  {
    id: 'Logout',
    method: 'DELETE',
    path: '/api/session',
    entry: 'functions/public/logout.ts',
    auth: 'student',
    openWhenClosed: true,
    access: { table: table(['GetItem', 'PutItem'], ['dossier']), secrets: ['session'] },
  },
  {
    id: 'Support',
    method: 'POST',
    path: '/api/support',
    entry: 'functions/public/support.ts',
    auth: 'public',
    access: { table: table(['GetItem', 'BatchGetItem', 'PutItem'], ['service', 'rate', 'support', 'outbox']), secrets: ['originVerify'], assistanceMailbox: true },
  },
  // Stripe's events: outside the closed-service gate, so payments started before closing complete.
  // Certificates' verification (the QR code's page reads it): public, rate-limited, cached briefly.
  {
    id: 'VerifyCertificate',
    method: 'GET',
    path: '/api/verify/{code}',
    entry: 'functions/public/verify.ts',
    auth: 'public',
    access: { table: table(['GetItem', 'UpdateItem'], ['certificate', 'verifyRate']), secrets: ['originVerify'] },
  },
  {
    id: 'PaymentWebhook',
    method: 'POST',
    path: '/api/payments/webhook',
    entry: 'functions/events/payment-webhook.ts',
    auth: 'public',
    access: { table: table(['GetItem', 'PutItem'], ['stripeEvent', 'paymentAnomaly', 'dossier', 'outbox', 'certificateEvent']), secrets: ['stripe'] },
  },

  // Student wizard: one function per step
  {
    id: 'GetDossier',
    method: 'GET',
    path: '/api/dossier',
    entry: 'functions/steps/get-dossier.ts',
    auth: 'student',
    access: { table: table(['GetItem'], ['dossier', 'service']), secrets: ['session'] },
  },
  {
    id: 'StepIdentity',
    method: 'PUT',
    path: '/api/dossier/identity',
    entry: 'functions/steps/identity.ts',
    auth: 'student',
    access: { table: table(['GetItem', 'PutItem'], ['dossier', 'service']), secrets: ['session'] },
  },
  {
    id: 'StepIne',
    method: 'PUT',
    path: '/api/dossier/ine',
    entry: 'functions/steps/ine.ts',
    auth: 'student',
    access: { table: table(['GetItem', 'PutItem', 'UpdateItem'], ['dossier', 'service', 'counter', 'ine']), secrets: ['session', 'national'], nationalApis: ['ines'] },
  },
  {
    id: 'StepSituation',
    method: 'PUT',
    path: '/api/dossier/situation',
    entry: 'functions/steps/situation.ts',
    auth: 'student',
    access: { table: table(['GetItem', 'PutItem'], ['dossier', 'service']), secrets: ['session'] },
  },
  {
    id: 'StepCvec',
    method: 'PUT',
    path: '/api/dossier/cvec',
    entry: 'functions/steps/cvec.ts',
    auth: 'student',
    access: { table: table(['GetItem', 'BatchGetItem', 'PutItem'], ['dossier', 'service', 'rate']), secrets: ['session', 'national'], nationalApis: ['cvec'] },
  },
  {
    id: 'StepProgramme',
    method: 'PUT',
    path: '/api/dossier/programme',
    entry: 'functions/steps/programme.ts',
    auth: 'student',
    access: { table: table(['GetItem', 'PutItem'], ['dossier', 'service']), secrets: ['session'] },
  },
  {
    id: 'Submit',
    method: 'POST',
    path: '/api/dossier/submit',
    entry: 'functions/steps/submit.ts',
    auth: 'student',
    access: { table: table(['GetItem', 'PutItem'], ['dossier', 'service', 'outbox', 'certificateEvent']), secrets: ['session'] },
  },
  {
    id: 'Certificates',
    method: 'GET',
    path: '/api/dossier/certificates',
    entry: 'functions/steps/certificates.ts',
    auth: 'student',
    openWhenClosed: true,
    access: { table: table(['GetItem', 'BatchGetItem', 'Query'], ['dossier', 'certificate']), secrets: ['session'] },
  },
  {
    id: 'CertificateFile',
    method: 'GET',
    path: '/api/dossier/certificates/{kind}',
    entry: 'functions/steps/certificate-file.ts',
    auth: 'student',
    openWhenClosed: true,
    access: { table: table(['GetItem', 'BatchGetItem', 'Query'], ['dossier', 'certificate']), secrets: ['session'], certificates: 'read' },
  },
  // Up to three Stripe calls (read, close, open a session), each with the adapter's timeout and retry (functions/adapters/stripe.ts).
  {
    id: 'Payment',
    method: 'POST',
    path: '/api/dossier/payment',
    entry: 'functions/steps/payment.ts',
    auth: 'student',
    access: { table: table(['GetItem', 'PutItem'], ['dossier', 'service']), secrets: ['session', 'stripe'] },
    timeoutSeconds: 20,
  },
  // Pay a part of an instalment plan now (failed, overdue or future): enrolled students, so open when closed.
  {
    id: 'InstalmentPayment',
    method: 'POST',
    path: '/api/dossier/payment/instalments/{n}',
    entry: 'functions/steps/instalment-payment.ts',
    auth: 'student',
    openWhenClosed: true,
    access: { table: table(['GetItem', 'PutItem'], ['dossier']), secrets: ['session', 'stripe'] },
    timeoutSeconds: 20,
  },

  // A student withdraws (refund sent to Stripe at once before the academic year's start): answers while closed.
  {
    id: 'Withdrawal',
    method: 'POST',
    path: '/api/dossier/withdrawal',
    entry: 'functions/steps/withdrawal.ts',
    auth: 'student',
    openWhenClosed: true,
    access: { table: table(['GetItem', 'PutItem'], ['dossier', 'service', 'admission', 'outbox', 'certificateEvent', 'paymentAnomaly']), secrets: ['session', 'stripe'] },
    timeoutSeconds: 20,
  },

  // Supporting documents and corrections: at any time after login (submit does not lock them)
  {
    id: 'Documents',
    method: 'GET',
    path: '/api/dossier/documents',
    entry: 'functions/documents/list.ts',
    auth: 'student',
    access: { table: table(['GetItem'], ['dossier', 'service']), secrets: ['session'] },
  },
  {
    id: 'DocumentUpload',
    method: 'POST',
    path: '/api/dossier/documents/{kind}/uploads',
    entry: 'functions/documents/upload.ts',
    auth: 'student',
    access: { table: table(['GetItem', 'PutItem'], ['dossier', 'service']), secrets: ['session'], documents: 'presign' },
  },
  {
    id: 'DocumentFile',
    method: 'GET',
    path: '/api/dossier/documents/{kind}/file',
    entry: 'functions/documents/file.ts',
    auth: 'student',
    access: { table: table(['GetItem'], ['dossier', 'service']), secrets: ['session'], documents: 'read' },
  },
  {
    id: 'CorrectionCreate',
    method: 'POST',
    path: '/api/dossier/corrections',
    entry: 'functions/corrections/create.ts',
    auth: 'student',
    access: { table: table(['GetItem', 'PutItem'], ['dossier', 'service', 'admission']), secrets: ['session'] },
  },
  {
    id: 'Corrections',
    method: 'GET',
    path: '/api/dossier/corrections',
    entry: 'functions/corrections/list.ts',
    auth: 'student',
    access: { table: table(['GetItem', 'Query'], ['dossier', 'service']), secrets: ['session'] },
  },

  // Operators (role: 'operator' unless stated; the service switch, admissions imports and refunds are 'supervisor', API.md "Roles")
  { id: 'AdminGetService', method: 'GET', path: '/api/admin/service', entry: 'functions/admin/get-service.ts', auth: 'admin', access: { table: table(['GetItem', 'Query'], ['service']) } },
  {
    id: 'AdminPutService',
    method: 'PUT',
    path: '/api/admin/service',
    entry: 'functions/admin/put-service.ts',
    auth: 'admin',
    role: 'supervisor',
    access: { table: table(['GetItem', 'PutItem', 'UpdateItem'], ['service']) },
  },
  // Up to MAX_IMPORT_LINES (functions/domain/admission-import.ts) per call, answered before API Gateway's 30 s (the handler keeps a margin).
  {
    id: 'AdminImportAdmissions',
    method: 'POST',
    path: '/api/admin/admissions',
    entry: 'functions/admin/import-admissions.ts',
    auth: 'admin',
    role: 'supervisor',
    access: { table: table(['GetItem', 'BatchGetItem', 'PutItem', 'UpdateItem'], ['admission', 'admissionImports', 'dossier']) },
    memoryMb: 1024,
    timeoutSeconds: 29,
  },
  {
    id: 'AdminSearchDossiers',
    method: 'GET',
    path: '/api/admin/dossiers',
    entry: 'functions/admin/search-dossiers.ts',
    auth: 'admin',
    access: { table: table(['GetItem', 'BatchGetItem', 'Query'], ['dossier', 'admission', 'ine'], INDEX) },
  },
  {
    id: 'AdminGetDossier',
    method: 'GET',
    path: '/api/admin/dossiers/{id}',
    entry: 'functions/admin/get-dossier.ts',
    auth: 'admin',
    access: { table: table(['GetItem', 'Query'], ['dossier', 'admission']) },
  },
  {
    id: 'AdminProvisionalIne',
    method: 'POST',
    path: '/api/admin/dossiers/{id}/provisional-ine',
    entry: 'functions/admin/provisional-ine.ts',
    auth: 'admin',
    access: { table: table(['GetItem', 'PutItem', 'UpdateItem'], ['dossier', 'counter', 'ine']) },
  },
  {
    id: 'AdminOfficePayment',
    method: 'POST',
    path: '/api/admin/dossiers/{id}/office-payment',
    entry: 'functions/admin/office-payment.ts',
    auth: 'admin',
    access: { table: table(['GetItem', 'PutItem'], ['dossier', 'admission', 'outbox', 'certificateEvent']), secrets: ['stripe'] },
    timeoutSeconds: 20,
  },
  {
    id: 'AdminCancelDossier',
    method: 'POST',
    path: '/api/admin/dossiers/{id}/cancel',
    entry: 'functions/admin/cancel-dossier.ts',
    auth: 'admin',
    access: { table: table(['GetItem', 'PutItem'], ['dossier', 'outbox', 'certificateEvent']), secrets: ['stripe'] },
    timeoutSeconds: 20,
  },
  {
    id: 'AdminResendMail',
    method: 'POST',
    path: '/api/admin/dossiers/{id}/resend-mail',
    entry: 'functions/admin/resend-mail.ts',
    auth: 'admin',
    access: { table: table(['GetItem', 'PutItem', 'UpdateItem', 'ConditionCheckItem'], ['dossier', 'outbox', 'counter']) },
  },
  {
    id: 'AdminScholarship',
    method: 'POST',
    path: '/api/admin/dossiers/{id}/scholarship',
    entry: 'functions/admin/scholarship.ts',
    auth: 'admin',
    access: { table: table(['GetItem', 'PutItem'], ['dossier', 'outbox', 'certificateEvent', 'paymentAnomaly']), secrets: ['stripe'] },
    timeoutSeconds: 20,
  },
  // A supervisor decides the refund of a withdrawal requested after the academic year's start.
  {
    id: 'AdminRefund',
    method: 'POST',
    path: '/api/admin/dossiers/{id}/refund',
    entry: 'functions/admin/refund.ts',
    auth: 'admin',
    role: 'supervisor',
    access: { table: table(['GetItem', 'PutItem'], ['dossier', 'admission', 'outbox', 'certificateEvent', 'paymentAnomaly']), secrets: ['stripe'] },
    timeoutSeconds: 20,
  },
  {
    id: 'AdminPaymentAnomalies',
    method: 'GET',
    path: '/api/admin/payment-anomalies',
    entry: 'functions/admin/payment-anomalies.ts',
    auth: 'admin',
    // Anomalies are Stripe event records or anomaly items, both on the PAYMENT_ANOMALIES index; each names its dossier's student.
    access: { table: table(['BatchGetItem', 'Query'], ['paymentAnomaly', 'stripeEvent', 'dossier'], INDEX) },
  },
  {
    id: 'AdminOverdueInstalments',
    method: 'GET',
    path: '/api/admin/instalments/overdue',
    entry: 'functions/admin/overdue-instalments.ts',
    auth: 'admin',
    access: { table: table(['BatchGetItem', 'Query'], ['dossier'], INDEX) },
  },
  {
    id: 'AdminReissueCertificates',
    method: 'POST',
    path: '/api/admin/dossiers/{id}/certificates/reissue',
    entry: 'functions/admin/reissue-certificates.ts',
    auth: 'admin',
    access: { table: table(['GetItem', 'PutItem', 'UpdateItem', 'ConditionCheckItem'], ['dossier', 'counter', 'certificateEvent']) },
  },
  {
    id: 'AdminSupportRequests',
    method: 'GET',
    path: '/api/admin/support-requests',
    entry: 'functions/admin/support-requests.ts',
    auth: 'admin',
    access: { table: table(['BatchGetItem', 'Query'], ['support'], INDEX) },
  },
  {
    id: 'AdminStats',
    method: 'GET',
    path: '/api/admin/stats',
    entry: 'functions/admin/stats.ts',
    auth: 'admin',
    access: { table: table(['Query'], ['stats']) },
  },
  {
    id: 'AdminSupportHandled',
    method: 'POST',
    path: '/api/admin/support-requests/{id}/handled',
    entry: 'functions/admin/support-handled.ts',
    auth: 'admin',
    access: { table: table(['UpdateItem'], ['support']) },
  },
  {
    id: 'AdminDocumentFile',
    method: 'GET',
    path: '/api/admin/dossiers/{id}/documents/{kind}/file',
    entry: 'functions/documents/admin-file.ts',
    auth: 'admin',
    access: { table: table(['GetItem'], ['dossier']), documents: 'read' },
  },
  {
    id: 'AdminDocumentReview',
    method: 'POST',
    path: '/api/admin/dossiers/{id}/documents/{kind}/review',
    entry: 'functions/documents/review.ts',
    auth: 'admin',
    access: { table: table(['GetItem', 'PutItem'], ['dossier', 'admission', 'outbox']) },
  },
  {
    id: 'AdminCorrections',
    method: 'GET',
    path: '/api/admin/corrections',
    entry: 'functions/corrections/admin-list.ts',
    auth: 'admin',
    access: { table: table(['BatchGetItem', 'Query'], ['dossier'], INDEX) },
  },
  {
    id: 'AdminCorrectionDecision',
    method: 'POST',
    path: '/api/admin/corrections/{id}',
    entry: 'functions/corrections/admin-decide.ts',
    auth: 'admin',
    access: { table: table(['GetItem', 'PutItem', 'UpdateItem'], ['dossier', 'admission', 'outbox', 'counter', 'certificateEvent']) },
  },
  {
    id: 'AdminDocumentsToReview',
    method: 'GET',
    path: '/api/admin/documents',
    entry: 'functions/documents/admin-queue.ts',
    auth: 'admin',
    access: { table: table(['BatchGetItem', 'Query'], ['dossier'], INDEX) },
  },
];

export const jobs: JobDef[] = [
  {
    id: 'WindowSwitch',
    entry: 'functions/events/window-switch.ts',
    trigger: { kind: 'windowSchedules' },
    access: { table: table(['GetItem', 'UpdateItem'], ['service']) },
  },
  {
    id: 'Mailer',
    entry: 'functions/events/mailer.ts',
    trigger: { kind: 'mailQueue', batchSize: 10 },
    access: { table: table(['GetItem', 'PutItem', 'UpdateItem', 'DeleteItem'], ['idempotency']), ses: 'send' },
    timeoutSeconds: 30,
  },
  {
    id: 'OutboxRelay',
    entry: 'functions/events/outbox-relay.ts',
    // New outbox items only (functions/adapters/dynamo/outbox.ts: `type` OUTBOX_ITEM_TYPE).
    trigger: { kind: 'tableStream', batchSize: 100, filterPattern: { eventName: ['INSERT'], dynamodb: { NewImage: { type: { S: ['outbox'] } } } } },
    access: { table: table(['BatchGetItem', 'UpdateItem'], ['outbox']), mailQueue: 'send' },
    timeoutSeconds: 30,
  },
  {
    id: 'CertificateIssuer',
    entry: 'functions/events/certificates.ts',
    // New certificate events only (functions/adapters/dynamo/certificates.ts CERTIFICATE_EVENT_ITEM_TYPE).
    // Rendering four PDFs takes a few seconds: small batches, a generous timeout.
    trigger: { kind: 'tableStream', batchSize: 5, filterPattern: { eventName: ['INSERT'], dynamodb: { NewImage: { type: { S: ['certificate_event'] } } } } },
    access: { table: table(['GetItem', 'BatchGetItem', 'PutItem', 'UpdateItem', 'Query', 'ConditionCheckItem'], ['dossier', 'certificate']), certificates: 'write' },
    memoryMb: 1024,
    timeoutSeconds: 60,
    files: ['fonts'],
  },
  {
    id: 'Stats',
    entry: 'functions/events/stats.ts',
    // Items a write stamped with its change to the dashboard's counters (functions/adapters/dynamo/stats.ts STATS_MARK).
    trigger: { kind: 'tableStream', batchSize: 100, filterPattern: { eventName: ['INSERT', 'MODIFY'], dynamodb: { NewImage: { hasStats: { BOOL: [true] } } } } },
    access: { table: table(['BatchGetItem', 'PutItem', 'UpdateItem'], ['stats', 'statsApplied']) },
    timeoutSeconds: 30,
  },
  {
    id: 'OutboxSweeper',
    entry: 'functions/events/outbox-sweeper.ts',
    // Relays the outbox jobs the stream relay gave up (functions/events/outbox-sweeper.ts).
    trigger: { kind: 'rate', minutes: 5 },
    access: { table: table(['BatchGetItem', 'Query', 'UpdateItem'], ['outbox'], INDEX), mailQueue: 'send' },
    timeoutSeconds: 60,
  },
  {
    id: 'InstalmentsDue',
    entry: 'functions/events/instalments-due.ts',
    // Charges the parts due that day, and the retries (functions/events/instalments-due.ts).
    trigger: { kind: 'daily', ...instalmentsConfig.dailyRunAt, timeZone: instalmentsConfig.timeZone },
    access: { table: table(['GetItem', 'PutItem', 'Query'], ['dossier', 'outbox'], INDEX), secrets: ['stripe'] },
    timeoutSeconds: 900,
  },
  {
    id: 'RefundRetry',
    entry: 'functions/events/refund-retry.ts',
    // Sends again the refunds Stripe never accepted, then hands them to the operators (functions/events/refund-retry.ts).
    trigger: { kind: 'rate', minutes: refundRetryConfig.everyMinutes, timeZone: refundRetryConfig.timeZone },
    access: { table: table(['GetItem', 'PutItem', 'Query'], ['dossier', 'outbox', 'paymentAnomaly'], INDEX), secrets: ['stripe'] },
    timeoutSeconds: 300,
  },
  {
    id: 'DocumentCheck',
    entry: 'functions/events/document-check.ts',
    // Reads each uploaded file (at most the catalogue's maxBytes) and records its status.
    trigger: { kind: 'documentUploads' },
    access: { table: table(['GetItem', 'PutItem'], ['dossier']), documents: 'read' },
    timeoutSeconds: 30,
  },
];

/** Matches a concrete path against a route path template; returns the path parameters. */
export function matchPath(template: string, path: string): Record<string, string> | undefined {
  const t = template.split('/');
  const p = path.split('/');
  if (t.length !== p.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < t.length; i++) {
    const seg = t[i]!;
    if (seg.startsWith('{') && seg.endsWith('}')) {
      if (p[i] === '') return undefined;
      params[seg.slice(1, -1)] = decodeURIComponent(p[i]!);
    } else if (seg !== p[i]) {
      return undefined;
    }
  }
  return params;
}
