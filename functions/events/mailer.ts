import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { IdempotencyConfig, IdempotencyItemNotFoundError, IdempotencyRecordStatus, makeIdempotent } from '@aws-lambda-powertools/idempotency';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Context, SQSEvent, SQSRecord } from 'aws-lambda';
import { tableName } from '../adapters/dynamo/client';
import { tableSchema } from '../adapters/dynamo/table-schema';
import { sendMail, type RenderedMail } from '../adapters/ses';
import { MailJob } from '../domain/mail-job';
import { renderMail } from '../mail/templates';
import { observedJob } from '../shared/job';
import { backoffDelay, sleep, type BackoffPolicy } from '../shared/backoff';
import { logger } from '../shared/logger';
import { countMetric, METRIC } from '../shared/metrics';
import { traced } from '../shared/tracing';
import { MAIL_NOT_SENT, SENT_JOB_MEMORY_SECONDS } from './mail-signals';
import { KEY_PREFIXES } from '../adapters/dynamo/key-prefixes';

/**
 * Consumes the mail queue: each record is a `MailJob` (the schema the producers use), rendered
 * and sent with SES v2, each job id at most once:
 * - Powertools idempotency keyed on `jobId`, stored in the service's table: a redelivered
 *   message, or a job queued twice, is not sent again (the first result is returned);
 * - SES throttling is retried with backoff within the invocation, then the record fails;
 * - failed records are reported individually (partial batch response): only they come back,
 *   and after the queue's max receive count they land in the dead-letter queue (alarmed).
 *   A record that is not a valid job (poison) fails every time and so ends there too.
 */

/** SES throttling (per-second sending rate): worth waiting for; a daily quota is not. */
const THROTTLING = new Set(['TooManyRequestsException', 'ThrottlingException', 'Throttling']);
const MAX_SEND_ATTEMPTS = 5;
/** Bounded by MAX_SEND_ATTEMPTS and the invocation's deadline rather than by a cap. */
const SES_BACKOFF: BackoffPolicy = { firstMs: 250, maxMs: Number.POSITIVE_INFINITY, jitter: 'equal' };
/** Time kept back from the invocation's deadline to record the outcome. */
const DEADLINE_RESERVE_MS = 3000;

const processor = new BatchProcessor(EventType.SQS);
/** The idempotency keys' prefix (a sent job's record is `mailer#<hash of its id>`). */
const MAILER_KEY_PREFIX = 'mailer';

const idempotency = new IdempotencyConfig({
  eventKeyJmesPath: 'jobId',
  throwOnNoIdempotencyKey: true,
  expiresAfterSeconds: SENT_JOB_MEMORY_SECONDS,
  responseHook: (response) => {
    logger.info('Mail job already sent: not sent again', response as { jobId: string });
    return response;
  },
});

const sentJobs = new DynamoDBPersistenceLayer({
  tableName: tableName(),
  keyAttr: tableSchema.partitionKey,
  sortKeyAttr: tableSchema.sortKey,
  // Every record shares this partition key; the sort key is the hashed job id.
  staticPkValue: `${KEY_PREFIXES.idempotency}mailer`,
  expiryAttr: tableSchema.ttlAttribute,
  awsSdkV3Client: traced(new DynamoDBClient({})),
});

/**
 * Whether the mailer has completed `jobId` (its idempotency record says COMPLETED): the local
 * runtime's restart asks it of the jobs relayed to a queue that lived in memory
 * (scripts/local/outbox-recovery.ts).
 */
export async function mailJobSent(jobId: string): Promise<boolean> {
  sentJobs.configure({ config: idempotency, keyPrefix: MAILER_KEY_PREFIX });
  try {
    return (await sentJobs.getRecord({ jobId })).getStatus() === IdempotencyRecordStatus.COMPLETED;
  } catch (err) {
    if (err instanceof IdempotencyItemNotFoundError) return false;
    throw err;
  }
}

class PoisonMailJobError extends Error {
  constructor(messageId: string) {
    super(`Message ${messageId} is not a mail job`);
    this.name = 'PoisonMailJobError';
  }
}

function parseJob(record: SQSRecord): MailJob {
  let raw: unknown;
  try {
    raw = JSON.parse(record.body);
  } catch {
    raw = undefined;
  }
  const result = MailJob.safeParse(raw);
  if (result.success) return result.data;
  // Paths and codes only: the values may be personal data.
  logger.error('Poison mail job: it will reach the dead-letter queue after its last receive', {
    messageId: record.messageId,
    receiveCount: record.attributes.ApproximateReceiveCount,
    issues: result.error.issues.slice(0, 5).map((i) => `${i.path.join('.')}: ${i.code}`),
  });
  throw new PoisonMailJobError(record.messageId);
}

async function sendWithBackoff(mail: RenderedMail, context: Context): Promise<string | undefined> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await sendMail(mail);
    } catch (err) {
      const delay = backoffDelay(attempt, SES_BACKOFF);
      const retry = THROTTLING.has((err as Error).name) && attempt < MAX_SEND_ATTEMPTS && context.getRemainingTimeInMillis() > delay + DEADLINE_RESERVE_MS;
      if (!retry) throw err;
      logger.warn('SES throttled: retrying', { jobId: mail.jobId, attempt });
      await sleep(delay);
    }
  }
}

const sendOnce = makeIdempotent(
  async (job: MailJob, context: Context) => {
    const messageId = await sendWithBackoff(renderMail(job), context);
    logger.info('Mail sent', { jobId: job.jobId, template: job.template, messageId });
    countMetric(METRIC.mailsSent);
    return { jobId: job.jobId, messageId: messageId ?? null };
  },
  { persistenceStore: sentJobs, config: idempotency, keyPrefix: MAILER_KEY_PREFIX },
);

async function recordHandler(record: SQSRecord, context: Context): Promise<void> {
  try {
    await sendOnce(parseJob(record), context);
  } catch (err) {
    // One line per failed mail, counted by the stack's failure metric (./mail-signals.ts).
    // The error's name only: its message may quote an address.
    logger.warn(MAIL_NOT_SENT, { messageId: record.messageId, receiveCount: record.attributes.ApproximateReceiveCount, error: (err as Error).name });
    throw err;
  }
}

export const handler = observedJob(async (event: SQSEvent, context: Context) => {
  // The in-progress lock of a job expires with this invocation, should it time out mid-send.
  idempotency.registerLambdaContext(context);
  return processPartialResponse(event, (record: SQSRecord) => recordHandler(record, context), processor, { context });
});
