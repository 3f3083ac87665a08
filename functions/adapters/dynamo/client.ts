import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { backoff } from '../../shared/backoff';
import { ENV, requireEnv } from '../../shared/env';
import { traced } from '../../shared/tracing';
import { decodeCursor, encodeCursor, type Page } from './cursor';

/** Unprocessed keys of a BatchGetItem (throttled or over the response size). */
const UNPROCESSED_BACKOFF = { firstMs: 100, maxMs: 1000 };

/**
 * Built once per execution environment. The endpoint comes from the SDK's standard
 * configuration: AWS on Lambda, `AWS_ENDPOINT_URL_DYNAMODB` (DynamoDB Local) locally and in tests.
 */
export const ddb = DynamoDBDocumentClient.from(traced(new DynamoDBClient({})), {
  marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
});

export const tableName = (): string => requireEnv(ENV.tableName);

/** True when `err` is `exception`, or a cancelled transaction one of whose items failed with `reason`. */
function refusedWith(err: unknown, exception: string, reason: string): boolean {
  const name = (err as { name?: string } | null)?.name;
  if (name === exception) return true;
  if (name !== 'TransactionCanceledException') return false;
  const reasons = (err as { CancellationReasons?: { Code?: string }[] }).CancellationReasons ?? [];
  return reasons.some((r) => r.Code === reason);
}

/** True when a write was refused by its condition expression (a rule held, or a race was lost). */
export const isConditionFailure = (err: unknown): boolean => refusedWith(err, 'ConditionalCheckFailedException', 'ConditionalCheckFailed');

/**
 * True when DynamoDB refused a write because another transaction touched the same item at the
 * same moment (real DynamoDB reports this; DynamoDB Local rarely does): retry with fresh data.
 */
export const isWriteConflict = (err: unknown): boolean => refusedWith(err, 'TransactionConflictException', 'TransactionConflict');

export interface ItemKey {
  pk: string;
  sk: string;
}

/**
 * Reads items by key with BatchGetItem (100 per call), retrying what DynamoDB hands back
 * unprocessed; returns them in the order of `keys`, leaving out those that do not exist.
 */
export async function batchGetItems(keys: ItemKey[]): Promise<Record<string, unknown>[]> {
  const byKey = new Map<string, Record<string, unknown>>();
  const id = (k: { pk: unknown; sk: unknown }) => `${String(k.pk)}\u0000${String(k.sk)}`;
  const unique = [...new Map(keys.map((k) => [id(k), { pk: k.pk, sk: k.sk }])).values()];
  for (let start = 0; start < unique.length; start += 100) {
    let pending: Record<string, unknown>[] = unique.slice(start, start + 100);
    for (let attempt = 0; pending.length > 0; attempt++) {
      if (attempt > 0) await backoff(attempt, UNPROCESSED_BACKOFF);
      const out = await ddb.send(new BatchGetCommand({ RequestItems: { [tableName()]: { Keys: pending } } }));
      for (const item of out.Responses?.[tableName()] ?? []) byKey.set(id(item as ItemKey), item);
      // Throttled or over the response size: DynamoDB hands back what it did not read.
      pending = out.UnprocessedKeys?.[tableName()]?.Keys ?? [];
    }
  }
  return keys.flatMap((k) => {
    const item = byKey.get(id(k));
    return item ? [item] : [];
  });
}

/** The items behind a keys-only index query's results, in the query's order. */
export async function itemsOf(indexItems: Record<string, unknown>[] | undefined): Promise<Record<string, unknown>[]> {
  return batchGetItems((indexItems ?? []).map((i) => ({ pk: i.pk as string, sk: i.sk as string })));
}

/** The dossier id of a queue entry below (its sort key is `<sort value>#<dossier id>`). */
const queuedDossierId = (item: Record<string, unknown>): string => String(item.gsi1sk).split('#')[1]!;

/**
 * The dossier ids of a sparse gsi1 queue whose sort keys are `<sort value>#<dossier id>`
 * (instalments.ts, refund-retries.ts), in sort order, all pages; with `upTo`, only those whose
 * sort value is `upTo` or before.
 */
export async function* indexedDossierIds(gsi1pk: string, upTo?: string): AsyncGenerator<string> {
  let start: Record<string, unknown> | undefined;
  do {
    const out = await ddb.send(
      new QueryCommand({
        TableName: tableName(),
        IndexName: 'gsi1',
        KeyConditionExpression: upTo ? 'gsi1pk = :pk AND gsi1sk <= :upTo' : 'gsi1pk = :pk',
        ExpressionAttributeValues: { ':pk': gsi1pk, ...(upTo ? { ':upTo': `${upTo}#\uffff` } : {}) },
        ExclusiveStartKey: start,
      }),
    );
    for (const item of out.Items ?? []) yield queuedDossierId(item);
    start = out.LastEvaluatedKey;
  } while (start);
}

/**
 * One page of a gsi1 partition, for the operators' lists: at most `limit` index entries in sort
 * order (`newestFirst`: reversed), only those whose sort key starts with `skPrefix` when given,
 * from `cursor` (checked against this very query, cursor.ts), and the cursor of the next page.
 */
export async function gsi1Page(partition: string, o: { limit: number; cursor?: string; newestFirst?: boolean; skPrefix?: string }): Promise<Page<Record<string, unknown>>> {
  const prefixed = o.skPrefix !== undefined;
  const out = await ddb.send(
    new QueryCommand({
      TableName: tableName(),
      IndexName: 'gsi1',
      KeyConditionExpression: prefixed ? 'gsi1pk = :pk AND begins_with(gsi1sk, :prefix)' : 'gsi1pk = :pk',
      ExpressionAttributeValues: { ':pk': partition, ...(prefixed ? { ':prefix': o.skPrefix } : {}) },
      ...(o.newestFirst ? { ScanIndexForward: false } : {}),
      Limit: o.limit,
      ExclusiveStartKey: decodeCursor(o.cursor, { gsi1pk: partition, gsi1skPrefix: o.skPrefix }),
    }),
  );
  return { items: out.Items ?? [], next: encodeCursor(out.LastEvaluatedKey) };
}

/** One page of the same kind of queue (`indexedDossierIds`), for the operators: dossier ids in sort order. */
export async function indexedDossierIdsPage(gsi1pk: string, limit: number, cursor?: string): Promise<Page<string>> {
  const page = await gsi1Page(gsi1pk, { limit, cursor });
  return { items: page.items.map(queuedDossierId), next: page.next };
}
