import { validationFailed } from '../../shared/errors';

/**
 * Pagination cursors: the query's LastEvaluatedKey, as opaque base64url JSON. A cursor sent
 * back is checked before it reaches DynamoDB: only the table's key attributes, as strings, and
 * the partition of the query it came from (a cursor cannot be replayed on another listing).
 */
export interface Page<T> {
  items: T[];
  next: string | null;
}

const KEY_ATTRIBUTES = new Set(['pk', 'sk', 'gsi1pk', 'gsi1sk']);
const MAX_CURSOR_CHARS = 2048;

export function encodeCursor(key: Record<string, unknown> | undefined): string | null {
  return key ? Buffer.from(JSON.stringify(key), 'utf8').toString('base64url') : null;
}

/** The start key, or undefined without a cursor; 422 (`cursor`: `cursor_invalid`) for anything else. */
export function decodeCursor(cursor: string | undefined, partition: Record<string, string>): Record<string, string> | undefined {
  if (cursor === undefined || cursor === '') return undefined;
  const invalid = () => validationFailed({ cursor: 'cursor_invalid' });
  if (cursor.length > MAX_CURSOR_CHARS || !/^[A-Za-z0-9_-]+$/.test(cursor)) throw invalid();
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  if (typeof key !== 'object' || key === null || Array.isArray(key)) throw invalid();
  const entries = Object.entries(key);
  if (entries.length === 0 || !entries.every(([k, v]) => KEY_ATTRIBUTES.has(k) && typeof v === 'string')) throw invalid();
  const start = key as Record<string, string>;
  if (!Object.entries(partition).every(([k, v]) => start[k] === v)) throw invalid();
  return start;
}
