import { startCheckout } from '../payments/checkout';
import type { CheckoutView } from '../shared/contracts';
import { httpHandler, type HttpResult } from '../shared/http';
import { studentSession } from '../shared/student-session';
import { logger } from '../shared/logger';

/**
 * POST /api/dossier/payment — the Stripe Checkout page of an `awaiting_payment` dossier:
 * 201 `{checkoutUrl, sessionId, expiresAt, reused}`. A pay-at-office dossier (scholarship
 * pending: paid at the scolarité desk), an enrolled or a cancelled one never gets one:
 * 409 PAYMENT_NOT_ALLOWED saying why. The page only takes the card; the signed webhook enrolls.
 */
export const handler = httpHandler({ auth: studentSession }, async ({ student, lang, now }): Promise<HttpResult<CheckoutView>> => {
  const checkout = await startCheckout(student.dossierId, lang, now);
  logger.info('Checkout started', { dossierId: student.dossierId, sessionId: checkout.sessionId, reused: checkout.reused });
  return { statusCode: 201, body: checkout };
});
