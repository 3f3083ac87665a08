import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { applyStatsChanges, statsChangeOf, type StatsChange } from '../adapters/dynamo/stats';
import { observedJob } from '../shared/job';
import { logger } from '../shared/logger';

/**
 * The dashboard's counters from the table's stream (only the items a write stamped with its
 * change reach this job: the event source mapping's filter). A batch's changes are added up and
 * applied in one transaction with a marker per change, so a retried, bisected or replayed record
 * is never counted twice (functions/adapters/dynamo/stats.ts). A failed batch throws: the
 * mapping retries it whole, and the markers skip what an earlier attempt applied.
 */
export const handler = observedJob(async (event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> => {
  const changes = event.Records.flatMap((r): StatsChange[] => {
    const change = r.eventName === 'REMOVE' ? undefined : statsChangeOf(r.dynamodb?.NewImage);
    return change ? [change] : [];
  });
  const applied = changes.length ? await applyStatsChanges(changes, new Date()) : 0;
  logger.info('Stats applied', { records: event.Records.length, changes: changes.length, applied });
  return { batchItemFailures: [] };
});
