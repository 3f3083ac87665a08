import { DeleteCommand, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { createHash } from 'node:crypto';
import { backoff } from '../../shared/backoff';
import { ddb, isConditionFailure, tableName } from './client';

/** Lost a race for a rate slot: a short pause, then read the slots again. */
const SLOT_RACE_BACKOFF = { firstMs: 20, maxMs: 20, minMs: 5 };

/**
 * Login attempts per identifier, for the lockout (MAX_ATTEMPTS in WINDOW_SECONDS, below). Stored in DynamoDB so the
 * limit holds across Lambda instances. An attempt is recorded *before* the credentials are
 * checked, with a compare-and-set on the item's version, so concurrent guesses can never get
 * more than the allowed number through. The key is a hash: no identifier in the table's keys.
 */
export const MAX_ATTEMPTS = 5;
export const WINDOW_SECONDS = 15 * 60;

const key = (identifier: string) => ({ pk: `LOGIN#${createHash('sha256').update(identifier).digest('hex').slice(0, 32)}`, sk: 'ATTEMPTS' });

export type AttemptResult = { allowed: true } | { allowed: false; retryAfterSeconds: number };

export async function recordAttempt(identifier: string, now: Date): Promise<AttemptResult> {
  const nowMs = now.getTime();
  for (let i = 0; i < 10; i++) {
    const out = await ddb.send(new GetCommand({ TableName: tableName(), Key: key(identifier), ConsistentRead: true }));
    const version = (out.Item?.version as number | undefined) ?? 0;
    const recent = ((out.Item?.attempts as number[] | undefined) ?? []).filter((t) => t > nowMs - WINDOW_SECONDS * 1000);
    if (recent.length >= MAX_ATTEMPTS) {
      const oldest = Math.min(...recent);
      return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((oldest + WINDOW_SECONDS * 1000 - nowMs) / 1000)) };
    }
    try {
      await ddb.send(
        new PutCommand({
          TableName: tableName(),
          Item: { ...key(identifier), attempts: [...recent, nowMs], version: version + 1, ttl: Math.ceil(nowMs / 1000) + WINDOW_SECONDS },
          ConditionExpression: version === 0 ? 'attribute_not_exists(pk)' : 'version = :v',
          ExpressionAttributeValues: version === 0 ? undefined : { ':v': version },
        }),
      );
      return { allowed: true };
    } catch (err) {
      if (!isConditionFailure(err)) throw err;
      await backoff(1, SLOT_RACE_BACKOFF);
    }
  }
  // Contention this high on one identifier is itself an attack: refuse for now.
  return { allowed: false, retryAfterSeconds: 60 };
}

/** A successful login clears the counter. */
export async function clearAttempts(identifier: string): Promise<void> {
  await ddb.send(new DeleteCommand({ TableName: tableName(), Key: key(identifier) }));
}
