import { randomBytes, randomUUID } from 'node:crypto';
import { DeleteTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DeleteQueueCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, inject } from 'vitest';
import { stageConfig } from '../../config/stages';
import { ensureBucket, ensureQueues, ensureTable } from '../../scripts/local/provision';
import { startLocalS3 } from '../../scripts/local/s3-policy-proxy';
import { onObjectCreated } from './documents-s3';

/**
 * Before each test file's imports: the same environment the CDK construct gives a function,
 * pointed at the shared emulators, with a table and queues of the file's own.
 */
const endpoints = inject('endpoints');
const id = randomUUID().slice(0, 8);
// DynamoDB Local keeps a database per access key (global-setup.ts): this file's key (letters and
// digits only, as DynamoDB Local requires) gives it one of its own.
const accessKeyId = `test${id}`;
Object.assign(process.env, {
  AWS_REGION: 'eu-west-3',
  AWS_ACCESS_KEY_ID: accessKeyId,
  AWS_SECRET_ACCESS_KEY: 'test',
  AWS_ENDPOINT_URL_DYNAMODB: endpoints.dynamodb,
  AWS_ENDPOINT_URL_SQS: endpoints.sqs,
  AWS_ENDPOINT_URL_SESV2: endpoints.ses,
  STAGE: 'dev',
  TABLE_NAME: `inscrire-test-${id}`,
  SESSION_SECRET: randomBytes(32).toString('base64url'),
  STRIPE_SECRET_KEY: 'sk_test_inscrire',
  STRIPE_WEBHOOK_SECRET: 'whsec_test_inscrire',
  MAIL_FROM: 'inscription-test@example.org',
  // As the construct sets it on the support function (functions/routes.ts `assistanceMailbox`).
  ASSISTANCE_EMAIL: stageConfig('dev').assistanceEmail,
  PUBLIC_ORIGIN: 'http://localhost:3000',
  POWERTOOLS_LOG_LEVEL: process.env.POWERTOOLS_LOG_LEVEL ?? 'ERROR',
  SERVICE_STATE_CACHE_SECONDS: '0',
  INSCRIRE_LOCAL_STANDINS: '1',
  // As Lambda sets it for an on-demand environment: Powertools reads it when the logger is built (cold_start).
  AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
});

const ddb = new DynamoDBClient({});
const tableName = process.env.TABLE_NAME!;
await ensureTable(ddb, tableName);
const sqs = new SQSClient({});
const queues = await ensureQueues(sqs, `inscrire-test-${id}`, 3, 2);
process.env.MAIL_QUEUE_URL = queues.mailQueueUrl;
process.env.MAIL_DLQ_URL = queues.mailDlqUrl;
// The emulators live for the whole run: a file's table and queues go with it, so a run's memory
// does not grow with the number of files.
afterAll(async () => {
  await Promise.all([ddb.send(new DeleteTableCommand({ TableName: tableName })), ...[queues.mailQueueUrl, queues.mailDlqUrl].map((QueueUrl) => sqs.send(new DeleteQueueCommand({ QueueUrl })))]);
  ddb.destroy();
  sqs.destroy();
});

// The documents bucket, on this file's own local S3 (its events reach this worker's check job).
const s3 = await startLocalS3({
  credentials: { accessKeyId, secretAccessKey: 'test' },
  region: 'eu-west-3',
  allowedOrigins: () => [process.env.PUBLIC_ORIGIN ?? ''],
  onObjectCreated,
});
process.env.AWS_ENDPOINT_URL_S3 = s3.endpoint;
process.env.DOCUMENTS_BUCKET = `inscrire-test-${id}`;
await ensureBucket(s3.endpoint, process.env.DOCUMENTS_BUCKET);
afterAll(() => s3.stop());

// Every handler's table calls held to its route's declared access (test/support/events.ts `invoke`).
const { ddb: functionsDdb } = await import('../../functions/adapters/dynamo/client');
const { enforceTableAccess } = await import('../../scripts/local/table-access');
enforceTableAccess(functionsDdb);
