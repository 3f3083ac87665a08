import type { Context } from 'aws-lambda';
import { instalmentsConfig } from '../../config/instalments';
import { dossiersWithChargesDue } from '../adapters/dynamo/instalments';
import { localDate } from '../domain/dossier';
import { chargeDueParts } from '../payments/instalment-charges';
import { observedJob, scheduledTime, sweepDossiers } from '../shared/job';
import { logger } from '../shared/logger';
import { countMetric, METRIC } from '../shared/metrics';

/**
 * InstalmentsDue — run daily by EventBridge Scheduler (Europe/Paris, functions/routes.ts) with
 * `{scheduledFor}`: charges off-session every part due on that day or before, and the retries of
 * declined parts (functions/payments/instalment-charges.ts). Running it twice, or twice at once,
 * charges nothing twice. Dossiers are taken a few at a time; the run stops short of its timeout
 * and what is left is found again by the next run (the index keeps it).
 */
const PARALLEL = 4;
const TIME_RESERVE_MS = 15_000;

export interface InstalmentsDueOutcome {
  day: string;
  dossiers: number;
  started: number;
  declined: number;
  skipped: number;
  failed: number;
  outOfTime: boolean;
}

export const handler = observedJob(async (event: { scheduledFor?: string } | undefined, context: Context): Promise<InstalmentsDueOutcome> => {
  const now = scheduledTime(event);
  const outcome: InstalmentsDueOutcome = { day: localDate(now, instalmentsConfig), dossiers: 0, started: 0, declined: 0, skipped: 0, failed: 0, outOfTime: false };
  const swept = await sweepDossiers(dossiersWithChargesDue(outcome.day), (id) => chargeDueParts(id, now), {
    parallel: PARALLEL,
    reserveMs: TIME_RESERVE_MS,
    context,
    onResult: (steps) => {
      for (const s of steps) outcome[s]++;
    },
    onFailure: (error) => {
      outcome.failed++;
      logger.error('Instalment charge failed; the next run retries it', { error: error.message });
    },
  });
  Object.assign(outcome, swept);
  if (outcome.started + outcome.declined > 0) countMetric(METRIC.instalmentCharges, outcome.started + outcome.declined);
  logger.info('Instalments due charged', { ...outcome });
  return outcome;
});
