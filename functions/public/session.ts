import { getAdmission } from '../adapters/dynamo/admissions';
import { ensureDossier } from '../adapters/dynamo/dossiers';
import { clearAttempts, recordAttempt } from '../adapters/dynamo/login-attempts';
import { dossierView } from '../domain/dossier';
import { LoginBody } from '../domain/schemas';
import { academicYearAt } from '../domain/windows';
import { AppError } from '../shared/errors';
import type { SessionView } from '../shared/contracts';
import { httpHandler, type HttpResult } from '../shared/http';
import { logger } from '../shared/logger';
import { countMetric, METRIC } from '../shared/metrics';
import { currentStage } from '../shared/stage';
import { issueToken } from '../shared/tokens';

/**
 * POST /api/session — identifier (normalised: trim, uppercase, no spaces, CAND → M3) and
 * birth date. Every mismatch gets the same 401 (no account enumeration); 5 attempts in 15
 * minutes per identifier, then 429 with Retry-After. Gated: closed service → 503.
 */
export const handler = httpHandler({ auth: 'public', gate: true, body: LoginBody }, async ({ body, now }): Promise<HttpResult<SessionView>> => {
  const attempt = await recordAttempt(body.identifier, now);
  if (!attempt.allowed) {
    countMetric(METRIC.loginThrottles);
    throw new AppError(429, 'TOO_MANY_ATTEMPTS', {
      params: { minutes: Math.ceil(attempt.retryAfterSeconds / 60) },
      headers: { 'retry-after': String(attempt.retryAfterSeconds) },
      details: { retryAfterSeconds: attempt.retryAfterSeconds },
    });
  }
  const academicYear = academicYearAt(now, currentStage().calendar.timeZone);
  const admission = await getAdmission(body.identifier, academicYear);
  if (!admission || admission.birthDate !== body.birthDate) {
    logger.info('Login refused');
    throw new AppError(401, 'INVALID_CREDENTIALS');
  }
  await clearAttempts(body.identifier);
  const dossier = await ensureDossier(admission, now);
  const { token, expiresAt } = await issueToken({ dossierId: dossier.id, academicYear }, now);
  logger.info('Login', { dossierId: dossier.id });
  return { statusCode: 201, body: { token, expiresAt, dossier: dossierView(dossier) } };
});
