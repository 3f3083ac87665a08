import type { Context } from 'aws-lambda';
import { dossiersWithRefundRetriesDue } from '../adapters/dynamo/refund-retries';
import { retryUnsentRefunds } from '../payments/refunds';
import { observedJob, scheduledTime, sweepDossiers } from '../shared/job';
import { logger } from '../shared/logger';
import { countMetric, METRIC } from '../shared/metrics';

/**
 * RefundRetry — run every few minutes by EventBridge Scheduler (Europe/Paris; functions/routes.ts,
 * numbers in config/refunds.ts) with `{scheduledFor}`: sends again the refunds Stripe never
 * accepted (the request that recorded them met a network error or a 5xx), under each refund's own
 * idempotency key, and hands those whose retries are spent to the operators
 * (functions/payments/refunds.ts `retryUnsentRefunds`). The dossiers come from a sparse index
 * (functions/adapters/dynamo/refund-retries.ts), never a scan. Running it twice, or several runs at
 * once, refunds nothing twice: each retry is claimed in the dossier's transaction before it is sent.
 */
const PARALLEL = 4;
const TIME_RESERVE_MS = 15_000;

export interface RefundRetryRunOutcome {
  dossiers: number;
  sent: number;
  unsent: number;
  escalated: number;
  failed: number;
  outOfTime: boolean;
}

export const handler = observedJob(async (event: { scheduledFor?: string } | undefined, context: Context): Promise<RefundRetryRunOutcome> => {
  const now = scheduledTime(event);
  const outcome: RefundRetryRunOutcome = { dossiers: 0, sent: 0, unsent: 0, escalated: 0, failed: 0, outOfTime: false };
  const swept = await sweepDossiers(dossiersWithRefundRetriesDue(now), (id) => retryUnsentRefunds(id, now), {
    parallel: PARALLEL,
    reserveMs: TIME_RESERVE_MS,
    context,
    onResult: (r) => {
      outcome.sent += r.sent;
      outcome.unsent += r.unsent;
      outcome.escalated += r.escalated;
    },
    onFailure: (error) => {
      outcome.failed++;
      logger.error('Refund retry failed; the next run tries again', { error: error.message });
    },
  });
  Object.assign(outcome, swept);
  if (outcome.escalated > 0) countMetric(METRIC.paymentAnomalies, outcome.escalated);
  logger.info('Refund retries', { ...outcome });
  return outcome;
});
