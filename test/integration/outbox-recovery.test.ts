/**
 * Issue 11 point 11, through the whole local runtime (`startLocal`, data kept in a folder):
 * its mail queue lives in memory, so a job relayed to it just before a crash would be lost.
 * At start the runtime queues again every relayed job the mailer never completed; the mailer's
 * idempotency keeps each job to one mail across any number of restarts.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, describe, expect, it } from 'vitest';
import { ddb, tableName } from '../../functions/adapters/dynamo/client';
import { outboxPut } from '../../functions/adapters/dynamo/outbox';
import type { MailJob } from '../../functions/domain/mail-job';
import type { CapturedMail } from '../../scripts/local/dev-routes';
import { startLocal, type LocalRuntime } from '../../scripts/local/runtime';
import { eventually } from '../support/eventually';

const dataDir = mkdtempSync(join(tmpdir(), 'inscrire-outbox-recovery-'));
let rt: LocalRuntime | undefined;
afterAll(async () => {
  await rt?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

const start = () => startLocal({ port: 0, dataDir, seed: false, demoOpen: false });
const mailsTo = async (to: string) => ((await (await fetch(`${rt!.url}/dev/mail?format=json&to=${encodeURIComponent(to)}`)).json()) as { items: CapturedMail[] }).items;
async function queueDepth(): Promise<number> {
  const sqs = new SQSClient({});
  const out = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: rt!.queues.mailQueueUrl, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] }));
  sqs.destroy();
  return Number(out.Attributes?.ApproximateNumberOfMessages ?? 0) + Number(out.Attributes?.ApproximateNumberOfMessagesNotVisible ?? 0);
}

describe('point 11: mail relayed to the in-memory queue before a crash', () => {
  it('is sent once at the next start, and not again at the one after', async () => {
    const run = randomUUID().slice(0, 8);
    const to = `recovery-${run}@example.org`;
    const job: MailJob = { jobId: `support_ack#recovery-${run}`, template: 'support_ack', lang: 'fr', to: [to], request: { requestId: `recovery-${run}`, receivedAt: new Date().toISOString() } };

    // A job that reached the queue (marked relayed, out of the pending index) in a runtime that then died.
    rt = await start();
    const { Put } = outboxPut(job, new Date()) as { Put: { Item: Record<string, unknown> } };
    const { gsi1pk: _pk, gsi1sk: _sk, ...item } = Put.Item;
    await ddb.send(new PutCommand({ TableName: tableName(), Item: { ...item, relayedAt: new Date().toISOString() } }));
    await rt.stop();
    rt = undefined;

    rt = await start();
    await eventually(
      () => mailsTo(to),
      (mails) => mails.length > 0,
      30_000,
    );
    await eventually(queueDepth, (depth) => depth === 0, 30_000);
    expect(await mailsTo(to)).toHaveLength(1);
    await rt.stop();
    rt = undefined;

    // Completed: nothing is queued again, so no second mail.
    rt = await start();
    expect(await queueDepth()).toBe(0);
    expect(await mailsTo(to)).toHaveLength(0);
  });
});
