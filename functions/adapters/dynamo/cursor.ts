import { InvalidCursorError } from '../../shared/failures';

/**
 * Pagination cursors: the query's LastEvaluatedKey on gsi1, as opaque base64url JSON. A cursor
 * sent back is checked before it reaches DynamoDB, which refuses (ValidationException) any start
 * key that is not a whole key of the index inside the query's range: exactly the table's and the
 * index's key attributes, as non-empty strings, the partition of the query it came from (a cursor
 * cannot be replayed on another listing) and, for a `begins_with` query, a sort key with its prefix.
 */
export interface Page<T> {
  items: T[];
  next: string | null;
}

const KEY_ATTRIBUTES = ['pk', 'sk', 'gsi1pk', 'gsi1sk'] as const;
/** The longest cursor taken back (functions/shared/page-query.ts refuses longer ones before they reach here). */
export const MAX_CURSOR_CHARS = 2048;

export function encodeCursor(key: Record<string, unknown> | undefined): string | null {
  return key ? Buffer.from(JSON.stringify(key), 'utf8').toString('base64url') : null;
}

/**
 * The start key, or undefined without a cursor; InvalidCursorError (422, `cursor`:
 * `cursor_invalid` at the edge) for anything else. `gsi1pk` is the query's partition; `gsi1skPrefix` the prefix of a `begins_with` query.
 */
export function decodeCursor(cursor: string | undefined, query: { gsi1pk: string; gsi1skPrefix?: string }): Record<string, string> | undefined {
  if (cursor === undefined || cursor === '') return undefined;
  const invalid = () => new InvalidCursorError();
  if (cursor.length > MAX_CURSOR_CHARS || !/^[A-Za-z0-9_-]+$/.test(cursor)) throw invalid();
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  if (typeof key !== 'object' || key === null || Array.isArray(key)) throw invalid();
  const start = key as Record<string, unknown>;
  const wholeKey = Object.keys(start).length === KEY_ATTRIBUTES.length && KEY_ATTRIBUTES.every((k) => typeof start[k] === 'string' && start[k] !== '');
  if (!wholeKey || start.gsi1pk !== query.gsi1pk || !(start.gsi1sk as string).startsWith(query.gsi1skPrefix ?? '')) throw invalid();
  return start as Record<string, string>;
}
