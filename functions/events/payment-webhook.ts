import { verifyWebhookEvent } from '../adapters/stripe';
import { processChargeEvent } from '../payments/charge-events';
import { processCheckoutEvent } from '../payments/checkout-events';
import { processRefundEvent } from '../payments/refunds';
import { httpHandler } from '../shared/http';
import { logger } from '../shared/logger';
import { countMetric, METRIC } from '../shared/metrics';

/**
 * POST /api/payments/webhook — Stripe's events. The raw body (API Gateway may hand it over
 * base64-encoded) is checked against the Stripe-Signature header by Stripe's own
 * `constructEvent` before anything is read: a missing, wrong or stale signature → 400 and
 * nothing changes. Outside the closed-service gate: a payment started before closing completes.
 *
 * 200 once the event is applied or has nothing to apply: other event types, duplicates, and
 * payments that do not match what was asked (flagged on the dossier for the operators, who
 * refund: a retry by Stripe would find the same mismatch). Any failure → 5xx, Stripe retries.
 */
// Events weigh a few KiB; the roomy limit keeps a large one from a 413 that Stripe would retry for days.
export const handler = httpHandler({ auth: 'public', gate: false, maxBodyBytes: 512 * 1024 }, async ({ event, now }) => {
  const raw = Buffer.from(event.body ?? '', event.isBase64Encoded ? 'base64' : 'utf8');
  const verified = await verifyWebhookEvent(raw, event.headers?.['stripe-signature']);
  const checkoutEffect = verified.checkout
    ? await processCheckoutEvent(verified.type, verified.checkout, now)
    : verified.charge
      ? await processChargeEvent(verified.type, verified.charge, now)
      : 'ignored';
  // Refund outcomes (functions/payments/refunds.ts): a failed refund is an anomaly for the operators.
  const refundEffect = verified.refund ? await processRefundEvent(verified.type, verified.refund, now) : undefined;
  const effect = refundEffect === 'failed' ? 'anomaly' : (refundEffect ?? checkoutEffect);
  const log = { eventId: verified.id, type: verified.type, dossierId: verified.checkout?.dossierId ?? verified.charge?.dossierId ?? verified.refund?.dossierId, effect };
  if (effect === 'anomaly') countMetric(METRIC.paymentAnomalies);
  if (effect === 'enrolled') countMetric(METRIC.enrollments);
  if (effect === 'overdue') countMetric(METRIC.instalmentsOverdue);
  if (effect === 'anomaly') logger.error('Payment anomaly flagged for the operators', log);
  else logger.info('Stripe event handled', log);
  return { statusCode: 200, body: { received: true } };
});
