/**
 * The dossier's money movements: the ledger that answers the student's "was I charged?".
 *
 * Every movement of money about a dossier — a one-off payment (card or scolarité desk), each
 * attempt at an instalment, each refund — is one entry, kept on the dossier and written in the
 * same transaction as the state change it belongs to (and its audit entry). Entries are keyed by
 * `kind` + `reference` (the Stripe PaymentIntent or Refund, the office receipt): recording the
 * same movement again updates its status, never adds a second entry, so replayed events leave
 * one line. Amounts the service compares (what was paid, what may be refunded) are computed
 * here and nowhere else.
 */
import * as z from 'zod/mini';
import { type Dossier, isUnownedCharge } from './model';

export const MovementKind = /* @__PURE__ */ z.enum(['payment', 'instalment', 'refund']);
export type MovementKind = z.infer<typeof MovementKind>;

/**
 * `pending`: asked of Stripe, outcome not known yet (an off-session charge, a refund);
 * `succeeded`: the money moved; `failed`: it did not (a declined card, a failed refund);
 * `recorded`: written down for the accounting office, not executed by this service (an office
 * refund); `cancelled`: will never be executed (an instalment dropped on withdrawal).
 */
export const MovementStatus = /* @__PURE__ */ z.enum(['pending', 'succeeded', 'failed', 'recorded', 'cancelled']);
export type MovementStatus = z.infer<typeof MovementStatus>;

export const Movement = /* @__PURE__ */ z.lazy(() =>
  z.object({
    kind: MovementKind,
    /** The instalment's number (from 1; config/instalments.ts `parts`), for `instalment` entries. */
    n: z.optional(z.number().check(z.int(), z.positive())),
    /** Always positive: a refund's direction is its kind. */
    amountCents: z.number().check(z.int(), z.positive()),
    /** When the movement was asked or happened (ISO 8601); `updatedAt` when its status last changed. */
    at: z.string(),
    updatedAt: z.optional(z.string()),
    /** The Stripe PaymentIntent or Refund id, or the office receipt number. */
    reference: z.string(),
    status: MovementStatus,
    method: z.optional(z.enum(['card', 'office'])),
    /** Why it failed (Stripe's decline code) or was cancelled, in codes, never prose. */
    reason: z.optional(z.string()),
  }),
);
export type Movement = z.infer<typeof Movement>;

/**
 * The dossier's movements, oldest first. Dossiers paid before the ledger existed hold their one
 * payment in `payment` only: it is shown as a movement.
 */
export function movementsOf(d: Dossier): Movement[] {
  if (d.movements) return d.movements;
  const p = d.payment;
  if (p.status === 'paid' && p.reference && p.paidAt && (p.amountCents ?? 0) > 0) {
    return [{ kind: 'payment', amountCents: p.amountCents!, at: p.paidAt, reference: p.reference, status: 'succeeded', method: p.method === 'office' ? 'office' : 'card' }];
  }
  return [];
}

const sameMovement = (a: Pick<Movement, 'kind' | 'reference'>, b: Pick<Movement, 'kind' | 'reference'>) => a.kind === b.kind && a.reference === b.reference;

export function findMovement(d: Dossier, kind: MovementKind, reference: string): Movement | undefined {
  return movementsOf(d).find((m) => sameMovement(m, { kind, reference }));
}

/**
 * The dossier with `m` recorded: appended when new, otherwise its status (and reason) updated in
 * place, keeping the first `at`. Recording what is already there returns the same dossier
 * object, so callers can tell "nothing changed" by identity.
 */
export function recordMovement(d: Dossier, m: Movement): Dossier {
  const list = movementsOf(d);
  const i = list.findIndex((x) => sameMovement(x, m));
  if (i < 0) return { ...d, movements: [...list, m] };
  const old = list[i];
  if (old.status === m.status && old.reason === m.reason && old.amountCents === m.amountCents) return d;
  const updated: Movement = { ...old, status: m.status, amountCents: m.amountCents, updatedAt: m.updatedAt ?? m.at, ...(m.reason ? { reason: m.reason } : {}) };
  if (!m.reason) delete updated.reason;
  return { ...d, movements: list.map((x, j) => (j === i ? updated : x)) };
}

const sum = (ms: Movement[]) => ms.reduce((total, m) => total + m.amountCents, 0);

/** The charges that went through: payments and instalments that succeeded. */
const chargesReceived = (d: Dossier) => movementsOf(d).filter((m) => m.kind !== 'refund' && m.status === 'succeeded');

/** What the student has paid so far (every charge received), refunds not deducted. */
export function amountPaidCents(d: Dossier): number {
  return sum(chargesReceived(d));
}

/**
 * The charges that settled the fees, oldest first: payments and instalments that succeeded, less
 * those flagged as payment anomalies (a second charge for a part already paid, a charge for a
 * cancelled one: money the operators give back). What the payment certificate lists, line by
 * line, and the synthesis mail states as paid; `amountPaidCents` counts every charge instead,
 * since a refund gives back whatever was received.
 */
export function settlementsOf(d: Dossier): Movement[] {
  // Only an unowed charge's anomaly flags its charge: a refund's may name the payment it gives back.
  const flagged = new Set((d.payment.anomalies ?? []).filter((a) => isUnownedCharge(a.reason)).map((a) => a.reference));
  return chargesReceived(d).filter((m) => !flagged.has(m.reference));
}

export const amountSettledCents = (d: Dossier): number => sum(settlementsOf(d));

/**
 * What has been refunded or is on its way back (succeeded, pending or recorded for the office):
 * a second refund is sized against it, so two refunds never exceed what was paid.
 */
export function amountRefundedCents(d: Dossier): number {
  return sum(movementsOf(d).filter((m) => m.kind === 'refund' && (m.status === 'succeeded' || m.status === 'pending' || m.status === 'recorded')));
}

/** Charges asked of Stripe whose outcome is not known yet (an off-session instalment in flight). */
export function pendingCharges(d: Dossier): Movement[] {
  return movementsOf(d).filter((m) => m.kind !== 'refund' && m.status === 'pending');
}

/**
 * The movements `after` adds to or changes from `before` (as they are in `after`): what the store
 * audits with every dossier write (functions/adapters/dynamo/dossiers.ts `mutateDossier`), so no
 * movement is recorded without its audit entry.
 */
export function changedMovements(before: Dossier, after: Dossier): Movement[] {
  const old = movementsOf(before);
  return movementsOf(after).filter((m) => {
    const o = old.find((x) => sameMovement(x, m));
    return !o || o.status !== m.status || o.amountCents !== m.amountCents || o.reason !== m.reason;
  });
}
