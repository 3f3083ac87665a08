/**
 * Issue 16: the API's answers are typed once (functions/shared/contracts.ts) and read with those
 * types by the student pages, the operator console and the `ops` CLI. The type-check proves a
 * page reads only what its contract type has; this test makes sure each call names such a type
 * instead of restating the answer inline (which the type-check cannot compare with the handler).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');

function sources(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts'))
    .map((f) => join(ROOT, dir, f));
}

/** The calls to the API clients (`api<…>(` in web/src, `request<…>(` in scripts/ops) whose answer type is written inline or `any`. */
function inlineAnswerTypes(text: string): string[] {
  return [...text.matchAll(/\b(?:api|request)<\s*(\{|any\b)[^(]*\(/g)].map((m) => m[0]);
}

describe('answers read with the contract types', () => {
  it('finds an answer type written inline or any (the check itself)', () => {
    expect(inlineAnswerTypes("api<{ items: Item[] }>('GET', '/x')")).toHaveLength(1);
    expect(inlineAnswerTypes("api.request<{ status: string }>('POST', '/x')")).toHaveLength(1);
    expect(inlineAnswerTypes("api<any>('GET', '/x')")).toHaveLength(1);
    expect(inlineAnswerTypes("api<SearchPage>('GET', '/x'); request<ServiceView>('GET', '/y')")).toEqual([]);
  });

  it('no page of the student site or the console, and no ops command, restates an answer', () => {
    const found = [...sources('web/src'), ...sources('scripts')].flatMap((file) => inlineAnswerTypes(readFileSync(file, 'utf8')).map((call) => `${relative(ROOT, file)}: ${call}`));
    expect(found).toEqual([]);
  });

  it('the console’s client has no `any` answer by default', () => {
    const client = readFileSync(join(ROOT, 'web/src/gestion/api.ts'), 'utf8');
    expect(client).toMatch(/export async function api<T = unknown>\(/);
    expect(client).not.toMatch(/\bas any\b|:\s*any\b/);
  });
});
