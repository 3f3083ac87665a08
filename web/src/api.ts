/**
 * The API client: same origin (`/api`), the student's language in `Accept-Language`, the
 * session token in `Authorization`, the renewed token kept from `x-session-token`.
 * An expired session (401 on a student call) and a closed service (503 SERVICE_CLOSED) are
 * handled once, here: the student is taken to the login or closed page, and the caller gets
 * `Redirected` and simply stops.
 */
import type { FieldCode } from '../../functions/domain/messages/fields';
import type { ApiErrorBody, CertificatesView, OwnDossierView, ProgrammeItem, ProgrammesView, StatusView, StudentCertificate, VerificationView } from '../../functions/shared/contracts';
import { apiText, currentLang, t } from './i18n';
import { session } from './session';

/** The API's answers: one contract with the handlers (functions/shared/contracts.ts). */
export type Dossier = OwnDossierView;
export type ServiceStatus = StatusView;
export type Programme = ProgrammeItem;
export type * from '../../functions/shared/contracts';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** Field path → message, in the student's language. */
    readonly fields: Record<string, string> = {},
    /** Field path → reason code (API.md error shape's `reasons`). */
    readonly reasons: Record<string, FieldCode> = {},
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** The app has already taken the student to another page; the caller has nothing more to do. */
export class Redirected extends Error {
  constructor() {
    super('redirected');
    this.name = 'Redirected';
  }
}

export interface GlobalHandlers {
  sessionExpired(message: string): void;
  serviceClosed(message: string): void;
}

let handlers: GlobalHandlers | undefined;

export function onGlobalErrors(h: GlobalHandlers): void {
  handlers = h;
}

export interface CallOptions {
  /** Let the caller handle 401/503 itself (e.g. optional pre-filling on the support page). */
  quiet?: boolean;
}

export async function api<T>(method: 'GET' | 'POST' | 'PUT', path: string, body?: unknown, options: CallOptions = {}): Promise<T> {
  const token = session.token();
  const headers: Record<string, string> = { accept: 'application/json', 'accept-language': currentLang() };
  if (token) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  let res: Response;
  try {
    res = await fetch(`/api${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), cache: 'no-store' });
  } catch {
    throw new ApiError(0, 'NETWORK', t().networkError);
  }
  const renewed = res.headers.get('x-session-token');
  if (renewed) session.setToken(renewed);
  const text = await res.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  if (res.ok) return json as T;

  const error = (json as Partial<ApiErrorBody> | undefined)?.error;
  const fields = Object.fromEntries(Object.entries(error?.fields ?? {}).map(([path, message]) => [path, apiText(message)]));
  const failure = new ApiError(res.status, error?.code ?? `HTTP_${res.status}`, error?.message ? apiText(error.message) : t().networkError, fields, error?.reasons ?? {});
  if (!options.quiet && handlers) {
    // Only an expired or refused session token means "signed out"; a wrong identifier or
    // birth date at login (INVALID_CREDENTIALS) is an answer for the form.
    if (res.status === 401 && token && failure.code === 'UNAUTHENTICATED') {
      session.setToken(null);
      handlers.sessionExpired(t().sessionExpired);
      throw new Redirected();
    }
    if (res.status === 503 && failure.code === 'SERVICE_CLOSED') {
      handlers.serviceClosed(failure.message);
      throw new Redirected();
    }
  }
  throw failure;
}

export const getStatus = () => api<ServiceStatus>('GET', '/status').then((s) => ({ ...s, message: s.message && apiText(s.message) }));

export const getCertificates = () => api<CertificatesView>('GET', '/dossier/certificates');

/** A certificate's PDF (the session token goes in a header, so it is fetched, not linked). */
export async function downloadCertificate(kind: StudentCertificate['kind'], lang: 'fr' | 'en'): Promise<{ blob: Blob; fileName: string }> {
  const token = session.token();
  const res = await fetch(`/api/dossier/certificates/${kind}?lang=${lang}`, {
    headers: { accept: 'application/pdf', 'accept-language': currentLang(), ...(token ? { authorization: `Bearer ${token}` } : {}) },
    cache: 'no-store',
  }).catch(() => {
    throw new ApiError(0, 'NETWORK', t().networkError);
  });
  const renewed = res.headers.get('x-session-token');
  if (renewed) session.setToken(renewed);
  if (!res.ok) {
    const error = ((await res.json().catch(() => undefined)) as { error?: { code?: string; message?: string } } | undefined)?.error;
    throw new ApiError(res.status, error?.code ?? `HTTP_${res.status}`, error?.message ?? t().networkError);
  }
  const fileName = /filename="([^"]+)"/.exec(res.headers.get('content-disposition') ?? '')?.[1] ?? `${kind}.pdf`;
  return { blob: await res.blob(), fileName };
}

export const verifyCertificate = (code: string) => api<VerificationView>('GET', `/verify/${encodeURIComponent(code)}`, undefined, { quiet: true });
export const getDossier = () => api<Dossier>('GET', '/dossier');

const programmeCache = new Map<string, Promise<Programme[]>>();
/** The catalogue in the current language (fetched once per language per page load). */
export function getProgrammes(): Promise<Programme[]> {
  const lang = currentLang();
  let p = programmeCache.get(lang);
  if (!p) {
    p = api<ProgrammesView>('GET', '/programmes').then((r) => r.items);
    p.catch(() => programmeCache.delete(lang));
    programmeCache.set(lang, p);
  }
  return p;
}

let siteConfig: Promise<{ assistanceEmail: string }> | undefined;
/** The stage's site configuration (`/config.json`, written at deployment). */
export function getSiteConfig(): Promise<{ assistanceEmail: string }> {
  siteConfig ??= fetch('/config.json', { cache: 'no-cache' }).then((r) => {
    if (!r.ok) throw new ApiError(r.status, 'CONFIG', t().networkError);
    return r.json() as Promise<{ assistanceEmail: string }>;
  });
  siteConfig.catch(() => (siteConfig = undefined));
  return siteConfig;
}
