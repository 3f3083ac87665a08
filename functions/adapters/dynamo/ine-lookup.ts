import { PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { Dossier } from '../../domain/dossier';
import { normalizeIne } from '../../domain/ine';
import { logger } from '../../shared/logger';
import { ddb, tableName } from './client';
import type { TransactItem } from './dossiers';
import { KEY_PREFIXES } from './key-prefixes';
import { tableSchema } from './table-schema';

/**
 * Dossiers by INE, for the operators' search (keys owned here): one small item per INE and
 * dossier, `INE#<normalised INE>` / `<academic year>#<dossier id>`, written in the dossier's own
 * transaction whenever the dossier's INE changes (functions/adapters/dynamo/dossiers.ts
 * `saveDossier`): the INE step, "I have no INE", an operator's provisional INE. Several dossiers
 * may carry one INE (two admissions of one student, a mistyped number): each has its item.
 *
 * When a dossier's INE changes, the old INE's item is written again without its pointer and
 * with an expiry (DynamoDB's TTL removes it), never deleted: the students' functions may not
 * delete (functions/routes.ts access). Readers still check each dossier's current INE, so an
 * item left behind (an INE changed back and forth, a backfill racing a change) never returns a
 * wrong dossier.
 *
 * Dossiers saved before these items existed have none: scripts/backfill-ine-lookups.ts writes
 * them (`linkIne`).
 */
const ITEM_TYPE = 'ine_lookup';
const pk = (ine: string) => `${KEY_PREFIXES.ine}${normalizeIne(ine)}`;
const sk = (academicYear: string, dossierId: string) => `${academicYear}#${dossierId}`;
/** How long an item that no longer points anywhere is kept before DynamoDB's TTL removes it. */
const UNLINKED_RETENTION_SECONDS = 7 * 24 * 3600;
/** The most dossiers one INE is looked up for in one year (in practice one, rarely two). */
const MAX_MATCHES = 100;

/** The INE a dossier holds (the INE step's, typed or provisional), if any. */
const ineOf = (d: Dossier | undefined): string | undefined => (d?.steps.ine.ine ? normalizeIne(d.steps.ine.ine) : undefined);

const linkItem = (d: Dossier, ine: string) => ({ pk: pk(ine), sk: sk(d.academicYear, d.id), type: ITEM_TYPE, dossierId: d.id, academicYear: d.academicYear });

/** The lookup's changes for a write of the dossier from `before` to `after` (none unless its INE changed). */
export function ineLookupItems(before: Dossier | undefined, after: Dossier, now: Date): TransactItem[] {
  const was = ineOf(before);
  const is = ineOf(after);
  if (was === is) return [];
  const items: TransactItem[] = [];
  if (is) items.push({ Put: { TableName: tableName(), Item: linkItem(after, is) } });
  if (was) {
    const unlinked = { pk: pk(was), sk: sk(after.academicYear, after.id), type: ITEM_TYPE, [tableSchema.ttlAttribute]: Math.floor(now.getTime() / 1000) + UNLINKED_RETENTION_SECONDS };
    items.push({ Put: { TableName: tableName(), Item: unlinked } });
  }
  return items;
}

/**
 * Ids of the dossiers of `academicYear` whose INE was once `ine` (any spelling: normalised
 * here). Candidates only: the caller keeps those whose current INE still is `ine`.
 */
export async function dossierIdsByIne(ine: string, academicYear: string): Promise<string[]> {
  const out = await ddb.send(
    new QueryCommand({
      TableName: tableName(),
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :year)',
      ExpressionAttributeValues: { ':pk': pk(ine), ':year': `${academicYear}#` },
      ConsistentRead: true,
      Limit: MAX_MATCHES,
    }),
  );
  if (out.LastEvaluatedKey) logger.warn('More dossiers share one INE than the search reads', { academicYear, read: MAX_MATCHES });
  return (out.Items ?? []).flatMap((i) => (typeof i.dossierId === 'string' ? [i.dossierId] : []));
}

/**
 * Writes the lookup item of a dossier saved before the lookup existed (or repairs one): a plain
 * put of the item its INE step would have written, so running it again changes nothing.
 * False when the dossier holds no INE.
 */
export async function linkIne(d: Dossier): Promise<boolean> {
  const ine = ineOf(d);
  if (!ine) return false;
  await ddb.send(new PutCommand({ TableName: tableName(), Item: linkItem(d, ine) }));
  return true;
}
