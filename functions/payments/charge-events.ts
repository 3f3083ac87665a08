import { instalmentsConfig } from '../../config/instalments';
import { outboxPut } from '../adapters/dynamo/outbox';
import { certificatesOnPayment } from '../certificates/requests';
import { applyChargeOutcome, type ChargeEffect, type ChargeOutcome, type Dossier } from '../domain/dossier';
import { instalmentFailedJob } from '../mail/requests';
import { applyStripeEventOnce } from './stripe-event-once';

/**
 * Applies the signature-verified outcome of an off-session instalment charge
 * (`payment_intent.succeeded` / `payment_intent.payment_failed`) to its dossier, once
 * (./stripe-event-once.ts): the event's record, the change (the part and its ledger line), the
 * audit entries, the decline mail or the receipt's re-issue are one transaction.
 */
const instalmentsState = (d: Dossier) => ({ status: d.status, instalments: d.payment.instalments ?? [] });

export function processChargeEvent(type: string, charge: { event: ChargeOutcome; dossierId: string }, now: Date): Promise<ChargeEffect> {
  const { event, dossierId } = charge;
  return applyStripeEventOnce(
    {
      eventId: event.eventId,
      type,
      dossierId,
      // Charged for a dossier this service does not hold: flagged for the operators (refund).
      orphan:
        event.outcome === 'succeeded'
          ? {
              reason: 'payment_dossier_mismatch',
              eventId: event.eventId,
              checkoutSessionId: '',
              reference: event.reference,
              amountCents: event.amountCents,
              currency: event.currency,
              at: event.at,
            }
          : undefined,
      change: async (current) => {
        const outcome = applyChargeOutcome(current, event, instalmentsConfig);
        if (outcome.dossier === current) return undefined;
        const next = outcome.dossier;
        const anomaly = outcome.effect === 'anomaly' ? next.payment.anomalies?.at(-1) : undefined;
        const recorded = outcome.effect === 'none' ? 'recorded' : outcome.effect;
        return {
          effect: outcome.effect,
          dossier: next,
          recorded,
          anomaly,
          audit: { action: `payment.instalment_${recorded}`, reason: anomaly?.reason ?? event.failureCode, before: instalmentsState(current), after: instalmentsState(next) },
          extra: outcome.effect === 'failed' || outcome.effect === 'overdue' ? [outboxPut(instalmentFailedJob(next, event.n, event.attempt), now)] : await certificatesOnPayment(current, next, now),
        };
      },
    },
    now,
  );
}
