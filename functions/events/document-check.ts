import type { S3Event } from 'aws-lambda';
import { mutateDossier } from '../adapters/dynamo/dossiers';
import { readObject } from '../adapters/s3';
import { beginCheck, completeCheck, parseObjectKey } from '../domain/documents';
import { inspectFile } from '../domain/file-check';
import { documentRules } from '../documents/shared';
import { observedJob } from '../shared/job';
import { logger } from '../shared/logger';
import { countDocumentCheckFailure } from '../shared/metrics';

/**
 * The check job, invoked by S3 for every object created in the documents bucket (locally by
 * the local S3 after each upload): the document becomes `checking` this upload, then
 * `to_review` or `rejected` with the reason the first bytes give (functions/domain/documents.ts).
 *
 * Racing uploads of one kind: S3 keeps the last complete one as the object. The job reads the
 * object and goes on only if it is still the event's upload (same ETag); otherwise a later
 * upload replaced it and its own event brings its check. Statuses are recorded only for an
 * upload later than the one the dossier knows (the event's sequencer), so the last one wins
 * whatever order the events arrive in. A failure throws: S3's asynchronous invocation retries.
 */
export const handler = observedJob(async (event: S3Event): Promise<void> => {
  for (const record of event.Records ?? []) {
    if (!record.eventName?.startsWith('ObjectCreated:')) continue;
    const key = decodeURIComponent(record.s3.object.key.replace(/\+/g, ' '));
    const parsed = parseObjectKey(key);
    if (!parsed) {
      logger.warn('Object outside the documents layout ignored');
      continue;
    }
    const { dossierId, kind, token } = parsed;
    const upload = { kind, token, sequencer: record.s3.object.sequencer, eTag: record.s3.object.eTag ?? '', size: record.s3.object.size ?? 0, at: record.eventTime };
    const begun = await mutateDossier(dossierId, (d) => beginCheck(d, upload), new Date());
    if (begun.documents?.[kind]?.sequencer !== upload.sequencer) {
      logger.info('Upload superseded before its check', { dossierId, kind });
      continue;
    }
    const object = await readObject(key);
    if (!object || object.eTag !== upload.eTag) {
      logger.info('Upload replaced before its check', { dossierId, kind });
      continue;
    }
    const result = inspectFile(object.bytes, object.contentType, kind, documentRules);
    const file = { fileName: object.fileName, contentType: object.contentType };
    await mutateDossier(dossierId, (d) => completeCheck(d, kind, upload.sequencer, result, new Date().toISOString(), file), new Date());
    if (!result.ok) countDocumentCheckFailure();
    logger.info('Document checked', { dossierId, kind, result: result.ok ? 'to_review' : result.reason });
  }
});
