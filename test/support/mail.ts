import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { GetQueueAttributesCommand, ReceiveMessageCommand, SendMessageBatchCommand, SQSClient, type Message } from '@aws-sdk/client-sqs';
import { vi } from 'vitest';
import type { MailJob } from '../../functions/domain/mail-job';
import { jobs, timeoutSecondsOf } from '../../functions/routes';
import { capturedMail, type CapturedMail } from '../../scripts/local/dev-routes';
import { startQueuePoller, type SqsHandler } from '../../scripts/local/queue-poller';
import { startStreamPoller, type StreamHandler } from '../../scripts/local/stream-poller';
import { eventually } from './eventually';

export { eventually };

/**
 * The mail pipeline of a test file on the real local servers: its table's stream → the outbox
 * relay → its mail queue → the mailer → the SES capture (shared by every test file: always
 * filter captured mail by recipient or job id).
 */

/** Captured mail sent to `recipient` (exact address) or for whom `match` says yes. */
export async function mailTo(match: string | ((m: CapturedMail) => boolean)): Promise<CapturedMail[]> {
  const all = await capturedMail(process.env.AWS_ENDPOINT_URL_SESV2!);
  return all.filter(typeof match === 'string' ? (m) => m.to.includes(match) : match);
}

export const sqs = new SQSClient({});

/** Messages visible and in flight on a queue. */
export async function queueDepth(queueUrl: string): Promise<number> {
  const out = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] }));
  return Number(out.Attributes?.ApproximateNumberOfMessages ?? 0) + Number(out.Attributes?.ApproximateNumberOfMessagesNotVisible ?? 0);
}

/**
 * From now until `vi.restoreAllMocks()`, records the job ids of the messages sent to this
 * file's mail queue, whichever code sends them (spied on the SQS client, below the adapters).
 */
export function recordMailQueueSends(): () => string[] {
  const send = vi.spyOn(SQSClient.prototype, 'send');
  return () =>
    send.mock.calls.flatMap(([command]) =>
      command instanceof SendMessageBatchCommand && command.input.QueueUrl === process.env.MAIL_QUEUE_URL
        ? (command.input.Entries ?? []).map((entry) => (JSON.parse(entry.MessageBody!) as { jobId: string }).jobId)
        : [],
    );
}

/** Receives what the dead-letter queue holds (each message then stays hidden a while). */
export async function drainDlq(): Promise<Message[]> {
  const messages: Message[] = [];
  for (;;) {
    const out = await sqs.send(new ReceiveMessageCommand({ QueueUrl: process.env.MAIL_DLQ_URL!, MaxNumberOfMessages: 10, VisibilityTimeout: 600 }));
    if (!out.Messages?.length) return messages;
    messages.push(...out.Messages);
  }
}

/** The mail queue's event source mapping feeding `handler` (the mailer, or a wrapper around it). */
export async function startMailQueuePoller(handler: SqsHandler) {
  const queueUrl = process.env.MAIL_QUEUE_URL!;
  const queueArn = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }))).Attributes!.QueueArn!;
  const mailer = jobs.find((j) => j.trigger.kind === 'mailQueue')!;
  return startQueuePoller({ sqs, queueUrl, queueArn, batchSize: 10, functionName: mailer.id, timeoutSeconds: timeoutSecondsOf(mailer), handler, idleMillis: 100 });
}

/** The table stream's event source mapping feeding `handler` (the outbox relay, or a wrapper around it). */
export async function startOutboxStreamPoller(handler: StreamHandler, options: { maxRetryAttempts?: number } = {}) {
  const dynamodb = new DynamoDBClient({});
  const streams = new DynamoDBStreamsClient({ endpoint: process.env.AWS_ENDPOINT_URL_DYNAMODB });
  const relay = jobs.find((j) => j.trigger.kind === 'tableStream')!;
  const poller = await startStreamPoller({ dynamodb, streams, tableName: process.env.TABLE_NAME!, job: relay, handler, idleMillis: 100, retryMillis: 100, ...options });
  return {
    async stop() {
      await poller.stop();
      dynamodb.destroy();
      streams.destroy();
    },
  };
}

/** A support acknowledgement job addressed to a recipient unique to the test run and name. */
export function supportAckJob(run: string, name: string, receivedAt: string): MailJob {
  return {
    jobId: `support_ack#${run}-${name}`,
    template: 'support_ack',
    lang: 'fr',
    to: [`${name}-${run}@example.org`],
    request: { requestId: `${run}-${name}`, receivedAt },
  };
}
