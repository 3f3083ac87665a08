import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { outboxEntryFromImage, pendingOutboxJobs, type OutboxEntry } from '../adapters/dynamo/outbox';
import { relayOutboxJobs } from '../adapters/mail-queue';
import { observedJob } from '../shared/job';
import { logger } from '../shared/logger';

/**
 * The outbox relay: the table's stream (new outbox items only, selected by the event source
 * mapping's filter) → the mail queue. For each batch: skip jobs already relayed (a replayed
 * record), send the rest with SendMessageBatch, mark each queued job relayed. A record whose
 * job did not reach the queue, or was not marked, is reported as a batch item failure: the
 * event source mapping retries from it, so nothing is lost; a job queued twice that way is
 * sent once (the mailer's idempotency). A record the mapping finally gives up leaves its job
 * waiting in the outbox, for the sweeper (outbox-sweeper.ts).
 */
type Entry = OutboxEntry & { sequenceNumber: string };

function entryOf(record: DynamoDBRecord): Entry[] {
  const entry = record.eventName === 'INSERT' ? outboxEntryFromImage(record.dynamodb?.NewImage) : undefined;
  const sequenceNumber = record.dynamodb?.SequenceNumber;
  return entry && sequenceNumber ? [{ ...entry, sequenceNumber }] : [];
}

async function relay(entries: Entry[], now: Date): Promise<Entry[]> {
  const pending = await pendingOutboxJobs(entries.map((e) => e.jobId));
  const waiting = entries.filter((e) => pending.has(e.jobId));
  const { queued, notRelayed } = await relayOutboxJobs(waiting, now);
  logger.info('Outbox relayed', { records: entries.length, queued, skipped: entries.length - waiting.length, failed: notRelayed.size });
  return waiting.filter((e) => notRelayed.has(e.jobId));
}

export const handler = observedJob(async (event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> => {
  const entries = event.Records.flatMap(entryOf);
  const failed = entries.length ? await relay(entries, new Date()) : [];
  return { batchItemFailures: failed.map((e) => ({ itemIdentifier: e.sequenceNumber })) };
});
