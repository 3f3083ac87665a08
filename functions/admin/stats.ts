import * as z from 'zod/mini';
import { readStatsCounters } from '../adapters/dynamo/stats';
import { AcademicYear } from '../domain/schemas';
import { statsView, type StatsView } from '../domain/stats';
import { validate } from '../domain/validate';
import { academicYearAt } from '../domain/windows';
import { validationFailed } from '../shared/errors';
import { operatorAccess } from '../shared/operator-auth';
import { httpHandler, type HttpResult } from '../shared/http';
import { currentStage } from '../shared/stage';

const StatsQuery = z.object({ year: z.optional(AcademicYear) });

/**
 * GET /api/admin/stats?year= — the campaign's figures for the dashboard, read from the counters
 * the stats job keeps (functions/domain/stats.ts), never by counting dossiers.
 */
export const handler = httpHandler({ auth: operatorAccess }, async ({ query, now }): Promise<HttpResult<StatsView>> => {
  const parsed = validate(StatsQuery, query);
  if (!parsed.ok) throw validationFailed(parsed.fields);
  const academicYear = parsed.data.year ?? academicYearAt(now, currentStage().calendar.timeZone);
  return { statusCode: 200, body: statsView(academicYear, await readStatsCounters(academicYear)) };
});
