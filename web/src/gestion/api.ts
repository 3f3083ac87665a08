/** The admin API with the operator's bearer token; errors in API.md's shape become `ApiError`. */
import type { ApiErrorBody } from '../../../functions/shared/contracts';
import { accessToken, signIn } from './auth';
import { lang, t } from './i18n';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fields: Record<string, string> = {},
  ) {
    super(message);
  }
}

/**
 * `T`: the answer's type from functions/shared/contracts.ts, as the handler declares it; calls
 * that only need success leave it `unknown`.
 */
export async function api<T = unknown>(method: string, path: string, body?: unknown, contentType = 'application/json'): Promise<T> {
  const token = await accessToken();
  if (!token) {
    await signIn(location.pathname + location.search);
    throw new ApiError(401, 'UNAUTHENTICATED', '');
  }
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        'accept-language': lang(),
        ...(body === undefined ? {} : { 'content-type': contentType }),
      },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, 'NETWORK', t('unreachable'));
  }
  const text = await res.text();
  // API.md's error shape, API Gateway's own `{message}` (its authorizer's 401 and 403), or not
  // JSON at all (a gateway's or CloudFront's error page).
  let json: (Partial<ApiErrorBody> & { message?: string }) | undefined;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  if (res.status === 401) {
    await signIn(location.pathname + location.search);
    throw new ApiError(401, 'UNAUTHENTICATED', '');
  }
  if (!res.ok) {
    const message = json?.error?.message ?? json?.message ?? (res.status >= 500 ? t('unreachable') : `HTTP ${res.status}`);
    throw new ApiError(res.status, json?.error?.code ?? `HTTP_${res.status}`, message, json?.error?.fields);
  }
  return json as unknown as T;
}
