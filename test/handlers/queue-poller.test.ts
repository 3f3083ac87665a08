import { GetQueueAttributesCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { SQSEvent } from 'aws-lambda';
import { afterEach, describe, expect, it } from 'vitest';
import { startQueuePoller } from '../../scripts/local/queue-poller';
import { eventually } from '../support/eventually';

/** The local SQS event source mapping behaves as Lambda's does with partial batch responses. */
const sqs = new SQSClient({});
let stop: (() => Promise<void>) | undefined;
afterEach(async () => {
  await stop?.();
  stop = undefined;
});

async function pollWith(respond: (event: SQSEvent) => { batchItemFailures: { itemIdentifier: string }[] }) {
  const queueUrl = process.env.MAIL_QUEUE_URL!;
  const queueArn = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }))).Attributes!.QueueArn!;
  const seen: string[] = [];
  const poller = startQueuePoller({
    sqs,
    queueUrl,
    queueArn,
    batchSize: 10,
    functionName: 'Test',
    timeoutSeconds: 5,
    idleMillis: 50,
    handler: async (event) => {
      seen.push(...event.Records.map((r) => r.messageId));
      return respond(event);
    },
  });
  stop = () => poller.stop();
  const { MessageId } = await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: '{"probe":true}' }));
  return { seen, messageId: MessageId! };
}

describe('local queue poller', () => {
  it('retries the whole batch when the handler reports an identifier that is not in it', async () => {
    const { seen, messageId } = await pollWith(() => ({ batchItemFailures: [{ itemIdentifier: 'not-a-message-id' }] }));
    // Not deleted: it comes back after the visibility timeout (2 s for test queues).
    const after = await eventually(
      async () => seen.filter((id) => id === messageId).length,
      (n) => n >= 2,
      15_000,
    );
    expect(after).toBeGreaterThanOrEqual(2);
  });

  it('deletes what succeeded when the reported failures are real ids', async () => {
    const { seen, messageId } = await pollWith(() => ({ batchItemFailures: [] }));
    await eventually(
      async () => seen.length,
      (n) => n >= 1,
      10_000,
    );
    await new Promise((r) => setTimeout(r, 3_500));
    expect(seen.filter((id) => id === messageId)).toHaveLength(1);
  });
});
