import { resolve } from 'node:path';
import type { Plugin } from 'vite';
import { routes } from '../../functions/routes';

/** The property a route module's `handler` carries in tests: the route's `entry` (functions/routes.ts). */
const KEY = 'inscrire.test.route-entry';
export const ROUTE_ENTRY = Symbol.for(KEY);

/**
 * Tags the `handler` of every route module with its entry as vitest loads the module, so
 * test/support/events.ts `invoke` knows which route it calls (and holds its table calls to
 * that route's access) without importing every route module in every test file.
 */
export function routeEntryTag(root: string): Plugin {
  const entries = new Map(routes.map((r) => [resolve(root, r.entry), r.entry]));
  return {
    name: 'inscrire-route-entry-tag',
    enforce: 'pre',
    transform(code, id) {
      const entry = entries.get(id.split('?')[0] ?? id);
      if (!entry) return null;
      return { code: `${code}\nObject.defineProperty(handler, Symbol.for(${JSON.stringify(KEY)}), { value: ${JSON.stringify(entry)} });\n`, map: null };
    },
  };
}
