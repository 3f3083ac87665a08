import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { certificateEventFromImage } from '../adapters/dynamo/certificates';
import { handleCertificateEvent } from '../certificates/issue';
import { observedJob } from '../shared/job';
import { logger } from '../shared/logger';

/**
 * The certificate job: the table's stream (new certificate events only, selected by the event
 * source mapping's filter) → issue or revoke (functions/certificates/issue.ts). Records are
 * handled in order; the first that fails (or that this code cannot read) is reported with
 * everything after it, so the event source mapping retries from there (each step is
 * idempotent: a replay changes nothing twice).
 * A record finally given up is described in the failure queue, which raises an alarm.
 */
export const handler = observedJob(async (event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> => {
  for (const record of event.Records) {
    if (record.eventName !== 'INSERT') continue;
    let eventId: string | undefined;
    try {
      const certificateEvent = certificateEventFromImage(record.dynamodb?.NewImage);
      if (!certificateEvent) continue;
      eventId = certificateEvent.eventId;
      await handleCertificateEvent(certificateEvent, new Date());
    } catch (err) {
      logger.error('Certificate event failed: retried from this record', { eventId, errorName: (err as Error).name });
      return { batchItemFailures: [{ itemIdentifier: record.dynamodb?.SequenceNumber ?? '' }] };
    }
  }
  return { batchItemFailures: [] };
});
