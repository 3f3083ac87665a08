/** The admin API with the operator's bearer token; errors in API.md's shape become `ApiError`. */
import type { ApiErrorBody } from '../../../functions/shared/contracts';
import { accessToken, signIn } from './auth';
import { lang } from './i18n';

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
  const res = await fetch(path, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      'accept-language': lang(),
      ...(body === undefined ? {} : { 'content-type': contentType }),
    },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  // API.md's error shape, or API Gateway's own `{message}` (its authorizer's 401 and 403).
  const json = text ? (JSON.parse(text) as Partial<ApiErrorBody> & { message?: string }) : undefined;
  if (res.status === 401) {
    await signIn(location.pathname + location.search);
    throw new ApiError(401, 'UNAUTHENTICATED', '');
  }
  if (!res.ok) throw new ApiError(res.status, json?.error?.code ?? 'ERROR', json?.error?.message ?? json?.message ?? String(res.status), json?.error?.fields);
  return json as unknown as T;
}
