import * as z from 'zod/mini';
import { listDocumentsToReview } from '../adapters/dynamo/document-queue';
import { AcademicYear } from '../domain/schemas';
import { validate } from '../domain/validate';
import { academicYearAt } from '../domain/windows';
import type { DocumentsQueuePage } from '../shared/contracts';
import { validationFailed } from '../shared/errors';
import { pageQuery } from '../shared/page-query';
import { httpHandler, type HttpResult } from '../shared/http';
import { operatorAccess } from '../shared/operator-auth';
import { currentStage } from '../shared/stage';

const QueueQuery = z.object({
  year: z.optional(AcademicYear),
  ...pageQuery(50),
});

/** GET /api/admin/documents?year=&limit=&cursor= — the documents waiting for an operator's review. */
export const handler = httpHandler({ auth: operatorAccess }, async ({ query, now }): Promise<HttpResult<DocumentsQueuePage>> => {
  const parsed = validate(QueueQuery, query);
  if (!parsed.ok) throw validationFailed(parsed.fields);
  const academicYear = parsed.data.year ?? academicYearAt(now, currentStage().calendar.timeZone);
  return { statusCode: 200, body: { ...(await listDocumentsToReview(academicYear, parsed.data.limit, parsed.data.cursor)), academicYear } };
});
