import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { METRIC, METRICS_NAMESPACE, type MetricName } from './metric-names';
import { registerMetricsFlush } from './metrics-flush';

/**
 * The service's business metrics, published as CloudWatch embedded metric format (EMF) lines
 * in the function's log: no API call, no extra latency. The names live in ./metric-names
 * (pure, also read by the dashboard in lib/constructs/monitoring.ts).
 *
 * Dimensions: the service name only. Never a dossier id, identifier, address or anything else
 * about a person: a dimension value is a public label on a chart and an alarm.
 */
export { METRIC, METRICS_NAMESPACE, type MetricName } from './metric-names';

/** One buffer per execution environment; `flushMetrics` empties it at the end of each invocation. */
export const metrics = new Metrics({
  namespace: METRICS_NAMESPACE,
  serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'inscrire',
});

/** Counts `n` occurrences of `name` in the current invocation. */
export function countMetric(name: MetricName, n = 1): void {
  metrics.addMetric(name, MetricUnit.Count, n);
}

/** For the document check job: one supporting document refused by the checks. */
export const countDocumentCheckFailure = (): void => countMetric(METRIC.documentCheckFailures);

/**
 * Writes the invocation's metrics as one EMF line, and nothing when there are none (Powertools
 * would warn on every invocation without a metric).
 */
function flushMetrics(): void {
  if (metrics.hasStoredMetrics()) metrics.publishStoredMetrics();
}

registerMetricsFlush(flushMetrics);
