/**
 * OAuth 2.0 / OpenID Connect for the ops CLI, against the operators' user pool (Cognito on AWS,
 * the local provider of scripts/local/oidc.ts): discovery, authorization code + PKCE with a
 * loopback redirect (RFC 8252), refresh, client credentials, and the token cache.
 */
import { createHash, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { CLI_CALLBACK_PATH } from '../../config/sign-in';

export interface Endpoints {
  issuer: string;
  authorization_endpoint: string;
  token_endpoint: string;
  jwks_uri: string;
}

export interface TokenSet {
  accessToken: string;
  refreshToken?: string;
  /** Epoch seconds. */
  expiresAt: number;
}

/** A PKCE verifier and its S256 challenge (RFC 7636). */
export function pkcePair(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

/** The issuer's endpoints, from its discovery document (Cognito publishes one per user pool). */
export async function discover(issuer: string): Promise<Endpoints> {
  const res = await fetch(`${issuer.replace(/\/$/, '')}/.well-known/openid-configuration`);
  if (!res.ok) throw new Error(`OpenID discovery failed at ${issuer} (${res.status})`);
  return (await res.json()) as Endpoints;
}

/** The authorization request of the code flow with PKCE (S256), scope `openid`. */
export function authorizationUrl(endpoints: Endpoints, o: { clientId: string; redirectUri: string; state: string; challenge: string }): string {
  const url = new URL(endpoints.authorization_endpoint);
  url.search = new URLSearchParams({
    client_id: o.clientId,
    response_type: 'code',
    redirect_uri: o.redirectUri,
    scope: 'openid',
    state: o.state,
    code_challenge: o.challenge,
    code_challenge_method: 'S256',
  }).toString();
  return url.href;
}

/** The authorization code exchanged for tokens (the public client proves the flow with its PKCE verifier). */
export function exchangeCode(tokenEndpoint: string, o: { code: string; redirectUri: string; clientId: string; verifier: string }): Promise<TokenSet> {
  return tokenRequest(tokenEndpoint, { grant_type: 'authorization_code', code: o.code, redirect_uri: o.redirectUri, client_id: o.clientId, code_verifier: o.verifier });
}

async function tokenRequest(tokenEndpoint: string, params: Record<string, string>, basic?: { id: string; secret: string }): Promise<TokenSet> {
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' };
  if (basic) headers.authorization = `Basic ${Buffer.from(`${encodeURIComponent(basic.id)}:${encodeURIComponent(basic.secret)}`).toString('base64')}`;
  const res = await fetch(tokenEndpoint, { method: 'POST', headers, body: new URLSearchParams(params).toString() });
  const body = (await res.json().catch(() => ({}))) as { access_token?: string; refresh_token?: string; expires_in?: number; error?: string; error_description?: string };
  if (!res.ok || !body.access_token) throw new Error(body.error_description ?? body.error ?? `token endpoint answered ${res.status}`);
  return { accessToken: body.access_token, refreshToken: body.refresh_token, expiresAt: Math.floor(Date.now() / 1000) + (body.expires_in ?? 3600) };
}

export interface LoginOptions {
  issuer: string;
  clientId: string;
  /** Loopback port of the redirect (config/sign-in.ts CLI_LOOPBACK_PORT; 0: any free port, for local providers only). */
  port: number;
  /** Called with the sign-in URL to open in a browser. */
  open(url: string): void;
  /** @default 300_000 */
  timeoutMs?: number;
}

/**
 * Authorization code + PKCE: listens on the loopback redirect, has the person sign in at the
 * hosted page, checks `state`, exchanges the code. Resolves with the tokens.
 */
export async function login(o: LoginOptions): Promise<TokenSet> {
  const endpoints = await discover(o.issuer);
  const { verifier, challenge } = pkcePair();
  const state = randomBytes(16).toString('base64url');
  let settle!: { resolve(v: { code: string }): void; reject(e: Error): void };
  const callback = new Promise<{ code: string }>((resolve, reject) => (settle = { resolve, reject }));
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname !== CLI_CALLBACK_PATH) {
      res.writeHead(404).end();
      return;
    }
    const ok = url.searchParams.get('state') === state && url.searchParams.get('code');
    res.writeHead(ok ? 200 : 400, { 'content-type': 'text/html; charset=utf-8' });
    res.end(
      `<!doctype html><html lang="fr"><meta charset="utf-8"><title>Inscrire — ops</title><p>${ok ? 'Connexion réussie : vous pouvez fermer cette fenêtre et revenir au terminal.' : 'Connexion refusée ou expirée : recommencez dans le terminal.'}</p></html>`,
    );
    if (ok) settle.resolve({ code: url.searchParams.get('code')! });
    else settle.reject(new Error(url.searchParams.get('error_description') ?? url.searchParams.get('error') ?? 'state mismatch'));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port, 'localhost', () => resolve());
  });
  const redirectUri = `http://localhost:${(server.address() as { port: number }).port}${CLI_CALLBACK_PATH}`;
  const timer = setTimeout(() => settle.reject(new Error('délai dépassé')), o.timeoutMs ?? 300_000);
  try {
    o.open(authorizationUrl(endpoints, { clientId: o.clientId, redirectUri, state, challenge }));
    const { code } = await callback;
    return await exchangeCode(endpoints.token_endpoint, { code, redirectUri, clientId: o.clientId, verifier });
  } finally {
    clearTimeout(timer);
    server.closeAllConnections();
    server.close();
  }
}

export async function refresh(issuer: string, clientId: string, refreshToken: string): Promise<TokenSet> {
  const { token_endpoint } = await discover(issuer);
  const t = await tokenRequest(token_endpoint, { grant_type: 'refresh_token', refresh_token: refreshToken, client_id: clientId });
  // Cognito does not rotate refresh tokens: keep the one we have when none comes back.
  return { ...t, refreshToken: t.refreshToken ?? refreshToken };
}

/** A machine client's token (client credentials, secret sent with HTTP Basic as Cognito expects). */
export async function clientCredentials(issuer: string, client: { id: string; secret: string }, scope: string): Promise<TokenSet> {
  const { token_endpoint } = await discover(issuer);
  return tokenRequest(token_endpoint, { grant_type: 'client_credentials', scope }, client);
}

/** `$XDG_CONFIG_HOME/inscrire/tokens.json` (else ~/.config, %APPDATA% on Windows); only its owner may read it. */
export function tokenCacheFile(env: NodeJS.ProcessEnv): string {
  const base = env.XDG_CONFIG_HOME || (process.platform === 'win32' && env.APPDATA ? env.APPDATA : join(homedir(), '.config'));
  return join(base, 'inscrire', 'tokens.json');
}

type Cache = Record<string, TokenSet>;
const cacheKey = (issuer: string, clientId: string) => `${issuer.replace(/\/$/, '')} ${clientId}`;

function readCache(file: string): Cache {
  if (!existsSync(file)) return {};
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as Cache;
  } catch {
    return {};
  }
}

export function cachedTokens(env: NodeJS.ProcessEnv, issuer: string, clientId: string): TokenSet | undefined {
  return readCache(tokenCacheFile(env))[cacheKey(issuer, clientId)];
}

export function storeTokens(env: NodeJS.ProcessEnv, issuer: string, clientId: string, tokens: TokenSet | undefined): string {
  const file = tokenCacheFile(env);
  const cache = readCache(file);
  if (tokens) cache[cacheKey(issuer, clientId)] = tokens;
  else delete cache[cacheKey(issuer, clientId)];
  mkdirSync(join(file, '..'), { recursive: true, mode: 0o700 });
  writeFileSync(file, JSON.stringify(cache, null, 2), { mode: 0o600 });
  // writeFileSync keeps the mode of a file that already existed.
  chmodSync(file, 0o600);
  return file;
}
