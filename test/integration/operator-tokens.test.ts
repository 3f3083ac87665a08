/**
 * The local gateway checks operator tokens as API Gateway's JWT authorizer does, and the
 * handlers check the role: tokens from the local provider (POST /dev/operator-token, a real
 * sign-in), hand-signed tokens with the provider's own key that differ in one claim, and
 * tokens of another provider.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeJwt, importJWK, SignJWT, type JWK } from 'jose';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { demoOperatorToken, startOidcProvider, type LocalOidc } from '../../scripts/local/oidc';
import { startLocal, type LocalRuntime } from '../../scripts/local/runtime';

let rt: LocalRuntime;
let own: LocalOidc;
let other: LocalOidc;
let dir: string;
let key: JWK;
const ADMIN = 'operator-tokens-admin-token-0123456789';

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'inscrire-oidc-'));
  const keyFile = join(dir, 'key.json');
  // A provider whose signing key the test knows, to forge tokens differing in one claim only.
  [own, other] = await Promise.all([startOidcProvider({ keyFile }), startOidcProvider()]);
  key = JSON.parse(readFileSync(keyFile, 'utf8')) as JWK;
  rt = await startLocal({ port: 0, adminToken: ADMIN, oidc: own });
});
afterAll(async () => {
  await rt?.stop();
  await Promise.all([own?.stop(), other?.stop()]);
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const call = (path: string, token: string | undefined, init: { method?: string; body?: unknown; lang?: string } = {}) =>
  fetch(`${rt.url}${path}`, {
    method: init.method ?? 'GET',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}), ...(init.lang ? { 'accept-language': init.lang } : {}) },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });

async function devToken(username: string) {
  const res = await fetch(`${rt.url}/dev/operator-token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username }) });
  expect(res.status).toBe(200);
  return ((await res.json()) as { token: string }).token;
}

/** A token signed with the provider's key: the claims of a real `responsable` token, with `changes`. */
async function forged(changes: Record<string, unknown>) {
  const now = Math.floor(Date.now() / 1000);
  const claims = {
    iss: own.issuer,
    sub: 'responsable',
    username: 'responsable',
    'cognito:groups': ['supervisor'],
    token_use: 'access',
    client_id: own.consoleClientId,
    aud: own.consoleClientId,
    scope: 'openid',
    iat: now,
    exp: now + 600,
    ...changes,
  };
  for (const [k, v] of Object.entries(claims)) if (v === undefined) delete (claims as Record<string, unknown>)[k];
  return new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: key.kid!, typ: 'at+jwt' }).sign(await importJWK(key, 'RS256'));
}

describe('POST /dev/operator-token', () => {
  it('hands a real access token of the local provider, with the claims Cognito’s carry', async () => {
    const token = await devToken('agent');
    expect(decodeJwt(token)).toMatchObject({
      iss: own.issuer,
      client_id: own.consoleClientId,
      token_use: 'access',
      scope: 'openid',
      username: 'agent',
      'cognito:groups': ['operator'],
      exp: expect.any(Number),
    });
  });

  it('refuses an unknown account, naming the field', async () => {
    const res = await fetch(`${rt.url}/dev/operator-token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'mallory' }) });
    expect(res.status).toBe(422);
    expect(((await res.json()) as { error: { fields: Record<string, string> } }).error.fields).toHaveProperty('username');
  });
});

describe('the JWT authorizer of admin routes', () => {
  it('lets a well-formed token of the provider through (the forging below is sound)', async () => {
    expect((await call('/api/admin/service', await forged({}))).status).toBe(200);
    expect((await call('/api/admin/service', await forged({ aud: undefined }))).status).toBe(200); // no aud: client_id is checked
  });

  it.each([
    ['expired', { exp: Math.floor(Date.now() / 1000) - 5 }],
    ['not yet valid (nbf)', { nbf: Math.floor(Date.now() / 1000) + 600 }],
    ['issued in the future (iat)', { iat: Math.floor(Date.now() / 1000) + 600 }],
    ['without an expiry', { exp: undefined }],
    ['for another audience', { aud: 'someone-else' }],
    ['of another client, without aud', { aud: undefined, client_id: 'someone-else' }],
    ['claiming another issuer', { iss: 'the other provider' }],
  ])('refuses a token %s: 401 as API Gateway answers', async (_name, changes) => {
    const res = await call('/api/admin/service', await forged('iss' in changes ? { iss: other.issuer } : changes));
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ message: 'Unauthorized' });
  });

  it('refuses a real token from another provider (same client ids, another issuer and key), a tampered one: 401; a student’s session token: 403 (API.md)', async () => {
    expect((await call('/api/admin/service', await devToken('responsable'))).status).toBe(200);
    const foreign = (await demoOperatorToken(other, 'responsable'))!;
    expect((await call('/api/admin/service', foreign)).status).toBe(401);
    const real = await devToken('responsable');
    const [h, , sig] = real.split('.');
    const tampered = `${h}.${Buffer.from(JSON.stringify({ ...decodeJwt(real), 'cognito:groups': ['supervisor', 'x'] })).toString('base64url')}.${sig}`;
    expect((await call('/api/admin/service', tampered)).status).toBe(401);

    const demo = rt.demoStudents[0]!;
    const session = await call('/api/session', undefined, { method: 'POST', body: { identifier: demo.login, birthDate: demo.birthDate } });
    const student = ((await session.json()) as { token: string }).token;
    expect(student).toBeTruthy();
    const refused = await call('/api/admin/dossiers?status=draft', student);
    expect(refused.status).toBe(403);
    expect(await refused.json()).toMatchObject({ error: { code: 'FORBIDDEN', message: expect.stringContaining('accès') } });
    const inEnglish = await call('/api/admin/stats', student, { lang: 'en' });
    expect(inEnglish.status).toBe(403);
    expect(await inEnglish.json()).toMatchObject({ error: { code: 'FORBIDDEN', message: 'You do not have access to this resource.' } });
    // The same claims with another issuer are not a student's token: the authorizer's 401.
    const [sh, , ssig] = student.split('.');
    const notStudent = `${sh}.${Buffer.from(JSON.stringify({ ...decodeJwt(student), iss: 'someone-else' })).toString('base64url')}.${ssig}`;
    expect((await call('/api/admin/stats', notStudent)).status).toBe(401);
  });
});

describe('roles, checked by the handlers', () => {
  it('agent (operator) reads and acts on dossiers but may not switch the service nor import admissions: 403 FORBIDDEN_ROLE', async () => {
    const agent = await devToken('agent');
    expect((await call('/api/admin/dossiers?status=draft', agent)).status).toBe(200);
    const put = await call('/api/admin/service', agent, { method: 'PUT', body: { mode: 'closed', reason: 'Essai' } });
    expect(put.status).toBe(403);
    expect(((await put.json()) as { error: { code: string } }).error.code).toBe('FORBIDDEN_ROLE');
    const imp = await call('/api/admin/admissions', agent, { method: 'POST', body: { admissions: [] }, lang: 'en' });
    expect(imp.status).toBe(403);
    expect(((await imp.json()) as { error: { code: string; message: string } }).error).toMatchObject({ code: 'FORBIDDEN_ROLE', message: expect.stringContaining('supervisor') });
  });

  it('responsable (supervisor) switches the service, audited under their username', async () => {
    const boss = await devToken('responsable');
    expect((await call('/api/admin/service', boss, { method: 'PUT', body: { mode: 'closed', reason: 'Contrôle' } })).status).toBe(200);
    const back = await call('/api/admin/service', boss, { method: 'PUT', body: { mode: 'open', reason: 'Fin du contrôle' } });
    expect(back.status).toBe(200);
    const state = (await (await call('/api/admin/service', boss)).json()) as { override: { by: string }; audit: { actor: string }[] };
    expect(state.override.by).toBe('responsable');
    expect(state.audit[0]!.actor).toBe('responsable');
  });

  it('a signed-in account in no group: 403 FORBIDDEN', async () => {
    const res = await call('/api/admin/dossiers?status=draft', await devToken('stagiaire'));
    expect(res.status).toBe(403);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('FORBIDDEN');
  });

  it('the local admin token still works, as a supervisor', async () => {
    expect((await call('/api/admin/service', ADMIN, { method: 'PUT', body: { mode: 'open', reason: 'Script local' } })).status).toBe(200);
  });

  it('the tests’ global setup runs a provider too', () => {
    expect(inject('oidc').issuer).toMatch(/^http:\/\/localhost:\d+$/);
    expect(inject('oidc').issuer).not.toBe(own.issuer);
  });
});
