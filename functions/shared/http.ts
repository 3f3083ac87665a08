import middy, { type MiddlewareObj } from '@middy/core';
import httpHeaderNormalizer from '@middy/http-header-normalizer';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2, Context } from 'aws-lambda';
import { errorMessage, fieldMessage, type Lang } from '../domain/messages/catalogue';
import { toKnownError } from './domain-errors';
import type { ApiErrorBody } from './contracts';
import { AppError, validationFailed } from './errors';
import type { JsonBody } from './json-body';
import { logContext } from './job';
import { JSON_HEADERS } from './json-headers';
import { pickLang } from './lang';
import { logger } from './logger';
import { metricsFlush } from './metrics-flush';
import type { Operator } from './operator-auth';
import type { StudentClaims } from './tokens';

/**
 * The one handler factory for HTTP routes. Middleware first, handler last:
 * header normalisation → language → error shaping → body size → closed-service gate →
 * authentication → JSON body → zod validation → handler. Handlers only connect a request
 * to the domain; every error becomes API.md's shape here and nowhere else.
 *
 * What a route does not use is not imported here, so that it is not in the route's bundle
 * (issue 16, cold starts): the caller check comes from the route (`auth: studentSession` from
 * ./student-session.ts, `auth: operatorAccess` from ./operator-auth.ts), the closed-service
 * gate with the student's (./service-gate.ts), and the routes that need the client's address
 * import ./client-address.ts themselves.
 */

/**
 * How a route identifies its caller: a student's session (./student-session.ts) or an
 * operator's access token (./operator-auth.ts). Public routes say `auth: 'public'`.
 */
export interface CallerCheck {
  readonly kind: 'student' | 'admin';
  /** Who calls; throws 401 (unidentified) or 403 (not allowed). */
  identify(event: APIGatewayProxyEventV2): Promise<{ student?: StudentClaims; admin?: Operator }>;
  /** Headers added to every successful answer to this caller (a student's renewed session). */
  answerHeaders?(caller: { student?: StudentClaims; admin?: Operator }): Promise<Record<string, string>>;
  /** The closed-service gate this caller's routes pass unless they say `gate: false` (./service-gate.ts). */
  gate?(): MiddlewareObj<Event>;
}

export type AuthKind = 'public' | CallerCheck;

export interface HttpRequest<B> {
  event: APIGatewayProxyEventV2;
  lang: Lang;
  body: B;
  /** Set on student routes. */
  student: StudentClaims;
  /** Set on admin routes: the signed-in operator (functions/shared/operator-auth.ts). */
  admin: Operator;
  pathParameters: Record<string, string>;
  query: Record<string, string>;
  now: Date;
  /** The Lambda context: long-running handlers pace themselves on `getRemainingTimeInMillis()`. */
  context: Context;
}

/** A handler's answer; `R` is its body's type from ./contracts.ts. */
export interface HttpResult<R = unknown> {
  statusCode: number;
  body?: R;
  headers?: Record<string, string>;
  /** A binary answer (a PDF) instead of JSON: sent base64-encoded, as API Gateway expects; set its content-type in `headers`. */
  binary?: Uint8Array;
}

export interface HttpOptions<B> {
  auth: AuthKind;
  /**
   * `false`: the route answers while the service is closed. Otherwise it answers 503
   * SERVICE_CLOSED while closed when its caller check brings the gate (student routes:
   * ./student-session.ts with ./service-gate.ts).
   */
  gate?: false;
  /** The JSON body and its schema (./json-body.ts `jsonBody(Schema)`); when set the body must be JSON. */
  body?: JsonBody<B>;
  /** @default 64 KiB */
  maxBodyBytes?: number;
}

interface Internal {
  lang: Lang;
  student?: StudentClaims;
  admin?: Operator;
}
export type Event = APIGatewayProxyEventV2 & { internal?: Internal };

/** The request's language, once the language middleware has read it (French before). */
export function lang(event: Event): Lang {
  return event.internal?.lang ?? 'fr';
}

export function errorBody(err: AppError, language: Lang): ApiErrorBody {
  const fields = err.fields ? Object.fromEntries(Object.entries(err.fields).map(([path, code]) => [path, fieldMessage(code, language)])) : undefined;
  return {
    error: {
      code: err.code,
      message: errorMessage(err.messageKey, language, err.params),
      ...(fields ? { fields, reasons: err.fields } : {}),
      ...(err.details ?? {}),
    },
  };
}

/**
 * An unexpected error's message is worth logging (it says what broke) but may quote input:
 * e-mail addresses, dates and identifier-like runs are masked first.
 */
export function scrub(message: string): string {
  return message
    .replace(/[^\s@'"<>]+@[^\s@'"<>]+/g, '<email>')
    .replace(/\d{4}-\d{2}-\d{2}|\d{2}\/\d{2}\/\d{4}/g, '<date>')
    .replace(/\b(?=[A-Z0-9]*\d)[A-Z0-9]{6,}\b/gi, '<id>')
    .slice(0, 500);
}

/** Maps anything thrown to a response; unknown errors are logged (without payloads) and become a 500. */
function toAppError(error: unknown): AppError {
  const known = toKnownError(error);
  if (known) return known;
  const e = error as { statusCode?: number; message?: string; expose?: boolean };
  if (e?.statusCode === 415 && e.message === 'Invalid or malformed JSON was provided') return new AppError(400, 'MALFORMED_JSON');
  if (e?.statusCode === 415) return new AppError(415, 'UNSUPPORTED_MEDIA_TYPE');
  // middy stops just before Lambda's own timeout: an overloaded dependency, not bad input.
  // Writes are conditional, so a retry is always safe.
  if ((error as Error)?.name === 'TimeoutError') {
    logger.warn('Handler timed out before answering');
    return new AppError(503, 'TEMPORARILY_UNAVAILABLE', { headers: { 'retry-after': '5' } });
  }
  logger.error('Unhandled error', { errorName: (error as Error)?.name, errorMessage: scrub(String((error as Error)?.message ?? '')) });
  return new AppError(500, 'INTERNAL_ERROR');
}

const errorResponder = (): MiddlewareObj<Event, APIGatewayProxyResultV2> => ({
  onError: async (request) => {
    const err = toAppError(request.error);
    request.response = {
      statusCode: err.statusCode,
      headers: { ...JSON_HEADERS, ...(err.headers ?? {}) },
      body: JSON.stringify(errorBody(err, lang(request.event))),
    };
  },
});

const language = (): MiddlewareObj<Event> => ({
  before: async (request) => {
    request.event.internal = { lang: pickLang(request.event.headers?.['accept-language']) };
  },
});

const bodyLimit = (maxBytes: number): MiddlewareObj<Event> => ({
  before: async (request) => {
    const body = request.event.body;
    if (body === undefined || body === null) return;
    const bytes = request.event.isBase64Encoded ? Math.floor((body.length * 3) / 4) : Buffer.byteLength(body, 'utf8');
    if (bytes > maxBytes) throw new AppError(413, 'PAYLOAD_TOO_LARGE', { params: { maxBytes } });
  },
});

const authenticate = (check: CallerCheck): MiddlewareObj<Event> => ({
  before: async (request) => {
    Object.assign(request.event.internal!, await check.identify(request.event));
  },
});

export function httpHandler<B = undefined, R = unknown>(options: HttpOptions<B>, fn: (req: HttpRequest<B>) => Promise<HttpResult<R>>) {
  const caller = options.auth === 'public' ? undefined : options.auth;
  const gate = options.gate === false ? undefined : caller?.gate;
  const core = async (event: Event, context: Context): Promise<APIGatewayProxyResultV2> => {
    const internal = event.internal!;
    const body = (options.body ? options.body.check(event.body) : undefined) as B;
    const result = await fn({
      event,
      lang: internal.lang,
      body,
      student: internal.student as StudentClaims,
      admin: internal.admin as Operator,
      pathParameters: (event.pathParameters ?? {}) as Record<string, string>,
      query: (event.queryStringParameters ?? {}) as Record<string, string>,
      now: new Date(),
      context,
    });
    const callerHeaders = caller?.answerHeaders ? await caller.answerHeaders(internal) : undefined;
    return {
      statusCode: result.statusCode,
      headers: {
        ...JSON_HEADERS,
        ...(callerHeaders ?? {}),
        ...(result.headers ?? {}),
      },
      ...(result.binary ? { body: Buffer.from(result.binary).toString('base64'), isBase64Encoded: true } : { body: result.body === undefined ? '' : JSON.stringify(result.body) }),
    };
  };

  // Every log line carries the request id and cold start; metrics are flushed after every answer.
  const handler = middy<Event, APIGatewayProxyResultV2>(core)
    .use(logContext())
    .use(metricsFlush())
    .use(httpHeaderNormalizer())
    .use(language())
    .use(errorResponder())
    .use(bodyLimit(options.maxBodyBytes ?? 64 * 1024));
  if (gate) handler.use(gate());
  if (caller) handler.use(authenticate(caller));
  if (options.body) handler.use(options.body.parser());
  return handler;
}

export { validationFailed };
