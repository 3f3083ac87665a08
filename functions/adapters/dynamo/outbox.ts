import { BatchGetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { AttributeValue } from 'aws-lambda';
import { MailJob } from '../../domain/mail-job';
import { ddb, isConditionFailure, tableName } from './client';
import type { TransactItem } from './dossiers';
import { tableSchema } from './table-schema';

/**
 * The transactional outbox: a mail job is recorded in the same DynamoDB transaction as the
 * state change that causes it, so a crash between the two cannot lose (or invent) a mail.
 * The relay (functions/events/outbox-relay.ts), fed by the table's stream, moves recorded jobs
 * to the mail queue and marks them relayed. A job id can be recorded once only.
 *
 * An item waits, without expiry, until it is relayed: a job is never dropped unsent. Once
 * relayed it stays `RELAYED_RETENTION_SECONDS` (when was this mail queued?) then TTL deletes it.
 */
export const outboxKey = (jobId: string) => ({ pk: `OUTBOX#${jobId}`, sk: 'OUTBOX' });

/** The item type the table stream's event source mapping selects (see `jobs` in routes.ts). */
export const OUTBOX_ITEM_TYPE = 'outbox';

const RELAYED_RETENTION_SECONDS = 30 * 24 * 3600;

/**
 * The outbox item of `job`, to add to the transaction of the change causing it. The job is
 * checked against the schema here, so a malformed job fails its producer instead of
 * reaching the queue. The queue message is stored as written (`body`), relayed verbatim.
 */
export function outboxPut(job: MailJob, now: Date): TransactItem {
  const checked = MailJob.parse(job);
  return {
    Put: {
      TableName: tableName(),
      Item: {
        ...outboxKey(checked.jobId),
        type: OUTBOX_ITEM_TYPE,
        jobId: checked.jobId,
        template: checked.template,
        body: JSON.stringify(checked),
        createdAt: now.toISOString(),
      },
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  };
}

export interface OutboxEntry {
  jobId: string;
  /** The queue message: the job as JSON. */
  body: string;
}

/** The job an outbox item's stream image holds; undefined for any other item. */
export function outboxEntryFromImage(image: Record<string, AttributeValue> | undefined): OutboxEntry | undefined {
  const jobId = image?.jobId?.S;
  const body = image?.body?.S;
  if (image?.type?.S !== OUTBOX_ITEM_TYPE || !jobId || !body) return undefined;
  return { jobId, body };
}

/**
 * Of these jobs, those still waiting to be relayed. A replayed stream record (a retried batch,
 * a restarted poller) then sends nothing twice; keys DynamoDB leaves unprocessed count as
 * waiting (the mailer's idempotency absorbs a duplicate message).
 */
export async function pendingOutboxJobs(jobIds: string[]): Promise<Set<string>> {
  const unique = [...new Set(jobIds)];
  const pending = new Set<string>();
  for (let i = 0; i < unique.length; i += 100) {
    const chunk = unique.slice(i, i + 100);
    const out = await ddb.send(
      new BatchGetCommand({
        RequestItems: { [tableName()]: { Keys: chunk.map(outboxKey), ConsistentRead: true, ProjectionExpression: 'jobId, relayedAt' } },
      }),
    );
    const seen = new Set<string>();
    for (const item of out.Responses?.[tableName()] ?? []) {
      seen.add(item.jobId as string);
      if (item.relayedAt === undefined) pending.add(item.jobId as string);
    }
    const unprocessed = new Set((out.UnprocessedKeys?.[tableName()]?.Keys ?? []).map((k) => String(k.pk)));
    for (const id of chunk) if (!seen.has(id) && unprocessed.has(outboxKey(id).pk)) pending.add(id);
  }
  return pending;
}

/** Records that the job is on the mail queue; from then on the item expires. */
export async function markRelayed(jobId: string, now: Date): Promise<void> {
  try {
    await ddb.send(
      new UpdateCommand({
        TableName: tableName(),
        Key: outboxKey(jobId),
        UpdateExpression: 'SET relayedAt = :now, #ttl = :ttl',
        ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(relayedAt)',
        ExpressionAttributeNames: { '#ttl': tableSchema.ttlAttribute },
        ExpressionAttributeValues: { ':now': now.toISOString(), ':ttl': Math.floor(now.getTime() / 1000) + RELAYED_RETENTION_SECONDS },
      }),
    );
  } catch (err) {
    // Already marked by a concurrent or earlier delivery of the same record.
    if (!isConditionFailure(err)) throw err;
  }
}
