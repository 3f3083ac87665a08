/**
 * The Lambda functions' message lookups: the texts of errors.ts and fields.ts (French
 * typography applied) packed into catalogue.generated.ts, so that a function's bundle carries
 * neither table nor their module-load work. The catalogue is unpacked on the first lookup, never
 * when this module loads, and kept for the life of the instance. The tables stay the source:
 * after editing them run `npm run messages` (scripts/messages.ts); a unit test fails while the
 * generated module is stale. The web pages look up fields.ts directly (no node:zlib in a browser).
 */
import { PACKED_CATALOGUE } from './catalogue.generated';
import { fieldEntry, type Entry } from './entry';
import type { ErrorCode } from './errors';
import type { FieldCode } from './fields';
import type { Lang } from './lang';

export type { ErrorCode, FieldCode, Lang };

/** What scripts/messages.ts packs: every error and field code with its text in each language. */
export interface Catalogue {
  readonly errors: Readonly<Record<ErrorCode, Entry>>;
  readonly fields: Readonly<Record<FieldCode, Entry>>;
}

/**
 * base64 → brotli → JSON, the inverse of scripts/messages.ts `packCatalogue`. node:zlib is
 * loaded here rather than imported, so that loading this module does not load it.
 */
export function unpackCatalogue(packed: string): Catalogue {
  const { brotliDecompressSync } = process.getBuiltinModule('node:zlib');
  return JSON.parse(brotliDecompressSync(Buffer.from(packed, 'base64')).toString('utf8')) as Catalogue;
}

let tables: { readonly errors: ReadonlyMap<string, Entry>; readonly fields: ReadonlyMap<string, Entry> } | undefined;

function catalogue() {
  if (!tables) {
    const { errors, fields } = unpackCatalogue(PACKED_CATALOGUE);
    tables = { errors: new Map(Object.entries(errors)), fields: new Map(Object.entries(fields)) };
  }
  return tables;
}

/** The message of an API error code, `{param}` placeholders filled; an unknown code gets INTERNAL_ERROR's. */
export function errorMessage(code: ErrorCode, lang: Lang, params: Record<string, string | number> = {}): string {
  const { errors } = catalogue();
  const entry = errors.get(code) ?? errors.get('INTERNAL_ERROR')!;
  return entry[lang].replace(/\{(\w+)\}/g, (_, key: string) => String(params[key] ?? ''));
}

export function isFieldCode(code: unknown): code is FieldCode {
  return typeof code === 'string' && catalogue().fields.has(code);
}

/** The message for a reason code (fallback: entry.ts `fieldEntry`). */
export function fieldMessage(code: FieldCode, lang: Lang): string {
  return fieldEntry(catalogue().fields, code)[lang];
}
