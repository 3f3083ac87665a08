import type { TestProject } from 'vitest/node';
import { startDynamoDbLocal, startSes, startSqs } from '../../scripts/local/emulators';

/** One DynamoDB Local (in memory), one SQS server and one SES capture for the whole run. */
export default async function setup(project: TestProject) {
  const [dynamo, sqs, ses] = await Promise.all([startDynamoDbLocal(), startSqs(), startSes()]);
  project.provide('endpoints', { dynamodb: dynamo.endpoint, sqs: sqs.endpoint, ses: ses.endpoint });
  return async () => {
    await Promise.all([dynamo.stop(), sqs.stop(), ses.stop()]);
  };
}

declare module 'vitest' {
  export interface ProvidedContext {
    endpoints: { dynamodb: string; sqs: string; ses: string };
  }
}
