/**
 * The dashboard's counters (keys owned here; what counts for what: functions/domain/stats.ts).
 *
 * A write that changes a figure stamps the item it writes with its change: `statsKey` (unique
 * per change: the item and its version or state), `statsYear` and `statsDelta` (JSON). The
 * table stream hands those items to the stats job, which adds a batch's deltas up and applies
 * them in ONE transaction with a marker per change (`attribute_not_exists`): a change is counted
 * once whatever the stream retries, bisects or replays. Counter items: `STATS#<year>` /
 * `<group>` (`status`, `programme#L1-INFO`, `hour#2026-07-01T10`, `money`, `queues`), one
 * attribute per counter. README "Dashboard counters" has the write-rate arithmetic.
 */
import { QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { AttributeValue } from 'aws-lambda';
import { addDelta, isEmptyDelta, type StatsDelta } from '../../domain/stats';
import { batchGetItems, ddb, tableName } from './client';
import type { TransactItem } from './dossiers';
import { KEY_PREFIXES } from './key-prefixes';

/** The stream filter's mark (functions/routes.ts, job `Stats`): only stamped items reach the job. */
export const STATS_MARK = 'hasStats';

/** Markers outlive the stream's 24 h retention (a record can be replayed that long). */
const MARKER_TTL_SECONDS = 3 * 24 * 3600;
/** DynamoDB's limit of items per transaction. */
const MAX_TRANSACTION_ITEMS = 100;

const countersPk = (academicYear: string) => `${KEY_PREFIXES.stats}${academicYear}`;
const markerKey = (statsKey: string) => ({ pk: `${KEY_PREFIXES.statsApplied}${statsKey}`, sk: 'STATS' });

/** The attributes that stamp an item with its change (none for a change of nothing). */
export function statsStamp(statsKey: string, academicYear: string, delta: StatsDelta): Record<string, unknown> {
  if (isEmptyDelta(delta)) return {};
  return { [STATS_MARK]: true, statsKey, statsYear: academicYear, statsDelta: JSON.stringify(delta) };
}

export interface StatsChange {
  statsKey: string;
  academicYear: string;
  delta: StatsDelta;
}

/** The change an item of the stream's new image carries, if any. */
export function statsChangeOf(image: Record<string, AttributeValue> | undefined): StatsChange | undefined {
  const statsKey = image?.statsKey?.S;
  const academicYear = image?.statsYear?.S;
  const json = image?.statsDelta?.S;
  if (image?.[STATS_MARK]?.BOOL !== true || !statsKey || !academicYear || !json) return undefined;
  return { statsKey, academicYear, delta: JSON.parse(json) as StatsDelta };
}

function counterUpdates(academicYear: string, delta: StatsDelta): TransactItem[] {
  return Object.entries(delta).map(([group, counters]) => {
    const entries = Object.entries(counters);
    return {
      Update: {
        TableName: tableName(),
        Key: { pk: countersPk(academicYear), sk: group },
        UpdateExpression: `SET #type = :type ADD ${entries.map((_, i) => `#c${i} :c${i}`).join(', ')}`,
        ExpressionAttributeNames: { '#type': 'type', ...Object.fromEntries(entries.map(([name], i) => [`#c${i}`, name])) },
        ExpressionAttributeValues: { ':type': 'stats_counter', ...Object.fromEntries(entries.map(([, n], i) => [`:c${i}`, n])) },
      },
    };
  });
}

/** Applies the changes not applied yet, each exactly once. @returns how many were applied now. */
export async function applyStatsChanges(changes: StatsChange[], now: Date): Promise<number> {
  const unique = [...new Map(changes.map((c) => [c.statsKey, c])).values()];
  const applied = new Set((await batchGetItems(unique.map((c) => markerKey(c.statsKey)))).map((m) => m.pk as string));
  const pending = unique.filter((c) => !applied.has(markerKey(c.statsKey).pk));
  const ttl = Math.ceil(now.getTime() / 1000) + MARKER_TTL_SECONDS;
  let done = 0;
  while (done < pending.length) {
    // As many changes as fit in one transaction: a marker each, plus the counter items they touch.
    const chunk: StatsChange[] = [];
    const groups = new Set<string>();
    for (const c of pending.slice(done)) {
      const more = Object.keys(c.delta).filter((g) => !groups.has(`${c.academicYear}|${g}`));
      if (chunk.length > 0 && chunk.length + 1 + groups.size + more.length > MAX_TRANSACTION_ITEMS) break;
      chunk.push(c);
      for (const g of more) groups.add(`${c.academicYear}|${g}`);
    }
    const byYear = new Map<string, StatsDelta>();
    for (const c of chunk) byYear.set(c.academicYear, addDelta(byYear.get(c.academicYear) ?? {}, c.delta));
    const items: TransactItem[] = [
      ...chunk.map((c) => ({ Put: { TableName: tableName(), Item: { ...markerKey(c.statsKey), type: 'stats_applied', ttl }, ConditionExpression: 'attribute_not_exists(pk)' } })),
      ...[...byYear].flatMap(([year, delta]) => counterUpdates(year, delta)),
    ];
    await ddb.send(new TransactWriteCommand({ TransactItems: items }));
    done += chunk.length;
  }
  return pending.length;
}

/** The year's counters, summed by group (one query: a few hundred small items at most). */
export async function readStatsCounters(academicYear: string): Promise<StatsDelta> {
  const totals: StatsDelta = {};
  let start: Record<string, unknown> | undefined;
  do {
    const out = await ddb.send(
      new QueryCommand({ TableName: tableName(), KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': countersPk(academicYear) }, ExclusiveStartKey: start }),
    );
    for (const item of out.Items ?? []) {
      const { pk: _pk, sk, type: _type, ...counters } = item;
      totals[sk as string] = counters as Record<string, number>;
    }
    start = out.LastEvaluatedKey;
  } while (start);
  return totals;
}
