import { findProgramme } from '../../config/catalogue';
import { instalmentsConfig } from '../../config/instalments';
import { getDossier, mutateDossier } from '../adapters/dynamo/dossiers';
import { createOffSessionCharge, paymentMethodOf } from '../adapters/stripe';
import { chargeIdempotencyKey, claimCharge, dueCharges, type ChargeClaim, type Dossier, recordChargeStarted } from '../domain/dossier';
import { logger } from '../shared/logger';

/**
 * Charging the due parts of one dossier off-session (the InstalmentsDue job). For each due part:
 *  1. claim it in the dossier's transaction (`claimCharge`: `processing`, attempt k) — a run that
 *     loses the race, or comes again, finds it claimed and charges nothing;
 *  2. create the PaymentIntent with the key of that part and attempt — a resumed claim, or two
 *     runs that both read the claim, send the same key and Stripe makes one charge;
 *  3. keep its id on the part and in the ledger (`pending`).
 * The outcome is applied from the signed webhook only (./charge-events.ts).
 */
export type ChargeStart = 'started' | 'declined' | 'skipped';

export async function chargeDueParts(dossierId: string, now: Date): Promise<ChargeStart[]> {
  const dossier = await getDossier(dossierId);
  if (!dossier) return [];
  const results: ChargeStart[] = [];
  for (const part of dueCharges(dossier, now, instalmentsConfig)) results.push(await chargePart(dossierId, part.n, now));
  return results;
}

async function chargePart(dossierId: string, n: number, now: Date): Promise<ChargeStart> {
  let claim: ChargeClaim | undefined;
  const claimed = await mutateDossier(
    dossierId,
    (d) => {
      claim = claimCharge(d, n, now, instalmentsConfig);
      return claim?.dossier ?? d;
    },
    now,
  );
  if (!claim) return 'skipped';
  const { customerId } = claimed.payment;
  const paymentMethodId = claimed.payment.paymentMethodId ?? (await savedCard(claimed));
  if (!customerId || !paymentMethodId) {
    // No saved card to charge (the first part was paid without saving one): the part waits for the student.
    logger.error('Instalment plan without a saved card', { dossierId, n });
    return 'skipped';
  }
  const started = await createOffSessionCharge({
    dossierId,
    academicYear: claimed.academicYear,
    customerId,
    paymentMethodId,
    amountCents: claim.amountCents,
    currency: claimed.fees.currency,
    n,
    attempt: claim.attempt,
    description: `Droits d'inscription / Registration fees ${claimed.academicYear} — ${findProgramme(claimed.programmeCode)?.label.fr ?? claimed.programmeCode} — ${n}/${claimed.payment.instalments?.length ?? n}`,
    idempotencyKey: chargeIdempotencyKey(dossierId, n, claim.attempt),
  });
  const c = claim;
  await mutateDossier(
    dossierId,
    (d) => {
      const next = recordChargeStarted(d, { n, attempt: c.attempt, reference: started.paymentIntentId, amountCents: c.amountCents, at: now.toISOString() });
      return !d.payment.paymentMethodId && next !== d ? { ...next, payment: { ...next.payment, paymentMethodId } } : next;
    },
    now,
  );
  return started.status === 'declined' ? 'declined' : 'started';
}

/** The card saved when the student last paid by Checkout on the plan (the latest paid part's PaymentIntent). */
async function savedCard(d: Dossier): Promise<string | undefined> {
  const paidByCheckout = (d.payment.instalments ?? []).filter((i) => i.status === 'paid' && i.reference).at(-1);
  return paidByCheckout?.reference ? paymentMethodOf(paidByCheckout.reference) : undefined;
}
