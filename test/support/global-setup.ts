import type { TestProject } from 'vitest/node';
import { startDynamoDbLocal, startSes, startSqs } from '../../scripts/local/emulators';
import { startOidcProvider } from '../../scripts/local/oidc';
import type { LocalOidcInfo } from '../../scripts/local/runtime';

/**
 * One DynamoDB Local (in memory), one SQS server, one SES capture and one OpenID Connect
 * provider (the operators' user pool) for the whole run.
 *
 * DynamoDB Local keeps one database per access key rather than one shared by all
 * (`sharedDb: false`), and each file signs with a key of its own (per-file-setup.ts). In a shared
 * database, writes to a table created late slow down with every table created before it, deleted
 * or not (jstack: DynamoDB Local's one SQLite thread busy looking up the table's stream): after a
 * hundred tables a put took six times as long, and the files late in a run two to three times as
 * long as early in it.
 */
export default async function setup(project: TestProject) {
  const [dynamo, sqs, ses, oidc] = await Promise.all([startDynamoDbLocal({ sharedDb: false }), startSqs(), startSes(), startOidcProvider()]);
  project.provide('endpoints', { dynamodb: dynamo.endpoint, sqs: sqs.endpoint, ses: ses.endpoint });
  project.provide('oidc', { issuer: oidc.issuer, audience: oidc.audience, consoleClientId: oidc.consoleClientId, machineClient: oidc.machineClient, accounts: oidc.accounts });
  return async () => {
    await Promise.all([dynamo.stop(), sqs.stop(), ses.stop(), oidc.stop()]);
  };
}

declare module 'vitest' {
  export interface ProvidedContext {
    endpoints: { dynamodb: string; sqs: string; ses: string };
    oidc: LocalOidcInfo;
  }
}
