import type { Context } from 'aws-lambda';
import { outboxJobsPendingSince, readOutboxJobs, unindexRelayed } from '../adapters/dynamo/outbox';
import { relayOutboxJobs } from '../adapters/mail-queue';
import { observedJob } from '../shared/job';
import { logger } from '../shared/logger';

/**
 * The outbox sweeper, run every few minutes by EventBridge Scheduler: relays the outbox jobs
 * still waiting well after they were recorded, i.e. those whose stream record the relay's
 * event source mapping gave up (after its retries, or past its maximum record age), which
 * nothing else would ever send. Same way out as the relay (`relayOutboxJobs`).
 *
 * Only jobs older than `MIN_AGE_MS` are taken: the stream relays a job within seconds, so a
 * younger one is still the stream's, and taking it would queue most jobs twice (harmless, the
 * mailer sends a job id once, but wasteful). The work per run is bounded (`MAX_JOBS_PER_RUN`,
 * and it stops `TIME_RESERVE_MS` before the timeout); what is left waits for the next run.
 */
const MIN_AGE_MS = 10 * 60_000;
const MAX_JOBS_PER_RUN = 500;
const TIME_RESERVE_MS = 10_000;

export interface SweepOutcome {
  /** Stale jobs the pending index listed. */
  found: number;
  /** Queued and marked relayed by this run. */
  relayed: number;
  /** Already relayed (by the stream, a moment ago, or by a relay that left its index entry). */
  alreadyRelayed: number;
  /** Still waiting: not read, not taken by the queue, or not marked. */
  left: number;
  /** Stopped before the timeout with jobs possibly left unlisted. */
  outOfTime: boolean;
}

export const handler = observedJob(async (_event: unknown, context: Context): Promise<SweepOutcome> => {
  const now = new Date();
  const outcome: SweepOutcome = { found: 0, relayed: 0, alreadyRelayed: 0, left: 0, outOfTime: false };
  for await (const jobIds of outboxJobsPendingSince(new Date(now.getTime() - MIN_AGE_MS), MAX_JOBS_PER_RUN)) {
    const { waiting, relayed } = await readOutboxJobs(jobIds);
    await unindexRelayed(relayed);
    const { notRelayed } = await relayOutboxJobs(waiting, now);
    outcome.found += jobIds.length;
    outcome.alreadyRelayed += relayed.length;
    outcome.relayed += waiting.length - notRelayed.size;
    if (context.getRemainingTimeInMillis() < TIME_RESERVE_MS) {
      outcome.outOfTime = true;
      break;
    }
  }
  outcome.left = outcome.found - outcome.relayed - outcome.alreadyRelayed;
  logger.info('Outbox swept', { ...outcome });
  // Failing the run raises the function's error alarm; the jobs stay waiting for the next run.
  if (outcome.left > 0) throw new Error(`Outbox sweep left ${outcome.left} stale job(s) waiting`);
  return outcome;
});
