import { auditPut } from '../adapters/dynamo/audit';
import { dossierPk, getDossier, mutateDossier, type TransactItem } from '../adapters/dynamo/dossiers';
import { outboxPut } from '../adapters/dynamo/outbox';
import { certificatesOnEnrollment } from '../certificates/requests';
import { isStripeEventRecorded, putStripeEvent, stripeEventPut } from '../adapters/dynamo/stripe-events';
import { applyCheckoutEvent, checkoutAnomaly, type CheckoutEvent, type CheckoutEventEffect, type Dossier } from '../domain/dossier';
import { receiptJob, synthesisJob } from '../mail/requests';

/**
 * Applies a signature-verified Checkout event to its dossier. The event's record, the dossier
 * change, its audit entry and the mails it causes are one transaction, conditioned on the
 * event not being recorded yet and on the dossier's version: ten concurrent deliveries of the
 * same event make one transition and one synthesis mail; the losers find the event recorded
 * and change nothing.
 */
const AUDIT_ACTION: Record<Exclude<CheckoutEventEffect, 'none'>, string> = {
  enrolled: 'payment.card_confirmed',
  instalment_paid: 'payment.instalment_paid',
  released: 'payment.checkout_released',
  anomaly: 'payment.anomaly',
};

const paymentState = (d: Dossier) => ({ status: d.status, payment: d.payment });

export async function processCheckoutEvent(type: string, checkout: { event: CheckoutEvent; dossierId: string }, now: Date): Promise<CheckoutEventEffect> {
  const { event, dossierId } = checkout;
  if (!(await getDossier(dossierId))) {
    if (event.kind !== 'paid') return 'none';
    // Paid for a dossier this service does not hold: flagged for the operators (refund).
    const anomaly = checkoutAnomaly(event, 'payment_dossier_mismatch');
    const recorded = await putStripeEvent({ eventId: event.eventId, type, dossierId, effect: 'anomaly', anomaly }, now);
    return recorded ? 'anomaly' : 'none';
  }

  let effect: CheckoutEventEffect = 'none';
  await mutateDossier(
    dossierId,
    async (current) => {
      effect = 'none';
      if (await isStripeEventRecorded(event.eventId)) return current;
      const outcome = applyCheckoutEvent(current, event);
      if (outcome.effect === 'none') return current;
      effect = outcome.effect;
      const next = outcome.dossier;
      const anomaly = outcome.effect === 'anomaly' ? next.payment.anomalies?.at(-1) : undefined;
      const extra: TransactItem[] = [
        stripeEventPut({ eventId: event.eventId, type, dossierId, effect: outcome.effect, anomaly }, now),
        auditPut(dossierPk(dossierId), {
          actor: 'stripe',
          action: AUDIT_ACTION[outcome.effect],
          at: now.toISOString(),
          reason: anomaly?.reason,
          before: paymentState(current),
          after: paymentState(next),
        }),
      ];
      if (outcome.effect === 'enrolled') extra.push(outboxPut(synthesisJob(next), now), outboxPut(receiptJob(next), now), ...certificatesOnEnrollment(next, now));
      return { dossier: next, extra, actor: 'stripe' };
    },
    now,
  );
  return effect;
}
