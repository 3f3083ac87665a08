import { randomUUID } from 'node:crypto';
import { outboxPut } from '../adapters/dynamo/outbox';
import { recordSupportRequest } from '../adapters/dynamo/support-requests';
import { formatInstant } from '../domain/labels';
import { SupportBody } from '../domain/schemas';
import type { SupportRequest } from '../domain/support-request';
import { toZonedIso, type ServiceState } from '../domain/windows';
import { supportJobs } from '../mail/requests';
import { isAlarmed } from '../domain/rate-limits';
import { AppError, rateLimited } from '../shared/errors';
import { clientAddress } from '../shared/client-address';
import type { SupportAccepted } from '../shared/contracts';
import { httpHandler, type HttpResult } from '../shared/http';
import { jsonBody } from '../shared/json-body';
import type { Lang } from '../domain/messages/errors';
import { logger } from '../shared/logger';
import { countMetric, METRIC } from '../shared/metrics';
import { effectiveServiceState } from '../shared/service-state';
import { currentStage } from '../shared/stage';
import { ENV, requireEnv } from '../shared/env';

/**
 * POST /api/support — a support request (identifier, surname, first name, programme, e-mail,
 * message), accepted while `supportOpen` (functions/domain/windows.ts: a calendar window, or the
 * service forced open); 503 SUPPORT_CLOSED with the reopening otherwise.
 * Rate-limited per identifier, per mailbox and per client address (functions/domain/rate-limits.ts
 * `SUPPORT_POLICY`; 429 with Retry-After), so the acknowledgement — which quotes nothing the
 * sender typed — cannot be turned on someone's inbox. The request and
 * its two mails (the forward to the assistance mailbox, the acknowledgement) are stored in one
 * transaction.
 */
function supportClosed(state: ServiceState, lang: Lang): AppError {
  const { timeZone } = currentStage().calendar;
  // Support is closed only outside the calendar windows (and not forced open), so a next opening always exists.
  const opening = state.nextOpening!;
  return new AppError(503, 'SUPPORT_CLOSED', {
    params: { nextOpening: formatInstant(opening, lang, timeZone, 'full') },
    details: { nextOpening: toZonedIso(opening, timeZone) },
  });
}

export const handler = httpHandler({ auth: 'public', gate: false, body: jsonBody(SupportBody) }, async ({ body, lang, now, event }): Promise<HttpResult<SupportAccepted>> => {
  const state = await effectiveServiceState(now);
  if (!state.supportOpen) throw supportClosed(state, lang);

  const request: SupportRequest = { ...body, id: randomUUID(), academicYear: state.academicYear, receivedAt: now.toISOString(), lang };
  const mails = supportJobs(request, requireEnv(ENV.assistanceEmail)).map((job) => outboxPut(job, now));
  const result = await recordSupportRequest(request, await clientAddress(event), mails, now);
  if (!result.accepted) {
    if (isAlarmed(result.refusedBy)) countMetric(METRIC.abuseRefusals);
    throw rateLimited('SUPPORT_RATE_LIMITED', result.retryAfterSeconds);
  }
  logger.info('Support request recorded', { requestId: request.id });
  return { statusCode: 202, body: { requestId: request.id } };
});
