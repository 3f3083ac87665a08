import { instalmentsConfig } from '../../config/instalments';
import { auditPut } from '../adapters/dynamo/audit';
import { dossierPk, getDossier, mutateDossier, type TransactItem } from '../adapters/dynamo/dossiers';
import { outboxPut } from '../adapters/dynamo/outbox';
import { isStripeEventRecorded, putStripeEvent, stripeEventPut } from '../adapters/dynamo/stripe-events';
import { applyChargeOutcome, type ChargeEffect, type ChargeOutcome, type Dossier } from '../domain/dossier';
import { instalmentFailedJob } from '../mail/requests';

/**
 * Applies the signature-verified outcome of an off-session instalment charge
 * (`payment_intent.succeeded` / `payment_intent.payment_failed`) to its dossier, exactly once: the
 * event's record, the change (the part and its ledger line), the audit entries and the decline
 * mail are one transaction conditioned on the event not being recorded yet and on the dossier's
 * version, as for Checkout events (./checkout-events.ts).
 */
const instalmentsState = (d: Dossier) => ({ status: d.status, instalments: d.payment.instalments ?? [] });

export async function processChargeEvent(type: string, charge: { event: ChargeOutcome; dossierId: string }, now: Date): Promise<ChargeEffect> {
  const { event, dossierId } = charge;
  if (!(await getDossier(dossierId))) {
    if (event.outcome !== 'succeeded') return 'none';
    // Charged for a dossier this service does not hold: flagged for the operators (refund).
    const anomaly = {
      reason: 'payment_dossier_mismatch' as const,
      eventId: event.eventId,
      checkoutSessionId: '',
      reference: event.reference,
      amountCents: event.amountCents,
      currency: event.currency,
      at: event.at,
    };
    return (await putStripeEvent({ eventId: event.eventId, type, dossierId, effect: 'anomaly', anomaly }, now)) ? 'anomaly' : 'none';
  }
  let effect: ChargeEffect = 'none';
  await mutateDossier(
    dossierId,
    async (current) => {
      effect = 'none';
      if (await isStripeEventRecorded(event.eventId)) return current;
      const outcome = applyChargeOutcome(current, event, instalmentsConfig);
      if (outcome.dossier === current) return current;
      effect = outcome.effect;
      const next = outcome.dossier;
      const anomaly = outcome.effect === 'anomaly' ? next.payment.anomalies?.at(-1) : undefined;
      const extra: TransactItem[] = [
        stripeEventPut({ eventId: event.eventId, type, dossierId, effect: outcome.effect === 'none' ? 'recorded' : outcome.effect, anomaly }, now),
        auditPut(dossierPk(dossierId), {
          actor: 'stripe',
          action: `payment.instalment_${outcome.effect === 'none' ? 'recorded' : outcome.effect}`,
          at: now.toISOString(),
          reason: anomaly?.reason ?? event.failureCode,
          before: instalmentsState(current),
          after: instalmentsState(next),
        }),
      ];
      if (outcome.effect === 'failed' || outcome.effect === 'overdue') extra.push(outboxPut(instalmentFailedJob(next, event.n, event.attempt), now));
      return { dossier: next, extra, actor: 'stripe' };
    },
    now,
  );
  return effect;
}
