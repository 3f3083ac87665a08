import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { feeCents, programmes } from '../../config/catalogue';
import { academicYearAt } from '../domain/windows';
import type { ProgrammesView } from '../shared/contracts';
import { JSON_HEADERS } from '../shared/json-headers';
import { pickLang } from '../shared/lang';
import { currentStage } from '../shared/stage';

/**
 * GET /api/programmes — the catalogue, with this campaign's fees.
 *
 * Static data, no input but the language, nothing that can fail on a request: it answers
 * without the handler factory (functions/shared/http.ts), whose session, service-gate and
 * AWS SDK imports would make this function's bundle 8× larger (issue 16: ≤ 60 KB).
 */
export const handler = async (event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> => {
  const lang = pickLang(event.headers?.['accept-language'] ?? event.headers?.['Accept-Language']);
  const academicYear = academicYearAt(new Date(), currentStage().calendar.timeZone);
  const body: ProgrammesView = {
    academicYear,
    items: programmes.map((p) => ({
      code: p.code,
      label: p.label[lang],
      level: p.level,
      component: p.component,
      feesCents: feeCents(p.level, academicYear) ?? null,
      scolarite: p.scolarite,
    })),
  };
  return { statusCode: 200, headers: { ...JSON_HEADERS, 'cache-control': 'public, max-age=300' }, body: JSON.stringify(body) };
};
