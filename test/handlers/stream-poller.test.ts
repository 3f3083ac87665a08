import { DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDBStreamsClient, GetRecordsCommand, TrimmedDataAccessException } from '@aws-sdk/client-dynamodb-streams';
import type { DynamoDBRecord } from 'aws-lambda';
import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { jobs } from '../../functions/routes';
import { startStreamPoller } from '../../scripts/local/stream-poller';
import { eventually } from '../support/eventually';

/**
 * The local DynamoDB Streams event source mapping keeps delivering when a shard is read past its
 * trim horizon (DynamoDB Local answered TrimmedDataAccessException to a test file whose clock was
 * faked while another file wrote, and its mail pipeline stopped for good): like Lambda's mapping,
 * it starts again from the oldest record kept.
 */
const dynamodb = new DynamoDBClient({});
const job = jobs.find((j) => j.trigger.kind === 'tableStream')!;
let stop: (() => Promise<void>) | undefined;
afterEach(async () => {
  vi.restoreAllMocks();
  await stop?.();
  stop = undefined;
});

/** Polls this file's table with a streams client whose first `GetRecords` calls answer as a trimmed shard would. */
async function poll(trimmedReads: number) {
  const streams = new DynamoDBStreamsClient({ endpoint: process.env.AWS_ENDPOINT_URL_DYNAMODB });
  let trimmed = 0;
  const send = streams.send.bind(streams);
  vi.spyOn(streams, 'send').mockImplementation((async (command: unknown) => {
    if (command instanceof GetRecordsCommand && trimmed < trimmedReads) {
      trimmed++;
      throw new TrimmedDataAccessException({ message: 'The operation attempted to read past the oldest stream record in a shard.', $metadata: {} });
    }
    return send(command as GetRecordsCommand);
  }) as typeof streams.send);
  const seen: DynamoDBRecord[] = [];
  const logs: string[] = [];
  const poller = await startStreamPoller({
    dynamodb,
    streams,
    tableName: process.env.TABLE_NAME!,
    job,
    handler: async (event) => {
      seen.push(...event.Records);
      return { batchItemFailures: [] };
    },
    idleMillis: 50,
    retryMillis: 50,
    log: (line) => logs.push(line),
  });
  stop = () => poller.stop();
  return { seen, logs, trimmedCount: () => trimmed };
}

/** An item the relay's filter lets through (an outbox job). */
async function putOutboxItem(): Promise<string> {
  const id = randomUUID();
  await dynamodb.send(new PutItemCommand({ TableName: process.env.TABLE_NAME!, Item: { pk: { S: `OUTBOX#${id}` }, sk: { S: 'job' }, type: { S: 'outbox' }, probe: { S: id } } }));
  return id;
}
const delivered = (seen: DynamoDBRecord[], id: string) => seen.some((r) => r.dynamodb?.NewImage?.probe?.S === id);

describe('local stream poller', () => {
  it('reads a trimmed shard again from its oldest record instead of failing forever', async () => {
    const { seen, logs, trimmedCount } = await poll(3);
    const id = await putOutboxItem();

    const out = await eventually(
      async () => seen,
      (s) => delivered(s, id),
    );

    expect(trimmedCount()).toBe(3);
    expect(delivered(out, id)).toBe(true);
    expect(logs.filter((l) => l.includes('TrimmedDataAccessException'))).toHaveLength(3);
  });
});
