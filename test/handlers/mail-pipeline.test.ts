/**
 * The mailer against the real local SQS and SES servers, fed by the real queue poller (the
 * local event source mapping): this file's queue has a DLQ after 3 receives and a 2 s
 * visibility timeout. SES failures are injected by wrapping the SES adapter.
 */
import { randomUUID } from 'node:crypto';
import { SESv2ServiceException, TooManyRequestsException } from '@aws-sdk/client-sesv2';
import { SendMessageBatchCommand } from '@aws-sdk/client-sqs';
import type { Context, SQSEvent } from 'aws-lambda';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import * as ses from '../../functions/adapters/ses';
import { handler as mailer } from '../../functions/events/mailer';
import { MAIL_NOT_SENT } from '../../functions/events/mail-signals';
import { logger } from '../../functions/shared/logger';
import { context } from '../support/events';
import { drainDlq, eventually, mailTo, queueDepth, sqs, startMailQueuePoller, supportAckJob } from '../support/mail';

const run = randomUUID().slice(0, 8);
const queueUrl = process.env.MAIL_QUEUE_URL!;

const ackJob = (name: string) => supportAckJob(run, name, '2026-07-01T10:00:00Z');

async function enqueue(bodies: string[]): Promise<void> {
  for (let i = 0; i < bodies.length; i += 10) {
    const out = await sqs.send(new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: bodies.slice(i, i + 10).map((body, j) => ({ Id: String(j), MessageBody: body })) }));
    expect(out.Failed ?? []).toEqual([]);
  }
}

/** What the poller invokes: the mailer, unless a test puts something around it. */
let invoke: (event: SQSEvent, context: Context) => ReturnType<typeof mailer> = mailer;
let poller: { stop(): Promise<void> };
beforeAll(async () => {
  poller = await startMailQueuePoller((event, context) => invoke(event, context));
});
afterAll(async () => {
  await poller.stop();
});
afterEach(() => {
  invoke = mailer;
  vi.restoreAllMocks();
});

const throttled = () => new TooManyRequestsException({ message: 'Maximum sending rate exceeded.', $metadata: { httpStatusCode: 429 } });
const serverError = () => new SESv2ServiceException({ name: 'InternalFailure', $fault: 'server', message: 'Internal failure', $metadata: { httpStatusCode: 500 } });

describe('the mailer', () => {
  it('sends each of 100 jobs exactly once while half of the SES calls fail', async () => {
    // Per job, by number: 0 mod 4 is throttled twice (retried within the invocation);
    // 2 mod 4 fails once with a server error (the record goes back to the queue), then is
    // throttled once after its redelivery; odd jobs go straight through. 100 of 200 calls fail.
    const send = ses.sendMail;
    const attempts = new Map<string, number>();
    const spy = vi.spyOn(ses, 'sendMail').mockImplementation(async (mail) => {
      const n = Number(/^job(\d+)-/.exec(mail.to[0]!)?.[1]);
      const attempt = (attempts.get(mail.to[0]!) ?? 0) + 1;
      attempts.set(mail.to[0]!, attempt);
      if (n % 4 === 0 && attempt <= 2) throw throttled();
      if (n % 4 === 2 && attempt === 1) throw serverError();
      if (n % 4 === 2 && attempt === 2) throw throttled();
      return send(mail);
    });
    const jobs = Array.from({ length: 100 }, (_, i) => ackJob(`job${i}`));

    await enqueue(jobs.map((j) => JSON.stringify(j)));

    const mine = (m: { to: string[] }) => m.to.some((to) => to.endsWith(`-${run}@example.org`) && to.startsWith('job'));
    const delivered = await eventually(
      () => mailTo(mine),
      (mails) => mails.length >= 100,
      60_000,
    );
    await eventually(
      () => queueDepth(queueUrl),
      (depth) => depth === 0,
    );
    const perRecipient = new Map<string, number>();
    for (const m of await mailTo(mine)) perRecipient.set(m.to[0]!, (perRecipient.get(m.to[0]!) ?? 0) + 1);
    expect(delivered.length).toBe(100);
    expect([...perRecipient.values()].every((count) => count === 1)).toBe(true);
    expect(new Set(delivered.map((m) => m.jobId))).toEqual(new Set(jobs.map((j) => j.jobId)));
    expect(spy).toHaveBeenCalledTimes(200);
    expect((await drainDlq()).filter((m) => m.Body?.includes(run))).toEqual([]);
  }, 90_000);

  it('does not send a job again when its message is redelivered after it was sent', async () => {
    const spy = vi.spyOn(ses, 'sendMail');
    const job = ackJob('redelivered');
    // The first invocation sends, then "crashes" before the message is deleted: the queue
    // delivers it again after the visibility timeout, as SQS would.
    let crashed = false;
    invoke = async (event, context) => {
      const result = await mailer(event, context);
      if (!crashed && event.Records.some((r) => r.body.includes(job.jobId))) {
        crashed = true;
        throw new Error('crashed after sending');
      }
      return result;
    };

    await enqueue([JSON.stringify(job)]);

    // The crash first: a depth read just after the send may not count the message yet (it once read 0).
    await eventually(
      async () => ({ crashed, depth: await queueDepth(queueUrl) }),
      (s) => s.crashed && s.depth === 0,
    );
    expect(crashed).toBe(true);
    expect(await mailTo(job.to[0]!)).toHaveLength(1);
    expect(spy.mock.calls.filter(([mail]) => mail.jobId === job.jobId)).toHaveLength(1);
  }, 30_000);

  it('sends a job queued twice once (a relay that queued it again)', async () => {
    const job = ackJob('twice');
    await enqueue([JSON.stringify(job)]);
    await eventually(
      () => mailTo(job.to[0]!),
      (mails) => mails.length === 1,
    );

    await enqueue([JSON.stringify(job), JSON.stringify(job)]);

    await eventually(
      () => queueDepth(queueUrl),
      (depth) => depth === 0,
    );
    expect(await mailTo(job.to[0]!)).toHaveLength(1);
  }, 30_000);

  it('sends a new id for the same cause (an operator resend) again', async () => {
    const job = ackJob('resend');
    await enqueue([JSON.stringify(job), JSON.stringify({ ...job, jobId: `${job.jobId}#resend#1` })]);
    const mails = await eventually(
      () => mailTo(job.to[0]!),
      (m) => m.length >= 2,
    );
    expect(mails.map((m) => m.jobId).sort()).toEqual([job.jobId, `${job.jobId}#resend#1`]);
  });

  it('moves a poison message to the dead-letter queue after the last receive, and sends the valid ones of its batch', async () => {
    const valid = ackJob('beside-poison');
    const poison = [`not json ${run}`, JSON.stringify({ template: 'synthesis', jobId: `poison-${run}` }), JSON.stringify({ ...ackJob('bad-address'), to: ['not an address'] })];

    await enqueue([...poison, JSON.stringify(valid)]);

    const dead = await eventually(
      async () => (await drainDlq()).filter((m) => m.Body?.includes(run)),
      (m) => m.length === 3,
      30_000,
    );
    expect(dead.map((m) => m.Body).sort()).toEqual([...poison].sort());
    expect(await mailTo(valid.to[0]!)).toHaveLength(1);
    expect(await mailTo(ackJob('bad-address').to[0]!)).toHaveLength(0);
  }, 45_000);

  it('gives a job back to the queue when SES keeps throttling, and sends it on a later receive', async () => {
    const send = ses.sendMail;
    const job = ackJob('long-throttle');
    let calls = 0;
    vi.spyOn(ses, 'sendMail').mockImplementation(async (mail) => {
      if (mail.jobId !== job.jobId) return send(mail);
      calls += 1;
      // Throttled for every attempt of the first receive (5 attempts), fine afterwards.
      if (calls <= 5) throw throttled();
      return send(mail);
    });

    await enqueue([JSON.stringify(job)]);

    const mails = await eventually(
      () => mailTo(job.to[0]!),
      (m) => m.length === 1,
      30_000,
    );
    expect(mails).toHaveLength(1);
    expect(calls).toBe(6);
  }, 45_000);

  it('logs one "Mail not sent" line per failed mail, without the address: the stack counts them (lib/constructs/mailer.ts)', async () => {
    const send = ses.sendMail;
    const failing = ackJob('counted-failure');
    const fine = ackJob('counted-success');
    vi.spyOn(ses, 'sendMail').mockImplementation(async (mail) => {
      if (mail.jobId === failing.jobId) throw serverError();
      return send(mail);
    });
    const warn = vi.spyOn(logger, 'warn');
    const record = (job: typeof failing, messageId: string) => ({ messageId, body: JSON.stringify(job), attributes: { ApproximateReceiveCount: '2' } }) as unknown as SQSEvent['Records'][number];

    const out = await mailer({ Records: [record(failing, `m1-${run}`), record(fine, `m2-${run}`)] }, context);

    expect(out.batchItemFailures).toEqual([{ itemIdentifier: `m1-${run}` }]);
    const notSent = warn.mock.calls.filter(([message]) => message === MAIL_NOT_SENT);
    expect(notSent).toEqual([[MAIL_NOT_SENT, { messageId: `m1-${run}`, receiveCount: '2', error: 'InternalFailure' }]]);
    expect(JSON.stringify(warn.mock.calls)).not.toContain(failing.to[0]!);
    expect(await mailTo(fine.to[0]!)).toHaveLength(1);
  });
});
