import * as z from 'zod/mini';
import { getDossiers } from '../adapters/dynamo/dossiers';
import { dossiersWithOverdueInstalments } from '../adapters/dynamo/instalments';
import { type Dossier, overdueInstalments } from '../domain/dossier';
import { AcademicYear } from '../domain/schemas';
import { validate } from '../domain/validate';
import { academicYearAt } from '../domain/windows';
import { validationFailed } from '../shared/errors';
import type { OverdueInstalmentsItem, OverdueInstalmentsView } from '../shared/contracts';
import { pageQuery } from '../shared/page-query';
import { httpHandler, type HttpResult } from '../shared/http';
import { operatorAccess } from '../shared/operator-auth';
import { currentStage } from '../shared/stage';

const OverdueQuery = z.object({
  year: z.optional(AcademicYear),
  ...pageQuery(50),
});

/**
 * GET /api/admin/instalments/overdue?year=&limit=&cursor= — the dossiers of the academic year
 * (default: the current one) with a part declined at its charge and at its retry, oldest due day
 * first, a page at a time, for the operators to follow up: who, which parts, how much.
 */
export const handler = httpHandler({ auth: operatorAccess }, async ({ query, now }): Promise<HttpResult<OverdueInstalmentsView>> => {
  const parsed = validate(OverdueQuery, query);
  if (!parsed.ok) throw validationFailed(parsed.fields);
  const year = parsed.data.year ?? academicYearAt(now, currentStage().calendar.timeZone);
  const { items: ids, next } = await dossiersWithOverdueInstalments(year, parsed.data.limit, parsed.data.cursor);
  const found = new Map<string, Dossier>();
  for (const [id, v] of await getDossiers(ids)) found.set(id, v.dossier);
  const items = ids.flatMap((id): OverdueInstalmentsItem[] => {
    const d = found.get(id);
    if (!d) return [];
    const overdue = overdueInstalments(d);
    if (overdue.length === 0) return [];
    return [
      {
        dossierId: d.id,
        identifier: d.identifier,
        lastName: d.student.lastName,
        firstName: d.student.firstName,
        programmeCode: d.programmeCode,
        overdue: overdue.map(({ n, amountCents, dueOn, failureCode }) => ({ n, amountCents, dueOn, failureCode })),
        overdueCents: overdue.reduce((s, i) => s + i.amountCents, 0),
      },
    ];
  });
  return { statusCode: 200, body: { academicYear: year, count: items.length, items, next } };
});
