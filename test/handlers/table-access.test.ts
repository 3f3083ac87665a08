/**
 * Issue 11 point 10: every handler test runs each handler under its route's declared table
 * access (test/support/events.ts, scripts/local/table-access.ts), as its IAM role would on
 * AWS. Proof that the check is live: narrow a route's declaration and its calls are refused.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { routes } from '../../functions/routes';
import { handler as status } from '../../functions/public/status';
import { httpEvent, invoke, routeOf } from '../support/events';

beforeEach(() => {
  vi.useFakeTimers({ now: new Date('2026-07-01T10:00:00Z'), toFake: ['Date'] });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('handlers run under their declared table access', () => {
  it('a route whose declaration lacks the item kind it reads is refused (as IAM would), and answers once it is declared', async () => {
    const route = routes.find((r) => r.id === 'Status')!;
    const declared = route.access.table!;
    expect((await invoke(status, httpEvent({ path: '/api/status' }))).statusCode).toBe(200);
    try {
      route.access.table = { ...declared, items: ['dossier'] };
      const refused = await invoke(status, httpEvent({ path: '/api/status' }));
      expect(refused.statusCode).toBeGreaterThanOrEqual(500);
    } finally {
      route.access.table = declared;
    }
    expect((await invoke(status, httpEvent({ path: '/api/status' }))).statusCode).toBe(200);
  });

  it('every route module’s handler is known as its route, so every handler test is held to it', async () => {
    for (const route of routes) {
      const { handler } = await import(/* @vite-ignore */ `../../${route.entry}`);
      expect(routeOf(handler)?.id, route.entry).toBe(route.id);
    }
  });
});
