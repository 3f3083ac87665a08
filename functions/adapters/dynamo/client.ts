import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ENV, requireEnv } from '../../shared/env';

/**
 * Built once per execution environment. The endpoint comes from the SDK's standard
 * configuration: AWS on Lambda, `AWS_ENDPOINT_URL_DYNAMODB` (DynamoDB Local) locally and in tests.
 */
export const ddb = DynamoDBDocumentClient.from(new DynamoDBClient({}), {
  marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
});

export const tableName = (): string => requireEnv(ENV.tableName);

/** True when a write was refused by its condition expression (a rule held, or a race was lost). */
export function isConditionFailure(err: unknown): boolean {
  const name = (err as { name?: string } | null)?.name;
  if (name === 'ConditionalCheckFailedException') return true;
  if (name === 'TransactionCanceledException') {
    const reasons = (err as { CancellationReasons?: { Code?: string }[] }).CancellationReasons ?? [];
    return reasons.some((r) => r.Code === 'ConditionalCheckFailed');
  }
  return false;
}

/**
 * True when DynamoDB refused a write because another transaction touched the same item at the
 * same moment (real DynamoDB reports this; DynamoDB Local rarely does): retry with fresh data.
 */
export function isWriteConflict(err: unknown): boolean {
  const name = (err as { name?: string } | null)?.name;
  if (name === 'TransactionConflictException') return true;
  if (name === 'TransactionCanceledException') {
    const reasons = (err as { CancellationReasons?: { Code?: string }[] }).CancellationReasons ?? [];
    return reasons.some((r) => r.Code === 'TransactionConflict');
  }
  return false;
}
