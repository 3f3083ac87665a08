import { createHash } from 'node:crypto';
import { BatchGetCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { AttributeValue } from 'aws-lambda';
import { MailJob } from '../../domain/mail-job';
import { ddb, isConditionFailure, tableName } from './client';
import type { TransactItem } from './dossiers';
import { tableSchema } from './table-schema';
import { KEY_PREFIXES } from './key-prefixes';

/**
 * The transactional outbox: a mail job is recorded in the same DynamoDB transaction as the
 * state change that causes it, so a crash between the two cannot lose (or invent) a mail.
 * The relay (functions/events/outbox-relay.ts), fed by the table's stream, moves recorded jobs
 * to the mail queue and marks them relayed. A job id can be recorded once only.
 *
 * An item waits, without expiry, until it is relayed: a job is never dropped unsent. Once
 * relayed it stays `RELAYED_RETENTION_SECONDS` (when was this mail queued?) then TTL deletes it.
 *
 * While it waits, the item is in a sparse index (gsi1 `OUTBOX#PENDING#<shard>`,
 * `<createdAt>#<jobId>`), which marking it relayed removes: the sweeper
 * (functions/events/outbox-sweeper.ts) finds there the jobs whose stream record the relay
 * gave up, without scanning the table. Items recorded before the index existed are not in it.
 */
export const outboxKey = (jobId: string) => ({ pk: `${KEY_PREFIXES.outbox}${jobId}`, sk: 'OUTBOX' });

/** The item type the table stream's event source mapping selects (see `jobs` in routes.ts). */
export const OUTBOX_ITEM_TYPE = 'outbox';

const RELAYED_RETENTION_SECONDS = 30 * 24 * 3600;

/**
 * Partitions of the pending index. Every mail job writes its entry and deletes it a moment
 * later: spread over a few partition keys (by a hash of the job id), the burst at a window's
 * opening stays far below one index partition's write limit.
 */
const PENDING_SHARDS = 4;
const pendingIndexPk = (shard: number) => `OUTBOX#PENDING#${shard}`;
const shardOf = (jobId: string) => createHash('sha256').update(jobId).digest().readUInt32BE(0) % PENDING_SHARDS;

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
        gsi1pk: pendingIndexPk(shardOf(checked.jobId)),
        gsi1sk: `${now.toISOString()}#${checked.jobId}`,
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

/**
 * Records that the job is on the mail queue and takes it out of the pending index; from then
 * on the item expires.
 */
export async function markRelayed(jobId: string, now: Date): Promise<void> {
  try {
    await ddb.send(
      new UpdateCommand({
        TableName: tableName(),
        Key: outboxKey(jobId),
        UpdateExpression: 'SET relayedAt = :now, #ttl = :ttl REMOVE gsi1pk, gsi1sk',
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

/**
 * Ids of the jobs recorded before `before` and still in the pending index, at most `limit` in
 * all, in pages of at most 100 (one BatchGetItem each). The shards are read in turn, a page
 * each, oldest first, so a backlog in one cannot hold back the others. The index is eventually
 * consistent: a job it lists may have been relayed a moment ago (read the item to know).
 */
export async function* outboxJobsPendingSince(before: Date, limit: number): AsyncGenerator<string[]> {
  const shards = Array.from({ length: PENDING_SHARDS }, (_, shard) => ({ pk: pendingIndexPk(shard), done: false, next: undefined as Record<string, unknown> | undefined }));
  let left = limit;
  while (left > 0 && shards.some((s) => !s.done)) {
    for (const shard of shards.filter((s) => !s.done)) {
      if (left <= 0) return;
      const out = await ddb.send(
        new QueryCommand({
          TableName: tableName(),
          IndexName: 'gsi1',
          // `<createdAt>#<jobId>` sorts before the bare cutoff exactly when createdAt < cutoff.
          KeyConditionExpression: 'gsi1pk = :pk AND gsi1sk < :before',
          ExpressionAttributeValues: { ':pk': shard.pk, ':before': before.toISOString() },
          Limit: Math.min(100, left),
          ExclusiveStartKey: shard.next,
        }),
      );
      shard.next = out.LastEvaluatedKey;
      shard.done = shard.next === undefined;
      const jobIds = (out.Items ?? []).map((item) => String(item.pk).slice(KEY_PREFIXES.outbox.length));
      left -= jobIds.length;
      if (jobIds.length > 0) yield jobIds;
    }
  }
}

/**
 * The outbox items of these jobs (at most 100), read consistently: those still waiting, with
 * their message, and the ids of those already relayed. A job whose key DynamoDB leaves
 * unprocessed is in neither list: the next sweep reads it again.
 */
export async function readOutboxJobs(jobIds: string[]): Promise<{ waiting: OutboxEntry[]; relayed: string[] }> {
  const waiting: OutboxEntry[] = [];
  const relayed: string[] = [];
  if (jobIds.length === 0) return { waiting, relayed };
  const out = await ddb.send(
    new BatchGetCommand({
      RequestItems: { [tableName()]: { Keys: [...new Set(jobIds)].map(outboxKey), ConsistentRead: true, ProjectionExpression: 'jobId, body, relayedAt' } },
    }),
  );
  for (const item of out.Responses?.[tableName()] ?? []) {
    if (item.relayedAt !== undefined) relayed.push(item.jobId as string);
    else waiting.push({ jobId: item.jobId as string, body: item.body as string });
  }
  return { waiting, relayed };
}

/**
 * Takes relayed jobs out of the pending index. Normally `markRelayed` already did; this clears
 * entries left by a relay that marks without unindexing (the code before the index, still
 * running during a deployment), which would otherwise be read again at every sweep.
 */
export async function unindexRelayed(jobIds: string[]): Promise<void> {
  await Promise.all(
    jobIds.map(async (jobId) => {
      try {
        await ddb.send(
          new UpdateCommand({
            TableName: tableName(),
            Key: outboxKey(jobId),
            UpdateExpression: 'REMOVE gsi1pk, gsi1sk',
            ConditionExpression: 'attribute_exists(relayedAt)',
          }),
        );
      } catch (err) {
        // Gone since it was read (expired): nothing left to unindex.
        if (!isConditionFailure(err)) throw err;
      }
    }),
  );
}
