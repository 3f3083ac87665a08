import { getServiceRecord, setOverride } from '../adapters/dynamo/service-state';
import { ServiceModeBody } from '../domain/schemas';
import { computeServiceState, type Override } from '../domain/windows';
import type { ServiceUpdateView } from '../shared/contracts';
import { httpHandler, type HttpResult } from '../shared/http';
import { jsonBody } from '../shared/json-body';
import { supervisorAccess } from '../shared/operator-auth';
import { logger } from '../shared/logger';
import { forgetServiceState } from '../shared/service-state';
import { currentStage } from '../shared/stage';
import { statusView } from '../shared/status-view';

/** PUT /api/admin/service — force open, force closed, or back to the calendar; audited. */
export const handler = httpHandler({ auth: supervisorAccess, body: jsonBody(ServiceModeBody) }, async ({ body, admin, lang, now }): Promise<HttpResult<ServiceUpdateView>> => {
  const { calendar } = currentStage();
  const before = await getServiceRecord();
  const override: Override | null = body.mode === 'calendar' ? null : { mode: body.mode, reason: body.reason, by: admin.principal, at: now.toISOString() };
  const state = computeServiceState(calendar, override, now);
  await setOverride(override, state, {
    actor: admin.principal,
    action: `service.${body.mode}`,
    at: now.toISOString(),
    reason: body.reason,
    before: { override: before.override },
    after: { override, open: state.open },
  });
  forgetServiceState();
  logger.info('Service override changed', { mode: body.mode, open: state.open });
  return { statusCode: 200, body: { ...statusView(state, lang), override } };
});
