/**
 * Every route and job entry points at a handler module that exists and exports `handler`:
 * the stack bundles `<entry>#handler` for each, and Lambda would only find out at run time.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../lib/config';
import { jobs, routes } from '../../functions/routes';

/** `export const handler =`, `export async function handler(`, or `export { x as handler }`. */
const EXPORTS_HANDLER = /export\s+(?:const|let|var)\s+handler\b|export\s+(?:async\s+)?function\s+handler\b|export\s*\{[^}]*\bhandler\b[^}]*\}/;

describe.each([...routes, ...jobs])('entry $id ($entry)', ({ entry }) => {
  const path = join(PROJECT_ROOT, entry);

  it('exists', () => {
    expect(existsSync(path), `${entry} is missing`).toBe(true);
  });

  it('exports handler', () => {
    expect(readFileSync(path, 'utf8')).toMatch(EXPORTS_HANDLER);
  });
});

describe('the handler-export check', () => {
  it('rejects a module without a handler export', () => {
    expect('export const handle = () => 1;\nconst handler = 2;').not.toMatch(EXPORTS_HANDLER);
    expect('export const handler = middy(fn);').toMatch(EXPORTS_HANDLER);
    expect('export { wrapped as handler };').toMatch(EXPORTS_HANDLER);
  });
});
