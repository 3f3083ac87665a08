/** Creates the service's table and queues on the local emulators, as the CDK stack does on AWS. */
import { CreateTableCommand, DescribeTableCommand, type DynamoDBClient, ResourceNotFoundException, UpdateTableCommand, UpdateTimeToLiveCommand } from '@aws-sdk/client-dynamodb';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { CreateQueueCommand, GetQueueAttributesCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { tableSchema } from '../../functions/adapters/dynamo/table-schema';

/** The stream the outbox relay reads (the `tableStream` job in functions/routes.ts): new images. */
const STREAM = { StreamEnabled: true, StreamViewType: 'NEW_IMAGE' } as const;

export async function ensureTable(client: DynamoDBClient, tableName: string): Promise<void> {
  try {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    // A table kept in a local data folder from before the outbox relay existed gets its stream.
    if (!Table?.StreamSpecification?.StreamEnabled) {
      await client.send(new UpdateTableCommand({ TableName: tableName, StreamSpecification: STREAM }));
    }
    return;
  } catch (err) {
    if (!(err instanceof ResourceNotFoundException)) throw err;
  }
  const keyAttrs = new Set<string>([tableSchema.partitionKey, tableSchema.sortKey]);
  for (const g of tableSchema.globalSecondaryIndexes) {
    keyAttrs.add(g.partitionKey);
    keyAttrs.add(g.sortKey);
  }
  await client.send(
    new CreateTableCommand({
      TableName: tableName,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [...keyAttrs].map((name) => ({ AttributeName: name, AttributeType: 'S' })),
      KeySchema: [
        { AttributeName: tableSchema.partitionKey, KeyType: 'HASH' },
        { AttributeName: tableSchema.sortKey, KeyType: 'RANGE' },
      ],
      StreamSpecification: STREAM,
      GlobalSecondaryIndexes: tableSchema.globalSecondaryIndexes.map((g) => ({
        IndexName: g.indexName,
        KeySchema: [
          { AttributeName: g.partitionKey, KeyType: 'HASH' },
          { AttributeName: g.sortKey, KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: g.projection },
      })),
    }),
  );
  await client.send(new UpdateTimeToLiveCommand({ TableName: tableName, TimeToLiveSpecification: { AttributeName: tableSchema.ttlAttribute, Enabled: true } }));
}

export interface LocalQueues {
  mailQueueUrl: string;
  mailDlqUrl: string;
}

/** The mail queue and its dead-letter queue, with the stage's max receive count. */
export async function ensureQueues(client: SQSClient, prefix: string, maxReceiveCount: number, visibilityTimeoutSeconds: number): Promise<LocalQueues> {
  const dlq = await client.send(new CreateQueueCommand({ QueueName: `${prefix}-mail-dlq`, Attributes: { MessageRetentionPeriod: '1209600' } }));
  const dlqArn = (await client.send(new GetQueueAttributesCommand({ QueueUrl: dlq.QueueUrl, AttributeNames: ['QueueArn'] }))).Attributes!.QueueArn!;
  const main = await client.send(
    new CreateQueueCommand({
      QueueName: `${prefix}-mail`,
      Attributes: {
        VisibilityTimeout: String(visibilityTimeoutSeconds),
        RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount }),
      },
    }),
  );
  return { mailQueueUrl: main.QueueUrl!, mailDlqUrl: dlq.QueueUrl! };
}

/** The documents bucket (its rules are the local S3's: scripts/local/s3-policy-proxy.ts). */
export async function ensureBucket(endpoint: string, bucket: string): Promise<void> {
  const client = new S3Client({ endpoint, forcePathStyle: true });
  try {
    await client.send(new CreateBucketCommand({ Bucket: bucket }));
  } catch (err) {
    if (!['BucketAlreadyOwnedByYou', 'BucketAlreadyExists'].includes((err as { name?: string }).name ?? '')) throw err;
  } finally {
    client.destroy();
  }
}
