/**
 * Sign-in of the console: OpenID Connect authorization code + PKCE with a public client
 * (Cognito's hosted sign-in on AWS, the local provider locally; endpoints from /config.json).
 * Tokens stay in this tab's sessionStorage; the API gets the access token as a bearer.
 */
import { CONSOLE_CALLBACK_PATH, CONSOLE_SIGNED_OUT_PATH } from '../../../config/sign-in';
import type { SiteConfig } from '../../../config/web';

type SignInConfig = NonNullable<SiteConfig['operatorSignIn']>;

const TOKENS = 'inscrire.gestion.tokens';
const PENDING = 'inscrire.gestion.pending';
/** Registered with the user pool's console client (lib/constructs/operator-sign-in.ts). */
export const CALLBACK_PATH = CONSOLE_CALLBACK_PATH;

interface Tokens {
  accessToken: string;
  refreshToken?: string;
  /** Epoch milliseconds. */
  expiresAt: number;
}

export interface Operator {
  username: string;
  roles: string[];
}

let config: SignInConfig | undefined;

export async function loadConfig(): Promise<SignInConfig | undefined> {
  if (config) return config;
  const res = await fetch('/config.json', { cache: 'no-cache' });
  config = ((await res.json()) as SiteConfig).operatorSignIn;
  return config;
}

const b64url = (bytes: Uint8Array) =>
  btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');
const random = (n: number) => b64url(crypto.getRandomValues(new Uint8Array(n)));
const redirectUri = () => `${location.origin}${CALLBACK_PATH}`;

/** Off to the sign-in page; back at CALLBACK_PATH with a code. */
export async function signIn(returnTo: string): Promise<void> {
  const c = await loadConfig();
  if (!c) throw new Error('no sign-in configured');
  const verifier = random(48);
  const challenge = b64url(new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier))));
  const state = random(16);
  sessionStorage.setItem(PENDING, JSON.stringify({ verifier, state, returnTo }));
  const url = new URL(c.authorizationEndpoint);
  url.search = new URLSearchParams({
    client_id: c.clientId,
    response_type: 'code',
    redirect_uri: redirectUri(),
    scope: 'openid',
    state,
    code_challenge: challenge,
    code_challenge_method: 'S256',
  }).toString();
  location.assign(url.href);
}

async function tokenRequest(params: Record<string, string>): Promise<Tokens> {
  const c = (await loadConfig())!;
  const res = await fetch(c.tokenEndpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ client_id: c.clientId, ...params }),
  });
  const body = (await res.json()) as { access_token?: string; refresh_token?: string; expires_in?: number };
  if (!res.ok || !body.access_token) throw new Error('token request refused');
  const tokens = { accessToken: body.access_token, refreshToken: body.refresh_token, expiresAt: Date.now() + (body.expires_in ?? 3600) * 1000 };
  sessionStorage.setItem(TOKENS, JSON.stringify(tokens));
  return tokens;
}

/** The callback: the code redeemed with the verifier. @returns where to go next. */
export async function completeSignIn(): Promise<string> {
  const params = new URLSearchParams(location.search);
  const pending = JSON.parse(sessionStorage.getItem(PENDING) ?? 'null') as { verifier: string; state: string; returnTo: string } | null;
  sessionStorage.removeItem(PENDING);
  const code = params.get('code');
  if (!pending || !code || params.get('state') !== pending.state) throw new Error('sign-in refused');
  await tokenRequest({ grant_type: 'authorization_code', code, redirect_uri: redirectUri(), code_verifier: pending.verifier });
  return pending.returnTo.startsWith('/gestion') ? pending.returnTo : '/gestion/';
}

function stored(): Tokens | undefined {
  const t = JSON.parse(sessionStorage.getItem(TOKENS) ?? 'null') as Tokens | null;
  return t ?? undefined;
}

/** A valid access token (refreshed when it is about to expire), or undefined: sign in again. */
export async function accessToken(): Promise<string | undefined> {
  const t = stored();
  if (!t) return undefined;
  if (t.expiresAt - Date.now() > 60_000) return t.accessToken;
  if (!t.refreshToken) return undefined;
  try {
    return (await tokenRequest({ grant_type: 'refresh_token', refresh_token: t.refreshToken })).accessToken;
  } catch {
    return undefined;
  }
}

export function forget(): void {
  sessionStorage.removeItem(TOKENS);
}

/** Who is signed in, from the access token's claims (display only: the API checks everything). */
export function operator(): Operator | undefined {
  const t = stored();
  if (!t) return undefined;
  try {
    const claims = JSON.parse(atob(t.accessToken.split('.')[1]!.replace(/-/g, '+').replace(/_/g, '/'))) as Record<string, unknown>;
    const groups = claims['cognito:groups'];
    return { username: String(claims.username ?? claims['cognito:username'] ?? claims.sub ?? ''), roles: Array.isArray(groups) ? groups.map(String) : [] };
  } catch {
    return undefined;
  }
}

export const isSupervisor = () => operator()?.roles.includes('supervisor') === true;

export async function signOut(): Promise<void> {
  forget();
  const c = await loadConfig();
  if (c?.logoutEndpoint) {
    const url = new URL(c.logoutEndpoint);
    url.search = new URLSearchParams({ client_id: c.clientId, logout_uri: `${location.origin}${CONSOLE_SIGNED_OUT_PATH}` }).toString();
    location.assign(url.href);
  } else {
    location.assign(CONSOLE_SIGNED_OUT_PATH);
  }
}
