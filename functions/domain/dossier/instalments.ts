/**
 * Paying in parts (SPEC "Instalments"): the ONE place that decides who may, the schedule (amounts
 * and due dates), which part is charged when, and what a charge's outcome does. The numbers come
 * from config/instalments.ts; everything here is pure.
 *
 *     scheduled ──(due: the job claims it)──► processing ──succeeded──► paid
 *         │  ▲                                     │
 *         │  └── (student pays by Checkout) ───────┼─failed, 1st attempt──► failed ──(retry day)──► processing
 *         │                                        └─failed, retry──────────► overdue (listed for operators)
 *         └── withdrawal ──► cancelled           (failed, overdue or scheduled parts: the student may pay now)
 *
 * A part is charged off-session only after the job has claimed it in the dossier's transaction
 * (`claimCharge`): two runs, or two concurrent runs, claim it once; the claim's attempt number
 * names the Stripe idempotency key, so a resumed claim cannot charge twice either.
 */
import * as z from 'zod/mini';
import { wallClock } from '../zoned-time';
import { DomainError } from './errors';
import { recordMovement } from './money';
import type { Dossier, PaymentAnomaly } from './model';

export interface InstalmentRules {
  minimumCents: number;
  parts: number;
  dueDay: number;
  retryAfterDays: number;
  timeZone: string;
}

export const PaymentPlan = /* @__PURE__ */ z.enum(['full', 'instalments']);
export type PaymentPlan = z.infer<typeof PaymentPlan>;

export const InstalmentStatus = /* @__PURE__ */ z.enum(['scheduled', 'processing', 'paid', 'failed', 'overdue', 'cancelled']);
export type InstalmentStatus = z.infer<typeof InstalmentStatus>;

export const Instalment = /* @__PURE__ */ z.lazy(() =>
  z.object({
    n: z.number().check(z.int(), z.positive()),
    amountCents: z.number().check(z.int(), z.positive()),
    /** Calendar date (YYYY-MM-DD) in the rules' time zone. */
    dueOn: z.string(),
    status: InstalmentStatus,
    paidAt: z.optional(z.string()),
    /** The PaymentIntent that paid it, or of the charge in flight. */
    reference: z.optional(z.string()),
    /** Off-session charges started so far (the claim's number names the idempotency key). */
    attempts: z.optional(z.number().check(z.int(), z.nonnegative())),
    /** When the job claimed the charge in flight. */
    chargeStartedAt: z.optional(z.string()),
    /** After a first decline: the day of the one automatic retry. */
    retryOn: z.optional(z.string()),
    /** Stripe's decline code of the last failure. */
    failureCode: z.optional(z.string()),
    /** A Checkout session the student opened to pay this part now, and when it lapses. */
    checkoutSessionId: z.optional(z.string()),
    checkoutExpiresAt: z.optional(z.string()),
    /** When a withdrawal cancelled it. */
    cancelledAt: z.optional(z.string()),
  }),
);
export type Instalment = z.infer<typeof Instalment>;

export interface ScheduledPart {
  n: number;
  amountCents: number;
  dueOn: string;
}

const pad = (x: number) => String(x).padStart(2, '0');

/** The calendar date (YYYY-MM-DD) of `at` in the rules' time zone. */
export function localDate(at: Date, rules: Pick<InstalmentRules, 'timeZone'>): string {
  const w = wallClock(at, rules.timeZone);
  return `${w.year}-${pad(w.month)}-${pad(w.day)}`;
}

/** `date` (YYYY-MM-DD) plus `days` calendar days. */
export function addDays(date: string, days: number): string {
  const t = new Date(`${date}T00:00:00Z`);
  t.setUTCDate(t.getUTCDate() + days);
  return t.toISOString().slice(0, 10);
}

/**
 * The schedule of `totalCents` paid in parts from `enrollmentDay`: equal parts in whole cents, the
 * first taking the rounding cents, due at enrollment; the others on `dueDay` of the following
 * months.
 */
export function instalmentSchedule(totalCents: number, enrollmentDay: Date, rules: InstalmentRules): ScheduledPart[] {
  const base = Math.floor(totalCents / rules.parts);
  const first = totalCents - base * (rules.parts - 1);
  const w = wallClock(enrollmentDay, rules.timeZone);
  return Array.from({ length: rules.parts }, (_, i) => {
    if (i === 0) return { n: 1, amountCents: first, dueOn: localDate(enrollmentDay, rules) };
    const monthIndex = w.month - 1 + i;
    const year = w.year + Math.floor(monthIndex / 12);
    return { n: i + 1, amountCents: base, dueOn: `${year}-${pad((monthIndex % 12) + 1)}-${pad(rules.dueDay)}` };
  });
}

/**
 * Whether the dossier may pay in parts: awaiting an online payment of the national rate (not a
 * pay-at-office or scholarship dossier) of at least the configured minimum.
 */
export function instalmentsAllowed(d: Pick<Dossier, 'status' | 'payment' | 'fees'>, rules: InstalmentRules): boolean {
  return d.status === 'awaiting_payment' && d.payment.status === 'due' && d.fees.reason === 'standard' && !d.fees.exempt && d.fees.amountCents >= rules.minimumCents;
}

/**
 * The dossier about to open a Checkout session for `plan`: `instalments` keeps the schedule the
 * student was shown (a new one from `now` when there is none or the amount changed); `full`
 * drops it. DomainError `instalments_not_allowed` when the dossier may not pay in parts.
 */
export function choosePlan(d: Dossier, plan: PaymentPlan, now: Date, rules: InstalmentRules): Dossier {
  if (plan === 'full') {
    if ((d.payment.plan ?? 'full') === 'full' && !d.payment.instalments) return d;
    const { instalments: _dropped, ...payment } = d.payment;
    return { ...d, payment: { ...payment, plan: 'full' } };
  }
  if (!instalmentsAllowed(d, rules)) throw new DomainError('instalments_not_allowed', { status: d.status, parts: rules.parts });
  const kept = d.payment.instalments;
  const today = localDate(now, rules);
  if (d.payment.plan === 'instalments' && kept?.[0]?.dueOn === today && kept.reduce((s, i) => s + i.amountCents, 0) === d.fees.amountCents) return d;
  const instalments: Instalment[] = instalmentSchedule(d.fees.amountCents, now, rules).map((p) => ({ ...p, status: 'scheduled' }));
  return { ...d, payment: { ...d.payment, plan: 'instalments', instalments } };
}

/** What the enrollment's Checkout session charges: the first part of a plan, otherwise the fees. */
export function amountDueNow(d: Dossier): number {
  return d.payment.plan === 'instalments' && d.payment.instalments?.[0] ? d.payment.instalments[0].amountCents : d.fees.amountCents;
}

/** The parts still to pay (not paid, not cancelled), and what they add up to. */
export function remainingInstalments(d: Dossier): Instalment[] {
  return (d.payment.instalments ?? []).filter((i) => i.status !== 'paid' && i.status !== 'cancelled');
}

export function overdueInstalments(d: Dossier): Instalment[] {
  return (d.payment.instalments ?? []).filter((i) => i.status === 'overdue');
}

const withInstalment = (d: Dossier, n: number, change: (i: Instalment) => Instalment): Dossier => ({
  ...d,
  payment: { ...d.payment, instalments: (d.payment.instalments ?? []).map((i) => (i.n === n ? change(i) : i)) },
});

const onPlan = (d: Dossier) => d.status === 'enrolled' && d.payment.plan === 'instalments';

/** The first part, paid through the enrollment's Checkout session: the rest of the plan starts. */
export function firstInstalmentPaid(d: Dossier, data: { reference: string; at: string }): Dossier {
  return withInstalment(d, 1, (i) => ({ ...i, status: 'paid', paidAt: data.at, reference: data.reference }));
}

// ---------------------------------------------------------------------------------------------
// The daily job

/**
 * Whether the job must (re)start the off-session charge of part `i` on `today`: a scheduled part
 * due today or before; a failed part on its retry day; or a charge the job claimed but whose
 * PaymentIntent was never recorded (the run stopped between the claim and Stripe's answer: the
 * same idempotency key finds Stripe's PaymentIntent again). A part the student is paying by
 * Checkout (session still open at `now`) is left alone.
 */
function chargeable(i: Instalment, today: string, now: Date): boolean {
  if (i.checkoutExpiresAt && Date.parse(i.checkoutExpiresAt) > now.getTime() && i.status !== 'processing') return false;
  if (i.status === 'scheduled') return i.dueOn <= today;
  if (i.status === 'failed') return (i.retryOn ?? i.dueOn) <= today;
  return i.status === 'processing' && !i.reference;
}

/** The parts the job charges for this dossier on `now` (nothing unless enrolled on a plan). */
export function dueCharges(d: Dossier, now: Date, rules: Pick<InstalmentRules, 'timeZone'>): Instalment[] {
  if (!onPlan(d)) return [];
  const today = localDate(now, rules);
  return (d.payment.instalments ?? []).filter((i) => chargeable(i, today, now));
}

/**
 * The next day the job has something to do for this dossier (a due part, a retry), or undefined:
 * what the store indexes the dossier under for the job to find it (no scan of every dossier).
 */
export function nextChargeDay(d: Dossier): string | undefined {
  if (!onPlan(d)) return undefined;
  const days = (d.payment.instalments ?? []).flatMap((i) =>
    i.status === 'scheduled' ? [i.dueOn] : i.status === 'failed' ? [i.retryOn ?? i.dueOn] : i.status === 'processing' && !i.reference ? [i.dueOn] : [],
  );
  return days.sort()[0];
}

export interface ChargeClaim {
  dossier: Dossier;
  n: number;
  attempt: number;
  amountCents: number;
}

/**
 * Claims part `n` for an off-session charge: `processing`, one more attempt. A claim already made
 * but never sent to Stripe is resumed with its attempt number (the same idempotency key).
 * Undefined when the part is not chargeable any more (another run claimed it, the student paid,
 * the plan was cancelled): the caller charges nothing.
 */
export function claimCharge(d: Dossier, n: number, now: Date, rules: Pick<InstalmentRules, 'timeZone'>): ChargeClaim | undefined {
  const i = dueCharges(d, now, rules).find((x) => x.n === n);
  if (!i) return undefined;
  if (i.status === 'processing') return { dossier: d, n, attempt: i.attempts ?? 1, amountCents: i.amountCents };
  const attempt = (i.attempts ?? 0) + 1;
  const dossier = withInstalment(d, n, (x) => {
    // The last attempt's PaymentIntent stays in the ledger; the part follows the new one.
    const { retryOn: _r, checkoutSessionId: _s, checkoutExpiresAt: _e, reference: _p, ...rest } = x;
    return { ...rest, status: 'processing', attempts: attempt, chargeStartedAt: now.toISOString() };
  });
  return { dossier, n, attempt, amountCents: i.amountCents };
}

/** The idempotency key of attempt `attempt` at charging part `n`: one per instalment and attempt. */
export const chargeIdempotencyKey = (dossierId: string, n: number, attempt: number) => `instalment-${dossierId}-${n}-a${attempt}`;

/**
 * Stripe created the PaymentIntent of a claimed charge: its id is kept on the part and in the
 * ledger (`pending`). Unchanged when the outcome already arrived (webhooks may come first).
 */
export function recordChargeStarted(d: Dossier, c: { n: number; attempt: number; reference: string; amountCents: number; at: string }): Dossier {
  const i = d.payment.instalments?.find((x) => x.n === c.n);
  if (!i || i.status !== 'processing' || i.attempts !== c.attempt || i.reference) return d;
  const started = withInstalment(d, c.n, (x) => ({ ...x, reference: c.reference }));
  return recordMovement(started, { kind: 'instalment', n: c.n, amountCents: c.amountCents, at: c.at, reference: c.reference, status: 'pending', method: 'card' });
}

// ---------------------------------------------------------------------------------------------
// Outcomes (signed webhooks)

/** An off-session charge's outcome, from a signature-verified `payment_intent.*` event. */
export interface ChargeOutcome {
  eventId: string;
  outcome: 'succeeded' | 'failed';
  n: number;
  attempt: number;
  reference: string;
  amountCents: number;
  currency: string;
  /** Stripe's decline code (failures). */
  failureCode?: string;
  at: string;
}

export type ChargeEffect = 'paid' | 'failed' | 'overdue' | 'anomaly' | 'none';

export interface ChargeResult {
  dossier: Dossier;
  effect: ChargeEffect;
}

/**
 * Applies a charge's outcome once. Succeeded: the part is `paid` (a charge for a part already
 * paid otherwise, or cancelled, is an anomaly for the operators: money to give back). Failed,
 * on the first attempt: `failed`, retried `retryAfterDays` later; on the retry: `overdue`. A
 * failure of an older attempt, or any repeat, changes the ledger line at most.
 */
export function applyChargeOutcome(d: Dossier, e: ChargeOutcome, rules: Pick<InstalmentRules, 'retryAfterDays' | 'timeZone'>): ChargeResult {
  if (d.payment.anomalies?.some((a) => a.eventId === e.eventId)) return { dossier: d, effect: 'none' };
  return e.outcome === 'succeeded' ? chargeSucceeded(d, e) : chargeFailed(d, e, rules);
}

const movementOf = (e: Omit<ChargeOutcome, 'outcome' | 'attempt'>) => ({ kind: 'instalment' as const, n: e.n, amountCents: e.amountCents, at: e.at, reference: e.reference, method: 'card' as const });

function chargeSucceeded(d: Dossier, e: Omit<ChargeOutcome, 'outcome' | 'attempt'>): ChargeResult {
  const i = d.payment.instalments?.find((x) => x.n === e.n);
  const movement = movementOf(e);
  if (i?.status === 'paid' && i.reference === e.reference) return { dossier: recordMovement(d, { ...movement, status: 'succeeded' }), effect: 'none' };
  const mismatch = !i || e.amountCents !== i.amountCents || e.currency.toUpperCase() !== d.fees.currency;
  if (mismatch || i.status === 'paid' || i.status === 'cancelled' || d.status !== 'enrolled') {
    const anomaly: PaymentAnomaly = {
      reason: mismatch ? 'payment_amount_mismatch' : d.status === 'enrolled' && i?.status === 'paid' ? 'payment_already_done' : 'payment_not_due',
      eventId: e.eventId,
      checkoutSessionId: '',
      reference: e.reference,
      amountCents: e.amountCents,
      currency: e.currency,
      at: e.at,
    };
    const flagged = recordMovement(d, { ...movement, status: 'succeeded' });
    return { dossier: { ...flagged, payment: { ...flagged.payment, anomalies: [...(flagged.payment.anomalies ?? []), anomaly] } }, effect: 'anomaly' };
  }
  const paid = withInstalment(d, e.n, (x) => {
    const { retryOn: _r, failureCode: _f, chargeStartedAt: _c, ...rest } = x;
    return { ...rest, status: 'paid', paidAt: e.at, reference: e.reference };
  });
  return { dossier: recordMovement(paid, { ...movement, status: 'succeeded' }), effect: 'paid' };
}

function chargeFailed(d: Dossier, e: ChargeOutcome, rules: Pick<InstalmentRules, 'retryAfterDays' | 'timeZone'>): ChargeResult {
  const i = d.payment.instalments?.find((x) => x.n === e.n);
  const movement = movementOf(e);
  const failedLine = recordMovement(d, { ...movement, status: 'failed', ...(e.failureCode ? { reason: e.failureCode } : {}) });
  // Only the outcome of the charge in flight moves the part: an older attempt's is history.
  if (!i || i.status !== 'processing' || (i.attempts ?? 0) !== e.attempt || (i.reference && i.reference !== e.reference)) {
    return { dossier: failedLine, effect: 'none' };
  }
  const retry = e.attempt < 2;
  const after = withInstalment(failedLine, e.n, (x) => {
    const { chargeStartedAt: _c, ...rest } = x;
    return {
      ...rest,
      reference: e.reference,
      status: retry ? 'failed' : 'overdue',
      ...(e.failureCode ? { failureCode: e.failureCode } : {}),
      ...(retry ? { retryOn: addDays(localDate(new Date(e.at), rules), rules.retryAfterDays) } : {}),
    };
  });
  return { dossier: after, effect: retry ? 'failed' : 'overdue' };
}

// ---------------------------------------------------------------------------------------------
// Paying a part now (Checkout)

/**
 * A part not charged yet, nor being charged, nor settled: one the student may pay now
 * (`assertInstalmentPayable`) and a withdrawal cancels (`cancelUnchargedInstalments`).
 */
export const isUncharged = (i: Pick<Instalment, 'status'>): boolean => i.status === 'scheduled' || i.status === 'failed' || i.status === 'overdue';

/**
 * Whether the student may pay part `n` now by Checkout: a failed, overdue or future (scheduled)
 * part of an enrolled dossier on a plan. DomainError `instalment_unknown` (no such part),
 * `payment_processing` (an off-session charge of it is in flight: wait for its outcome),
 * `payment_already_done` (paid), `payment_not_due` (cancelled, or no plan).
 */
export function assertInstalmentPayable(d: Dossier, n: number): Instalment {
  if (d.status === 'cancelled') throw new DomainError('payment_cancelled');
  const i = d.payment.instalments?.find((x) => x.n === n);
  if (!i || d.payment.plan !== 'instalments') throw new DomainError('instalment_unknown', { n });
  if (d.status !== 'enrolled') throw new DomainError('payment_not_due', { status: d.status });
  if (i.status === 'paid') throw new DomainError('payment_already_done');
  if (i.status === 'processing') throw new DomainError('payment_processing');
  if (i.status === 'cancelled') throw new DomainError('payment_not_due', { status: d.status });
  return i;
}

/** Records the Checkout session opened to pay part `n` now: the job leaves the part alone while it is open. */
export function recordInstalmentCheckout(d: Dossier, n: number, session: { id: string; expiresAt: string }): Dossier {
  const i = assertInstalmentPayable(d, n);
  if (i.checkoutSessionId === session.id) return d;
  return withInstalment(d, n, (x) => ({ ...x, checkoutSessionId: session.id, checkoutExpiresAt: session.expiresAt }));
}

/** A Checkout payment of part `n` (enrollment's first part excepted): handled as a succeeded charge. */
export function applyInstalmentCheckout(d: Dossier, e: Omit<ChargeOutcome, 'outcome' | 'attempt'>): ChargeResult {
  if (d.payment.anomalies?.some((a) => a.eventId === e.eventId)) return { dossier: d, effect: 'none' };
  const result = chargeSucceeded(d, e);
  return result.effect === 'paid' ? { ...result, dossier: withInstalment(result.dossier, e.n, ({ checkoutSessionId: _s, checkoutExpiresAt: _e, ...x }) => x) } : result;
}

// ---------------------------------------------------------------------------------------------
// Withdrawal

/**
 * Cancels the parts not charged yet (scheduled, failed, overdue) when the student withdraws; the
 * ledger keeps what was charged. DomainError `payment_processing` while an off-session charge is
 * in flight (claimed, outcome unknown): withdrawal and that charge may never both succeed, so
 * the withdrawal waits for the outcome. Unchanged when nothing is left to cancel.
 */
export function cancelUnchargedInstalments(d: Dossier, at: string): Dossier {
  const parts = d.payment.instalments;
  if (!parts) return d;
  if (parts.some((i) => i.status === 'processing')) throw new DomainError('payment_processing');
  if (!parts.some(isUncharged)) return d;
  const instalments = parts.map((i): Instalment => {
    if (!isUncharged(i)) return i;
    const { retryOn: _r, checkoutSessionId: _s, checkoutExpiresAt: _e, ...rest } = i;
    return { ...rest, status: 'cancelled', cancelledAt: at };
  });
  return { ...d, payment: { ...d.payment, instalments } };
}
