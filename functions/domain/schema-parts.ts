/**
 * Building blocks of the request and record schemas (functions/domain/schemas.ts, ./text.ts,
 * ./contacts.ts, ./cvec.ts…). Apart from ./validate.ts, which reports failures with the message
 * tables: a function that only parses records (the mail jobs, the outbox) does not load them.
 *
 * Pure: no I/O, safe to bundle in the student pages.
 *
 * Schemas declared at module level (here and in the modules above) are written
 * `/* @__PURE__ *\/ z.lazy(() => …)`: a function builds only the schemas it uses, when it first
 * uses them, and its bundle leaves out those it never uses. Building every schema of the record
 * and request modules at load cost a measurable share of each function's cold start (issue 16),
 * and esbuild does not apply zod's own no-side-effect marks across modules, so without the
 * annotation an unused schema stays in the bundle and is built at load.
 *
 * A schema built at load (`z.enum(…)`, not lazy) takes the mark on each call in its arguments
 * too (`{ error: /* @__PURE__ *\/ requiredOr('invalid_choice') }`): esbuild keeps a marked call
 * whose arguments may have effects, and a call into another module may, for all it knows. One
 * such enum kept zod in every function that imported its module (test/infra/bundle.test.ts).
 * Likewise a list other code needs at load is written as an array the enum is built from
 * (`CERTIFICATE_KINDS`), not read back from the schema (`.options` would keep the schema).
 */
import * as z from 'zod/mini';
import type { FieldCode } from './messages/fields';

/**
 * A schema-level error for type/choice checks: `required` when the value is missing (undefined
 * or null), `code` otherwise. E.g. `z.string({ error: requiredOr('invalid_type') })`.
 */
export function requiredOr(code: FieldCode): (iss: { input?: unknown }) => FieldCode {
  return (iss) => (iss.input === undefined || iss.input === null ? 'required' : code);
}

/**
 * `fn` applied to the raw input before `schema` parses it (zod's classic `z.preprocess`, which
 * zod/mini spells as this very pipe).
 */
export function preprocess<S extends z.ZodMiniType>(fn: (input: unknown) => unknown, schema: S) {
  return z.pipe(z.transform(fn), schema);
}
