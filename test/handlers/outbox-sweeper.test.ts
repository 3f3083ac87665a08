/**
 * The outbox sweeper on the real local servers: outbox items the stream relay gave up are
 * relayed once older than the sweeper's cutoff → this file's mail queue → the mailer → the SES
 * capture. This file's table stream feeds a relay that is broken for good (every invocation
 * fails, and the local event source mapping gives the records up after one retry), so a job
 * leaves the outbox only through the sweeper, unless a test relays it itself.
 */
import { randomUUID } from 'node:crypto';
import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { GetCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { ddb, tableName } from '../../functions/adapters/dynamo/client';
import { outboxKey, outboxPut } from '../../functions/adapters/dynamo/outbox';
import { relayOutboxJobs } from '../../functions/adapters/mail-queue';
import type { MailJob } from '../../functions/domain/mail-job';
import { handler as mailer } from '../../functions/events/mailer';
import { handler as sweeper } from '../../functions/events/outbox-sweeper';
import { jobs, timeoutSecondsOf } from '../../functions/routes';
import { lambdaContext } from '../../scripts/local/lambda-context';
import { eventually, mailTo, queueDepth, recordMailQueueSends, startMailQueuePoller, startOutboxStreamPoller, supportAckJob } from '../support/mail';

const T0 = new Date('2026-07-01T10:00:00Z');
const minutes = (n: number) => new Date(T0.getTime() + n * 60_000);
const run = randomUUID().slice(0, 8);
const sweeperJob = jobs.find((j) => j.id === 'OutboxSweeper')!;

const ackJob = (name: string) => supportAckJob(run, name, T0.toISOString());

/** Records `job` in the outbox at `at`, as a producer does (in a transaction of its own here). */
async function record(job: MailJob, at: Date): Promise<void> {
  await ddb.send(new TransactWriteCommand({ TransactItems: [outboxPut(job, at)] }));
}

async function outboxItem(jobId: string) {
  return (await ddb.send(new GetCommand({ TableName: tableName(), Key: outboxKey(jobId), ConsistentRead: true }))).Item;
}

/** One run, as its schedule invokes it (same payload, the job's timeout), at `at`. */
async function sweepAt(at: Date) {
  vi.setSystemTime(at);
  return sweeper({ scheduledFor: at.toISOString() }, lambdaContext(sweeperJob.id, timeoutSecondsOf(sweeperJob)));
}

/** How many times the broken relay was handed each job's stream record. */
const relayAttempts = new Map<string, number>();
let streamPoller: { stop(): Promise<void> };
let mailPoller: { stop(): Promise<void> };
beforeAll(async () => {
  mailPoller = await startMailQueuePoller(mailer);
  streamPoller = await startOutboxStreamPoller(
    async (event) => {
      for (const r of event.Records) {
        const jobId = r.dynamodb?.NewImage?.jobId?.S;
        if (jobId) relayAttempts.set(jobId, (relayAttempts.get(jobId) ?? 0) + 1);
      }
      throw new Error('relay broken');
    },
    { maxRetryAttempts: 1 },
  );
});
afterAll(async () => {
  await streamPoller.stop();
  await mailPoller.stop();
});
beforeEach(() => {
  vi.useFakeTimers({ now: T0, toFake: ['Date'] });
});
afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

describe('the outbox sweeper', () => {
  it('relays a job whose stream record was given up once it is older than the cutoff; the mail is sent exactly once', async () => {
    const job = ackJob('given-up');
    await record(job, T0);
    // The event source mapping tries the record, retries it once, then gives it up.
    await eventually(
      async () => relayAttempts.get(job.jobId) ?? 0,
      (n) => n >= 2,
    );
    expect(await outboxItem(job.jobId)).toMatchObject({ gsi1pk: expect.stringMatching(/^OUTBOX#PENDING#[0-3]$/), gsi1sk: `${T0.toISOString()}#${job.jobId}` });
    expect((await outboxItem(job.jobId))!.relayedAt).toBeUndefined();
    const queued = recordMailQueueSends();

    const outcome = await sweepAt(minutes(11));

    expect(outcome.relayed).toBeGreaterThanOrEqual(1);
    expect(outcome.left).toBe(0);
    expect(queued().filter((id) => id === job.jobId)).toHaveLength(1);
    const mails = await eventually(
      () => mailTo(job.to[0]!),
      (m) => m.length > 0,
    );
    expect(mails.map((m) => m.jobId)).toEqual([job.jobId]);
    const item = await outboxItem(job.jobId);
    expect(item).toMatchObject({ relayedAt: minutes(11).toISOString(), ttl: expect.any(Number) });
    expect(item!.gsi1pk).toBeUndefined();
    await eventually(
      () => queueDepth(process.env.MAIL_QUEUE_URL!),
      (d) => d === 0,
    );
    expect(await mailTo(job.to[0]!)).toHaveLength(1);
  });

  it('leaves a job younger than the cutoff to the stream, and takes it once it is older', async () => {
    const job = ackJob('fresh');
    await record(job, minutes(60));
    const queued = recordMailQueueSends();

    await sweepAt(minutes(69));

    expect(queued()).not.toContain(job.jobId);
    expect(await outboxItem(job.jobId)).toMatchObject({ gsi1pk: expect.any(String) });
    expect((await outboxItem(job.jobId))!.relayedAt).toBeUndefined();

    // Exactly at the cutoff it is still the stream's; a second later it is the sweeper's.
    await sweepAt(minutes(70));
    expect(queued()).not.toContain(job.jobId);
    await sweepAt(new Date(minutes(70).getTime() + 1000));
    expect(queued().filter((id) => id === job.jobId)).toHaveLength(1);
    await eventually(
      () => mailTo(job.to[0]!),
      (m) => m.length > 0,
    );
    expect(await mailTo(job.to[0]!)).toHaveLength(1);
  });

  it('does not send again a job the relay already relayed: it is no longer in the pending index', async () => {
    const job = ackJob('relayed');
    await record(job, minutes(120));
    // The relay's way out, as the stream relay takes it when it works.
    const { notRelayed } = await relayOutboxJobs([{ jobId: job.jobId, body: JSON.stringify(job) }], minutes(120));
    expect(notRelayed.size).toBe(0);
    await eventually(
      () => mailTo(job.to[0]!),
      (m) => m.length > 0,
    );
    expect(await outboxItem(job.jobId)).not.toHaveProperty('gsi1pk');
    const queued = recordMailQueueSends();

    await sweepAt(minutes(131));

    expect(queued()).not.toContain(job.jobId);
    await eventually(
      () => queueDepth(process.env.MAIL_QUEUE_URL!),
      (d) => d === 0,
    );
    expect(await mailTo(job.to[0]!)).toHaveLength(1);
  });

  it('unindexes, without sending it again, a relayed job still in the index (marked by a relay that predates the index)', async () => {
    const job = ackJob('legacy-mark');
    await record(job, minutes(180));
    // The relay before the index marked with SET only, leaving the entry behind.
    await ddb.send(new UpdateCommand({ TableName: tableName(), Key: outboxKey(job.jobId), UpdateExpression: 'SET relayedAt = :at', ExpressionAttributeValues: { ':at': minutes(180).toISOString() } }));
    const queued = recordMailQueueSends();

    const outcome = await sweepAt(minutes(191));

    expect(outcome.alreadyRelayed).toBeGreaterThanOrEqual(1);
    expect(queued()).not.toContain(job.jobId);
    expect(await outboxItem(job.jobId)).toMatchObject({ relayedAt: minutes(180).toISOString() });
    expect(await outboxItem(job.jobId)).not.toHaveProperty('gsi1pk');
    expect(await mailTo(job.to[0]!)).toHaveLength(0);
  });

  it('is idempotent: a second run sends nothing the first one relayed', async () => {
    const batch = ['idem-a', 'idem-b', 'idem-c'].map(ackJob);
    for (const job of batch) await record(job, minutes(240));
    const queued = recordMailQueueSends();

    const first = await sweepAt(minutes(251));
    const second = await sweepAt(minutes(252));

    expect(first.relayed).toBeGreaterThanOrEqual(3);
    expect(second).toMatchObject({ found: 0, relayed: 0, left: 0 });
    for (const job of batch) expect(queued().filter((id) => id === job.jobId)).toHaveLength(1);
    await eventually(
      () => queueDepth(process.env.MAIL_QUEUE_URL!),
      (d) => d === 0,
    );
    for (const job of batch) expect(await mailTo(job.to[0]!)).toHaveLength(1);
  });

  it('stops before its timeout and leaves the rest to the next run', async () => {
    // Twelve jobs: spread over more than one shard of the index, hence more than one page.
    const batch = Array.from({ length: 12 }, (_, i) => ackJob(`bounded-${i}`));
    for (const job of batch) await record(job, minutes(360));
    vi.setSystemTime(minutes(371));
    const almostOutOfTime = { ...lambdaContext(sweeperJob.id, 60), getRemainingTimeInMillis: () => 5_000 };
    const queued = recordMailQueueSends();

    const first = await sweeper({ scheduledFor: minutes(371).toISOString() }, almostOutOfTime);
    const second = await sweepAt(minutes(376));

    expect(first).toMatchObject({ outOfTime: true, left: 0 });
    expect(first.relayed).toBeGreaterThan(0);
    expect(first.relayed).toBeLessThan(batch.length);
    expect(second).toMatchObject({ outOfTime: false, relayed: batch.length - first.relayed, left: 0 });
    for (const job of batch) expect(queued().filter((id) => id === job.jobId)).toHaveLength(1);
  });

  it('fails a run whose job the queue refused (the error alarm fires), and the next run relays it', async () => {
    const job = ackJob('queue-down');
    await record(job, minutes(300));
    const send = SQSClient.prototype.send;
    let refused = 0;
    vi.spyOn(SQSClient.prototype, 'send').mockImplementation(function (this: SQSClient, command: unknown, ...rest: unknown[]) {
      if (refused === 0 && command instanceof SendMessageBatchCommand && command.input.QueueUrl === process.env.MAIL_QUEUE_URL) {
        refused += 1;
        return Promise.reject(Object.assign(new Error('Service unavailable'), { name: 'ServiceUnavailable' }));
      }
      return (send as (...args: unknown[]) => Promise<unknown>).call(this, command, ...rest);
    } as typeof send);

    await expect(sweepAt(minutes(311))).rejects.toThrow(/left 1 stale job/);
    expect((await outboxItem(job.jobId))!.relayedAt).toBeUndefined();
    expect(await outboxItem(job.jobId)).toMatchObject({ gsi1pk: expect.any(String) });

    const next = await sweepAt(minutes(316));

    expect(next).toMatchObject({ left: 0 });
    expect((await outboxItem(job.jobId))!.relayedAt).toBe(minutes(316).toISOString());
    const mails = await eventually(
      () => mailTo(job.to[0]!),
      (m) => m.length > 0,
    );
    expect(mails).toHaveLength(1);
  });
});
