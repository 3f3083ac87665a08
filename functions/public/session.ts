import { getAdmission } from '../adapters/dynamo/admissions';
import { ensureDossier, getDossier } from '../adapters/dynamo/dossiers';
import { giveBack, takeSlots } from '../adapters/dynamo/rate-slots';
import { dossierView, followsUpWhenClosed } from '../domain/dossier';
import { isAlarmed, loginLimits } from '../domain/rate-limits';
import { LoginBody } from '../domain/schemas';
import { academicYearAt } from '../domain/windows';
import { AppError, rateLimited } from '../shared/errors';
import { clientAddress } from '../shared/client-address';
import type { SessionView } from '../shared/contracts';
import { httpHandler, type HttpResult } from '../shared/http';
import { jsonBody } from '../shared/json-body';
import { closedServiceRefusal } from '../shared/service-gate';
import { logger } from '../shared/logger';
import { countMetric, METRIC } from '../shared/metrics';
import { currentStage } from '../shared/stage';
import { issueToken } from '../shared/tokens';

/**
 * POST /api/session — identifier (normalised: trim, uppercase, no spaces, CAND → M3) and
 * birth date. Every mismatch gets the same 401 (no account enumeration). Each attempt is
 * counted *before* the check against the limits of functions/domain/rate-limits.ts
 * (`loginLimits`: per identifier and client address, per identifier, per address), so
 * concurrent guesses never get more through; a success gives its hit back. Refused → 429
 * with Retry-After, logged as `rate_limited` with the limit's scope (for the alarms).
 * Closed service → 503, after the credentials are checked (the same 401 for every mismatch),
 * except for a student whose dossier follows up while closed (`followsUpWhenClosed`).
 */
export const handler = httpHandler({ auth: 'public', gate: false, body: jsonBody(LoginBody) }, async ({ body, now, event }): Promise<HttpResult<SessionView>> => {
  const limits = loginLimits(body.identifier, await clientAddress(event));
  const attempt = await takeSlots(limits, now);
  if (!attempt.allowed) {
    logger.warn('rate_limited', { scopes: attempt.refusedBy });
    countMetric(METRIC.loginThrottles);
    if (isAlarmed(attempt.refusedBy)) countMetric(METRIC.abuseRefusals);
    throw rateLimited('TOO_MANY_ATTEMPTS', attempt.retryAfterSeconds);
  }
  const academicYear = academicYearAt(now, currentStage().calendar.timeZone);
  const admission = await getAdmission(body.identifier, academicYear);
  if (!admission || admission.birthDate !== body.birthDate) {
    logger.info('Login refused');
    throw new AppError(401, 'INVALID_CREDENTIALS');
  }
  await giveBack(limits, now);
  const closed = await closedServiceRefusal(event, now);
  if (closed) {
    // Never creates a dossier while closed: only an existing one that follows up may sign in.
    const existing = admission.dossierId ? await getDossier(admission.dossierId) : undefined;
    if (!existing || !followsUpWhenClosed(existing)) throw closed;
  }
  const dossier = await ensureDossier(admission, now);
  const { token, expiresAt } = await issueToken({ dossierId: dossier.id, academicYear, generation: dossier.sessionGeneration ?? 0 }, now);
  logger.info('Login', { dossierId: dossier.id });
  return { statusCode: 201, body: { token, expiresAt, dossier: dossierView(dossier) } };
});
