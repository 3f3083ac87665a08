/**
 * Withdrawal and refunds, the pure rules (functions/domain/dossier/withdrawal.ts): what a
 * withdrawal leads to before and after the academic year's start, how much may be refunded, and
 * how Stripe's refund events apply (once, in any order).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { awaitingCardPayment, draftDossier } from '../support/dossiers';
import { withdrawalRules } from '../../config/catalogue';
import { refundRetryConfig } from '../../config/refunds';
import {
  academicYearStart,
  amountPaidCents,
  amountRefundedCents,
  applyRefundEvent,
  claimRefundRetries,
  completeOnlinePayment,
  decideRefund,
  DomainError,
  dossierView,
  movementsOf,
  nextRefundRetryAt,
  recordMovement,
  recordOfficePayment,
  recordRefundRefused,
  recordRefundSent,
  refundableCents,
  refundScholarship,
  refundsToResend,
  requestWithdrawal,
  type Dossier,
  type FeesByYear,
  type RefundEvent,
  type WithdrawalRules,
} from '../../functions/domain/dossier';

const FEES: FeesByYear = { '2026-2027': { licence: 17800, master: 25400, doctorat: 39700, ingenieur: 62800 } };
const RULES: WithdrawalRules = { ...withdrawalRules, timeZone: 'Europe/Paris' };
const RETENTION = RULES.retentionCents;
const PAID_AT = '2026-07-01T10:00:00.000Z';
const BEFORE_START = '2026-08-20T10:00:00.000Z';
const AFTER_START = '2026-10-02T10:00:00.000Z';

function awaiting(amountCents = 17800): Dossier {
  return awaitingCardPayment(draftDossier({ at: PAID_AT, feesByYear: FEES }), amountCents);
}

/** Enrolled, paid by card through Checkout. */
const paidByCard = (amountCents = 17800) => completeOnlinePayment(awaiting(amountCents), { reference: 'pi_1', amountCents, at: PAID_AT }).dossier;
const paidAtOffice = () => recordOfficePayment({ ...awaiting(), status: 'pay_at_office' }, { kind: 'paid', reference: 'Q-42', at: PAID_AT }, FEES);

const refused = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    return e instanceof DomainError ? { reason: e.reason, details: e.details } : e;
  }
  return undefined;
};

describe('the academic year start', () => {
  it("is the configured day of the year's first year, midnight in Paris", () => {
    expect(academicYearStart('2026-2027', RULES).toISOString()).toBe('2026-08-31T22:00:00.000Z');
    expect(academicYearStart('2027-2028', { ...RULES, academicYearStart: { month: 10, day: 1, hour: 0, minute: 0, second: 0 } }).toISOString()).toBe('2027-09-30T22:00:00.000Z');
  });
});

describe('a withdrawal', () => {
  it('before the start: withdrawn at once, refunding what was paid minus the retention, in the ledger', () => {
    const {
      dossier,
      refunds: [refund],
    } = requestWithdrawal(paidByCard(), { reason: 'Autre formation', at: BEFORE_START }, RULES);
    expect(dossier).toMatchObject({ status: 'withdrawn', withdrawnAt: BEFORE_START, withdrawal: { reason: 'Autre formation', decision: 'automatic' } });
    expect(refund).toMatchObject({ id: 'd-1#refund#1', cause: 'withdrawal', amountCents: 17800 - RETENTION, status: 'requested', method: 'card', paymentReference: 'pi_1' });
    expect(dossierView(dossier).refund).toEqual({ amountCents: 17800 - RETENTION, status: 'pending' });
    expect(movementsOf(dossier).at(-1)).toEqual({ kind: 'refund', amountCents: 17800 - RETENTION, at: BEFORE_START, reference: 'd-1#refund#1', status: 'pending', method: 'card' });
  });

  it('paid in parts: one refund per card charge, newest first, none more than its charge', () => {
    const firstPart = paidByCard(6000);
    const paid = recordMovement(recordMovement(firstPart, { kind: 'instalment', n: 2, amountCents: 6000, at: PAID_AT, reference: 'pi_2', status: 'succeeded', method: 'card' }), {
      kind: 'instalment',
      n: 3,
      amountCents: 5800,
      at: PAID_AT,
      reference: 'pi_3',
      status: 'succeeded',
      method: 'card',
    });
    const { dossier, refunds } = requestWithdrawal(paid, { reason: 'x', at: BEFORE_START }, RULES);
    expect(refunds.map((r) => [r.paymentReference, r.amountCents])).toEqual([
      ['pi_3', 5800],
      ['pi_2', 6000],
      ['pi_1', 6000 - RETENTION],
    ]);
    expect(new Set(refunds.map((r) => r.id)).size).toBe(3);
    expect(dossierView(dossier).refund).toEqual({ amountCents: 17800 - RETENTION, status: 'pending' });
  });

  it('one second before midnight Paris time on the start day is still before the start', () => {
    expect(requestWithdrawal(paidByCard(), { reason: 'x', at: '2026-08-31T21:59:59.000Z' }, RULES).dossier.status).toBe('withdrawn');
    expect(requestWithdrawal(paidByCard(), { reason: 'x', at: '2026-08-31T22:00:00.000Z' }, RULES).dossier.status).toBe('withdrawal_requested');
  });

  it('after the start: withdrawal_requested, no refund until a supervisor decides', () => {
    const {
      dossier,
      refunds: [refund],
    } = requestWithdrawal(paidByCard(), { reason: 'x', at: AFTER_START }, RULES);
    expect(dossier.status).toBe('withdrawal_requested');
    expect(refund).toBeUndefined();
    expect(movementsOf(dossier).filter((m) => m.kind === 'refund')).toEqual([]);
  });

  it('of fees paid at the desk: recorded for the accounting office, not sent to Stripe', () => {
    const {
      refunds: [refund],
      dossier,
    } = requestWithdrawal(paidAtOffice(), { reason: 'x', at: BEFORE_START }, RULES);
    expect(refund).toMatchObject({ status: 'office', method: 'office', paymentReference: 'Q-42', amountCents: 17800 - RETENTION });
    expect(movementsOf(dossier).at(-1)).toMatchObject({ kind: 'refund', status: 'recorded', method: 'office' });
  });

  it('of an exempt student: withdrawn, nothing to refund', () => {
    const exempt: Dossier = { ...awaiting(0), status: 'enrolled', payment: { status: 'not_required', method: 'scholarship' } };
    const {
      dossier,
      refunds: [refund],
    } = requestWithdrawal(exempt, { reason: 'x', at: BEFORE_START }, RULES);
    expect(dossier.status).toBe('withdrawn');
    expect(refund).toBeUndefined();
  });

  it('twice (a double click) changes nothing the second time', () => {
    const first = requestWithdrawal(paidByCard(), { reason: 'x', at: BEFORE_START }, RULES).dossier;
    expect(requestWithdrawal(first, { reason: 'x', at: BEFORE_START }, RULES)).toEqual({ dossier: first, refunds: [] });
  });

  it.each(['draft', 'awaiting_payment', 'pay_at_office'] as const)('is refused for a %s dossier', (status) => {
    expect(refused(() => requestWithdrawal({ ...paidByCard(), status }, { reason: 'x', at: BEFORE_START }, RULES))).toMatchObject({ reason: 'withdrawal_not_enrolled' });
  });

  it('is refused for a cancelled dossier, saying it was cancelled (issue 11, point 9)', () => {
    expect(refused(() => requestWithdrawal({ ...paidByCard(), status: 'cancelled' }, { reason: 'x', at: BEFORE_START }, RULES))).toMatchObject({ reason: 'dossier_cancelled' });
  });
});

describe("a supervisor's refund decision", () => {
  const requested = () => requestWithdrawal(paidByCard(), { reason: 'x', at: AFTER_START }, RULES).dossier;
  const decide = (d: Dossier, amountCents: number) => decideRefund(d, { amountCents, reason: 'Dossier étudié', by: 'resp', at: AFTER_START }, RULES);

  it('withdraws with the amount decided, from 0 to paid − retention', () => {
    expect(decide(requested(), 17800 - RETENTION).refunds[0]).toMatchObject({ amountCents: 17800 - RETENTION, status: 'requested', decidedBy: 'resp' });
    const nothing = decide(requested(), 0);
    expect(nothing.dossier.status).toBe('withdrawn');
    expect(dossierView(nothing.dossier).refund).toEqual({ amountCents: 0, status: 'none' });
    expect(movementsOf(nothing.dossier).filter((m) => m.kind === 'refund')).toEqual([]);
  });

  it('refuses more than paid − retention, saying the most it may be', () => {
    expect(refused(() => decide(requested(), 17800 - RETENTION + 1))).toEqual({ reason: 'refund_exceeds_refundable', details: { maxCents: 17800 - RETENTION } });
  });

  it('the same decision again changes nothing; another decision, or a dossier not awaiting one, is refused', () => {
    const once = decide(requested(), 5000).dossier;
    expect(decide(once, 5000)).toEqual({ dossier: once, refunds: [] });
    expect(refused(() => decide(once, 6000))).toMatchObject({ reason: 'refund_not_awaited' });
    expect(refused(() => decide(paidByCard(), 0))).toMatchObject({ reason: 'refund_not_awaited' });
  });
});

describe('a scholarship confirmed after payment', () => {
  it('refunds everything paid, no retention, and the dossier stays enrolled; again: nothing more', () => {
    const {
      dossier,
      refunds: [refund],
    } = refundScholarship(paidByCard(), { at: BEFORE_START, by: 'agent', reason: 'Notification CROUS' });
    expect(dossier.status).toBe('enrolled');
    expect(refund).toMatchObject({ cause: 'scholarship', amountCents: 17800, status: 'requested' });
    expect(refundScholarship(dossier, { at: BEFORE_START, by: 'agent', reason: 'x' })).toEqual({ dossier, refunds: [] });
  });

  it('leaves nothing to refund to a later withdrawal', () => {
    const refunded = refundScholarship(paidByCard(), { at: PAID_AT, by: 'agent', reason: 'x' }).dossier;
    const {
      dossier,
      refunds: [refund],
    } = requestWithdrawal(refunded, { reason: 'x', at: BEFORE_START }, RULES);
    expect(dossier.status).toBe('withdrawn');
    expect(refund).toMatchObject({ amountCents: 0, status: 'none' });
  });
});

describe("Stripe's refund events", () => {
  const withdrawn = () => requestWithdrawal(paidByCard(), { reason: 'x', at: BEFORE_START }, RULES).dossier;
  const event = (status: RefundEvent['status'], over: Partial<RefundEvent> = {}): RefundEvent => ({
    eventId: `evt_${status}`,
    refundId: 'd-1#refund#1',
    stripeRefundId: 're_1',
    status,
    amountCents: 17800 - RETENTION,
    currency: 'eur',
    at: '2026-08-20T10:00:05.000Z',
    ...over,
  });

  it('the creation answer makes it pending; succeeded confirms it, once', () => {
    const sent = recordRefundSent(withdrawn(), 'd-1#refund#1', { stripeRefundId: 're_1', at: BEFORE_START });
    expect(sent.refunds?.[0]).toMatchObject({ status: 'pending', stripeRefundId: 're_1' });
    const ok = applyRefundEvent(sent, event('succeeded'));
    expect(ok.effect).toBe('succeeded');
    expect(movementsOf(ok.dossier).at(-1)).toMatchObject({ kind: 'refund', status: 'succeeded' });
    expect(applyRefundEvent(ok.dossier, event('succeeded', { eventId: 'evt_again' })).effect).toBe('none');
    expect(recordRefundSent(ok.dossier, 'd-1#refund#1', { stripeRefundId: 're_1', at: BEFORE_START })).toBe(ok.dossier);
  });

  it('a failure after success is applied (banks fail refunds later), is final, and is an anomaly', () => {
    const ok = applyRefundEvent(withdrawn(), event('succeeded')).dossier;
    const ko = applyRefundEvent(ok, event('failed', { failureReason: 'expired_or_canceled_card' }));
    expect(ko).toMatchObject({ effect: 'failed', anomaly: { reason: 'refund_failed', reference: 're_1', amountCents: 17800 - RETENTION } });
    expect(movementsOf(ko.dossier).at(-1)).toMatchObject({ status: 'failed', reason: 'expired_or_canceled_card' });
    expect(applyRefundEvent(ko.dossier, event('succeeded', { eventId: 'evt_late' })).effect).toBe('none');
    // A failed refund no longer counts as refunded.
    expect(amountRefundedCents(ko.dossier)).toBe(0);
  });

  it('an event for a refund we do not hold, or for another amount, is an anomaly and changes nothing', () => {
    const d = withdrawn();
    expect(applyRefundEvent(d, event('succeeded', { refundId: 'd-1#refund#9' }))).toMatchObject({ dossier: d, effect: 'anomaly' });
    expect(applyRefundEvent(d, event('succeeded', { amountCents: 17800 }))).toMatchObject({ dossier: d, effect: 'anomaly' });
  });

  it('a refund Stripe refuses outright is failed at once, with an anomaly', () => {
    const out = recordRefundRefused(withdrawn(), 'd-1#refund#1', { code: 'charge_already_refunded', at: BEFORE_START });
    expect(out).toMatchObject({ effect: 'failed', refund: { status: 'failed', failureReason: 'charge_already_refunded' }, anomaly: { reason: 'refund_failed' } });
  });

  it('a refund recorded but never sent is resent only once older than the margin', () => {
    const d = withdrawn();
    expect(refundsToResend(d, new Date(Date.parse(BEFORE_START) + 1000), 60_000)).toEqual([]);
    expect(refundsToResend(d, new Date(Date.parse(BEFORE_START) + 60_000), 60_000).map((r) => r.id)).toEqual(['d-1#refund#1']);
  });
});

describe('a refund never exceeds what was paid', () => {
  type Step = { kind: 'scholarship' } | { kind: 'withdraw'; before: boolean } | { kind: 'decide'; amountCents: number } | { kind: 'fail' } | { kind: 'succeed' };
  const step: fc.Arbitrary<Step> = fc.oneof(
    fc.constant({ kind: 'scholarship' as const }),
    fc.boolean().map((before) => ({ kind: 'withdraw' as const, before })),
    fc.integer({ min: 0, max: 80_000 }).map((amountCents) => ({ kind: 'decide' as const, amountCents })),
    fc.constant({ kind: 'fail' as const }),
    fc.constant({ kind: 'succeed' as const }),
  );

  it('whatever the order of withdrawals, decisions, scholarship refunds and Stripe outcomes', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 70_000 }), fc.boolean(), fc.array(step, { maxLength: 8 }), (fee, office, steps) => {
        let d = office ? recordOfficePayment({ ...awaiting(fee), status: 'pay_at_office' }, { kind: 'paid', reference: 'Q-1', at: PAID_AT }, FEES) : fee > 0 ? paidByCard(fee) : awaiting(fee);
        if (fee === 0 && !office) return;
        d = { ...d, fees: { ...d.fees, amountCents: fee } };
        for (const s of steps) {
          try {
            if (s.kind === 'scholarship') d = refundScholarship(d, { at: PAID_AT, by: 'a', reason: 'r' }).dossier;
            if (s.kind === 'withdraw') d = requestWithdrawal(d, { reason: 'r', at: s.before ? BEFORE_START : AFTER_START }, RULES).dossier;
            if (s.kind === 'decide') d = decideRefund(d, { amountCents: s.amountCents, reason: 'r', by: 'b', at: AFTER_START }, RULES).dossier;
            const last = d.refunds?.at(-1);
            if (last && (s.kind === 'fail' || s.kind === 'succeed')) {
              const e: RefundEvent = {
                eventId: `e${Math.random()}`,
                refundId: last.id,
                stripeRefundId: 're',
                status: s.kind === 'fail' ? 'failed' : 'succeeded',
                amountCents: last.amountCents,
                currency: 'eur',
                at: AFTER_START,
              };
              d = applyRefundEvent(d, e).dossier;
            }
          } catch (e) {
            if (!(e instanceof DomainError)) throw e;
          }
          expect(amountRefundedCents(d)).toBeLessThanOrEqual(amountPaidCents(d));
          expect(refundableCents(d, { retention: false }, RULES)).toBe(amountPaidCents(d) - amountRefundedCents(d));
          // The withdrawal retention is kept: a withdrawal refund never reaches into it.
          const withdrawalRefunds = (d.refunds ?? []).filter((r) => r.cause === 'withdrawal' && r.status !== 'failed');
          const sum = withdrawalRefunds.reduce((total, r) => total + r.amountCents, 0);
          if (!(d.refunds ?? []).some((r) => r.cause === 'scholarship')) expect(sum).toBeLessThanOrEqual(Math.max(0, amountPaidCents(d) - RETENTION));
        }
      }),
      { numRuns: 400 },
    );
  });
});

describe('scheduled retries of a refund Stripe never accepted', () => {
  const P = refundRetryConfig;
  const unsent = () => requestWithdrawal(paidByCard(), { reason: 'x', at: BEFORE_START }, RULES).dossier;
  const at = (minutes: number) => new Date(Date.parse(BEFORE_START) + minutes * 60_000);

  it('is claimed once per due time (a second claim at the same time sends nothing), then handed to the operators after the last retry', () => {
    let d = unsent();
    expect(claimRefundRetries(d, at(P.firstRetryAfterMinutes - 1), P).toSend).toEqual([]);
    let minutes = 0;
    for (let retry = 1; retry <= P.maxRetries; retry++) {
      minutes += P.firstRetryAfterMinutes * 2 ** (retry - 1);
      const claim = claimRefundRetries(d, at(minutes), P);
      expect(claim.toSend).toMatchObject([{ id: 'd-1#refund#1', retries: retry, status: 'requested' }]);
      expect(claimRefundRetries(claim.dossier, at(minutes), P).toSend).toEqual([]);
      // Bookkeeping only: the ledger line is untouched.
      expect(movementsOf(claim.dossier)).toEqual(movementsOf(d));
      d = claim.dossier;
    }
    const last = claimRefundRetries(d, nextRefundRetryAt(d, P)!, P);
    expect(last.toSend).toEqual([]);
    expect(last.escalated).toMatchObject([{ refund: { status: 'requested', retries: P.maxRetries }, anomaly: { reason: 'refund_unsent', amountCents: 17800 - RETENTION } }]);
    expect(nextRefundRetryAt(last.dossier, P)).toBeUndefined();
    expect(refundsToResend(last.dossier, at(10 * 24 * 60), 60_000)).toEqual([]);
  });

  it('every retry falls within the 24 hours Stripe keeps an idempotency key, so none can refund twice', () => {
    const total = Array.from({ length: P.maxRetries }, (_, k) => P.firstRetryAfterMinutes * 2 ** k).reduce((a, b) => a + b, 0);
    expect(total).toBeLessThan(24 * 60);
  });

  it('a refund sent, settled or recorded for the desk is never retried', () => {
    const sent = recordRefundSent(unsent(), 'd-1#refund#1', { stripeRefundId: 're_1', at: BEFORE_START });
    expect(nextRefundRetryAt(sent, P)).toBeUndefined();
    expect(claimRefundRetries(sent, at(24 * 60), P)).toMatchObject({ dossier: sent, toSend: [], escalated: [] });
    const office = requestWithdrawal(paidAtOffice(), { reason: 'x', at: BEFORE_START }, RULES).dossier;
    expect(nextRefundRetryAt(office, P)).toBeUndefined();
  });
});
