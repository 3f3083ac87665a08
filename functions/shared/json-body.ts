import type { MiddlewareObj } from '@middy/core';
import httpJsonBodyParser from '@middy/http-json-body-parser';
import type * as z from 'zod/mini';
import { validate } from '../domain/validate';
import { validationFailed } from './errors';
import type { Event } from './http';

/**
 * A route's JSON body: the middleware that parses it and the check against its zod schema,
 * given to the handler factory as `httpHandler({ body: jsonBody(Schema) })`. They come with the
 * routes that take a body, so a route without one carries neither the parser nor the
 * validation (issue 16: the handler factory imports nothing a route does not use).
 */
export interface JsonBody<T> {
  /** The middleware turning a JSON body into a value (415 without a JSON content type, 400 when malformed). */
  readonly parser: () => MiddlewareObj<Event>;
  /** The parsed body, or a 422 naming each refused field. */
  readonly check: (parsed: unknown) => T;
}

export function jsonBody<S extends z.ZodMiniType>(schema: S): JsonBody<z.infer<S>> {
  return {
    parser: () => httpJsonBodyParser<Event>(),
    check: (parsed) => {
      const result = validate(schema, parsed);
      if (!result.ok) throw validationFailed(result.fields);
      return result.data as z.infer<S>;
    },
  };
}
