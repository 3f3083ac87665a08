/**
 * Withdrawal and refunds (SPEC "Withdrawal and refunds"): the one place their rules live.
 *
 *     enrolled ─► withdrawn              (before the academic year's start: refund = paid − retention, at once)
 *              └► withdrawal_requested ─► withdrawn   (after it: a supervisor decides, 0 … paid − retention)
 *
 * A scholarship confirmed after a card payment refunds everything still held, without retention,
 * and the dossier stays enrolled. Fees paid at the desk are refunded by the accounting office:
 * the refund is recorded (`office`), never sent to Stripe. A refund never exceeds what was paid
 * minus what was already refunded (`refundableCents`), whatever the order of events.
 *
 * Each refund is kept twice over, in one change: its record here (`dossier.refunds`: cause, who
 * decided, Stripe's id) and its line in the money ledger (./money.ts, keyed by the refund's id),
 * from which every amount is computed.
 *
 * The amounts and the start date are configuration (config/catalogue.ts `withdrawalRules`),
 * passed in as `WithdrawalRules`. Pure: the handlers record, send and confirm.
 */
import { type WallClock, zonedToInstant } from '../zoned-time';
import { DomainError } from './errors';
import { assertNotCancelled } from './lifecycle';
import { cancelUnchargedInstalments } from './instalments';
import { transition } from './lifecycle';
import type { Dossier, PaymentAnomaly, Refund, RefundCause, RefundStatus } from './model';
import { amountPaidCents, amountRefundedCents, type MovementStatus, movementsOf, recordMovement } from './money';

export interface WithdrawalRules {
  academicYearStart: Omit<WallClock, 'year'>;
  retentionCents: number;
  /** The university's time zone (the stage's calendar). */
  timeZone: string;
}

/** When the academic year `2026-2027` starts: its first year's start date, in the university's zone. */
export function academicYearStart(academicYear: string, rules: WithdrawalRules): Date {
  const year = Number(/^(\d{4})-\d{4}$/.exec(academicYear)?.[1]);
  if (!Number.isInteger(year)) throw new Error(`Not an academic year: ${academicYear}`);
  return zonedToInstant({ year, ...rules.academicYearStart }, rules.timeZone);
}

/** The most that may still be refunded: paid − already refunded (the ledger's sums), minus the retention when it applies. */
export function refundableCents(d: Dossier, o: { retention: boolean }, rules: Pick<WithdrawalRules, 'retentionCents'>): number {
  return Math.max(0, amountPaidCents(d) - amountRefundedCents(d) - (o.retention ? rules.retentionCents : 0));
}

/** A refund's line in the ledger: on its way back until Stripe confirms, `recorded` for the desk. */
const MOVEMENT_STATUS: Readonly<Record<RefundStatus, MovementStatus | undefined>> = {
  requested: 'pending',
  pending: 'pending',
  succeeded: 'succeeded',
  failed: 'failed',
  office: 'recorded',
  // Nothing moves.
  none: undefined,
};

/** The dossier with `r` as its refund record and its ledger line (the one way refunds are written). */
function putRefund(d: Dossier, r: Refund, at: string): Dossier {
  const list = d.refunds ?? [];
  const refunds = list.some((x) => x.id === r.id) ? list.map((x) => (x.id === r.id ? r : x)) : [...list, r];
  const status = MOVEMENT_STATUS[r.status];
  const next = { ...d, refunds };
  if (!status) return next;
  return recordMovement(next, {
    kind: 'refund',
    amountCents: r.amountCents,
    at: r.requestedAt,
    ...(at !== r.requestedAt ? { updatedAt: at } : {}),
    reference: r.id,
    status,
    method: r.method,
    ...(r.failureReason ? { reason: r.failureReason } : {}),
  });
}

/**
 * The refunds of one decision, recorded on the dossier. Fees paid at the desk: one refund for the
 * office. By card: one refund per card charge (the Checkout payment, each instalment), newest
 * first, each at most what is left of its charge — Stripe refunds a PaymentIntent, never more
 * than it took. Nothing to refund: one refund of 0 (`none`), so the decision shows.
 */
function withRefunds(d: Dossier, o: { cause: RefundCause; amountCents: number; at: string; decidedBy?: string; reason?: string }): { dossier: Dossier; refunds: Refund[] } {
  const office = d.payment.method === 'office';
  const parts: { amountCents: number; reference?: string }[] = [];
  if (o.amountCents === 0 || office) parts.push({ amountCents: o.amountCents, reference: d.payment.reference });
  else {
    let remaining = o.amountCents;
    const charges = movementsOf(d).filter((m) => m.kind !== 'refund' && m.status === 'succeeded' && m.method !== 'office');
    for (const charge of charges.reverse()) {
      const left = charge.amountCents - refundedOf(d, charge.reference);
      const take = Math.min(left, remaining);
      if (take > 0) parts.push({ amountCents: take, reference: charge.reference });
      remaining -= Math.max(take, 0);
    }
  }
  let next = d;
  const refunds = parts.map((part, i) => {
    const refund: Refund = {
      id: `${d.id}#refund#${(d.refunds?.length ?? 0) + i + 1}`,
      cause: o.cause,
      amountCents: part.amountCents,
      status: part.amountCents === 0 ? 'none' : office ? 'office' : 'requested',
      method: office ? 'office' : 'card',
      ...(part.reference ? { paymentReference: part.reference } : {}),
      requestedAt: o.at,
      ...(o.decidedBy ? { decidedBy: o.decidedBy } : {}),
      ...(o.reason ? { reason: o.reason } : {}),
    };
    next = putRefund(next, refund, o.at);
    return refund;
  });
  return { dossier: next, refunds };
}

/** What refunds of one charge hold back or returned (failed ones do not count). */
const refundedOf = (d: Dossier, paymentReference: string) =>
  (d.refunds ?? []).filter((r) => r.paymentReference === paymentReference && r.status !== 'failed' && r.status !== 'none').reduce((sum, r) => sum + r.amountCents, 0);

/**
 * The refund the API shows (`refund:{amountCents, status}`): the latest decision's refunds
 * together — their sum, and `failed` if one failed, `pending` while one is on its way.
 */
export function refundSummary(d: Dossier): { amountCents: number; status: RefundStatus } | undefined {
  const last = d.refunds?.at(-1);
  if (!last) return undefined;
  const group = d.refunds!.filter((r) => r.requestedAt === last.requestedAt && r.cause === last.cause);
  const has = (s: RefundStatus) => group.some((r) => r.status === s);
  const status: RefundStatus = has('failed') ? 'failed' : has('requested') || has('pending') ? 'pending' : last.status;
  return { amountCents: group.reduce((sum, r) => sum + r.amountCents, 0), status };
}

/**
 * What withdrawing at `at` means for the dossier, shown to the student before confirming (GET
 * /api/dossier `withdrawalTerms`) and applied by `requestWithdrawal`, so the page and the decision
 * never disagree. `immediate`: before the academic year's start, `refundCents` is refunded at once;
 * after it, a supervisor decides, `refundCents` at most.
 */
export interface WithdrawalTerms {
  immediate: boolean;
  refundCents: number;
  retentionCents: number;
  /** The academic year's start: the instant, and its day (YYYY-MM-DD) in the university's zone. */
  academicYearStart: string;
  academicYearStartsOn: string;
}

export function withdrawalTerms(d: Dossier, at: string, rules: WithdrawalRules): WithdrawalTerms {
  const start = academicYearStart(d.academicYear, rules);
  const pad = (n: number) => String(n).padStart(2, '0');
  return {
    immediate: Date.parse(at) < start.getTime(),
    refundCents: refundableCents(d, { retention: true }, rules),
    retentionCents: rules.retentionCents,
    academicYearStart: start.toISOString(),
    academicYearStartsOn: `${d.academicYear.slice(0, 4)}-${pad(rules.academicYearStart.month)}-${pad(rules.academicYearStart.day)}`,
  };
}

export interface RefundingOutcome {
  dossier: Dossier;
  /** The refunds this change recorded (none: nothing to refund, or nothing changed). */
  refunds: Refund[];
}

/** Whether the student may withdraw now: only an enrolled dossier (`requestWithdrawal`); the page then shows `withdrawalTerms`. */
export const mayWithdraw = (d: Pick<Dossier, 'status'>): boolean => d.status === 'enrolled';

/** Whether a supervisor's refund decision is awaited (`decideRefund`); `refundableCents` then says its ceiling. */
export const awaitsRefundDecision = (d: Pick<Dossier, 'status'>): boolean => d.status === 'withdrawal_requested';

/**
 * The student withdraws (`POST /api/dossier/withdrawal`). Only an enrolled dossier may
 * (DomainError `withdrawal_not_enrolled`); one already withdrawing is returned unchanged, so a
 * double click withdraws and refunds once. Before the academic year's start the dossier is
 * `withdrawn` with its refund; after it, `withdrawal_requested`. Either way the instalments not
 * charged yet are cancelled (DomainError `payment_processing` while one is being charged).
 */
export function requestWithdrawal(d: Dossier, data: { reason: string; at: string }, rules: WithdrawalRules): RefundingOutcome {
  if (d.status === 'withdrawn' || d.status === 'withdrawal_requested') return { dossier: d, refunds: [] };
  assertNotCancelled(d);
  if (!mayWithdraw(d)) throw new DomainError('withdrawal_not_enrolled', { status: d.status });
  // Parts not charged yet are dropped; while one is being charged, the withdrawal waits
  // (`payment_processing`): the withdrawal and that charge never both go through.
  d = cancelUnchargedInstalments(d, data.at);
  const terms = withdrawalTerms(d, data.at, rules);
  const withdrawal = { reason: data.reason, requestedAt: data.at };
  if (!terms.immediate) return { dossier: { ...transition(d, 'withdrawal_requested'), withdrawal }, refunds: [] };
  const withdrawn: Dossier = { ...transition(d, 'withdrawn'), withdrawal: { ...withdrawal, decision: 'automatic', decidedAt: data.at }, withdrawnAt: data.at };
  if (terms.refundCents === 0 && amountPaidCents(d) === 0) return { dossier: withdrawn, refunds: [] };
  return withRefunds(withdrawn, { cause: 'withdrawal', amountCents: terms.refundCents, at: data.at });
}

/**
 * A supervisor decides the refund of a withdrawal requested after the start
 * (`POST /api/admin/dossiers/{id}/refund`): 0 up to paid − retention − already refunded
 * (DomainError `refund_exceeds_refundable` with `maxCents` beyond it); the dossier is `withdrawn`.
 * The same decision again (a retried request) changes nothing; any other once decided, or a
 * dossier not awaiting a decision, is refused (`refund_not_awaited`).
 */
export function decideRefund(d: Dossier, data: { amountCents: number; reason: string; by: string; at: string }, rules: WithdrawalRules): RefundingOutcome {
  if (d.status === 'withdrawn' && d.withdrawal?.decision === 'supervisor' && (refundSummary(d)?.amountCents ?? 0) === data.amountCents) return { dossier: d, refunds: [] };
  if (!awaitsRefundDecision(d)) throw new DomainError('refund_not_awaited', { status: d.status });
  const maxCents = refundableCents(d, { retention: true }, rules);
  if (data.amountCents > maxCents) throw new DomainError('refund_exceeds_refundable', { maxCents });
  const withdrawn: Dossier = {
    ...transition(d, 'withdrawn'),
    withdrawal: { ...d.withdrawal!, decision: 'supervisor', decidedAt: data.at },
    withdrawnAt: data.at,
  };
  return withRefunds(withdrawn, { cause: 'withdrawal', amountCents: data.amountCents, at: data.at, decidedBy: data.by, reason: data.reason });
}

/**
 * A scholarship confirmed on a dossier already paid (SPEC "Withdrawal and refunds"): everything
 * still held is refunded, no retention; the dossier keeps its status. Nothing when nothing is held
 * (or a scholarship refund is already recorded: a repeated decision refunds once).
 */
export function refundScholarship(d: Dossier, data: { at: string; by: string; reason: string }): RefundingOutcome {
  if (d.refunds?.some((r) => r.cause === 'scholarship' && r.status !== 'failed')) return { dossier: d, refunds: [] };
  const amountCents = refundableCents(d, { retention: false }, { retentionCents: 0 });
  if (amountCents === 0) return { dossier: d, refunds: [] };
  return withRefunds(d, { cause: 'scholarship', amountCents, at: data.at, decidedBy: data.by, reason: data.reason });
}

/** Stripe takes a sent refund's idempotency key from it: one key per refund, never per attempt. */
export const refundIdempotencyKey = (r: Refund) => `refund-${r.id}`;

/**
 * Stripe's answer to the refund's creation: `pending` until its confirmation arrives by webhook,
 * which may have come first (then nothing changes). Unknown refund: unchanged.
 */
export function recordRefundSent(d: Dossier, refundId: string, sent: { stripeRefundId: string; at: string }): Dossier {
  const r = d.refunds?.find((x) => x.id === refundId);
  if (!r || r.status !== 'requested') return d;
  return putRefund(d, { ...r, status: 'pending', stripeRefundId: sent.stripeRefundId }, sent.at);
}

/** A signature-verified Stripe event about one of our refunds (functions/adapters/stripe.ts). */
export interface RefundEvent {
  eventId: string;
  /** Ours (`Refund.id`), from the refund's metadata. */
  refundId: string;
  stripeRefundId: string;
  status: 'pending' | 'succeeded' | 'failed';
  amountCents: number;
  currency: string;
  failureReason?: string;
  at: string;
}

export type RefundEventEffect = 'succeeded' | 'failed' | 'sent' | 'anomaly' | 'none';

export interface RefundEventOutcome {
  dossier: Dossier;
  effect: RefundEventEffect;
  refund?: Refund;
  anomaly?: PaymentAnomaly;
}

/** The anomaly that lists a refund for the operators (failed, or to make at the desk). */
export function refundAnomaly(d: Dossier, r: Refund, reason: 'refund_failed' | 'refund_at_office' | 'refund_unsent', o: { eventId?: string; at: string }): PaymentAnomaly {
  return {
    reason,
    eventId: o.eventId ?? `${r.id}#${reason}`,
    checkoutSessionId: d.payment.checkoutSessionId ?? '',
    reference: r.stripeRefundId ?? r.paymentReference ?? r.id,
    amountCents: r.amountCents,
    currency: 'eur',
    at: o.at,
  };
}

/**
 * Applies a refund event. Idempotent and order-independent: `succeeded` and `failed` are applied
 * once; a later `failed` overrules `succeeded` (a bank may fail a refund days later, which Stripe
 * reports with `refund.updated`/`refund.failed`), nothing overrules `failed`. A refund event
 * naming another amount than ours, or no refund of ours, is an anomaly for the operators.
 */
export function applyRefundEvent(d: Dossier, e: RefundEvent): RefundEventOutcome {
  const r = d.refunds?.find((x) => x.id === e.refundId);
  if (!r || r.amountCents !== e.amountCents || e.currency.toUpperCase() !== d.fees.currency) {
    const anomaly: PaymentAnomaly = { reason: 'refund_failed', eventId: e.eventId, checkoutSessionId: '', reference: e.stripeRefundId, amountCents: e.amountCents, currency: e.currency, at: e.at };
    return { dossier: d, effect: 'anomaly', anomaly };
  }
  // Refunds never sent to Stripe (the desk's, or none) have no events of their own.
  if (r.status === 'office' || r.status === 'none') return { dossier: d, effect: 'anomaly', anomaly: refundAnomaly(d, r, 'refund_failed', { eventId: e.eventId, at: e.at }) };
  const known = { ...r, stripeRefundId: r.stripeRefundId ?? e.stripeRefundId };
  if (r.status === 'failed' || r.status === e.status) return { dossier: d, effect: 'none' };
  if (e.status === 'pending') {
    if (r.status !== 'requested') return { dossier: d, effect: 'none' };
    const next = { ...known, status: 'pending' as const };
    return { dossier: putRefund(d, next, e.at), effect: 'sent', refund: next };
  }
  if (e.status === 'succeeded') {
    const next: Refund = { ...known, status: 'succeeded', settledAt: e.at };
    return { dossier: putRefund(d, next, e.at), effect: 'succeeded', refund: next };
  }
  const next: Refund = { ...known, status: 'failed', settledAt: e.at, ...(e.failureReason ? { failureReason: e.failureReason } : {}) };
  return { dossier: putRefund(d, next, e.at), effect: 'failed', refund: next, anomaly: refundAnomaly(d, next, 'refund_failed', { eventId: e.eventId, at: e.at }) };
}

/**
 * A refund Stripe refused outright (already refunded, more than is left on the charge): failed
 * at once, an anomaly for the operators.
 */
export function recordRefundRefused(d: Dossier, refundId: string, data: { code: string; at: string }): RefundEventOutcome {
  const r = d.refunds?.find((x) => x.id === refundId);
  if (!r || r.status !== 'requested') return { dossier: d, effect: 'none' };
  const next: Refund = { ...r, status: 'failed', settledAt: data.at, failureReason: data.code };
  return { dossier: putRefund(d, next, data.at), effect: 'failed', refund: next, anomaly: refundAnomaly(d, next, 'refund_failed', { at: data.at }) };
}

/**
 * A refund recorded but not sent (the request that recorded it failed before Stripe answered):
 * sent again, under the same key, once it is older than `afterMs` — longer than the function's
 * timeout, so a concurrent request still sending it is not doubled.
 */
export function refundsToResend(d: Dossier, now: Date, afterMs: number): Refund[] {
  return (d.refunds ?? []).filter((r) => r.status === 'requested' && !r.escalatedAt && now.getTime() - Date.parse(r.requestedAt) >= afterMs);
}

// ---------------------------------------------------------------------------------------------
// Scheduled retries of refunds Stripe never accepted (the RefundRetry job)

/** How refunds Stripe never accepted are sent again (config/refunds.ts). */
export interface RefundRetryPolicy {
  /** The first retry this long after the refund was recorded; each next one twice as long after the last. */
  firstRetryAfterMinutes: number;
  /** Retries before the refund is handed to the operators (`refund_unsent`). */
  maxRetries: number;
}

/**
 * When a card refund still waiting for Stripe's acceptance (`requested`: no Stripe id) is next
 * due to be sent again: the first retry `firstRetryAfterMinutes` after it was recorded, then
 * doubling; once `maxRetries` are spent, when it is handed to the operators. Undefined: nothing to do.
 */
export function refundRetryDueAt(r: Refund, p: RefundRetryPolicy): Date | undefined {
  if (r.status !== 'requested' || r.method !== 'card' || r.escalatedAt) return undefined;
  const retries = r.retries ?? 0;
  return new Date(Date.parse(r.retriedAt ?? r.requestedAt) + p.firstRetryAfterMinutes * 60_000 * 2 ** retries);
}

/** The dossier's earliest retry due (its place in the job's index), undefined when none waits. */
export function nextRefundRetryAt(d: Dossier, p: RefundRetryPolicy): Date | undefined {
  const due = (d.refunds ?? []).map((r) => refundRetryDueAt(r, p)?.getTime()).filter((t): t is number => t !== undefined);
  return due.length ? new Date(Math.min(...due)) : undefined;
}

/** The refund record alone: a retry's bookkeeping moves no money, so the ledger line stays as it is. */
const withRefundRecord = (d: Dossier, r: Refund): Dossier => ({ ...d, refunds: (d.refunds ?? []).map((x) => (x.id === r.id ? r : x)) });

export interface RefundRetryClaim {
  dossier: Dossier;
  /** Claimed for sending now, each under its own idempotency key (`refundIdempotencyKey`): a retry never refunds twice. */
  toSend: Refund[];
  /** Retries spent: the anomaly to list for the operators. */
  escalated: { refund: Refund; anomaly: PaymentAnomaly }[];
}

/**
 * The retries due at `now`, claimed in the dossier's transaction: each due refund counts one more
 * retry (`retries`, `retriedAt`) before it is sent, so of concurrent job runs only the one whose
 * write lands sends it, and a run that dies after its claim is retried later, not at once. A
 * refund whose retries are spent is not sent again: it is `escalatedAt` and listed for the
 * operators (it stays `requested`: should Stripe's confirmation still arrive, it applies).
 */
export function claimRefundRetries(d: Dossier, now: Date, p: RefundRetryPolicy): RefundRetryClaim {
  let dossier = d;
  const toSend: Refund[] = [];
  const escalated: RefundRetryClaim['escalated'] = [];
  const at = now.toISOString();
  for (const r of d.refunds ?? []) {
    const due = refundRetryDueAt(r, p);
    if (!due || due.getTime() > now.getTime()) continue;
    if ((r.retries ?? 0) >= p.maxRetries) {
      const next: Refund = { ...r, escalatedAt: at };
      dossier = withRefundRecord(dossier, next);
      escalated.push({ refund: next, anomaly: refundAnomaly(d, next, 'refund_unsent', { at }) });
      continue;
    }
    const next: Refund = { ...r, retries: (r.retries ?? 0) + 1, retriedAt: at };
    dossier = withRefundRecord(dossier, next);
    toSend.push(next);
  }
  return { dossier, toSend, escalated };
}
