import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { type RateScope, supportLimits } from '../../domain/rate-limits';
import { queueDelta } from '../../domain/stats';
import { mailboxOf, type SupportRequest } from '../../domain/support-request';
import { logger } from '../../shared/logger';
import { ddb, isConditionFailure, gsi1Page, itemsOf, tableName } from './client';
import type { Page } from './cursor';
import type { TransactItem } from './dossiers';
import { takeSlots } from './rate-slots';
import { STATS_MARK, statsStamp } from './stats';
import { KEY_PREFIXES } from './key-prefixes';

/**
 * Support requests (keys owned here): one item per request, listed for the operators newest
 * first through gsi1 (`SUPPORT#<academicYear>`, `<receivedAt>#<id>`). A request, its
 * rate-limit hits (functions/domain/rate-limits.ts `supportLimits`, stored by rate-slots.ts) and
 * its mail jobs are written in ONE transaction: a request is stored and forwarded, or not at
 * all, and a refused write consumes no slot.
 */
/** Requests are kept for the campaign and its follow-up, then expire. */
const RETENTION_SECONDS = 400 * 24 * 3600;

const requestKey = (id: string) => ({ pk: `${KEY_PREFIXES.support}${id}`, sk: 'SUPPORT' });
const listPk = (academicYear: string) => `SUPPORT#${academicYear}`;

/** `refusedBy`: the limits that refused, for the handler's abuse metric. */
export type SupportRecordResult = { accepted: true } | { accepted: false; retryAfterSeconds: number; refusedBy: RateScope[] };

/**
 * Stores `request` with `extra` (its outbox items) unless one of its rate limits is reached:
 * per identifier, per mailbox (provider aliases folded: `mailboxOf`) and per client address.
 */
export async function recordSupportRequest(request: SupportRequest, clientAddress: string, extra: TransactItem[], now: Date): Promise<SupportRecordResult> {
  const item: TransactItem = {
    Put: {
      TableName: tableName(),
      Item: {
        ...requestKey(request.id),
        type: 'support_request',
        gsi1pk: listPk(request.academicYear),
        gsi1sk: `${request.receivedAt}#${request.id}`,
        request,
        ttl: Math.ceil(now.getTime() / 1000) + RETENTION_SECONDS,
        // The dashboard's "support waiting" queue (functions/adapters/dynamo/stats.ts).
        ...statsStamp(`SUPPORT#${request.id}#received`, request.academicYear, queueDelta('supportRequests', 1)),
      },
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  };
  const admission = await takeSlots(supportLimits(request.identifier, mailboxOf(request.email), clientAddress), now, [item, ...extra]);
  if (admission.allowed) return { accepted: true };
  logger.warn('rate_limited', { scopes: admission.refusedBy });
  return { accepted: false, retryAfterSeconds: admission.retryAfterSeconds, refusedBy: admission.refusedBy };
}

/**
 * An academic year's support requests, newest first, `limit` per page (for the operators).
 * A cursor that is not one of this listing's is refused (422, field `cursor`).
 */
export interface ListedSupportRequest extends SupportRequest {
  /** When an operator marked it handled, and who. */
  handledAt?: string;
  handledBy?: string;
}

export async function listSupportRequests(o: { academicYear: string; limit: number; cursor?: string }): Promise<Page<ListedSupportRequest>> {
  const page = await gsi1Page(listPk(o.academicYear), { limit: o.limit, cursor: o.cursor, newestFirst: true });
  return {
    items: (await itemsOf(page.items)).map((item) => ({
      ...(item.request as SupportRequest),
      ...(item.handledAt ? { handledAt: item.handledAt as string, handledBy: item.handledBy as string } : {}),
    })),
    next: page.next,
  };
}

export type MarkHandledResult = 'handled' | 'already_handled' | 'not_found';

/** Marks a request handled (once: a second mark changes nothing), leaving the dashboard's queue. */
export async function markSupportRequestHandled(id: string, by: string, now: Date): Promise<MarkHandledResult> {
  const at = now.toISOString();
  try {
    await ddb.send(
      new UpdateCommand({
        TableName: tableName(),
        Key: requestKey(id),
        UpdateExpression: 'SET handledAt = :at, handledBy = :by, #mark = :true, statsKey = :key, statsYear = #req.academicYear, statsDelta = :delta',
        ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(handledAt)',
        ExpressionAttributeNames: { '#mark': STATS_MARK, '#req': 'request' },
        ExpressionAttributeValues: { ':at': at, ':by': by, ':true': true, ':key': `SUPPORT#${id}#handled`, ':delta': JSON.stringify(queueDelta('supportRequests', -1)) },
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      }),
    );
    return 'handled';
  } catch (err) {
    if (!isConditionFailure(err)) throw err;
    const old = (err as { Item?: Record<string, unknown> }).Item;
    return old ? 'already_handled' : 'not_found';
  }
}
