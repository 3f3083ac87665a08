/** Headers of every JSON answer (functions/shared/http.ts, and the few routes answering without it). */
export const JSON_HEADERS = {
  'content-type': 'application/json; charset=utf-8',
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
} as const;
