/**
 * From the state change to the mailbox on the real local servers: submit (dossier + outbox
 * item in one transaction) → this file's table stream, read by the local event source mapping
 * → the outbox relay → this file's mail queue → the mailer → the SES capture.
 */
import { randomUUID } from 'node:crypto';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { Context, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { entActivation, findProgramme } from '../../config/catalogue';
import { ddb, tableName } from '../../functions/adapters/dynamo/client';
import * as outbox from '../../functions/adapters/dynamo/outbox';
import { handler as mailer } from '../../functions/events/mailer';
import { handler as relay } from '../../functions/events/outbox-relay';
import { eventually, mailTo, queueDepth, recordMailQueueSends, startMailQueuePoller, startOutboxStreamPoller } from '../support/mail';
import { studentReadyToSubmit } from '../support/wizard';

const IN_WINDOW = new Date('2026-07-01T10:00:00Z');
const run = randomUUID().slice(0, 8);
const email = (name: string) => `${name}-${run}@example.org`;
const scolarite = findProgramme('L1-INFO')!.scolarite;

async function outboxItem(jobId: string) {
  return (await ddb.send(new GetCommand({ TableName: tableName(), Key: outbox.outboxKey(jobId), ConsistentRead: true }))).Item;
}

/** Every record the relay was handed, and what the poller invokes (the relay unless a test wraps it). */
const seen: DynamoDBRecord[] = [];
let invokeRelay: (event: DynamoDBStreamEvent, context: Context) => ReturnType<typeof relay> = relay;
let streamPoller: { stop(): Promise<void> } | undefined;
const startRelay = async () => {
  streamPoller = await startOutboxStreamPoller((event, context) => {
    seen.push(...event.Records);
    return invokeRelay(event, context);
  });
};
const stopRelay = async () => {
  await streamPoller?.stop();
  streamPoller = undefined;
};

let mailPoller: { stop(): Promise<void> };
beforeAll(async () => {
  mailPoller = await startMailQueuePoller(mailer);
  await startRelay();
});
afterAll(async () => {
  await stopRelay();
  await mailPoller.stop();
});
beforeEach(() => {
  vi.useFakeTimers({ now: IN_WINDOW, toFake: ['Date'] });
});
afterEach(async () => {
  vi.useRealTimers();
  vi.restoreAllMocks();
  invokeRelay = relay;
  if (!streamPoller) await startRelay();
});

describe('mail caused by a submit', () => {
  it('a nothing-due submit sends exactly one synthesis mail, with the scolarité contacts and the ENT steps, in the submit language', async () => {
    const student = await studentReadyToSubmit({ email: email('granted'), scholarship: 'granted', lang: 'en' });

    const res = await student.submit();

    expect(res.statusCode).toBe(200);
    expect(res.body).toMatchObject({ status: 'enrolled', lang: 'en' });
    const [mail] = await eventually(
      () => mailTo(email('granted')),
      (m) => m.length > 0,
    );
    expect(mail).toMatchObject({ jobId: `synthesis#${student.dossier.id}`, subject: expect.stringContaining('Your 2026-2027 administrative enrollment is complete') });
    for (const expected of [scolarite.name, scolarite.email, scolarite.phone, scolarite.address, entActivation.url, ...entActivation.steps.en]) {
      expect(mail!.text).toContain(expected);
    }

    // A repeated submit is refused and records nothing: still one mail once the pipeline is idle.
    expect((await student.submit()).statusCode).toBe(409);
    await eventually(
      () => queueDepth(process.env.MAIL_QUEUE_URL!),
      (d) => d === 0,
    );
    expect(await mailTo(email('granted'))).toHaveLength(1);
  });

  it('a scholarship-pending submit sends the pay-at-office notice; a submit awaiting a card payment records no mail', async () => {
    const pending = await studentReadyToSubmit({ email: email('pending'), scholarship: 'pending' });
    const card = await studentReadyToSubmit({ email: email('card'), scholarship: 'none' });

    expect((await pending.submit()).body.status).toBe('pay_at_office');
    expect((await card.submit()).body.status).toBe('awaiting_payment');

    const [notice] = await eventually(
      () => mailTo(email('pending')),
      (m) => m.length > 0,
    );
    expect(notice).toMatchObject({ jobId: `pay_at_office#${pending.dossier.id}` });
    expect(notice!.text).toMatch(/ne vous reconnectez pas/);
    expect(await outboxItem(`synthesis#${card.dossier.id}`)).toBeUndefined();
    expect(await outboxItem(`pay_at_office#${card.dossier.id}`)).toBeUndefined();
  });

  it('the relay is handed new outbox items only (the event source mapping filter)', async () => {
    const student = await studentReadyToSubmit({ email: email('filter'), scholarship: 'granted' });
    await student.submit();
    await eventually(
      () => mailTo(email('filter')),
      (m) => m.length > 0,
    );

    expect(seen.length).toBeGreaterThan(0);
    expect(seen.every((r) => r.eventName === 'INSERT' && r.dynamodb?.NewImage?.type?.S === outbox.OUTBOX_ITEM_TYPE)).toBe(true);
  });
});

describe('no mail lost, none sent twice', () => {
  it('a crash between the state change and the relay loses no mail: the outbox item waits and is sent after the restart', async () => {
    const student = await studentReadyToSubmit({ email: email('crash'), scholarship: 'granted' });
    const jobId = `synthesis#${student.dossier.id}`;
    await stopRelay(); // the process dies right after the transaction
    const queued = recordMailQueueSends();

    expect((await student.submit()).body.status).toBe('enrolled');

    // Waiting, and findable by the sweeper in the pending index.
    expect(await outboxItem(jobId)).toMatchObject({ jobId, type: 'outbox', gsi1pk: expect.stringMatching(/^OUTBOX#PENDING#[0-3]$/) });
    expect((await outboxItem(jobId))!.relayedAt).toBeUndefined();
    expect(await mailTo(email('crash'))).toHaveLength(0);

    await startRelay(); // reads the stream again from its oldest record

    const mails = await eventually(
      () => mailTo(email('crash')),
      (m) => m.length > 0,
    );
    expect(mails).toHaveLength(1);
    expect(await outboxItem(jobId)).toMatchObject({ relayedAt: expect.any(String), ttl: expect.any(Number) });
    expect(await outboxItem(jobId)).not.toHaveProperty('gsi1pk');
    // The replayed stream held earlier tests' jobs too: only the waiting one was queued.
    expect(queued()).toEqual([jobId]);
  });

  it('a relay failing before the queue is retried from the failed record; the job waits meanwhile', async () => {
    const student = await studentReadyToSubmit({ email: email('relay-fails'), scholarship: 'granted' });
    const jobId = `synthesis#${student.dossier.id}`;
    let failures = 0;
    let broken = true;
    invokeRelay = async (event) => {
      if (broken && event.Records.some((r) => r.dynamodb?.NewImage?.jobId?.S === jobId)) {
        failures += 1;
        throw new Error('relay crashed');
      }
      return relay(event);
    };

    await student.submit();

    await eventually(
      async () => failures,
      (n) => n >= 2,
    );
    expect((await outboxItem(jobId))!.relayedAt).toBeUndefined();
    expect(await mailTo(email('relay-fails'))).toHaveLength(0);
    broken = false;
    const mails = await eventually(
      () => mailTo(email('relay-fails')),
      (m) => m.length > 0,
    );
    expect(mails).toHaveLength(1);
  });

  it('a relay crashing after queueing, before marking the job, queues it again: the mailer still sends it once', async () => {
    const student = await studentReadyToSubmit({ email: email('mark-fails'), scholarship: 'granted' });
    const jobId = `synthesis#${student.dossier.id}`;
    const mark = outbox.markRelayed;
    let markFailures = 0;
    vi.spyOn(outbox, 'markRelayed').mockImplementation(async (id, now) => {
      if (id === jobId && markFailures === 0) {
        markFailures += 1;
        throw new Error('DynamoDB unavailable');
      }
      return mark(id, now);
    });
    const queued = recordMailQueueSends();

    await student.submit();

    await eventually(
      () => outboxItem(jobId),
      (item) => item?.relayedAt !== undefined,
    );
    await eventually(
      () => queueDepth(process.env.MAIL_QUEUE_URL!),
      (d) => d === 0,
    );
    expect(queued().filter((id) => id === jobId)).toHaveLength(2);
    expect(await mailTo(email('mark-fails'))).toHaveLength(1);
  });
});
