import type { Lang } from './lang';

/** One message in every language. */
export type Entry = Readonly<Record<Lang, string>>;

/**
 * The entry of a field or refusal reason code in `table`; a code that came from outside the type
 * system (a zod message, an API answer) and is unknown gets the generic "not valid" message.
 * Shared by the pages' lookup (fields.ts) and the Lambda functions' (catalogue.ts).
 */
export function fieldEntry(table: ReadonlyMap<string, Entry>, code: unknown): Entry {
  return (typeof code === 'string' && table.get(code)) || table.get('invalid')!;
}
