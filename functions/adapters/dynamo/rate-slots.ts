import { createHash } from 'node:crypto';
import { BatchGetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { admit, type Admission, type RateLimit, type RateSlot } from '../../domain/rate-limits';
import { ddb, tableName } from './client';
import { backoff } from '../../shared/backoff';
import type { TransactItem } from './dossiers';
import { KEY_PREFIXES } from './key-prefixes';

/**
 * Lost a race for a rate slot: a pause growing with each loss, then read the slots again. The
 * per-address slot is shared by everyone behind one address (a campus NAT): the pause must
 * spread a burst of simultaneous logins rather than refuse them as contention.
 */
const SLOT_RACE_BACKOFF = { firstMs: 10, maxMs: 250, minMs: 5 };
const MAX_ATTEMPTS = 15;

/**
 * The rate-limit counters (keys owned here): one item per limit and subject, holding the
 * instants of its recent hits and a version. `take` reads the slots, asks the pure policy
 * (functions/domain/rate-limits.ts) and writes every slot back in ONE transaction, each
 * conditioned on the version it read, with the caller's own items (a support request and its
 * mails): concurrent requests never get more through, and a refused request consumes nothing.
 * Keys hold a hash: no identifier, mailbox or address in the table's keys.
 */
const slotKey = (l: RateLimit) => ({
  pk: `${KEY_PREFIXES.rate}${l.scope}#${createHash('sha256').update(l.subject).digest('hex').slice(0, 32)}`,
  sk: 'RATE',
});

interface Stored {
  hits: number[];
  version: number;
}

async function read(limits: RateLimit[]): Promise<Stored[]> {
  const keys = limits.map(slotKey);
  const unique = [...new Map(keys.map((k) => [k.pk, k])).values()];
  const out = await ddb.send(new BatchGetCommand({ RequestItems: { [tableName()]: { Keys: unique, ConsistentRead: true } } }));
  const byPk = new Map((out.Responses?.[tableName()] ?? []).map((i) => [i.pk as string, i]));
  return keys.map((k) => {
    const item = byPk.get(k.pk);
    return { hits: (item?.hits as number[] | undefined) ?? [], version: (item?.version as number | undefined) ?? 0 };
  });
}

function put(l: RateLimit, hits: number[], version: number, nowMs: number): TransactItem {
  return {
    Put: {
      TableName: tableName(),
      Item: { ...slotKey(l), type: 'rate_slot', hits, version: version + 1, ttl: Math.ceil(nowMs / 1000) + l.windowSeconds },
      ConditionExpression: version === 0 ? 'attribute_not_exists(pk)' : 'version = :v',
      ExpressionAttributeValues: version === 0 ? undefined : { ':v': version },
    },
  };
}

/**
 * Counts one hit on every limit, with `extra` written in the same transaction, unless a limit
 * is reached. Retries a lost race on fresh data; contention this high is itself abuse, refused.
 */
export async function takeSlots(limits: RateLimit[], now: Date, extra: TransactItem[] = []): Promise<Admission> {
  const nowMs = now.getTime();
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const stored = await read(limits);
    const slots: RateSlot[] = limits.map((limit, i) => ({ limit, hits: stored[i]!.hits }));
    const admission = admit(slots, nowMs);
    if (!admission.allowed) return admission;
    try {
      await ddb.send(new TransactWriteCommand({ TransactItems: [...limits.map((l, i) => put(l, admission.next[i]!, stored[i]!.version, nowMs)), ...extra] }));
      return admission;
    } catch (err) {
      if (!lostRace(err, limits.length)) throw err;
      await backoff(attempt + 1, SLOT_RACE_BACKOFF);
    }
  }
  return { allowed: false, retryAfterSeconds: 60, refusedBy: limits.map((l) => l.scope) };
}

/**
 * Gives back the hit taken at `now` (a login that succeeded: only failures count). Best effort
 * under contention: a hit not given back only makes the limit stricter.
 */
export async function giveBack(limits: RateLimit[], now: Date): Promise<void> {
  const nowMs = now.getTime();
  for (let attempt = 0; attempt < 5; attempt++) {
    const stored = await read(limits);
    const changed = limits.flatMap((l, i) => {
      const at = stored[i]!.hits.lastIndexOf(nowMs);
      if (at < 0) return [];
      const hits = stored[i]!.hits.filter((_, j) => j !== at);
      return [put(l, hits, stored[i]!.version, nowMs)];
    });
    if (changed.length === 0) return;
    try {
      await ddb.send(new TransactWriteCommand({ TransactItems: changed }));
      return;
    } catch (err) {
      if (!lostRace(err, changed.length)) throw err;
      await backoff(attempt + 1, SLOT_RACE_BACKOFF);
    }
  }
}

/** Cancelled because another request won a slot (or a concurrent transaction touched one); nothing else. */
function lostRace(err: unknown, slotItems: number): boolean {
  if ((err as { name?: string })?.name !== 'TransactionCanceledException') return false;
  const reasons = (err as { CancellationReasons?: { Code?: string }[] }).CancellationReasons ?? [];
  const lost = (code: string | undefined, i: number) => code === 'TransactionConflict' || (i < slotItems && code === 'ConditionalCheckFailed');
  return reasons.some((r, i) => lost(r.Code, i)) && reasons.every((r, i) => !r.Code || r.Code === 'None' || lost(r.Code, i));
}
