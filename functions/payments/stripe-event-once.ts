import { type AuditEntry, auditPut } from '../adapters/dynamo/audit';
import { dossierPk, getDossier, mutateDossier, type TransactItem } from '../adapters/dynamo/dossiers';
import { isStripeEventRecorded, putStripeEvent, type StripeEventRecord, stripeEventPut } from '../adapters/dynamo/stripe-events';
import type { Dossier, PaymentAnomaly } from '../domain/dossier';

/**
 * Applies a signature-verified Stripe event to its dossier exactly once — the one skeleton of
 * every kind of event the service acts on (Checkout, instalment charges, refunds). The event's
 * record, the dossier change, its audit entry (actor `stripe`) and whatever else the change causes
 * (mails, certificates) are one transaction, conditioned on the event not being recorded yet and
 * on the dossier's version: ten concurrent deliveries of one event make one change; replays and
 * the losers of a race find the event recorded and change nothing.
 */

/** What an event changes, as the caller's domain rule decides it (undefined: nothing to apply). */
export interface StripeEventChange<E extends string> {
  /** The caller's name for what happened (returned). */
  effect: E;
  /** The dossier after the event; the same object when only the record and the audit entry are written. */
  dossier: Dossier;
  /** The effect written on the event's record @default `effect` */
  recorded?: StripeEventRecord['effect'];
  /** Rides on the event's record (indexed for the operators). */
  anomaly?: PaymentAnomaly;
  audit: Omit<AuditEntry, 'actor' | 'at'>;
  /** Written in the same transaction (mails, certificate events). */
  extra?: TransactItem[];
}

export interface StripeEventToApply<E extends string> {
  eventId: string;
  type: string;
  dossierId: string;
  /**
   * The anomaly to list when the service holds no such dossier (money at Stripe for nobody);
   * undefined: such an event is ignored.
   */
  orphan?: PaymentAnomaly;
  /** May draw what the transaction needs first (a certificate sequence); called again when the dossier moved meanwhile. */
  change(current: Dossier): StripeEventChange<E> | undefined | Promise<StripeEventChange<E> | undefined>;
}

/** @returns the change's effect; `anomaly` for an orphan event recorded now; `none` when nothing was applied (a replay). */
export async function applyStripeEventOnce<E extends string>(e: StripeEventToApply<E>, now: Date): Promise<E | 'anomaly' | 'none'> {
  const { eventId, type, dossierId } = e;
  if (!(await getDossier(dossierId))) {
    if (!e.orphan) return 'none';
    return (await putStripeEvent({ eventId, type, dossierId, effect: 'anomaly', anomaly: e.orphan }, now)) ? 'anomaly' : 'none';
  }
  let effect: E | 'none' = 'none';
  await mutateDossier(
    dossierId,
    async (current) => {
      effect = 'none';
      if (await isStripeEventRecorded(eventId)) return current;
      const change = await e.change(current);
      if (!change) return current;
      effect = change.effect;
      const extra: TransactItem[] = [
        stripeEventPut({ eventId, type, dossierId, effect: change.recorded ?? (change.effect as StripeEventRecord['effect']), anomaly: change.anomaly }, now),
        auditPut(dossierPk(dossierId), { actor: 'stripe', at: now.toISOString(), ...change.audit }),
        ...(change.extra ?? []),
      ];
      // An event that changes nothing on the dossier is still recorded (and audited) once: a new version.
      return { dossier: change.dossier === current ? { ...current } : change.dossier, extra, actor: 'stripe' };
    },
    now,
  );
  return effect;
}
