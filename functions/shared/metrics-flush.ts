import type { MiddlewareObj } from '@middy/core';

/**
 * How the HTTP and job wrappers (./http.ts, ./job.ts) flush an invocation's metrics without
 * importing Powertools Metrics themselves: ./metrics.ts registers its flush when a function
 * imports it to count something, so a function that counts nothing never loads Metrics
 * (issue 16, cold starts).
 */
let flush: (() => void) | undefined;

/** Called once by ./metrics.ts when it loads. */
export function registerMetricsFlush(f: () => void): void {
  flush = f;
}

/** Writes the invocation's metrics, if the function counts any. */
export function flushPendingMetrics(): void {
  flush?.();
}

/** Middy: flushes after the handler, whether it answered or threw. */
export const metricsFlush = (): MiddlewareObj => ({
  after: async () => flushPendingMetrics(),
  onError: async () => flushPendingMetrics(),
});
