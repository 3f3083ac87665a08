import * as z from 'zod/mini';
import { listSupportRequests } from '../adapters/dynamo/support-requests';
import { AcademicYear } from '../domain/schemas';
import { validate } from '../domain/validate';
import { academicYearAt } from '../domain/windows';
import { validationFailed } from '../shared/errors';
import type { SupportPage } from '../shared/contracts';
import { pageQuery } from '../shared/page-query';
import { httpHandler, type HttpResult } from '../shared/http';
import { operatorAccess } from '../shared/operator-auth';
import { currentStage } from '../shared/stage';

const SupportQuery = z.object({
  year: z.optional(AcademicYear),
  ...pageQuery(50),
});

/** GET /api/admin/support-requests?year=&limit=&cursor= — the year's support requests, newest first. */
export const handler = httpHandler({ auth: operatorAccess }, async ({ query, now }): Promise<HttpResult<SupportPage>> => {
  const parsed = validate(SupportQuery, query);
  if (!parsed.ok) throw validationFailed(parsed.fields);
  const academicYear = parsed.data.year ?? academicYearAt(now, currentStage().calendar.timeZone);
  const page = await listSupportRequests({ academicYear, limit: parsed.data.limit, cursor: parsed.data.cursor });
  return { statusCode: 200, body: { ...page, academicYear } };
});
