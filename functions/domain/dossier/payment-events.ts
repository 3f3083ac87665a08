/**
 * Payments: who may pay online, Checkout sessions and the events Stripe sends about them,
 * office payments. The Stripe adapter translates to and from these types.
 */
import { type DomainReason, DomainError } from './errors';
import { dossierDecision, dossierFees } from './fees';
import { transition } from './lifecycle';
import { amountDueNow, applyInstalmentCheckout, cancelUnchargedInstalments, firstInstalmentPaid } from './instalments';
import { amountPaidCents, movementsOf, recordMovement } from './money';
import { type Dossier, type FeesByYear, type PaymentAnomaly, PaymentAnomalyReason, type Refund, type Steps } from './model';
import { refundScholarship } from './withdrawal';

export type PaymentPermission =
  | { ok: true; amountCents: number }
  | { ok: false; reason: 'payment_not_due' | 'payment_pay_at_office' | 'payment_scholarship_to_verify' | 'payment_already_done' | 'payment_cancelled' };

/**
 * Whether the student may start an online (card) payment. Only `awaiting_payment` dossiers
 * may; a pay-at-office dossier never can (`payment_pay_at_office`: the student is told to pay
 * at the scolarité desk and not to come back online).
 */
export function onlinePaymentAllowed(d: Dossier): PaymentPermission {
  switch (d.status) {
    case 'awaiting_payment':
      return d.payment.status === 'paid' ? { ok: false, reason: 'payment_already_done' } : { ok: true, amountCents: d.fees.amountCents };
    case 'pay_at_office':
      return { ok: false, reason: 'payment_pay_at_office' };
    case 'scholarship_to_verify':
      return { ok: false, reason: 'payment_scholarship_to_verify' };
    case 'enrolled':
      return { ok: false, reason: 'payment_already_done' };
    case 'cancelled':
      return { ok: false, reason: 'payment_cancelled' };
    default:
      return { ok: false, reason: 'payment_not_due' };
  }
}

/** Records the Checkout session opened for an allowed online payment (throws the refusal otherwise). */
export function recordCheckout(d: Dossier, checkoutSessionId: string): Dossier {
  const allowed = onlinePaymentAllowed(d);
  if (!allowed.ok) throw new DomainError(allowed.reason);
  if (d.payment.checkoutSessionId === checkoutSessionId) return d;
  return { ...d, payment: { ...d.payment, checkoutSessionId } };
}

export type PaymentOutcome = { dossier: Dossier; changed: boolean; reason?: DomainReason };

/**
 * A confirmed online payment (signature-verified webhook). Idempotent: a repeated event for
 * the same reference changes nothing; an event for a dossier that is not awaiting payment
 * (cancelled, already paid, pay at office) or with another amount changes nothing either and
 * says why, for the operators to follow up (refund).
 */
export function completeOnlinePayment(d: Dossier, data: { reference: string; amountCents: number; at: string }): PaymentOutcome {
  if (d.payment.status === 'paid' && d.payment.reference === data.reference) return { dossier: d, changed: false };
  if (d.status !== 'awaiting_payment') {
    const reason: DomainReason =
      d.status === 'cancelled'
        ? 'payment_cancelled'
        : d.status === 'pay_at_office' || d.status === 'scholarship_to_verify'
          ? 'payment_pay_at_office'
          : d.status === 'enrolled'
            ? 'payment_already_done'
            : 'payment_not_due';
    return { dossier: d, changed: false, reason };
  }
  if (data.amountCents !== amountDueNow(d)) return { dossier: d, changed: false, reason: 'payment_amount_mismatch' };
  const enrolled = transition(d, 'enrolled');
  const paid: Dossier = {
    ...enrolled,
    // The ledger as it stood before this payment (movementsOf would read the payment twice).
    movements: movementsOf(d),
    enrolledAt: data.at,
    payment: { ...d.payment, status: 'paid', method: 'card', reference: data.reference, amountCents: data.amountCents, paidAt: data.at },
  };
  // On a plan the enrollment pays the first part (./instalments.ts); the others follow.
  const movement = { amountCents: data.amountCents, at: data.at, reference: data.reference, status: 'succeeded', method: 'card' } as const;
  if (d.payment.plan === 'instalments') return { changed: true, dossier: recordMovement(firstInstalmentPaid(paid, data), { kind: 'instalment', n: 1, ...movement }) };
  return { changed: true, dossier: recordMovement(paid, { kind: 'payment', ...movement }) };
}

// ---------------------------------------------------------------------------------------------
/** What Stripe says of the Checkout session recorded on the dossier. */
export interface CheckoutSessionState {
  status: 'open' | 'complete' | 'expired';
  /** ISO 8601 instant. */
  expiresAt: string;
}

/** An open session lapsing sooner than this is replaced: the student needs time to pay. */
export const CHECKOUT_REUSE_MARGIN_MS = 5 * 60 * 1000;

/** Whether a session expiring at `expiresAt` leaves too little time to pay (`CHECKOUT_REUSE_MARGIN_MS`): it is replaced, not reused. */
export const checkoutLapsesSoon = (expiresAt: string, now: Date): boolean => Date.parse(expiresAt) - now.getTime() <= CHECKOUT_REUSE_MARGIN_MS;

export type CheckoutPlan = { action: 'reuse' } | { action: 'create'; expireRecorded: boolean };

/**
 * What a student's "pay" leads to. The recorded session is reused while it is open, so a
 * dossier has one payable session and can be paid once; one about to lapse is closed
 * (`expireRecorded`) and replaced. A recorded session already completed means Stripe holds
 * the payment and its confirmation is on its way: another session could charge twice
 * (`payment_processing`). Refusals of `onlinePaymentAllowed` are thrown as they are.
 */
export function planCheckout(d: Dossier, recorded: CheckoutSessionState | undefined, now: Date): CheckoutPlan {
  const allowed = onlinePaymentAllowed(d);
  if (!allowed.ok) throw new DomainError(allowed.reason);
  if (!d.payment.checkoutSessionId || !recorded) return { action: 'create', expireRecorded: false };
  if (recorded.status === 'complete') throw new DomainError('payment_processing');
  if (recorded.status === 'expired') return { action: 'create', expireRecorded: false };
  return checkoutLapsesSoon(recorded.expiresAt, now) ? { action: 'create', expireRecorded: true } : { action: 'reuse' };
}

/**
 * A signature-verified Stripe event about a Checkout session, in the domain's terms: `paid`
 * (completed and paid, or an asynchronous payment succeeded), `processing` (completed while an
 * asynchronous payment method settles), `failed` (that payment failed), `expired`.
 */
export interface CheckoutEvent {
  eventId: string;
  kind: 'paid' | 'processing' | 'failed' | 'expired';
  checkoutSessionId: string;
  /** The session's `client_reference_id` and `metadata.dossierId`: both must name the dossier. */
  clientReferenceId: string | null;
  metadataDossierId: string | null;
  /** The session's `metadata.academicYear`. */
  academicYear: string | null;
  amountCents: number | null;
  /** ISO 4217 code as Stripe writes it (lower case). */
  currency: string | null;
  /** The payment intent (the session id when Stripe names none). */
  reference: string;
  /** When Stripe created the event (ISO 8601): the payment time, however late the delivery. */
  at: string;
  /** The part of an instalment plan the session pays now (its `metadata.instalment`), for sessions opened after enrollment. */
  instalment?: number;
}

export type CheckoutEventEffect = 'enrolled' | 'instalment_paid' | 'released' | 'anomaly' | 'none';

export interface CheckoutEventOutcome {
  dossier: Dossier;
  effect: CheckoutEventEffect;
}

const unchanged = (d: Dossier): CheckoutEventOutcome => ({ dossier: d, effect: 'none' });

/**
 * Applies a Checkout event. Idempotent and order-independent: a duplicate, or an event that
 * comes after the outcome it would lead to (an expiry after the payment), changes nothing.
 */
export function applyCheckoutEvent(d: Dossier, e: CheckoutEvent): CheckoutEventOutcome {
  switch (e.kind) {
    case 'paid':
      return e.instalment && e.instalment > 1 ? applyPaidInstalmentCheckout(d, e, e.instalment) : applyPaidCheckout(d, e);
    case 'failed':
    case 'expired':
      return releaseCheckout(d, e.checkoutSessionId);
    case 'processing':
      return unchanged(d);
  }
}

function checkoutMismatch(d: Dossier, e: CheckoutEvent): PaymentAnomalyReason | undefined {
  if (e.clientReferenceId !== d.id || e.metadataDossierId !== d.id || e.academicYear !== d.academicYear) return 'payment_dossier_mismatch';
  if (e.currency === null || e.currency.toUpperCase() !== d.fees.currency) return 'payment_currency_mismatch';
  if (e.amountCents === null) return 'payment_amount_mismatch';
  return undefined;
}

/**
 * A paid session enrolls the dossier when it matches what was asked (dossier, academic year,
 * currency, then `completeOnlinePayment`: status and amount). Any other payment is kept on the
 * dossier as an anomaly for the operators and never enrolls. The payment already recorded
 * (same reference) or the anomaly already flagged for this event changes nothing.
 */
function applyPaidCheckout(d: Dossier, e: CheckoutEvent): CheckoutEventOutcome {
  if (d.payment.status === 'paid' && d.payment.reference === e.reference) return unchanged(d);
  if (d.payment.anomalies?.some((a) => a.eventId === e.eventId)) return unchanged(d);
  let reason = checkoutMismatch(d, e);
  if (!reason) {
    const paid = completeOnlinePayment(d, { reference: e.reference, amountCents: e.amountCents!, at: e.at });
    if (paid.changed) {
      return { dossier: { ...paid.dossier, payment: { ...paid.dossier.payment, checkoutSessionId: e.checkoutSessionId } }, effect: 'enrolled' };
    }
    reason = PaymentAnomalyReason.parse(paid.reason);
  }
  return { dossier: withAnomaly(d, checkoutAnomaly(e, reason)), effect: 'anomaly' };
}

/** A part of a plan paid now by Checkout (failed, overdue or not yet due): see `applyInstalmentCheckout`. */
function applyPaidInstalmentCheckout(d: Dossier, e: CheckoutEvent, n: number): CheckoutEventOutcome {
  if (d.payment.anomalies?.some((a) => a.eventId === e.eventId)) return unchanged(d);
  const reason = checkoutMismatch(d, e);
  if (reason) return { dossier: withAnomaly(d, checkoutAnomaly(e, reason)), effect: 'anomaly' };
  const r = applyInstalmentCheckout(d, { eventId: e.eventId, n, reference: e.reference, amountCents: e.amountCents!, currency: e.currency!, at: e.at });
  if (r.effect === 'anomaly') {
    const last = r.dossier.payment.anomalies!.at(-1)!;
    const anomalies = [...r.dossier.payment.anomalies!.slice(0, -1), { ...last, checkoutSessionId: e.checkoutSessionId }];
    return { dossier: { ...r.dossier, payment: { ...r.dossier.payment, anomalies } }, effect: 'anomaly' };
  }
  if (r.effect !== 'paid') return unchanged(d);
  // The card typed now is saved for the next parts: the job reads it from this payment.
  const { paymentMethodId: _replaced, ...payment } = r.dossier.payment;
  return { dossier: { ...r.dossier, payment }, effect: 'instalment_paid' };
}

/** The dossier with one more anomaly kept (every one, not the last: operators follow each up). */
export function withAnomaly(d: Dossier, anomaly: PaymentAnomaly): Dossier {
  return { ...d, payment: { ...d.payment, anomalies: [...(d.payment.anomalies ?? []), anomaly] } };
}

/** What the operators need to follow up a payment that could not be accepted. */
export function checkoutAnomaly(e: CheckoutEvent, reason: PaymentAnomalyReason): PaymentAnomaly {
  return {
    reason,
    eventId: e.eventId,
    checkoutSessionId: e.checkoutSessionId,
    reference: e.reference,
    amountCents: e.amountCents,
    currency: e.currency,
    at: e.at,
  };
}

/**
 * A session that can no longer be paid (expired, or its asynchronous payment failed): when it
 * is the dossier's current one it is forgotten, so the next attempt opens a new session.
 * An older session, or a dossier no longer awaiting payment, changes nothing.
 */
export function releaseCheckout(d: Dossier, checkoutSessionId: string): CheckoutEventOutcome {
  if (d.status !== 'awaiting_payment' || d.payment.checkoutSessionId !== checkoutSessionId) return unchanged(d);
  const { checkoutSessionId: _released, ...payment } = d.payment;
  return { dossier: { ...d, payment }, effect: 'released' };
}

/**
 * An operator records, at the scolarité desk, a payment (`paid`) or the granted scholarship
 * (`scholarship_granted`: the situation says granted and the fees become exempt). Allowed for
 * pay-at-office and awaiting-payment dossiers; completes the enrollment.
 */
export function recordOfficePayment(d: Dossier, data: { kind: 'paid' | 'scholarship_granted'; reference: string; at: string }, feesByYear: FeesByYear): Dossier {
  if (d.status === 'cancelled') throw new DomainError('payment_cancelled');
  if (d.status === 'enrolled') throw new DomainError('payment_already_done');
  if (d.status !== 'pay_at_office' && d.status !== 'awaiting_payment' && d.status !== 'scholarship_to_verify') throw new DomainError('payment_not_due', { status: d.status });
  const enrolled = { ...transition(d, 'enrolled'), enrolledAt: data.at };
  if (data.kind === 'paid') {
    const paid: Dossier = {
      ...enrolled,
      movements: movementsOf(d),
      payment: { ...d.payment, status: 'paid', method: 'office', reference: data.reference, amountCents: d.fees.amountCents, paidAt: data.at },
    };
    if (d.fees.amountCents === 0) return paid;
    return recordMovement(paid, { kind: 'payment', amountCents: d.fees.amountCents, at: data.at, reference: data.reference, status: 'succeeded', method: 'office' });
  }
  const steps: Steps = { ...d.steps, situation: { ...d.steps.situation, status: 'done', scholarship: 'granted' } };
  // The operator saw the CROUS notification: the scholarship is proven.
  const review = { decision: 'confirmed' as const, reason: data.reference, by: 'office', at: data.at };
  const granted = { ...enrolled, steps, scholarshipReview: review };
  return {
    ...granted,
    fees: dossierFees(granted, feesByYear),
    payment: { ...d.payment, status: 'not_required', method: 'scholarship', reference: data.reference },
  };
}

// ---------------------------------------------------------------------------------------------
export interface ScholarshipReviewOutcome {
  dossier: Dossier;
  /** The full refund recorded (confirmed after a payment: ./withdrawal.ts `refundScholarship`), to send. */
  refunds: Refund[];
}

/**
 * An operator's decision on a scholarship declared granted (SPEC "Proof before privilege"):
 * `scholarship_to_verify` → `enrolled` (confirmed) or `awaiting_payment` (refused, standard
 * fees online). Confirmed on a dossier already paid by card (it was refused, then paid, then
 * the CROUS notification came) → enrolled as a scholarship holder, the instalments not charged
 * yet cancelled, and everything paid refunded (no retention). The same decision again changes nothing. DomainError `scholarship_not_declared`
 * when the student did not declare a granted scholarship, `scholarship_already_reviewed` when a
 * different decision is final (a confirmed scholarship), the dossier's own refusals otherwise.
 */
export function reviewScholarship(d: Dossier, data: { decision: 'confirmed' | 'refused'; reason: string; by: string; at: string }, feesByYear: FeesByYear): ScholarshipReviewOutcome {
  if (d.status === 'cancelled') throw new DomainError('payment_cancelled');
  if (d.steps.situation.scholarship !== 'granted' || d.status === 'draft' || d.status === 'submitted') {
    throw new DomainError('scholarship_not_declared', { status: d.status });
  }
  if (d.scholarshipReview?.decision === data.decision) return { dossier: d, refunds: [] };
  if (d.scholarshipReview?.decision === 'confirmed' || d.fees.reason === 'scholarship_granted') throw new DomainError('scholarship_already_reviewed');
  const review = { decision: data.decision, reason: data.reason, by: data.by, at: data.at };
  const reviewed: Dossier = { ...d, scholarshipReview: review };
  const decision = dossierDecision(reviewed, feesByYear);
  if (data.decision === 'refused') {
    if (d.status !== 'scholarship_to_verify') throw new DomainError('scholarship_already_reviewed');
    return { dossier: { ...transition(reviewed, decision.outcome), fees: decision.fees, payment: { ...d.payment, ...decision.payment } }, refunds: [] };
  }
  if (d.status === 'scholarship_to_verify' || d.status === 'awaiting_payment') {
    const enrolled = { ...transition(reviewed, 'enrolled'), enrolledAt: data.at };
    const { checkoutSessionId: _closed, ...payment } = d.payment;
    return { dossier: { ...enrolled, fees: decision.fees, payment: { ...payment, ...decision.payment } }, refunds: [] };
  }
  // Enrolled and paid (card or desk): the student is a scholarship holder and is owed the fees.
  if (d.status === 'enrolled' && amountPaidCents(d) > 0) {
    const exempt = cancelUnchargedInstalments({ ...reviewed, fees: decision.fees }, data.at);
    return refundScholarship(exempt, { at: data.at, by: data.by, reason: data.reason });
  }
  throw new DomainError('scholarship_not_declared', { status: d.status });
}
