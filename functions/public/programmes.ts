import { feeCents, programmes } from '../../config/catalogue';
import { academicYearAt } from '../domain/windows';
import type { ProgrammesView } from '../shared/contracts';
import { httpHandler, type HttpResult } from '../shared/http';
import { currentStage } from '../shared/stage';

/** GET /api/programmes — the catalogue, with this campaign's fees. */
export const handler = httpHandler({ auth: 'public' }, async ({ lang, now }): Promise<HttpResult<ProgrammesView>> => {
  const academicYear = academicYearAt(now, currentStage().calendar.timeZone);
  return {
    statusCode: 200,
    headers: { 'cache-control': 'public, max-age=300' },
    body: {
      academicYear,
      items: programmes.map((p) => ({
        code: p.code,
        label: p.label[lang],
        level: p.level,
        component: p.component,
        feesCents: feeCents(p.level, academicYear) ?? null,
        scolarite: p.scolarite,
      })),
    },
  };
});
