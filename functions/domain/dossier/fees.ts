/**
 * Registration fees and what a submitted dossier becomes: the ONE place that decides what is
 * due, whether a scholarship waives it, and how it is paid (SPEC "Payment", "Proof before
 * privilege"). Submit, the situation step and the operators' decisions all go through
 * `feeDecision`; nothing else compares scholarships, regimes or amounts.
 */
import { CVEC_SCHOLARSHIP_HOLDER_STATE, type Regime, type Scholarship } from '../cvec';
import { DomainError } from './errors';
import type { Dossier, Fees, FeesByYear, Level, Payment } from './model';

/** What a submitted dossier becomes. */
export type SubmitOutcome = 'awaiting_payment' | 'pay_at_office' | 'scholarship_to_verify' | 'enrolled';

export interface FeeInput {
  level: Level;
  academicYear: string;
  scholarship: Scholarship;
  feesByYear: FeesByYear;
  regime?: Regime;
  /**
   * Proof of a declared granted scholarship: the CVEC certificate's state (domain/cvec.ts
   * `CVEC_SCHOLARSHIP_HOLDER_STATE`, said by the national CVEC API) or an operator's decision on
   * the CROUS notification.
   */
  cvecState?: number;
  review?: 'confirmed' | 'refused';
}

export interface FeeDecision {
  fees: Fees;
  outcome: SubmitOutcome;
  /** The payment a dossier submitted now starts with. */
  payment: Payment;
}

/**
 * Fees, outcome and payment. A *declared* granted scholarship waives nothing: proven (the CVEC
 * holder state, or confirmed by an operator) → exempt and enrolled; refused by an operator → the
 * standard fees online; unproven → `scholarship_to_verify` (no online payment). Pending →
 * paid at the scolarité desk. `echange_accueil` (allowed only for admitted exchange students,
 * see `applySituation`) → exempt. Throws DomainError `fee_rate_missing` when the year/level
 * has no rate.
 */
export function feeDecision(input: FeeInput): FeeDecision {
  const { level, academicYear, scholarship, feesByYear, regime } = input;
  const rates = Object.hasOwn(feesByYear, academicYear) ? feesByYear[academicYear] : undefined;
  const rate = rates && Object.hasOwn(rates, level) ? rates[level] : undefined;
  if (typeof rate !== 'number' || !Number.isInteger(rate) || rate < 0) {
    throw new DomainError('fee_rate_missing', { academicYear, level });
  }
  const exempt = (reason: Fees['reason'], method: 'scholarship' | 'exempt'): FeeDecision => ({
    fees: { amountCents: 0, currency: 'EUR', exempt: true, reason },
    outcome: 'enrolled',
    payment: { status: 'not_required', method },
  });
  const due = (reason: Fees['reason'], outcome: SubmitOutcome): FeeDecision => {
    const fees: Fees = { amountCents: rate, currency: 'EUR', exempt: false, reason };
    if (rate === 0) return { fees, outcome: 'enrolled', payment: { status: 'not_required', method: 'exempt' } };
    if (outcome === 'awaiting_payment') return { fees, outcome, payment: { status: 'due', method: 'card', amountCents: rate } };
    return { fees, outcome, payment: { status: 'due_at_office', method: 'office', amountCents: rate } };
  };

  if (scholarship === 'granted') {
    if (input.review === 'confirmed' || input.cvecState === CVEC_SCHOLARSHIP_HOLDER_STATE) return exempt('scholarship_granted', 'scholarship');
    if (input.review !== 'refused') return due('scholarship_to_verify', 'scholarship_to_verify');
  }
  if (regime === 'echange_accueil') return exempt('exchange_programme', 'exempt');
  if (scholarship === 'pending') return due('scholarship_pending', 'pay_at_office');
  return due('standard', 'awaiting_payment');
}

/** The decision for a dossier as it stands (scholarship `none` until the situation is given). */
export function dossierDecision(d: Dossier, feesByYear: FeesByYear): FeeDecision {
  return feeDecision({
    level: d.level,
    academicYear: d.academicYear,
    scholarship: d.steps.situation.scholarship ?? 'none',
    regime: d.steps.situation.regime,
    cvecState: d.steps.cvec.required === false ? undefined : d.steps.cvec.state,
    review: d.scholarshipReview?.decision,
    feesByYear,
  });
}

/** The dossier's fees (see `feeDecision`). */
export function dossierFees(d: Dossier, feesByYear: FeesByYear): Fees {
  return dossierDecision(d, feesByYear).fees;
}

/** Registration fees alone, for pages and tests that price a situation (see `feeDecision`). */
export function computeFees(input: FeeInput): Fees {
  return feeDecision(input).fees;
}
