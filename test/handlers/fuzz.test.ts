import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { routes, type RouteDef } from '../../functions/routes';
import { httpEvent, invoke } from '../support/events';
import { loggedInStudent } from '../support/students';

/**
 * Property-based fuzzing of every route that takes a body: random JSON, malformed text, wrong
 * types for the real field names, huge and exotic strings, prototype-pollution keys. The only
 * acceptable answers are 2xx–4xx: never a 5xx, and no prototype is ever polluted.
 */
const IN_WINDOW = new Date('2026-07-01T10:00:00Z');
const FIELD_NAMES = [
  'identifier',
  'birthDate',
  'email',
  'phone',
  'address',
  'termAddress',
  'line1',
  'postalCode',
  'city',
  'country',
  'ine',
  'noIne',
  'noFrenchBac',
  'neverEnrolledInFrenchUniversity',
  'regime',
  'scholarship',
  'certificateNumber',
  'programmeCode',
  'mode',
  'reason',
  'reference',
  'kind',
  'lastName',
  'firstName',
  'programme',
  'message',
  'admissions',
  '__proto__',
  'constructor',
  'prototype',
];

const hostileString = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc.string({ unit: 'grapheme', maxLength: 50 }),
  fc.constantFrom('<script>alert(1)</script>', "O'Brien", 'Ünïcödé Éléonore', '\u0000\u202e', '1234567890V', 'AMU6123456', '2008-02-30', ''),
  fc.integer({ min: 1_000, max: 20_000 }).map((n) => 'é'.repeat(n)),
);
const hostileValue: fc.Arbitrary<unknown> = fc.oneof(hostileString, fc.jsonValue({ maxDepth: 3 }), fc.constant(null), fc.integer(), fc.double(), fc.boolean());
const fieldObject = fc.dictionary(fc.constantFrom(...FIELD_NAMES), hostileValue, { maxKeys: 8 });
const pollution = fc.constantFrom(
  '{"__proto__":{"polluted":true}}',
  '{"constructor":{"prototype":{"polluted":true}}}',
  '{"address":{"__proto__":{"polluted":true},"line1":"x","postalCode":"13003","city":"M","country":"FR"}}',
);
const rawBody = fc.oneof(
  fieldObject.map((o) => JSON.stringify(o)),
  fc.jsonValue().map((v) => JSON.stringify(v)),
  fc.string({ maxLength: 300 }),
  pollution,
);

const bodyRoutes = routes.filter((r) => r.method === 'POST' || r.method === 'PUT');

beforeAll(() => {
  vi.useFakeTimers({ now: IN_WINDOW, toFake: ['Date'] });
});
afterAll(() => {
  vi.useRealTimers();
});

async function load(route: RouteDef) {
  return ((await import(pathToFileURL(resolve(route.entry)).href)) as { handler: Parameters<typeof invoke>[0] }).handler;
}

describe('fuzzing every JSON route', () => {
  it('covers the body-taking routes of the route list', () => {
    expect(bodyRoutes.length).toBeGreaterThanOrEqual(6);
  });

  it.each(bodyRoutes.map((r) => [`${r.method} ${r.path}`, r] as const))('%s never answers 5xx', async (_name, route) => {
    const handler = await load(route);
    const { token } = await loggedInStudent();
    const statuses = new Set<number>();
    await fc.assert(
      fc.asyncProperty(rawBody, fc.constantFrom('application/json', 'application/json; charset=utf-8', 'text/plain'), async (body, contentType) => {
        const res = await invoke(
          handler,
          httpEvent({
            method: route.method,
            path: route.path,
            rawBody: body,
            headers: { 'content-type': contentType },
            token: route.auth === 'student' ? token : undefined,
            adminPrincipal: route.auth === 'admin' ? 'arn:aws:iam::123456789012:user/fuzzer' : undefined,
            lang: 'en',
          }),
        );
        statuses.add(res.statusCode);
        expect(res.statusCode, `body ${body.slice(0, 200)}`).toBeLessThan(500);
        expect(({} as Record<string, unknown>).polluted).toBeUndefined();
        if (res.statusCode >= 400) expect(res.body.error?.code ?? res.body.message).toBeTruthy();
      }),
      { numRuns: 40 },
    );
    // A fuzzer whose inputs were all refused the same way for the same reason tests little: it
    // must at least reach validation (4xx naming fields) — or the route's own answers.
    expect([...statuses].some((s) => s !== 401 && s !== 403)).toBe(true);
  });
});
