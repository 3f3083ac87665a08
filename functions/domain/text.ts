/**
 * Free-text fields and e-mail addresses, for every request schema (functions/domain/schemas.ts,
 * ./contacts.ts, corrections, uploads, admin searches):
 *
 * - Strings are trimmed, length-capped, and refused when they hold control, bidirectional
 *   override or other invisible formatting characters (reason `control_characters`).
 * - E-mail: syntax checked, domain lower-cased.
 *
 * Pure: no I/O, safe to bundle in the student pages.
 */
import * as z from 'zod/mini';
import { preprocess, requiredOr } from './schema-parts';
import type { FieldCode } from './messages/fields';

// ---------------------------------------------------------------------------------------------
// Text hygiene

/**
 * Characters never accepted in a text field: C0/C1 controls, line/paragraph separators,
 * bidirectional embeddings/overrides/isolates, LRM/RLM/ALM, zero-width space, BOM,
 * non-characters and lone surrogates. (ZWJ/ZWNJ stay allowed: some scripts need them.)
 */
const FORBIDDEN_ANYWHERE = /[\p{Cc}\u061C\u200B\u200E\u200F\u2028\u2029\u202A-\u202E\u2060\u2066-\u2069\uFEFF\uFFFE\uFFFF]|\p{Cs}/u;
/** Same, minus tab, line feed and carriage return (multi-line messages). */
const FORBIDDEN_MULTILINE = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u061C\u200B\u200E\u200F\u2028\u2029\u202A-\u202E\u2060\u2066-\u2069\uFEFF\uFFFE\uFFFF]|\p{Cs}/u;

/** True when `s` holds a character no text field accepts (tab/newlines allowed if `multiline`). */
export function hasForbiddenCharacters(s: string, multiline = false): boolean {
  return (multiline ? FORBIDDEN_MULTILINE : FORBIDDEN_ANYWHERE).test(s);
}

/** Markup characters refused in postal address lines (an address never needs them). */
const MARKUP = /[<>{}]/;

export interface TextOptions {
  /** Minimum length after trimming. @default 1 (the field is required) */
  min?: number;
  /** Tab and newlines allowed. @default false */
  multiline?: boolean;
  /** Also refuse `<`, `>`, `{`, `}`. @default false */
  noMarkup?: boolean;
}

/** A trimmed string of at most `max` characters without control characters. */
export function text(max: number, opts: TextOptions = {}) {
  const min = opts.min ?? 1;
  return z.string({ error: requiredOr('invalid_type') }).check(
    z.trim(),
    ...(min > 0 ? [z.minLength(min, { error: min === 1 ? 'required' : 'too_short' })] : []),
    z.maxLength(max, { error: 'too_long' satisfies FieldCode }),
    z.refine((v: string) => !hasForbiddenCharacters(v, opts.multiline ?? false), { error: 'control_characters' satisfies FieldCode }),
    z.refine((v: string) => !opts.noMarkup || !MARKUP.test(v), { error: 'forbidden_characters' satisfies FieldCode }),
  );
}

/** Optional text: absent, null or blank → undefined. */
export function optionalText(max: number, opts: Omit<TextOptions, 'min'> = {}) {
  return preprocess((v) => (v === null || (typeof v === 'string' && v.trim() === '') ? undefined : v), z.optional(text(max, opts)));
}

// ---------------------------------------------------------------------------------------------
// E-mail

export const EMAIL_MAX = 254;

export const EmailAddress = /* @__PURE__ */ z.lazy(() =>
  z.pipe(
    z.pipe(
      z.string({ error: requiredOr('invalid_type') }).check(z.trim(), z.minLength(1, { error: 'required' satisfies FieldCode }), z.maxLength(EMAIL_MAX, { error: 'too_long' satisfies FieldCode })),
      z.email({ error: 'email_format' satisfies FieldCode }),
    ),
    z.transform((e: string) => {
      const at = e.lastIndexOf('@');
      return `${e.slice(0, at)}@${e.slice(at + 1).toLowerCase()}`;
    }),
  ),
);
