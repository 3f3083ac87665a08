import type { ErrorCode } from '../domain/messages/errors';
import type { FieldCode } from '../domain/messages/fields';

/**
 * Typed errors: handlers and the HTTP helpers throw these; the HTTP edge (`http.ts`) is the
 * one place that turns them into API.md's error shape, in the caller's language. Codes are
 * the keys of the message tables (domain/messages/errors.ts, domain/messages/fields.ts), so
 * a code without a message fails the type-check. Domain refusals (`DomainError`) and adapter
 * failures (./failures.ts) are mapped to these in ./domain-errors.ts.
 */
export interface AppErrorOptions {
  /** Placeholders for the localized message. */
  params?: Record<string, string | number>;
  /** Field path → reason code (translated at the edge). */
  fields?: Record<string, FieldCode>;
  /** Extra response headers (e.g. Retry-After). */
  headers?: Record<string, string>;
  /** Extra non-personal data returned beside the message (e.g. `missingSteps`). */
  details?: Record<string, unknown>;
  /** Message to show when it differs from the code's default one. @default the code */
  messageKey?: ErrorCode;
}

export class AppError extends Error {
  readonly params: Record<string, string | number>;
  readonly fields?: Record<string, FieldCode>;
  readonly headers?: Record<string, string>;
  readonly details?: Record<string, unknown>;
  readonly messageKey: ErrorCode;

  constructor(
    readonly statusCode: number,
    /** API error code, e.g. `SERVICE_CLOSED`. */
    readonly code: ErrorCode,
    options: AppErrorOptions = {},
  ) {
    super(code);
    this.name = 'AppError';
    this.params = options.params ?? {};
    this.fields = options.fields;
    this.headers = options.headers;
    this.details = options.details;
    this.messageKey = options.messageKey ?? code;
  }
}

export const validationFailed = (fields: Record<string, FieldCode>, code: ErrorCode = 'VALIDATION_FAILED', status = 422) => new AppError(status, code, { fields });

export const unauthenticated = () => new AppError(401, 'UNAUTHENTICATED');
/** 429 `code` from a rate limit's refusal: the wait in minutes for the message, in seconds in Retry-After and the body. */
export const rateLimited = (code: ErrorCode, retryAfterSeconds: number) =>
  new AppError(429, code, {
    params: { minutes: Math.ceil(retryAfterSeconds / 60) },
    headers: { 'retry-after': String(retryAfterSeconds) },
    details: { retryAfterSeconds },
  });
export const forbidden = () => new AppError(403, 'FORBIDDEN');
export const notFound = () => new AppError(404, 'NOT_FOUND');

export { ConcurrentUpdateError } from './failures';
