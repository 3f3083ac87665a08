import * as z from 'zod/mini';
import { listCorrections } from '../adapters/dynamo/corrections';
import { CORRECTION_STATUSES } from '../domain/corrections';
import { AcademicYear } from '../domain/schemas';
import { validate } from '../domain/validate';
import { academicYearAt } from '../domain/windows';
import { validationFailed } from '../shared/errors';
import { pageQuery } from '../shared/page-query';
import type { AdminCorrectionsPage } from '../shared/contracts';
import { httpHandler, type HttpResult } from '../shared/http';
import { operatorAccess } from '../shared/operator-auth';
import { currentStage } from '../shared/stage';

const Query = z.object({
  status: z._default(z.enum(CORRECTION_STATUSES), 'pending'),
  year: z.optional(AcademicYear),
  ...pageQuery(50),
});

/** GET /api/admin/corrections?status=pending&year=&limit=&cursor= — the year's requests in one status, oldest first. */
export const handler = httpHandler({ auth: operatorAccess }, async ({ query, now }): Promise<HttpResult<AdminCorrectionsPage>> => {
  const parsed = validate(Query, query);
  if (!parsed.ok) throw validationFailed(parsed.fields);
  const academicYear = parsed.data.year ?? academicYearAt(now, currentStage().calendar.timeZone);
  const page = await listCorrections({ academicYear, status: parsed.data.status, limit: parsed.data.limit, cursor: parsed.data.cursor });
  return { statusCode: 200, body: { ...page, academicYear } };
});
