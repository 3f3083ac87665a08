import { startInstalmentCheckout } from '../payments/checkout';
import type { InstalmentCheckoutView } from '../shared/contracts';
import { validationFailed } from '../shared/errors';
import { httpHandler, type HttpResult } from '../shared/http';
import { logger } from '../shared/logger';
import { studentSession } from '../shared/student-session';

/**
 * POST /api/dossier/payment/instalments/{n} — pay part `n` of the student's plan now, by
 * Checkout: a failed, overdue or future part (201 `{checkoutUrl, sessionId, expiresAt, reused}`).
 * 404 INSTALMENT_NOT_FOUND for a part the plan does not have; 409 PAYMENT_NOT_ALLOWED for a part
 * paid, cancelled, or being charged (PAYMENT_NOT_ALLOWED_PROCESSING: wait for the outcome).
 */
export const handler = httpHandler({ auth: studentSession, gate: false }, async ({ pathParameters, student, now }): Promise<HttpResult<InstalmentCheckoutView>> => {
  const raw = pathParameters.n ?? '';
  if (!/^[1-9]\d{0,1}$/.test(raw)) throw validationFailed({ n: 'invalid_choice' });
  const checkout = await startInstalmentCheckout(student.dossierId, Number(raw), now);
  logger.info('Instalment checkout started', { dossierId: student.dossierId, n: Number(raw), sessionId: checkout.sessionId, reused: checkout.reused });
  return { statusCode: 201, body: checkout };
});
