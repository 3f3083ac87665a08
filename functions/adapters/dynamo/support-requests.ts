import { createHash } from 'node:crypto';
import { GetCommand, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { mailboxOf, type SupportRequest } from '../../domain/support-request';
import { backoff } from '../../shared/backoff';
import { ddb, itemsOf, tableName } from './client';
import { decodeCursor, encodeCursor, type Page } from './cursor';
import type { TransactItem } from './dossiers';

/** Lost a race for a rate slot: a short pause, then read the slots again. */
const SLOT_RACE_BACKOFF = { firstMs: 20, maxMs: 20, minMs: 5 };

/**
 * Support requests (keys owned here): one item per request, listed for the operators newest
 * first through gsi1 (`SUPPORT#<academicYear>`, `<receivedAt>#<id>`), and the rate limits. A
 * request, its rate-limit slots and its mail jobs are written in ONE transaction: a request is
 * stored and forwarded, or not at all, and a refused write consumes no slot.
 */
const WINDOW_SECONDS = 3600;
/** Requests are kept for the campaign and its follow-up, then expire. */
const RETENTION_SECONDS = 400 * 24 * 3600;

const requestKey = (id: string) => ({ pk: `SUPPORT#${id}`, sk: 'SUPPORT' });
const listPk = (academicYear: string) => `SUPPORT#${academicYear}`;
// A hash: no identifier, address or IP in the table's keys.
const rateKey = (kind: 'ID' | 'MAIL' | 'IP', value: string) => ({ pk: `SUPPORTRATE#${kind}#${createHash('sha256').update(value).digest('hex').slice(0, 32)}`, sk: 'RATE' });

/**
 * Requests allowed per `WINDOW_SECONDS`: per typed identifier; per mailbox, as the
 * acknowledgement goes there (changing the identifier must not let anyone flood someone's
 * inbox); and, much looser, per source address. Behind CloudFront the API sees an edge
 * server's address, which many students share, so that limit only caps bulk abuse.
 */
export const SUPPORT_LIMITS = { perIdentifier: 3, perMailbox: 3, perSourceAddress: 120 } as const;

function rateLimits(request: SupportRequest, sourceIp: string) {
  return [
    { key: rateKey('ID', request.identifier), max: SUPPORT_LIMITS.perIdentifier },
    { key: rateKey('MAIL', mailboxOf(request.email)), max: SUPPORT_LIMITS.perMailbox },
    { key: rateKey('IP', sourceIp), max: SUPPORT_LIMITS.perSourceAddress },
  ];
}

export type SupportRecordResult = { accepted: true } | { accepted: false; retryAfterSeconds: number };

/**
 * Stores `request` with `extra` (its outbox items) unless one of its rate limits is reached.
 * Each rate-limit item is a compare-and-set on its version inside the transaction, so
 * concurrent requests never get more through.
 */
export async function recordSupportRequest(request: SupportRequest, sourceIp: string, extra: TransactItem[], now: Date): Promise<SupportRecordResult> {
  const nowMs = now.getTime();
  const limits = rateLimits(request, sourceIp);
  for (let attempt = 0; attempt < 10; attempt++) {
    const slots = await Promise.all(
      limits.map(async ({ key, max }) => {
        const out = await ddb.send(new GetCommand({ TableName: tableName(), Key: key, ConsistentRead: true }));
        const recent = ((out.Item?.sentAt as number[] | undefined) ?? []).filter((t) => t > nowMs - WINDOW_SECONDS * 1000);
        return { key, max, recent, version: (out.Item?.version as number | undefined) ?? 0 };
      }),
    );
    const full = slots.filter((s) => s.recent.length >= s.max);
    if (full.length > 0) {
      const freedAt = Math.max(...full.map((s) => Math.min(...s.recent) + WINDOW_SECONDS * 1000));
      return { accepted: false, retryAfterSeconds: Math.max(1, Math.ceil((freedAt - nowMs) / 1000)) };
    }
    try {
      await ddb.send(
        new TransactWriteCommand({
          TransactItems: [
            ...slots.map(({ key, recent, version }) => ({
              Put: {
                TableName: tableName(),
                Item: { ...key, type: 'support_rate', sentAt: [...recent, nowMs], version: version + 1, ttl: Math.ceil(nowMs / 1000) + WINDOW_SECONDS },
                ConditionExpression: version === 0 ? 'attribute_not_exists(pk)' : 'version = :v',
                ExpressionAttributeValues: version === 0 ? undefined : { ':v': version },
              },
            })),
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
      if (!lostRateRace(err, slots.length)) throw err;
      await backoff(1, SLOT_RACE_BACKOFF);
    }
  }
  // Contention this high on one identifier, mailbox or address is itself abuse: refuse for now.
  return { accepted: false, retryAfterSeconds: 60 };
}

/**
 * The transaction was cancelled because another request won: the condition of one of its first
 * `rateItems` items (the rate-limit slots) failed, or DynamoDB reported a concurrent transaction
 * on an item; nothing else.
 */
function lostRateRace(err: unknown, rateItems: number): boolean {
  if ((err as { name?: string })?.name !== 'TransactionCanceledException') return false;
  const reasons = (err as { CancellationReasons?: { Code?: string }[] }).CancellationReasons ?? [];
  const lost = (code: string | undefined, i: number) => code === 'TransactionConflict' || (i < rateItems && code === 'ConditionalCheckFailed');
  return reasons.some((r, i) => lost(r.Code, i)) && reasons.every((r, i) => !r.Code || r.Code === 'None' || lost(r.Code, i));
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
