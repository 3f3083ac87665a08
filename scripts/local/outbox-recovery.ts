/**
 * After a crash of the local runtime: its mail queue lived in memory, so an outbox job marked
 * relayed (it reached that queue) but never completed by the mailer was lost with the
 * process. At start, before the mailer polls, such jobs are queued again. On AWS the queue is
 * durable (and a message the mailer cannot send ends in the alarmed dead-letter queue), so
 * nothing of this runs there.
 *
 * No mail is lost or doubled: a relayed job is queued again only when the mailer's idempotency
 * record does not say COMPLETED (functions/events/mailer.ts `mailJobSent`), and the mailer
 * sends each job id once whatever reaches the queue.
 */
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { ddb, tableName } from '../../functions/adapters/dynamo/client';
import { OUTBOX_ITEM_TYPE, type OutboxEntry } from '../../functions/adapters/dynamo/outbox';
import { enqueueMail } from '../../functions/adapters/mail-queue';

/** Relayed outbox jobs of the local table. A scan: a local tool on a local table (no function may scan on AWS). */
async function relayedJobs(): Promise<OutboxEntry[]> {
  const found: OutboxEntry[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const out = await ddb.send(
      new ScanCommand({
        TableName: tableName(),
        FilterExpression: '#type = :outbox AND attribute_exists(relayedAt)',
        ExpressionAttributeNames: { '#type': 'type' },
        ExpressionAttributeValues: { ':outbox': OUTBOX_ITEM_TYPE },
        ProjectionExpression: 'jobId, body',
        ExclusiveStartKey: start,
      }),
    );
    for (const item of out.Items ?? []) found.push({ jobId: item.jobId as string, body: item.body as string });
    start = out.LastEvaluatedKey;
  } while (start);
  return found;
}

/** Queues again the relayed jobs the mailer has not completed; returns how many. */
export async function requeueUnsentMail(mailJobSent: (jobId: string) => Promise<boolean>): Promise<number> {
  const unsent: OutboxEntry[] = [];
  for (const job of await relayedJobs()) if (!(await mailJobSent(job.jobId))) unsent.push(job);
  if (unsent.length === 0) return 0;
  const refused = await enqueueMail(unsent.map((j) => ({ id: j.jobId, body: j.body })));
  if (refused.size > 0) throw new Error(`The local mail queue refused ${refused.size} job(s) to send again`);
  return unsent.length;
}
