/**
 * Student session tokens (functions/shared/tokens.ts), signed and checked with node:crypto: the
 * format is checked against jose, a certified JOSE implementation, in both directions, and
 * every way a token can be wrong is refused.
 */
import { createHmac } from 'node:crypto';
import { SignJWT, decodeProtectedHeader, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SESSION_ABSOLUTE_SECONDS, SESSION_TTL_SECONDS, issueToken, verifyToken } from '../../functions/shared/tokens';
import { STUDENT_TOKEN_AUDIENCE, STUDENT_TOKEN_ISSUER } from '../../functions/shared/student-token-claims';
import { ENV } from '../../functions/shared/env';

const SECRET = 'a-session-signing-key-of-at-least-32-characters';
const KEY = new TextEncoder().encode(SECRET);
const NOW = new Date('2026-07-08T09:00:00Z');
const nowSeconds = NOW.getTime() / 1000;
const claims = { dossierId: 'D-0123456789', academicYear: '2026-2027', generation: 3 };

let saved: string | undefined;
beforeAll(() => {
  saved = process.env[ENV.sessionSecret];
  process.env[ENV.sessionSecret] = SECRET;
});
afterAll(() => {
  if (saved === undefined) delete process.env[ENV.sessionSecret];
  else process.env[ENV.sessionSecret] = saved;
});

/** A token signed by jose with the service's key and claims, `change` applied. */
async function joseToken(change: { header?: Record<string, unknown>; payload?: Record<string, unknown>; key?: Uint8Array } = {}): Promise<string> {
  return new SignJWT({
    ay: claims.academicYear,
    gen: claims.generation,
    auth_time: nowSeconds,
    sub: claims.dossierId,
    iss: STUDENT_TOKEN_ISSUER,
    aud: STUDENT_TOKEN_AUDIENCE,
    iat: nowSeconds,
    exp: nowSeconds + 600,
    ...change.payload,
  })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT', ...change.header })
    .sign(change.key ?? KEY);
}

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const hmac = (input: string, key: Uint8Array = KEY) => createHmac('sha256', key).update(input).digest('base64url');

describe('session tokens', () => {
  it('are standard HS256 JWTs: jose verifies them with the key, issuer and audience', async () => {
    const { token, expiresAt } = await issueToken({ ...claims, authTime: nowSeconds - 60 }, NOW);
    expect(decodeProtectedHeader(token)).toEqual({ alg: 'HS256', typ: 'JWT' });
    const { payload } = await jwtVerify(token, KEY, { issuer: STUDENT_TOKEN_ISSUER, audience: STUDENT_TOKEN_AUDIENCE, algorithms: ['HS256'], currentDate: NOW });
    expect(payload).toMatchObject({ sub: claims.dossierId, ay: claims.academicYear, gen: 3, auth_time: nowSeconds - 60, iat: nowSeconds, exp: nowSeconds + SESSION_TTL_SECONDS });
    expect(expiresAt).toBe(new Date((nowSeconds + SESSION_TTL_SECONDS) * 1000).toISOString());
    await expect(jwtVerify(token, new TextEncoder().encode(`${SECRET}!`), { algorithms: ['HS256'] })).rejects.toThrow();
  });

  it('accept a token jose signed with the same key and claims, and read its claims back', async () => {
    await expect(verifyToken(await joseToken(), NOW)).resolves.toEqual({ ...claims, authTime: nowSeconds });
    const { token } = await issueToken(claims, NOW);
    await expect(verifyToken(token, NOW)).resolves.toEqual({ ...claims, authTime: nowSeconds });
  });

  it('never outlive the absolute limit after login, however recently renewed', async () => {
    const loggedIn = nowSeconds - SESSION_ABSOLUTE_SECONDS + 60;
    const { token } = await issueToken({ ...claims, authTime: loggedIn }, NOW);
    await expect(verifyToken(token, new Date((nowSeconds + 59) * 1000))).resolves.toMatchObject({ authTime: loggedIn });
    await expect(verifyToken(token, new Date((nowSeconds + 60) * 1000))).resolves.toBeUndefined();
    // Even with a later expiry (signed by someone holding the key), the login instant rules.
    await expect(verifyToken(await joseToken({ payload: { auth_time: loggedIn, exp: nowSeconds + 3600 } }), new Date((nowSeconds + 61) * 1000))).resolves.toBeUndefined();
  });

  it('expire at `exp`, to the second', async () => {
    const { token } = await issueToken(claims, NOW);
    await expect(verifyToken(token, new Date((nowSeconds + SESSION_TTL_SECONDS - 1) * 1000))).resolves.toBeDefined();
    await expect(verifyToken(token, new Date((nowSeconds + SESSION_TTL_SECONDS) * 1000))).resolves.toBeUndefined();
  });

  it('refuse a wrong key, a changed payload or signature, another header, and anything not a JWS', async () => {
    const good = await joseToken();
    const [header, payload, signature] = good.split('.') as [string, string, string];
    const otherPayload = b64({ ...JSON.parse(Buffer.from(payload, 'base64url').toString()), sub: 'D-someone-else' });
    const refused: Record<string, string> = {
      'other key': await joseToken({ key: new TextEncoder().encode(`${SECRET}-other`) }),
      'payload changed, signature kept': `${header}.${otherPayload}.${signature}`,
      'signature cut': `${header}.${payload}.${signature.slice(0, -1)}`,
      'signature of another token': `${header}.${payload}.${hmac(`${header}.${otherPayload}`, new TextEncoder().encode('x'))}`,
      'no signature': `${header}.${payload}.`,
      'alg none': `${b64({ alg: 'none', typ: 'JWT' })}.${payload}.`,
      'HS512 (another algorithm, same key)': await new SignJWT({
        sub: claims.dossierId,
        ay: claims.academicYear,
        iss: STUDENT_TOKEN_ISSUER,
        aud: STUDENT_TOKEN_AUDIENCE,
        exp: nowSeconds + 600,
        iat: nowSeconds,
      })
        .setProtectedHeader({ alg: 'HS512', typ: 'JWT' })
        .sign(KEY),
      'header with a key id': await joseToken({ header: { kid: 'k1' } }),
      'two parts': `${header}.${payload}`,
      'four parts': `${good}.x`,
      empty: '',
      'not base64 JSON (signed)': `${header}.${'bm90IGpzb24'}.${hmac(`${header}.bm90IGpzb24`)}`,
      'a JSON array (signed)': `${header}.${b64([1])}.${hmac(`${header}.${b64([1])}`)}`,
    };
    for (const [why, token] of Object.entries(refused)) {
      await expect(verifyToken(token, NOW), why).resolves.toBeUndefined();
    }
  });

  it('refuse foreign or incomplete claims, even correctly signed', async () => {
    const refused: Record<string, Record<string, unknown>> = {
      'other issuer': { iss: 'someone-else' },
      'other audience': { aud: 'inscrire:operator' },
      'no expiry': { exp: undefined },
      'expiry not a number': { exp: String(nowSeconds + 600) },
      expired: { exp: nowSeconds },
      'not yet valid': { nbf: nowSeconds + 10 },
      'no subject': { sub: undefined },
      'no academic year': { ay: undefined },
      'no login instant': { auth_time: undefined, iat: undefined },
    };
    for (const [why, payload] of Object.entries(refused)) {
      await expect(verifyToken(await joseToken({ payload }), NOW), why).resolves.toBeUndefined();
    }
    // An audience list naming the service is the standard's other form: accepted.
    await expect(verifyToken(await joseToken({ payload: { aud: ['other', STUDENT_TOKEN_AUDIENCE] } }), NOW)).resolves.toBeDefined();
  });
});
