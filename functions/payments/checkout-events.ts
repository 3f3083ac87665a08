import { outboxPut } from '../adapters/dynamo/outbox';
import { certificatesOnEnrollment, certificatesOnPayment } from '../certificates/requests';
import { applyCheckoutEvent, checkoutAnomaly, type CheckoutEvent, type CheckoutEventEffect, type Dossier } from '../domain/dossier';
import { receiptJob, synthesisJob } from '../mail/requests';
import { applyStripeEventOnce } from './stripe-event-once';

/**
 * Applies a signature-verified Checkout event to its dossier, once (./stripe-event-once.ts): the
 * event's record, the dossier change, its audit entry and the mails and certificates it causes
 * are one transaction; ten concurrent deliveries of the same event make one transition and one
 * synthesis mail.
 */
const AUDIT_ACTION: Record<Exclude<CheckoutEventEffect, 'none'>, string> = {
  enrolled: 'payment.card_confirmed',
  instalment_paid: 'payment.instalment_paid',
  released: 'payment.checkout_released',
  anomaly: 'payment.anomaly',
};

const paymentState = (d: Dossier) => ({ status: d.status, payment: d.payment });

export function processCheckoutEvent(type: string, checkout: { event: CheckoutEvent; dossierId: string }, now: Date): Promise<CheckoutEventEffect> {
  const { event, dossierId } = checkout;
  return applyStripeEventOnce(
    {
      eventId: event.eventId,
      type,
      dossierId,
      // Paid for a dossier this service does not hold: flagged for the operators (refund).
      orphan: event.kind === 'paid' ? checkoutAnomaly(event, 'payment_dossier_mismatch') : undefined,
      change: async (current) => {
        const outcome = applyCheckoutEvent(current, event);
        if (outcome.effect === 'none') return undefined;
        const next = outcome.dossier;
        const anomaly = outcome.effect === 'anomaly' ? next.payment.anomalies?.at(-1) : undefined;
        return {
          effect: outcome.effect,
          dossier: next,
          anomaly,
          audit: { action: AUDIT_ACTION[outcome.effect], reason: anomaly?.reason, before: paymentState(current), after: paymentState(next) },
          extra:
            outcome.effect === 'enrolled'
              ? [outboxPut(synthesisJob(next), now), outboxPut(receiptJob(next), now), ...certificatesOnEnrollment(next, now)]
              : await certificatesOnPayment(current, next, now),
        };
      },
    },
    now,
  );
}
