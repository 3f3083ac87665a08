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
