import { describe, expect, it } from 'vitest';
import { awaitingCardPayment, draftDossier } from '../support/dossiers';
import { instalmentsConfig as rules } from '../../config/instalments';
import {
  amountPaidCents,
  applyChargeOutcome,
  applyCheckoutEvent,
  assertInstalmentPayable,
  cancelUnchargedInstalments,
  chargeIdempotencyKey,
  choosePlan,
  claimCharge,
  completeOnlinePayment,
  DomainError,
  dueCharges,
  instalmentSchedule,
  movementsOf,
  nextChargeDay,
  recordChargeStarted,
  type Dossier,
  type FeesByYear,
} from '../../functions/domain/dossier';

const FEES: FeesByYear = { '2026-2027': { licence: 17800, master: 25400, doctorat: 9000, ingenieur: 63000 } };
/** 3 July 2026, 10:00 in Paris. */
const ENROLL = new Date('2026-07-03T08:00:00Z');

function awaiting(level: 'licence' | 'doctorat' = 'licence'): Dossier {
  return awaitingCardPayment(draftDossier({ at: ENROLL.toISOString(), feesByYear: FEES, level }), FEES['2026-2027']![level]);
}

/** Enrolled on a plan, the first part paid by Checkout. */
function enrolledOnPlan(): Dossier {
  const chosen = choosePlan(awaiting(), 'instalments', ENROLL, rules);
  return completeOnlinePayment(chosen, { reference: 'pi_first', amountCents: 5934, at: ENROLL.toISOString() }).dossier;
}

const at = (iso: string) => new Date(iso);
const outcome = (o: 'succeeded' | 'failed', attempt: number, reference: string, extra: Partial<Parameters<typeof applyChargeOutcome>[1]> = {}) => ({
  eventId: `evt_${reference}_${o}`,
  outcome: o,
  n: 2,
  attempt,
  reference,
  amountCents: 5933,
  currency: 'eur',
  at: '2026-08-05T06:00:00.000Z',
  ...extra,
});

describe('the schedule', () => {
  it('splits the fees in three whole-cent parts, the first taking the rounding cents, due at enrollment then on the 5th of the next two months (Paris)', () => {
    expect(instalmentSchedule(17800, ENROLL, rules)).toEqual([
      { n: 1, amountCents: 5934, dueOn: '2026-07-03' },
      { n: 2, amountCents: 5933, dueOn: '2026-08-05' },
      { n: 3, amountCents: 5933, dueOn: '2026-09-05' },
    ]);
  });

  it('reads the enrollment day in Paris and crosses the year', () => {
    // 31 December 23:30 UTC is already 1 January in Paris.
    expect(instalmentSchedule(10000, at('2026-12-31T23:30:00Z'), rules).map((p) => p.dueOn)).toEqual(['2027-01-01', '2027-02-05', '2027-03-05']);
    expect(instalmentSchedule(10000, at('2026-11-20T10:00:00Z'), rules).map((p) => p.dueOn)).toEqual(['2026-11-20', '2026-12-05', '2027-01-05']);
  });
});

describe('eligibility', () => {
  it('offers the plan for national-rate fees of at least the minimum, paid online', () => {
    expect(choosePlan(awaiting(), 'instalments', ENROLL, rules).payment.instalments).toHaveLength(rules.parts);
  });

  it.each([
    ['under the minimum', { ...awaiting('doctorat'), fees: { ...awaiting('doctorat').fees, amountCents: rules.minimumCents - 1 } }],
    ['pay at office', { ...awaiting(), status: 'pay_at_office' as const, payment: { status: 'due_at_office' as const, method: 'office' as const } }],
    ['scholarship to verify', { ...awaiting(), status: 'scholarship_to_verify' as const, fees: { ...awaiting().fees, reason: 'scholarship_to_verify' as const } }],
  ])('refuses it %s (instalments_not_allowed)', (_label, d) => {
    expect(() => choosePlan(d, 'instalments', ENROLL, rules)).toThrow(expect.objectContaining({ reason: 'instalments_not_allowed' }));
  });

  it('the enrollment session charges the first part and enrolls; the ledger shows part 1', () => {
    const d = enrolledOnPlan();
    expect(d.status).toBe('enrolled');
    expect(d.payment.instalments!.map((i) => i.status)).toEqual(['paid', 'scheduled', 'scheduled']);
    expect(movementsOf(d)).toEqual([{ kind: 'instalment', n: 1, amountCents: 5934, at: ENROLL.toISOString(), reference: 'pi_first', status: 'succeeded', method: 'card' }]);
    // The full amount for a plan's session is a mismatch, not an enrollment.
    const chosen = choosePlan(awaiting(), 'instalments', ENROLL, rules);
    expect(completeOnlinePayment(chosen, { reference: 'pi_x', amountCents: 17800, at: ENROLL.toISOString() }).reason).toBe('payment_amount_mismatch');
  });
});

describe('the daily charge', () => {
  it('charges a part from its due day, claims it once, and keys the charge by part and attempt', () => {
    const d = enrolledOnPlan();
    expect(nextChargeDay(d)).toBe('2026-08-05');
    expect(dueCharges(d, at('2026-08-04T10:00:00Z'), rules)).toEqual([]);
    const day = at('2026-08-05T06:00:00Z');
    expect(dueCharges(d, day, rules).map((i) => i.n)).toEqual([2]);
    const claim = claimCharge(d, 2, day, rules)!;
    expect(claim).toMatchObject({ n: 2, attempt: 1, amountCents: 5933 });
    expect(chargeIdempotencyKey(d.id, claim.n, claim.attempt)).toBe('instalment-d-1-2-a1');
    const started = recordChargeStarted(claim.dossier, { n: 2, attempt: 1, reference: 'pi_2a', amountCents: 5933, at: day.toISOString() });
    // A second run (same day or later) finds it in flight and charges nothing.
    expect(claimCharge(started, 2, day, rules)).toBeUndefined();
    expect(dueCharges(started, at('2026-08-06T06:00:00Z'), rules)).toEqual([]);
    // A claim whose PaymentIntent was never recorded is resumed with the same attempt (same key).
    expect(claimCharge(claim.dossier, 2, day, rules)).toMatchObject({ attempt: 1, dossier: claim.dossier });
  });

  it('succeeded: paid once, replays change nothing', () => {
    const day = at('2026-08-05T06:00:00Z');
    const claim = claimCharge(enrolledOnPlan(), 2, day, rules)!;
    const paid = applyChargeOutcome(claim.dossier, outcome('succeeded', 1, 'pi_2a'), rules);
    expect(paid.effect).toBe('paid');
    expect(paid.dossier.payment.instalments![1]).toMatchObject({ status: 'paid', reference: 'pi_2a' });
    expect(amountPaidCents(paid.dossier)).toBe(5934 + 5933);
    const again = applyChargeOutcome(paid.dossier, outcome('succeeded', 1, 'pi_2a'), rules);
    expect(again).toEqual({ dossier: paid.dossier, effect: 'none' });
  });

  it('declined: failed, retried once 3 days later (new key), then overdue', () => {
    const d = enrolledOnPlan();
    const first = claimCharge(d, 2, at('2026-08-05T06:00:00Z'), rules)!;
    const failed = applyChargeOutcome(first.dossier, outcome('failed', 1, 'pi_2a', { failureCode: 'card_declined' }), rules);
    expect(failed.effect).toBe('failed');
    expect(failed.dossier.payment.instalments![1]).toMatchObject({ status: 'failed', retryOn: '2026-08-08', failureCode: 'card_declined' });
    expect(dueCharges(failed.dossier, at('2026-08-07T06:00:00Z'), rules)).toEqual([]);
    const retry = claimCharge(failed.dossier, 2, at('2026-08-08T06:00:00Z'), rules)!;
    expect(retry.attempt).toBe(2);
    expect(chargeIdempotencyKey(d.id, 2, retry.attempt)).toBe('instalment-d-1-2-a2');
    const overdue = applyChargeOutcome(retry.dossier, outcome('failed', 2, 'pi_2b', { eventId: 'evt_b' }), rules);
    expect(overdue.effect).toBe('overdue');
    expect(overdue.dossier.payment.instalments![1]!.status).toBe('overdue');
    expect(dueCharges(overdue.dossier, at('2026-08-20T06:00:00Z'), rules)).toEqual([]);
    // A late replay of the first failure moves nothing.
    expect(applyChargeOutcome(overdue.dossier, outcome('failed', 1, 'pi_2a', { failureCode: 'card_declined' }), rules).effect).toBe('none');
    expect(movementsOf(overdue.dossier).map((m) => [m.reference, m.status])).toEqual([
      ['pi_first', 'succeeded'],
      ['pi_2a', 'failed'],
      ['pi_2b', 'failed'],
    ]);
  });
});

describe('paying a part now', () => {
  it('allows a failed, overdue or future part, refuses one in flight or paid', () => {
    const d = enrolledOnPlan();
    expect(assertInstalmentPayable(d, 3).n).toBe(3);
    expect(() => assertInstalmentPayable(d, 1)).toThrow(expect.objectContaining({ reason: 'payment_already_done' }));
    expect(() => assertInstalmentPayable(d, 7)).toThrow(expect.objectContaining({ reason: 'instalment_unknown' }));
    const inFlight = claimCharge(d, 2, at('2026-08-05T06:00:00Z'), rules)!.dossier;
    expect(() => assertInstalmentPayable(inFlight, 2)).toThrow(expect.objectContaining({ reason: 'payment_processing' }));
  });

  it('a Checkout payment of part 3 pays it; a second payment of it is an anomaly to refund', () => {
    const d = enrolledOnPlan();
    const event = {
      eventId: 'evt_c3',
      kind: 'paid' as const,
      checkoutSessionId: 'cs_3',
      clientReferenceId: d.id,
      metadataDossierId: d.id,
      academicYear: d.academicYear,
      amountCents: 5933,
      currency: 'eur',
      reference: 'pi_3',
      at: '2026-07-10T10:00:00.000Z',
      instalment: 3,
    };
    const paid = applyCheckoutEvent(d, event);
    expect(paid.effect).toBe('instalment_paid');
    expect(paid.dossier.payment.instalments![2]).toMatchObject({ status: 'paid', reference: 'pi_3' });
    expect(applyCheckoutEvent(paid.dossier, event).effect).toBe('none');
    const twice = applyCheckoutEvent(paid.dossier, { ...event, eventId: 'evt_c3b', reference: 'pi_3b', checkoutSessionId: 'cs_3b' });
    expect(twice.effect).toBe('anomaly');
    expect(twice.dossier.payment.anomalies!.at(-1)).toMatchObject({ reason: 'payment_already_done', reference: 'pi_3b', checkoutSessionId: 'cs_3b' });
  });
});

describe('withdrawal', () => {
  it('cancels the parts not charged, keeps what was paid, refuses while a charge is in flight', () => {
    const d = enrolledOnPlan();
    const cancelled = cancelUnchargedInstalments(d, '2026-07-20T10:00:00.000Z');
    expect(cancelled.payment.instalments!.map((i) => i.status)).toEqual(['paid', 'cancelled', 'cancelled']);
    expect(nextChargeDay(cancelled)).toBeUndefined();
    expect(cancelUnchargedInstalments(cancelled, '2026-07-21T10:00:00.000Z')).toBe(cancelled);
    const inFlight = claimCharge(d, 2, at('2026-08-05T06:00:00Z'), rules)!.dossier;
    expect(() => cancelUnchargedInstalments(inFlight, '2026-08-05T07:00:00.000Z')).toThrow(DomainError);
    // A charge that lands after the cancellation is money to give back, never a paid part.
    const late = applyChargeOutcome(cancelled, outcome('succeeded', 1, 'pi_late'), rules);
    expect(late.effect).toBe('anomaly');
    expect(late.dossier.payment.instalments![1]!.status).toBe('cancelled');
  });
});
