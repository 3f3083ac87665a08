/**
 * The `ops` CLI's connection to the admin API: a bearer access token from the operators' user
 * pool (Cognito on AWS, the local OpenID Connect provider locally) — the cached `login`, refreshed
 * when it nears expiry, or a machine client's (client credentials, from the environment) — or
 * the local runtime's admin token. Errors carry the exit code the CLI ends with.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ROLES, roleScope } from '../../config/sign-in';
import type { ApiErrorBody } from '../../functions/shared/contracts';
import { cachedTokens, clientCredentials, refresh, storeTokens } from './oauth';

export const EXIT = { ok: 0, refused: 1, usage: 2, unreachable: 3 } as const;

/** A failure the CLI reports in one sentence and ends with `exitCode`. */
export class OpsError extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
    /** The API's error body, when there is one (`--json` prints it). */
    readonly body?: unknown,
  ) {
    super(message);
  }
}

const repoRoot = resolve(import.meta.dirname, '../..');

export interface ConnectionOptions {
  url?: string;
  token?: string;
  /** The user pool's issuer and the CLI's (public) client id; defaults: env, else the local runtime's. */
  issuer?: string;
  clientId?: string;
  env: NodeJS.ProcessEnv;
}

export interface SignInSettings {
  issuer: string;
  clientId: string;
}

type Credential = { kind: 'admin-token' | 'login' | 'machine'; token: string };

export interface ApiResponse<T = unknown> {
  status: number;
  /** Typed by the caller from functions/shared/contracts.ts. */
  body: T;
}

type ErrorAnswer = Partial<ApiErrorBody> & { message?: string };

export const isLocal = (u: URL) => ['localhost', '127.0.0.1', '[::1]'].includes(u.hostname);

function localToken(): string | undefined {
  const file = join(repoRoot, '.local', 'local-secrets.json');
  if (!existsSync(file)) return undefined;
  return (JSON.parse(readFileSync(file, 'utf8')) as { adminToken?: string }).adminToken;
}

/** Renew a cached access token this long before it expires. */
const REFRESH_MARGIN_SECONDS = 60;

export class AdminApi {
  private credential?: Promise<Credential>;

  private constructor(
    readonly base: URL,
    private readonly o: ConnectionOptions,
  ) {}

  /** From `--url` (or INSCRIRE_URL, else the local runtime), `--token`, `--issuer`, `--client-id`. */
  static connect(o: ConnectionOptions): AdminApi {
    let base: URL;
    try {
      base = new URL(o.url ?? o.env.INSCRIRE_URL ?? 'http://localhost:3000');
    } catch {
      throw new OpsError(`Adresse invalide : ${o.url ?? o.env.INSCRIRE_URL} (exemple : --url http://localhost:3000).`, EXIT.usage);
    }
    return new AdminApi(base, o);
  }

  /**
   * Where operators sign in: `--issuer`/`--client-id` (or INSCRIRE_OIDC_ISSUER and
   * INSCRIRE_OIDC_CLIENT_ID, the stack's outputs), else what the local runtime announces.
   */
  async signInSettings(): Promise<SignInSettings | undefined> {
    const issuer = this.o.issuer ?? this.o.env.INSCRIRE_OIDC_ISSUER;
    const clientId = this.o.clientId ?? this.o.env.INSCRIRE_OIDC_CLIENT_ID;
    if (issuer && clientId) return { issuer, clientId };
    if (!isLocal(this.base)) return undefined;
    try {
      const res = await fetch(new URL('/dev/sign-in', this.base));
      return res.ok ? ((await res.json()) as SignInSettings) : undefined;
    } catch {
      return undefined;
    }
  }

  private async resolveCredential(): Promise<Credential> {
    const { env } = this.o;
    const explicit = this.o.token ?? env.INSCRIRE_ADMIN_TOKEN;
    if (explicit) return { kind: 'admin-token', token: explicit };
    const settings = await this.signInSettings();
    if (env.INSCRIRE_CLIENT_ID && env.INSCRIRE_CLIENT_SECRET) {
      if (!settings) throw new OpsError('Client machine : indiquez aussi INSCRIRE_OIDC_ISSUER (l’émetteur du groupe d’utilisateurs).', EXIT.usage);
      const scope = env.INSCRIRE_CLIENT_SCOPE ?? ROLES.map(roleScope).join(' ');
      try {
        const t = await clientCredentials(settings.issuer, { id: env.INSCRIRE_CLIENT_ID, secret: env.INSCRIRE_CLIENT_SECRET }, scope);
        return { kind: 'machine', token: t.accessToken };
      } catch (err) {
        throw new OpsError(`Client machine refusé par ${settings.issuer} : ${(err as Error).message}.`, EXIT.unreachable);
      }
    }
    if (settings) {
      const cached = cachedTokens(env, settings.issuer, settings.clientId);
      if (cached && cached.expiresAt - REFRESH_MARGIN_SECONDS > Date.now() / 1000) return { kind: 'login', token: cached.accessToken };
      if (cached?.refreshToken) {
        try {
          const renewed = await refresh(settings.issuer, settings.clientId, cached.refreshToken);
          storeTokens(env, settings.issuer, settings.clientId, renewed);
          return { kind: 'login', token: renewed.accessToken };
        } catch {
          // The session ended (refresh token expired or revoked): sign in again, below.
        }
      }
    }
    const local = isLocal(this.base) ? localToken() : undefined;
    if (local) return { kind: 'admin-token', token: local };
    throw new OpsError('Non connecté(e) : npm run ops -- login (ou INSCRIRE_CLIENT_ID et INSCRIRE_CLIENT_SECRET pour un client machine).', EXIT.unreachable);
  }

  /** `path` with its query; `body` is sent as is with `contentType`. */
  async request<T = unknown>(method: string, path: string, body?: { contentType: string; data: string }): Promise<ApiResponse<T>> {
    // Keep a base path (a custom domain's mapping) in front of the API's paths.
    const url = new URL(`${this.base.pathname.replace(/\/$/, '')}${path}`, this.base);
    this.credential ??= this.resolveCredential();
    const credential = await this.credential;
    const headers: Record<string, string> = { accept: 'application/json', 'accept-language': 'fr', authorization: `Bearer ${credential.token}` };
    if (body) headers['content-type'] = body.contentType;
    let res: Response;
    try {
      res = await fetch(url, { method, headers, body: body?.data });
    } catch (err) {
      const hint = isLocal(this.base) ? ' Le service local est-il démarré (npm start) ?' : '';
      throw new OpsError(`Impossible de joindre ${this.base.origin} : ${(err as Error & { cause?: Error }).cause?.message ?? (err as Error).message}.${hint}`, EXIT.unreachable);
    }
    const text = await res.text();
    let parsed: unknown;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = { raw: text };
    }
    if (res.status === 401 || res.status === 403) {
      const hint =
        res.status === 403
          ? 'votre compte n’a pas le rôle requis'
          : credential.kind === 'login'
            ? 'session expirée ou révoquée : npm run ops -- login'
            : credential.kind === 'machine'
              ? 'vérifiez le client machine (INSCRIRE_CLIENT_ID)'
              : 'vérifiez le jeton (--token ou INSCRIRE_ADMIN_TOKEN), ou connectez-vous : npm run ops -- login';
      const answer = parsed as ErrorAnswer | undefined;
      throw new OpsError(`Accès refusé (${res.status}) : ${answer?.error?.message ?? answer?.message ?? 'non autorisé'} — ${hint}.`, EXIT.unreachable, parsed);
    }
    if (res.status >= 400) throw new OpsError(describeError(res.status, parsed), EXIT.refused, parsed);
    return { status: res.status, body: parsed as T };
  }
}

/** The API's error as a sentence, with the fields it names. */
export function describeError(status: number, body: unknown): string {
  const answer = body as ErrorAnswer | undefined;
  const e = answer?.error;
  if (!e) return `Erreur ${status}${answer?.message ? ` : ${answer.message}` : ''}.`;
  const fields = e.fields
    ? Object.entries(e.fields)
        .map(([f, m]) => `\n  - ${f} : ${m}`)
        .join('')
    : '';
  return `${e.message} [${e.code}]${fields}`;
}
