/**
 * Typed errors: domain and adapter code throws these; the HTTP edge (`http.ts`) is the one
 * place that turns them into API.md's error shape, in the caller's language.
 */
export interface AppErrorOptions {
  /** Placeholders for the localized message. */
  params?: Record<string, string | number>;
  /** Field path → reason code (translated at the edge). */
  fields?: Record<string, string>;
  /** Extra response headers (e.g. Retry-After). */
  headers?: Record<string, string>;
  /** Extra non-personal data returned beside the message (e.g. `missingSteps`). */
  details?: Record<string, unknown>;
  /** Message to show when it differs from the code's default one. @default the code */
  messageKey?: string;
}

export class AppError extends Error {
  readonly params: Record<string, string | number>;
  readonly fields?: Record<string, string>;
  readonly headers?: Record<string, string>;
  readonly details?: Record<string, unknown>;
  readonly messageKey: string;

  constructor(
    readonly statusCode: number,
    /** API error code, e.g. `SERVICE_CLOSED`. */
    readonly code: string,
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

export const validationFailed = (fields: Record<string, string>, code = 'VALIDATION_FAILED', status = 422) =>
  new AppError(status, code, { fields });

export const unauthenticated = () => new AppError(401, 'UNAUTHENTICATED');
export const forbidden = () => new AppError(403, 'FORBIDDEN');
export const notFound = () => new AppError(404, 'NOT_FOUND');

/** A conditional write kept losing races: the caller may retry with fresh data. */
export class ConcurrentUpdateError extends AppError {
  constructor() {
    super(409, 'CONFLICT_RETRY');
  }
}
