import type { MiddlewareObj } from '@middy/core';
import type { Context } from 'aws-lambda';
import { logger } from './logger';
import { flushPendingMetrics } from './metrics-flush';

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
      flushPendingMetrics();
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

/** The instant a scheduled job runs for: the schedule's `scheduledFor` when it is a valid date, else now. */
export function scheduledTime(event: { scheduledFor?: string } | undefined): Date {
  const at = event?.scheduledFor ? new Date(event.scheduledFor) : new Date();
  return Number.isNaN(at.getTime()) ? new Date() : at;
}

/**
 * A sweeping job's loop: runs `work` on the dossier ids `source` yields, `parallel` at a time,
 * and stops taking more when the invocation has less than `reserveMs` left (the next run finds
 * what is left: the sweeps read indexes that keep it). A failed `work` is reported to `onFailure`
 * and does not stop the others.
 */
export async function sweepDossiers<T>(
  source: AsyncIterable<string>,
  work: (dossierId: string) => Promise<T>,
  o: { parallel: number; reserveMs: number; context?: Context; onResult: (result: T) => void; onFailure: (error: Error) => void },
): Promise<{ dossiers: number; outOfTime: boolean }> {
  let dossiers = 0;
  let outOfTime = false;
  const batch: string[] = [];
  const flush = async () => {
    for (const r of await Promise.allSettled(batch.splice(0).map(work))) {
      if (r.status === 'rejected') o.onFailure(r.reason as Error);
      else o.onResult(r.value);
    }
  };
  for await (const dossierId of source) {
    dossiers++;
    batch.push(dossierId);
    if (batch.length >= o.parallel) await flush();
    if (o.context?.getRemainingTimeInMillis && o.context.getRemainingTimeInMillis() < o.reserveMs) {
      outOfTime = true;
      break;
    }
  }
  await flush();
  return { dossiers, outOfTime };
}
