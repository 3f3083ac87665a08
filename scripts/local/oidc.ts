/**
 * The local stand-in for the operators' Cognito user pool: a real OpenID Connect provider
 * (`oidc-provider`) on loopback, issuing access tokens as JWTs with the claims Cognito's carry
 * (iss, client_id, token_use, scope, cognito:groups, username, exp), signed with an RSA key
 * published at its JWKS endpoint. Same clients as on AWS (lib/constructs/operator-sign-in.ts):
 * the console's public client (authorization code + PKCE, also the ops CLI's, loopback
 * redirect) and a machine client (client credentials, roles as resource-server scopes).
 *
 * One difference with Cognito: oidc-provider puts an `aud` claim in JWT access tokens; it is
 * the client's id, which is what API Gateway's JWT authorizer checks (`aud`, else `client_id`).
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { dirname } from 'node:path';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, type JWK } from 'jose';
import Provider, { type KoaContextWithOIDC } from 'oidc-provider';
import { ACCESS_TOKEN_MINUTES, CLI_CALLBACK_PATH, CONSOLE_CALLBACK_PATH, REFRESH_TOKEN_HOURS, ROLES, roleScope, type Role } from '../../config/sign-in';
import { authorizationUrl, discover, exchangeCode, pkcePair } from '../ops/oauth';

export interface DemoOperator {
  username: string;
  password: string;
  groups: Role[];
  who: string;
}

/** Demo accounts, printed by `npm start`. `stagiaire` is signed in but in no group: the API refuses it. */
export const DEMO_OPERATORS: DemoOperator[] = [
  { username: 'agent', password: 'agent-demo', groups: ['operator'], who: 'agent de scolarité (operator)' },
  { username: 'responsable', password: 'responsable-demo', groups: ['supervisor'], who: 'responsable de scolarité (supervisor)' },
  { username: 'stagiaire', password: 'stagiaire-demo', groups: [], who: 'compte sans groupe : l’API le refuse (403)' },
];

export const LOCAL_CONSOLE_CLIENT_ID = 'inscrire-console';
export const LOCAL_MACHINE_CLIENT_ID = 'inscrire-automation';
/** The resource indicator of the admin API (Cognito has none; the JWT's `aud` is the client's id). */
const RESOURCE = 'urn:inscrire:admin-api';

export interface LocalOidc {
  issuer: string;
  /** Audiences API Gateway's JWT authorizer accepts: the client ids. */
  audience: string[];
  consoleClientId: string;
  machineClient: { id: string; secret: string };
  accounts: DemoOperator[];
  stop(): Promise<void>;
}

export interface OidcOptions {
  /** @default 0 (any free port) */
  port?: number;
  /** The machine client's secret. @default generated */
  machineSecret?: string;
  /** Where the signing key is kept, so tokens survive a restart. @default in memory */
  keyFile?: string;
}

async function signingKey(keyFile: string | undefined): Promise<JWK> {
  if (keyFile && existsSync(keyFile)) return JSON.parse(readFileSync(keyFile, 'utf8')) as JWK;
  const { privateKey } = await generateKeyPair('RS256', { modulusLength: 2048, extractable: true });
  const jwk = await exportJWK(privateKey);
  const key = { ...jwk, alg: 'RS256', use: 'sig', kid: await calculateJwkThumbprint(jwk) };
  if (keyFile) {
    mkdirSync(dirname(keyFile), { recursive: true });
    writeFileSync(keyFile, JSON.stringify(key), { mode: 0o600 });
  }
  return key;
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function loginPage(uid: string, error?: string): string {
  const accounts = DEMO_OPERATORS.map((a) => `<li><code>${a.username}</code> / <code>${a.password}</code> — ${escapeHtml(a.who)}</li>`).join('');
  return `<!doctype html><html lang="fr"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Connexion — Inscrire (fournisseur d’identité local)</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:28rem;margin:2rem auto;padding:0 1rem;color:#1a1a1a}label{display:block;margin-top:1rem}input{font:inherit;width:100%;padding:.4rem}button{font:inherit;margin-top:1rem;padding:.5rem 1rem}.error{color:#a00000}</style></head>
<body><main><h1>Connexion des opérateurs</h1><p>Fournisseur OpenID Connect local (remplace Cognito).</p>
${error ? `<p class="error" role="alert">${escapeHtml(error)}</p>` : ''}
<form method="post" action="/interaction/${escapeHtml(uid)}/login">
<label for="username">Identifiant</label><input id="username" name="username" autocomplete="username" required>
<label for="password">Mot de passe</label><input id="password" name="password" type="password" autocomplete="current-password" required>
<button type="submit">Se connecter</button></form>
<h2>Comptes de démonstration</h2><ul>${accounts}</ul></main></body></html>`;
}

async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of req) {
    size += (c as Buffer).length;
    if (size > 16 * 1024) break;
    chunks.push(c as Buffer);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

export async function startOidcProvider(options: OidcOptions = {}): Promise<LocalOidc> {
  const server: Server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as { port: number }).port;
  const issuer = `http://localhost:${port}`;
  const machineSecret = options.machineSecret ?? randomBytes(24).toString('base64url');
  const accountOf = (id: string | undefined) => DEMO_OPERATORS.find((a) => a.username === id);

  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: LOCAL_CONSOLE_CLIENT_ID,
        // A public client: no secret, PKCE required. `native` lets loopback redirects use any
        // port (RFC 8252), so the console and the CLI's redirects work whatever port they use.
        application_type: 'native',
        token_endpoint_auth_method: 'none',
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
        redirect_uris: [`http://localhost${CONSOLE_CALLBACK_PATH}`, `http://localhost${CLI_CALLBACK_PATH}`, `http://127.0.0.1${CLI_CALLBACK_PATH}`],
      },
      {
        client_id: LOCAL_MACHINE_CLIENT_ID,
        client_secret: machineSecret,
        grant_types: ['client_credentials'],
        response_types: [],
        redirect_uris: [],
        scope: ROLES.map(roleScope).join(' '),
      },
    ],
    jwks: { keys: [await signingKey(options.keyFile)] },
    cookies: { keys: [randomBytes(32).toString('base64url')] },
    scopes: ['openid', 'offline_access', ...ROLES.map(roleScope)],
    pkce: { required: () => true },
    // The console (a page of the local runtime, on a loopback origin whatever its port) redeems
    // its code from the browser, as it does at Cognito's token endpoint.
    clientBasedCORS: (_ctx, origin, client) => client.clientId === LOCAL_CONSOLE_CLIENT_ID && /^http:\/\/(localhost|127\.0\.0\.1)(:\d+)?$/.test(origin),
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      revocation: { enabled: true },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => RESOURCE,
        useGrantedResource: () => true,
        getResourceServerInfo: (_ctx, _indicator, client) => ({
          scope: ROLES.map(roleScope).join(' '),
          audience: client.clientId,
          accessTokenTTL: ACCESS_TOKEN_MINUTES * 60,
          accessTokenFormat: 'jwt',
          jwt: { sign: { alg: 'RS256' } },
        }),
      },
    },
    findAccount: (_ctx, id) => {
      const account = accountOf(id);
      return account ? { accountId: account.username, claims: () => ({ sub: account.username }) } : undefined;
    },
    // What Cognito adds to its access tokens.
    extraTokenClaims: (_ctx, token) => {
      const account = 'accountId' in token ? accountOf(token.accountId as string | undefined) : undefined;
      if (!account) return { token_use: 'access' };
      return { token_use: 'access', username: account.username, ...(account.groups.length ? { 'cognito:groups': account.groups } : {}) };
    },
    formats: {
      customizers: {
        // Cognito's access tokens of people carry the OpenID scopes they were granted.
        jwt: (_ctx, token, jwt) => {
          if ('accountId' in token && token.accountId && !jwt.payload.scope) jwt.payload.scope = 'openid';
        },
      },
    },
    // Cognito gives every authorization-code sign-in a refresh token.
    issueRefreshToken: (_ctx, client) => client.grantTypeAllowed('refresh_token'),
    // First-party clients: no consent screen (as Cognito's hosted sign-in).
    loadExistingGrant: async (ctx: KoaContextWithOIDC) => {
      const grantId = ctx.oidc.result?.consent?.grantId ?? ctx.oidc.session!.grantIdFor(ctx.oidc.client!.clientId);
      if (grantId) return ctx.oidc.provider.Grant.find(grantId);
      const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client!.clientId, accountId: ctx.oidc.session!.accountId });
      grant.addOIDCScope('openid offline_access');
      await grant.save();
      return grant;
    },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    ttl: {
      AccessToken: ACCESS_TOKEN_MINUTES * 60,
      ClientCredentials: ACCESS_TOKEN_MINUTES * 60,
      AuthorizationCode: 300,
      RefreshToken: REFRESH_TOKEN_HOURS * 3600,
      Session: REFRESH_TOKEN_HOURS * 3600,
      Interaction: 600,
      Grant: REFRESH_TOKEN_HOURS * 3600,
      IdToken: ACCESS_TOKEN_MINUTES * 60,
    },
  });
  const oidcCallback = provider.callback();

  const interaction = async (req: IncomingMessage, res: ServerResponse, uid: string, login: boolean) => {
    const details = await provider.interactionDetails(req, res);
    if (details.uid !== uid) throw new Error('interaction mismatch');
    if (details.prompt.name === 'consent') {
      // oidc-provider asks native clients for consent every time; Cognito's hosted sign-in
      // never asks: the clients are the university's own.
      const grant = details.grantId ? (await provider.Grant.find(details.grantId))! : new provider.Grant({ accountId: details.session!.accountId, clientId: details.params.client_id as string });
      grant.addOIDCScope('openid offline_access');
      await provider.interactionFinished(req, res, { consent: { grantId: await grant.save() } }, { mergeWithLastSubmission: true });
      return;
    }
    const page = (status: number, error?: string) => {
      res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
      res.end(loginPage(uid, error));
    };
    if (!login) return page(200);
    const form = await readForm(req);
    const account = accountOf(form.get('username') ?? '');
    if (!account || account.password !== form.get('password')) return page(401, 'Identifiant ou mot de passe incorrect.');
    await provider.interactionFinished(req, res, { login: { accountId: account.username } }, { mergeWithLastSubmission: false });
  };

  server.on('request', (req, res) => {
    const url = new URL(req.url ?? '/', issuer);
    const m = /^\/interaction\/([\w-]+)(\/login)?$/.exec(url.pathname);
    if (m && (req.method === 'GET' || (req.method === 'POST' && m[2]))) {
      interaction(req, res, m[1]!, req.method === 'POST').catch(() => {
        if (!res.headersSent) res.writeHead(400, { 'content-type': 'text/plain; charset=utf-8' });
        res.end('Session de connexion expirée : recommencez.');
      });
      return;
    }
    oidcCallback(req, res);
  });

  return {
    issuer,
    audience: [LOCAL_CONSOLE_CLIENT_ID, LOCAL_MACHINE_CLIENT_ID],
    consoleClientId: LOCAL_CONSOLE_CLIENT_ID,
    machineClient: { id: LOCAL_MACHINE_CLIENT_ID, secret: machineSecret },
    accounts: DEMO_OPERATORS,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/**
 * What a person does in the browser at the hosted sign-in page, done over HTTP: follows
 * `authorizeUrl` through the provider's login form with `username`/`password` until the
 * provider redirects away from itself; returns that redirect (the client's callback with
 * `code` and `state`), without following it.
 */
export async function completeSignIn(authorizeUrl: string, username: string, password: string): Promise<URL> {
  const origin = new URL(authorizeUrl).origin;
  const jar = new Map<string, string>();
  const cookieHeader = () => [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
  const keep = (res: Response) => {
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const eq = pair!.indexOf('=');
      jar.set(pair!.slice(0, eq).trim(), pair!.slice(eq + 1).trim());
    }
  };
  let url = new URL(authorizeUrl);
  let init: RequestInit = { method: 'GET' };
  for (let hop = 0; hop < 10; hop++) {
    const res = await fetch(url, { ...init, redirect: 'manual', headers: { ...(init.headers as Record<string, string>), cookie: cookieHeader() } });
    keep(res);
    const location = res.headers.get('location');
    if (res.status >= 300 && res.status < 400 && location) {
      const next = new URL(location, url);
      if (next.origin !== origin) return next;
      url = next;
      init = { method: 'GET' };
      continue;
    }
    const m = /^\/interaction\/([\w-]+)$/.exec(url.pathname);
    if (res.status === 200 && m) {
      await res.text();
      url = new URL(`/interaction/${m[1]}/login`, origin);
      init = { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ username, password }).toString() };
      continue;
    }
    throw new Error(`Sign-in failed at ${url.pathname}: ${res.status} ${(await res.text()).slice(0, 200)}`);
  }
  throw new Error('Sign-in: too many redirects');
}

/**
 * An access token for a demo account, obtained from the provider as the console obtains one:
 * authorization code + PKCE, through the login form. (`POST /dev/operator-token`, tests.)
 */
export async function demoOperatorToken(oidc: Pick<LocalOidc, 'issuer' | 'consoleClientId' | 'accounts'>, username: string): Promise<string | undefined> {
  const account = oidc.accounts.find((a) => a.username === username);
  if (!account) return undefined;
  const endpoints = await discover(oidc.issuer);
  const { verifier, challenge } = pkcePair();
  const redirectUri = `http://localhost${CONSOLE_CALLBACK_PATH}`;
  const state = randomBytes(16).toString('base64url');
  const authorize = authorizationUrl(endpoints, { clientId: oidc.consoleClientId, redirectUri, state, challenge });
  const back = await completeSignIn(authorize, account.username, account.password);
  const code = back.searchParams.get('code');
  if (!code || back.searchParams.get('state') !== state) throw new Error(`Sign-in refused: ${back.searchParams.get('error') ?? 'no code'}`);
  return (await exchangeCode(endpoints.token_endpoint, { code, redirectUri, clientId: oidc.consoleClientId, verifier })).accessToken;
}
