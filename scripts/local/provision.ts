/** Creates the service's table and queues on the local emulators, as the CDK stack does on AWS. */
import { CreateTableCommand, DescribeTableCommand, DynamoDBClient, ResourceNotFoundException, UpdateTimeToLiveCommand } from '@aws-sdk/client-dynamodb';
import { CreateQueueCommand, GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { tableSchema } from '../../functions/adapters/dynamo/table-schema';

export async function ensureTable(client: DynamoDBClient, tableName: string): Promise<void> {
  try {
    await client.send(new DescribeTableCommand({ TableName: tableName }));
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
      GlobalSecondaryIndexes: tableSchema.globalSecondaryIndexes.map((g) => ({
        IndexName: g.indexName,
        KeySchema: [
          { AttributeName: g.partitionKey, KeyType: 'HASH' },
          { AttributeName: g.sortKey, KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'ALL' },
      })),
    }),
  );
  await client.send(
    new UpdateTimeToLiveCommand({ TableName: tableName, TimeToLiveSpecification: { AttributeName: tableSchema.ttlAttribute, Enabled: true } }),
  );
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
