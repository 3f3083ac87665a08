/**
 * The `ops` CLI's connection to the admin API: SigV4-signed requests (IAM, the default AWS
 * credential chain) for an API Gateway endpoint, the local runtime's bearer admin token
 * otherwise. Errors carry the exit code the CLI ends with.
 */
import { createHash, createHmac, type Hash, type Hmac } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fromNodeProviderChain } from '@aws-sdk/credential-providers';
import { SignatureV4 } from '@smithy/signature-v4';
import type { ApiErrorBody } from '../../functions/shared/contracts';

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

/** SHA-256 and HMAC-SHA-256 from node:crypto, in the shape the SigV4 signer expects. */
class Sha256 {
  private readonly hash: Hash | Hmac;
  constructor(secret?: string | ArrayBuffer | ArrayBufferView) {
    this.hash = secret === undefined ? createHash('sha256') : createHmac('sha256', toBuffer(secret));
  }
  update(data: string | ArrayBuffer | ArrayBufferView): void {
    this.hash.update(toBuffer(data));
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.hash.digest());
  }
}

function toBuffer(data: string | ArrayBuffer | ArrayBufferView): Buffer {
  if (typeof data === 'string') return Buffer.from(data, 'utf8');
  if (ArrayBuffer.isView(data)) return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  return Buffer.from(data);
}

export interface ConnectionOptions {
  url?: string;
  token?: string;
  sigv4?: boolean;
  region?: string;
  env: NodeJS.ProcessEnv;
}

type Auth = { kind: 'bearer'; token: string } | { kind: 'sigv4'; signer: SignatureV4 };

export interface ApiResponse<T = unknown> {
  status: number;
  /** Typed by the caller from functions/shared/contracts.ts. */
  body: T;
}

type ErrorAnswer = Partial<ApiErrorBody> & { message?: string };

const isLocal = (u: URL) => ['localhost', '127.0.0.1', '[::1]'].includes(u.hostname);
const EXECUTE_API = /\.execute-api\.([a-z0-9-]+)\.amazonaws\.com$/;

function localToken(): string | undefined {
  const file = join(repoRoot, '.local', 'local-secrets.json');
  if (!existsSync(file)) return undefined;
  return (JSON.parse(readFileSync(file, 'utf8')) as { adminToken?: string }).adminToken;
}

export class AdminApi {
  private constructor(
    readonly base: URL,
    private readonly auth: Auth,
  ) {}

  /** From `--url` (or INSCRIRE_URL, else the local runtime), `--token`/`--sigv4`/`--region`. */
  static connect(o: ConnectionOptions): AdminApi {
    let base: URL;
    try {
      base = new URL(o.url ?? o.env.INSCRIRE_URL ?? 'http://localhost:3000');
    } catch {
      throw new OpsError(`Adresse invalide : ${o.url ?? o.env.INSCRIRE_URL} (exemple : --url http://localhost:3000).`, EXIT.usage);
    }
    if (o.sigv4 || base.hostname.endsWith('.amazonaws.com')) {
      const region = o.region ?? EXECUTE_API.exec(base.hostname)?.[1] ?? o.env.AWS_REGION ?? o.env.AWS_DEFAULT_REGION;
      if (!region) throw new OpsError('Région AWS inconnue : indiquez --region (ou AWS_REGION).', EXIT.usage);
      const signer = new SignatureV4({ service: 'execute-api', region, credentials: fromNodeProviderChain(), sha256: Sha256 });
      return new AdminApi(base, { kind: 'sigv4', signer });
    }
    const token = o.token ?? o.env.INSCRIRE_ADMIN_TOKEN ?? (isLocal(base) ? localToken() : undefined);
    if (!token) {
      throw new OpsError('Aucun jeton administrateur : passez --token, ou définissez INSCRIRE_ADMIN_TOKEN (le jeton est affiché au démarrage de npm start).', EXIT.unreachable);
    }
    return new AdminApi(base, { kind: 'bearer', token });
  }

  /** `path` with its query; `body` is sent as is with `contentType`. */
  async request<T = unknown>(method: string, path: string, body?: { contentType: string; data: string }): Promise<ApiResponse<T>> {
    // Keep a base path (a custom domain's mapping, a REST stage) in front of the API's paths.
    const url = new URL(`${this.base.pathname.replace(/\/$/, '')}${path}`, this.base);
    const headers: Record<string, string> = { accept: 'application/json', 'accept-language': 'fr', host: url.host };
    if (body) headers['content-type'] = body.contentType;
    let signed = headers;
    if (this.auth.kind === 'bearer') signed = { ...headers, authorization: `Bearer ${this.auth.token}` };
    else {
      try {
        const query: Record<string, string> = {};
        url.searchParams.forEach((v, k) => (query[k] = v));
        const request = await this.auth.signer.sign({
          method,
          protocol: url.protocol,
          hostname: url.hostname,
          ...(url.port ? { port: Number(url.port) } : {}),
          path: url.pathname,
          query,
          headers,
          body: body?.data,
        });
        signed = request.headers;
      } catch (err) {
        throw new OpsError(`Identifiants AWS introuvables ou invalides (chaîne par défaut : variables, profil, SSO…) : ${(err as Error).message}`, EXIT.unreachable);
      }
    }
    const { host: _host, ...sent } = signed;
    let res: Response;
    try {
      res = await fetch(url, { method, headers: sent, body: body?.data });
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
      const hint = this.auth.kind === 'bearer' ? 'vérifiez le jeton administrateur (--token ou INSCRIRE_ADMIN_TOKEN)' : 'vérifiez vos identifiants AWS et la politique IAM (execute-api:Invoke)';
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
