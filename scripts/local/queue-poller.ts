/**
 * Lambda's SQS event source mapping, locally: receive up to `batchSize` messages, invoke the
 * handler with an SQS event, delete what succeeded. With `ReportBatchItemFailures` only the
 * reported messages stay; they come back after the visibility timeout, and the queue's
 * redrive policy moves them to the dead-letter queue after `maxReceiveCount` receives.
 */
import { DeleteMessageBatchCommand, ReceiveMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { lambdaContext } from './lambda-context';

export type SqsHandler = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse | void>;

export interface PollerOptions {
  sqs: SQSClient;
  queueUrl: string;
  queueArn: string;
  batchSize: number;
  functionName: string;
  timeoutSeconds: number;
  handler: SqsHandler;
  /** Pause between empty receives. @default 200 ms */
  idleMillis?: number;
  log?(line: string): void;
}

export function startQueuePoller(o: PollerOptions): { stop(): Promise<void> } {
  let running = true;
  const loop = (async () => {
    while (running) {
      let received = 0;
      try {
        const out = await o.sqs.send(new ReceiveMessageCommand({ QueueUrl: o.queueUrl, MaxNumberOfMessages: o.batchSize, MessageSystemAttributeNames: ['All'], MessageAttributeNames: ['All'] }));
        const messages = out.Messages ?? [];
        received = messages.length;
        if (received > 0) {
          const event: SQSEvent = {
            Records: messages.map((m) => ({
              messageId: m.MessageId!,
              receiptHandle: m.ReceiptHandle!,
              body: m.Body ?? '',
              attributes: {
                ApproximateReceiveCount: m.Attributes?.ApproximateReceiveCount ?? '1',
                SentTimestamp: m.Attributes?.SentTimestamp ?? String(Date.now()),
                SenderId: m.Attributes?.SenderId ?? 'local',
                ApproximateFirstReceiveTimestamp: m.Attributes?.ApproximateFirstReceiveTimestamp ?? String(Date.now()),
              },
              messageAttributes: {},
              md5OfBody: m.MD5OfBody ?? '',
              eventSource: 'aws:sqs',
              eventSourceARN: o.queueArn,
              awsRegion: process.env.AWS_REGION ?? 'eu-west-3',
            })),
          };
          let failed = new Set<string>(messages.map((m) => m.MessageId!));
          try {
            const result = await o.handler(event, lambdaContext(o.functionName, o.timeoutSeconds));
            const reported = (result?.batchItemFailures ?? []).map((f) => f.itemIdentifier);
            const ids = new Set(messages.map((m) => m.MessageId!));
            // Lambda fails the whole batch when a reported identifier is empty or not one of
            // the batch's message ids; deleting the batch instead would lose messages.
            if (!reported.every((id) => typeof id === 'string' && ids.has(id))) {
              o.log?.(`! ${o.functionName} reported unknown item identifiers: whole batch retried`);
            } else {
              failed = new Set(reported);
            }
          } catch (err) {
            // A thrown error fails the whole batch, as on Lambda.
            o.log?.(`! ${o.functionName} failed its batch: ${(err as Error).message}`);
          }
          const done = messages.filter((m) => !failed.has(m.MessageId!));
          if (done.length) {
            await o.sqs.send(new DeleteMessageBatchCommand({ QueueUrl: o.queueUrl, Entries: done.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle! })) }));
          }
          if (failed.size) o.log?.(`${o.functionName}: ${done.length} done, ${failed.size} to retry`);
        }
      } catch (err) {
        if (running) o.log?.(`! polling ${o.functionName}: ${(err as Error).message}`);
      }
      if (received === 0 && running) await new Promise((r) => setTimeout(r, o.idleMillis ?? 200));
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
    },
  };
}
