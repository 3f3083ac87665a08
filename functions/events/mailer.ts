import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Context, SQSEvent, SQSRecord } from 'aws-lambda';
import { sendMail } from '../adapters/ses';
import { MailJob } from '../domain/mail-job';
import { logger } from '../shared/logger';

/**
 * Consumes the mail queue: each record is a `MailJob`, sent with SES. Failed records are
 * reported individually (partial batch response) so only they come back; after the queue's
 * max receive count they land in the dead-letter queue.
 */
const processor = new BatchProcessor(EventType.SQS);

async function recordHandler(record: SQSRecord): Promise<void> {
  const job = MailJob.parse(JSON.parse(record.body));
  await sendMail(job);
  logger.info('Mail sent', { jobId: job.jobId });
}

export const handler = async (event: SQSEvent, context: Context) =>
  processPartialResponse(event, recordHandler, processor, { context });
