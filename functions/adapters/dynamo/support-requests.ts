import { createHash } from 'node:crypto';
import { GetCommand, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { SupportRequest } from '../../domain/support-request';
import { ddb, itemsOf, tableName } from './client';
import { decodeCursor, encodeCursor, type Page } from './cursor';
import type { TransactItem } from './dossiers';

/**
 * Support requests (keys owned here): one item per request, listed for the operators newest
 * first through gsi1 (`SUPPORT#<academicYear>`, `<receivedAt>#<id>`), and the per-identifier
 * rate limit. A request, its rate-limit slot and its mail jobs are written in ONE transaction:
 * a request is stored and forwarded, or not at all, and a refused write consumes no slot.
 */
const MAX_REQUESTS = 3;
const WINDOW_SECONDS = 3600;
/** Requests are kept for the campaign and its follow-up, then expire. */
const RETENTION_SECONDS = 400 * 24 * 3600;

const requestKey = (id: string) => ({ pk: `SUPPORT#${id}`, sk: 'SUPPORT' });
const listPk = (academicYear: string) => `SUPPORT#${academicYear}`;
// A hash: no identifier in the table's keys.
const rateKey = (identifier: string) => ({ pk: `SUPPORTRATE#${createHash('sha256').update(identifier).digest('hex').slice(0, 32)}`, sk: 'RATE' });

export type SupportRecordResult = { accepted: true } | { accepted: false; retryAfterSeconds: number };

/**
 * Stores `request` with `extra` (its outbox items) unless the identifier already sent
 * `MAX_REQUESTS` within `WINDOW_SECONDS`. The rate-limit item is a compare-and-set on its
 * version inside the transaction, so concurrent requests never get more through.
 */
export async function recordSupportRequest(request: SupportRequest, extra: TransactItem[], now: Date): Promise<SupportRecordResult> {
  const nowMs = now.getTime();
  for (let attempt = 0; attempt < 10; attempt++) {
    const out = await ddb.send(new GetCommand({ TableName: tableName(), Key: rateKey(request.identifier), ConsistentRead: true }));
    const version = (out.Item?.version as number | undefined) ?? 0;
    const recent = ((out.Item?.sentAt as number[] | undefined) ?? []).filter((t) => t > nowMs - WINDOW_SECONDS * 1000);
    if (recent.length >= MAX_REQUESTS) {
      return { accepted: false, retryAfterSeconds: Math.max(1, Math.ceil((Math.min(...recent) + WINDOW_SECONDS * 1000 - nowMs) / 1000)) };
    }
    try {
      await ddb.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: tableName(),
                Item: { ...rateKey(request.identifier), type: 'support_rate', sentAt: [...recent, nowMs], version: version + 1, ttl: Math.ceil(nowMs / 1000) + WINDOW_SECONDS },
                ConditionExpression: version === 0 ? 'attribute_not_exists(pk)' : 'version = :v',
                ExpressionAttributeValues: version === 0 ? undefined : { ':v': version },
              },
            },
            {
              Put: {
                TableName: tableName(),
                Item: {
                  ...requestKey(request.id),
                  type: 'support_request',
                  gsi1pk: listPk(request.academicYear),
                  gsi1sk: `${request.receivedAt}#${request.id}`,
                  request,
                  ttl: Math.ceil(nowMs / 1000) + RETENTION_SECONDS,
                },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
            ...extra,
          ],
        }),
      );
      return { accepted: true };
    } catch (err) {
      if (!lostRateRace(err)) throw err;
      await new Promise((r) => setTimeout(r, 5 + Math.random() * 20));
    }
  }
  // Contention this high on one identifier is itself abuse: refuse for now.
  return { accepted: false, retryAfterSeconds: 60 };
}

/** The transaction was cancelled by the rate-limit item's condition (another request won), and nothing else. */
function lostRateRace(err: unknown): boolean {
  if ((err as { name?: string })?.name !== 'TransactionCanceledException') return false;
  const reasons = (err as { CancellationReasons?: { Code?: string }[] }).CancellationReasons ?? [];
  return reasons[0]?.Code === 'ConditionalCheckFailed' && reasons.slice(1).every((r) => !r.Code || r.Code === 'None');
}

/**
 * An academic year's support requests, newest first, `limit` per page (for the operators).
 * A cursor that is not one of this listing's is refused (422, field `cursor`).
 */
export async function listSupportRequests(o: { academicYear: string; limit?: number; cursor?: string }): Promise<Page<SupportRequest>> {
  const out = await ddb.send(
    new QueryCommand({
      TableName: tableName(),
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :pk',
      ExpressionAttributeValues: { ':pk': listPk(o.academicYear) },
      ScanIndexForward: false,
      Limit: Math.min(Math.max(o.limit ?? 50, 1), 100),
      ExclusiveStartKey: decodeCursor(o.cursor, { gsi1pk: listPk(o.academicYear) }),
    }),
  );
  return {
    items: (await itemsOf(out.Items)).map((item) => item.request as SupportRequest),
    next: encodeCursor(out.LastEvaluatedKey),
  };
}
