import type { MiddlewareObj } from '@middy/core';
import type { Context } from 'aws-lambda';
import { logger } from './logger';
import { flushMetrics } from './metrics';

/**
 * The event-driven jobs' wrapper (the HTTP routes get the same from functions/shared/http.ts):
 * every log line carries the request id and cold start, and the invocation's metrics are
 * flushed whether the job returns or throws.
 */
export function observedJob<E, R>(fn: (event: E, context: Context) => Promise<R>): (event: E, context?: Context) => Promise<R> {
  return async (event, context) => {
    logger.resetKeys();
    if (context) logger.addContext(context);
    try {
      return await fn(event, context as Context);
    } finally {
      flushMetrics();
    }
  };
}

/**
 * Middy: the request id, function name and cold start on every log line of the invocation
 * (Powertools' `addContext`), keys added by the handler cleared at the end. Powertools'
 * `injectLambdaContext` does the same plus log sampling, which resets the log level at every
 * invocation; the service does not sample, and the level stays the one configured.
 */
export const logContext = (): MiddlewareObj<unknown, unknown, Error, Context> => ({
  before: async (request) => {
    logger.resetKeys();
    if (request.context) logger.addContext(request.context);
  },
});
