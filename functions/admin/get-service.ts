import { getServiceRecord, serviceAuditTrail } from '../adapters/dynamo/service-state';
import { computeServiceState, windowJson, windowsOfYear } from '../domain/windows';
import type { ServiceView } from '../shared/contracts';
import { httpHandler, type HttpResult } from '../shared/http';
import { operatorAccess } from '../shared/operator-auth';
import { currentStage } from '../shared/stage';
import { statusView } from '../shared/status-view';

/** GET /api/admin/service — status, the operator override, the calendar and the recent trail. */
export const handler = httpHandler({ auth: operatorAccess }, async ({ lang, now }): Promise<HttpResult<ServiceView>> => {
  const { calendar } = currentStage();
  const record = await getServiceRecord();
  const state = computeServiceState(calendar, record.override, now);
  const year = now.getUTCFullYear();
  return {
    statusCode: 200,
    body: {
      ...statusView(state, lang),
      override: record.override,
      lastSwitch: record.computedAt ? { at: record.computedAt, open: record.open, reason: record.reason } : null,
      calendar: {
        timeZone: calendar.timeZone,
        windows: [...windowsOfYear(calendar, year), ...windowsOfYear(calendar, year + 1)].map((w) => windowJson(w, calendar.timeZone)),
      },
      audit: await serviceAuditTrail(),
    },
  };
});
