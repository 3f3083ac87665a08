/**
 * Runs a zod schema and reports failures as `{ field path → reason code }`, the shape of the
 * API's `error.fields`; `translateFields` turns the codes into the student's language.
 *
 * - Paths are dotted (`address.postalCode`, `admissions.3.email`); a failure of the whole
 *   input (not an object, …) is reported under ROOT_FIELD.
 * - Custom errors of our schemas already are reason codes (messages/fields.ts); zod's
 *   built-in issues are mapped to codes: missing → `required`, wrong type → `invalid_type`,
 *   too_big → `too_long`…, enum/literal → `invalid_choice`, email → `email_format`.
 * - The first failure of a path wins (the most basic one: zod checks in declaration order).
 *
 * Pure: no I/O, safe to bundle in the student pages. It takes the list of reason codes from its
 * caller, so that neither side loads the other's message lookups: the Lambda functions use
 * validate.ts (the packed catalogue), the pages bind it to messages/fields.ts (web/src/forms.ts).
 */
import type * as z from 'zod/mini';
import type { FieldCode } from './messages/fields';

/** The key under which failures of the input as a whole are reported. */
export const ROOT_FIELD = 'body';

export type FieldErrors = Record<string, FieldCode>;

export type Validation<T> = { ok: true; data: T } | { ok: false; fields: FieldErrors };

type Issue = z.core.$ZodIssue;
type RawIssue = z.core.$ZodRawIssue;

/** Reason code of a built-in zod issue (before or after finalisation). */
function codeOf(iss: RawIssue | Issue): FieldCode {
  switch (iss.code) {
    case 'invalid_type':
      return iss.input === undefined || iss.input === null ? 'required' : 'invalid_type';
    case 'too_big':
      return iss.origin === 'string' ? 'too_long' : iss.origin === 'array' || iss.origin === 'set' ? 'too_many' : 'too_large';
    case 'too_small':
      if (iss.origin === 'string') return Number(iss.minimum) <= 1 ? 'required' : 'too_short';
      return iss.origin === 'array' || iss.origin === 'set' ? 'too_few' : 'too_small';
    case 'invalid_format':
      return iss.format === 'email' ? 'email_format' : iss.format === 'date' ? 'date_format' : 'invalid_format';
    case 'invalid_value':
      return 'invalid_choice';
    case 'unrecognized_keys':
      return 'unknown_field';
    case 'invalid_union':
      return 'invalid_choice';
    default:
      return 'invalid';
  }
}

/** Per-parse error map: every issue without a schema-given message gets a reason code. */
const errorMap = (iss: RawIssue): FieldCode => codeOf(iss);

function pathKey(path: readonly PropertyKey[]): string {
  if (path.length === 0) return ROOT_FIELD;
  return path.map((p) => (typeof p === 'symbol' ? String(p.description ?? '') : String(p))).join('.');
}

/**
 * Flattens issues: a union failure is replaced by the issues of its closest branch (fewest
 * issues), so a `{ine}` body missing its INE says `ine: required`, not "no branch matched".
 */
function flatten(issues: readonly Issue[], prefix: readonly PropertyKey[], out: Array<{ path: PropertyKey[]; code: FieldCode }>, isFieldCode: (code: unknown) => code is FieldCode): void {
  for (const iss of issues) {
    const path = [...prefix, ...iss.path];
    if (iss.code === 'invalid_union' && Array.isArray(iss.errors) && iss.errors.length > 0) {
      const branches = iss.errors.filter((b) => b.length > 0);
      if (branches.length > 0) {
        const best = branches.reduce((a, b) => (b.length < a.length ? b : a));
        flatten(best, path, out, isFieldCode);
        continue;
      }
    }
    out.push({ path, code: isFieldCode(iss.message) ? iss.message : codeOf(iss) });
  }
}

/** `validate(schema, input)`, where a schema's own message counts as a reason code when `isFieldCode` knows it. */
export function validator(isFieldCode: (code: unknown) => code is FieldCode) {
  return function validate<S extends z.ZodMiniType>(schema: S, input: unknown): Validation<z.infer<S>> {
    const result = schema.safeParse(input, { error: errorMap });
    if (result.success) return { ok: true, data: result.data as z.infer<S> };
    const flat: Array<{ path: PropertyKey[]; code: FieldCode }> = [];
    flatten(result.error.issues, [], flat, isFieldCode);
    const fields: FieldErrors = Object.create(null) as FieldErrors;
    for (const { path, code } of flat) {
      const key = pathKey(path);
      if (!Object.hasOwn(fields, key)) fields[key] = code;
    }
    // A plain object for callers (JSON, equality), built from own keys only.
    return { ok: false, fields: Object.fromEntries(Object.entries(fields)) };
  };
}
