/**
 * Lambda's DynamoDB Streams event source mapping, locally: read the table's stream shard by
 * shard (from the oldest record, so records written while the runtime was down are relayed
 * at the next start), keep the records matching the job's filter pattern, invoke the handler
 * with a DynamoDB stream event, and on failure do what Lambda does with
 * `ReportBatchItemFailures` and `BisectBatchOnFunctionError`: retry from the lowest reported
 * sequence number, split a batch whose invocation throws, and give a batch up after
 * `maxRetryAttempts` retries (Lambda would then notify the on-failure destination).
 */
import { DescribeTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DescribeStreamCommand,
  ExpiredIteratorException,
  GetRecordsCommand,
  GetShardIteratorCommand,
  TrimmedDataAccessException,
  type _Record,
  type DynamoDBStreamsClient,
} from '@aws-sdk/client-dynamodb-streams';
import type { Context, DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { type JobDef, timeoutSecondsOf } from '../../functions/routes';
import { lambdaContext } from './lambda-context';

export type StreamHandler = (event: DynamoDBStreamEvent, context: Context) => Promise<DynamoDBBatchResponse | void>;

export interface StreamPollerOptions {
  dynamodb: DynamoDBClient;
  streams: DynamoDBStreamsClient;
  tableName: string;
  /** A job triggered by `tableStream` (batch size and filter pattern). */
  job: JobDef;
  handler: StreamHandler;
  /** Retries of a failing batch before it is given up. @default 10 */
  maxRetryAttempts?: number;
  /** Pause between empty reads. @default 200 ms */
  idleMillis?: number;
  /** First pause before a retry, doubled each time (capped at 5 s). @default 200 ms */
  retryMillis?: number;
  log?(line: string): void;
}

/**
 * Lambda event filtering, for the patterns the route list uses: an object pattern matches
 * when every key matches; an array lists the accepted values.
 */
export function matchesFilter(pattern: unknown, value: unknown): boolean {
  if (Array.isArray(pattern)) return pattern.some((accepted) => accepted === value);
  if (pattern && typeof pattern === 'object') {
    if (!value || typeof value !== 'object') return false;
    return Object.entries(pattern).every(([key, sub]) => matchesFilter(sub, (value as Record<string, unknown>)[key]));
  }
  return pattern === value;
}

/** A stream record as Lambda delivers it (epoch seconds; same attribute-value JSON). */
function lambdaRecord(r: _Record, streamArn: string): DynamoDBRecord {
  const d = r.dynamodb!;
  return {
    eventID: r.eventID,
    eventName: r.eventName,
    eventVersion: r.eventVersion ?? '1.1',
    eventSource: 'aws:dynamodb',
    awsRegion: process.env.AWS_REGION ?? 'eu-west-3',
    eventSourceARN: streamArn,
    dynamodb: {
      ApproximateCreationDateTime: d.ApproximateCreationDateTime ? Math.floor(d.ApproximateCreationDateTime.getTime() / 1000) : undefined,
      // The items hold no binary attributes: the SDK's and Lambda's attribute-value shapes coincide.
      Keys: d.Keys as NonNullable<DynamoDBRecord['dynamodb']>['Keys'],
      NewImage: d.NewImage as NonNullable<DynamoDBRecord['dynamodb']>['NewImage'],
      OldImage: d.OldImage as NonNullable<DynamoDBRecord['dynamodb']>['OldImage'],
      SequenceNumber: d.SequenceNumber,
      SizeBytes: d.SizeBytes,
      StreamViewType: d.StreamViewType,
    },
  };
}

interface Shard {
  id: string;
  parentId?: string;
  iterator?: string;
  closed: boolean;
}

export async function startStreamPoller(o: StreamPollerOptions): Promise<{ stop(): Promise<void> }> {
  if (o.job.trigger.kind !== 'tableStream') throw new Error(`${o.job.id} is not triggered by the table stream`);
  const { batchSize, filterPattern } = o.job.trigger;
  const streamArn = (await o.dynamodb.send(new DescribeTableCommand({ TableName: o.tableName }))).Table?.LatestStreamArn;
  if (!streamArn) throw new Error(`Table ${o.tableName} has no stream`);
  const maxRetryAttempts = o.maxRetryAttempts ?? 10;
  const shards = new Map<string, Shard>();
  let running = true;
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

  async function refreshShards(): Promise<void> {
    let exclusiveStartShardId: string | undefined;
    do {
      const out = await o.streams.send(new DescribeStreamCommand({ StreamArn: streamArn, ExclusiveStartShardId: exclusiveStartShardId }));
      for (const s of out.StreamDescription?.Shards ?? []) {
        if (!shards.has(s.ShardId!)) shards.set(s.ShardId!, { id: s.ShardId!, parentId: s.ParentShardId, closed: false });
      }
      exclusiveStartShardId = out.StreamDescription?.LastEvaluatedShardId;
    } while (exclusiveStartShardId);
  }

  /** Delivers matching records in order, retrying as the event source mapping does. */
  async function deliver(records: DynamoDBRecord[]): Promise<void> {
    let pending = records;
    let size = Math.min(batchSize, pending.length);
    let attempts = 0;
    while (pending.length > 0 && running) {
      const batch = pending.slice(0, size);
      let retryFrom: number | undefined;
      try {
        const result = await o.handler({ Records: batch }, lambdaContext(o.job.id, timeoutSecondsOf(o.job)));
        const failed = new Set((result?.batchItemFailures ?? []).map((f) => f.itemIdentifier));
        if (failed.size > 0) {
          const index = batch.findIndex((r) => failed.has(r.dynamodb?.SequenceNumber ?? ''));
          // An identifier naming no record of the batch fails the whole batch, as on Lambda.
          retryFrom = index < 0 ? 0 : index;
          o.log?.(`${o.job.id}: ${batch.length - retryFrom} record(s) to retry`);
        }
      } catch (err) {
        o.log?.(`! ${o.job.id} failed its batch: ${(err as Error).message}`);
        retryFrom = 0;
        if (size > 1) size = Math.ceil(size / 2);
      }
      if (retryFrom === undefined) {
        pending = pending.slice(batch.length);
        size = Math.min(batchSize, pending.length);
        attempts = 0;
        continue;
      }
      pending = pending.slice(retryFrom);
      attempts += 1;
      if (attempts > maxRetryAttempts) {
        const dropped = Math.min(size, pending.length);
        o.log?.(`! ${o.job.id}: gave up on ${dropped} record(s) after ${maxRetryAttempts} retries`);
        pending = pending.slice(dropped);
        size = Math.min(batchSize, pending.length);
        attempts = 0;
        continue;
      }
      await sleep(Math.min(5000, (o.retryMillis ?? 200) * 2 ** (attempts - 1)));
    }
  }

  async function pollShard(shard: Shard): Promise<number> {
    shard.iterator ??= (await o.streams.send(new GetShardIteratorCommand({ StreamArn: streamArn, ShardId: shard.id, ShardIteratorType: 'TRIM_HORIZON' }))).ShardIterator;
    if (!shard.iterator) {
      shard.closed = true;
      return 0;
    }
    const out = await o.streams.send(new GetRecordsCommand({ ShardIterator: shard.iterator, Limit: batchSize }));
    const records = (out.Records ?? []).map((r) => lambdaRecord(r, streamArn!)).filter((r) => matchesFilter(filterPattern, r));
    await deliver(records);
    // Stopped mid-delivery: keep the position, the next start reads these records again.
    if (!running) return 0;
    shard.iterator = out.NextShardIterator;
    if (!shard.iterator) shard.closed = true;
    return out.Records?.length ?? 0;
  }

  const loop = (async () => {
    // Monotonic: tests that fake or move the wall clock must not stop the shard list refreshing.
    let lastRefresh = Number.NEGATIVE_INFINITY;
    while (running) {
      let read = 0;
      try {
        if (performance.now() - lastRefresh > 1000) {
          await refreshShards();
          lastRefresh = performance.now();
        }
        // A child shard is read once its parent is exhausted, so a key's changes stay in order.
        for (const shard of shards.values()) {
          const parent = shard.parentId ? shards.get(shard.parentId) : undefined;
          if (!shard.closed && (!parent || parent.closed)) read += await pollShard(shard);
        }
      } catch (err) {
        if (err instanceof ExpiredIteratorException || err instanceof TrimmedDataAccessException) {
          // Restart the shards from their oldest record still kept; the relay skips what it already sent.
          o.log?.(`${o.job.id}: ${err.name}, reading the stream again from its oldest record`);
          for (const shard of shards.values()) shard.iterator = undefined;
        } else if (running) {
          o.log?.(`! polling the stream for ${o.job.id}: ${(err as Error).message}`);
        }
      }
      if (read === 0 && running) await sleep(o.idleMillis ?? 200);
    }
  })();

  return {
    async stop() {
      running = false;
      await loop;
    },
  };
}
