import { PaymentPlan } from '../domain/dossier';
import { startCheckout } from '../payments/checkout';
import type { CheckoutView } from '../shared/contracts';
import { validationFailed } from '../shared/errors';
import { httpHandler, type HttpResult } from '../shared/http';
import { studentSession } from '../shared/student-session';
import { logger } from '../shared/logger';

/**
 * POST /api/dossier/payment `{plan?: "full"|"instalments"}` — the Stripe Checkout page of an
 * `awaiting_payment` dossier: 201 `{checkoutUrl, sessionId, expiresAt, reused, plan, schedule}`.
 * A pay-at-office dossier (scholarship pending: paid at the scolarité desk), an enrolled or a
 * cancelled one never gets one: 409 PAYMENT_NOT_ALLOWED saying why; `instalments` for a dossier
 * that may not pay in parts (functions/domain/dossier/instalments.ts): 409 INSTALMENTS_NOT_ALLOWED.
 * The page only takes the card; the signed webhook enrolls. The body is optional (in full).
 */
export const handler = httpHandler({ auth: studentSession }, async ({ event, student, lang, now }): Promise<HttpResult<CheckoutView>> => {
  const plan = planOf(event.body, event.isBase64Encoded);
  const checkout = await startCheckout(student.dossierId, lang, now, plan);
  logger.info('Checkout started', { dossierId: student.dossierId, sessionId: checkout.sessionId, reused: checkout.reused, plan });
  return { statusCode: 201, body: checkout };
});

function planOf(body: string | undefined, base64: boolean | undefined): PaymentPlan {
  const text = body
    ? Buffer.from(body, base64 ? 'base64' : 'utf8')
        .toString('utf8')
        .trim()
    : '';
  if (!text) return 'full';
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw validationFailed({ plan: 'invalid_choice' });
  }
  const plan = typeof parsed === 'object' && parsed !== null ? (parsed as { plan?: unknown }).plan : undefined;
  if (plan === undefined || plan === null) return 'full';
  const r = PaymentPlan.safeParse(plan);
  if (!r.success) throw validationFailed({ plan: 'invalid_choice' });
  return r.data;
}
