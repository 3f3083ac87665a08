import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { ENV, requireEnv } from '../shared/env';
import { logger } from '../shared/logger';
import { traced } from '../shared/tracing';
import { markRelayed, type OutboxEntry } from './dynamo/outbox';

/** SQS; locally `AWS_ENDPOINT_URL_SQS` points at the queue server. Built once per environment. */
const sqs = traced(new SQSClient({}));

export interface QueuedMessage {
  /** The caller's id for the message (reported back when it is not taken). */
  id: string;
  body: string;
}

const MAX_BATCH = 10;

/**
 * Sends messages to the mail queue, ten per request (SQS's limit). A batch request can succeed
 * while some of its entries fail: each entry's outcome is checked. Returns the ids of the
 * messages the queue did not take (a failed request fails all its entries).
 */
export async function enqueueMail(messages: QueuedMessage[]): Promise<Set<string>> {
  const queueUrl = requireEnv(ENV.mailQueueUrl);
  const chunks: QueuedMessage[][] = [];
  for (let i = 0; i < messages.length; i += MAX_BATCH) chunks.push(messages.slice(i, i + MAX_BATCH));
  const failed = new Set<string>();
  await Promise.all(
    chunks.map(async (chunk) => {
      try {
        // Entry ids must be short and alphanumeric: the position in the chunk stands for the message.
        const out = await sqs.send(new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: chunk.map((m, i) => ({ Id: String(i), MessageBody: m.body })) }));
        if (out.Failed?.length) logger.warn('Mail queue refused messages', { codes: out.Failed.map((f) => f.Code) });
        const taken = new Set((out.Successful ?? []).map((s) => s.Id));
        chunk.forEach((m, i) => {
          if (!taken.has(String(i))) failed.add(m.id);
        });
      } catch (err) {
        logger.warn('Mail queue request failed', { errorName: (err as Error).name });
        for (const m of chunk) failed.add(m.id);
      }
    }),
  );
  return failed;
}

export interface RelayOutcome {
  /** Jobs the mail queue took. */
  queued: number;
  /** Jobs not done: not taken by the queue, or taken but not marked relayed. They stay waiting. */
  notRelayed: Set<string>;
}

/**
 * Moves waiting outbox jobs to the mail queue and marks each one the queue took relayed: the
 * one way out of the outbox, for the stream relay and the sweeper alike. A job queued but not
 * marked stays waiting and will be queued again; the mailer sends a job id once, so that costs
 * a message, never a second mail.
 */
export async function relayOutboxJobs(waiting: OutboxEntry[], now: Date): Promise<RelayOutcome> {
  // One message per job, however many times the caller lists it.
  const jobs = [...new Map(waiting.map((e) => [e.jobId, e])).values()];
  const notQueued = await enqueueMail(jobs.map((e) => ({ id: e.jobId, body: e.body })));
  const queued = jobs.filter((e) => !notQueued.has(e.jobId));
  const marks = await Promise.allSettled(queued.map(async (e) => markRelayed(e.jobId, now)));
  const notRelayed = new Set(notQueued);
  marks.forEach((mark, i) => {
    if (mark.status === 'rejected') notRelayed.add(queued[i]!.jobId);
  });
  return { queued: queued.length, notRelayed };
}
