/**
 * Issue 16, typed error catalogue: a reason code a schema reports is a `FieldCode` (the message
 * tables' keys, functions/domain/messages/fields.ts), so a typo fails the type-check instead of
 * falling back to a generic reason at validation. `satisfies FieldCode` on each literal is what
 * the type-check sees; this test makes sure no literal goes without it.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const FUNCTIONS = join(import.meta.dirname, '..', '..', 'functions');

/** Reason-code literals in a schema's `error` option or a custom issue's `message`, not checked against FieldCode. */
function uncheckedCodes(text: string): string[] {
  return [...text.matchAll(/\b(?:error|message): '([a-z_]+)'(?! satisfies FieldCode)/g)].map((m) => m[0]);
}

describe('reason codes in schemas', () => {
  it('finds a literal code that the type-check would not see (the check itself)', () => {
    expect(uncheckedCodes("z.maxLength(10, { error: 'too_lng' })")).toEqual(["error: 'too_lng'"]);
    expect(uncheckedCodes("ctx.issues.push({ code: 'custom', message: 'required', input })")).toEqual(["message: 'required'"]);
    expect(uncheckedCodes("z.maxLength(10, { error: 'too_long' satisfies FieldCode })")).toEqual([]);
  });

  it('every code written in the functions is checked against the message tables', () => {
    const found = readdirSync(FUNCTIONS, { recursive: true, encoding: 'utf8' })
      .filter((f) => f.endsWith('.ts') && !f.startsWith('domain/messages/'))
      .flatMap((f) => uncheckedCodes(readFileSync(join(FUNCTIONS, f), 'utf8')).map((code) => `${relative(FUNCTIONS, join(FUNCTIONS, f))}: ${code}`));
    expect(found).toEqual([]);
  });
});
