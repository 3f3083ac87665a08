/**
 * The enrollment dossier (API.md "The dossier") and its state machine.
 *
 * A dossier is created from an admission in `draft`; the student completes five steps in
 * order (identity, ine, situation, cvec, programme), each saved as soon as it is valid; submit
 * moves it `draft → submitted` and at once to what the fees require:
 *
 *     draft ─► submitted ─► awaiting_payment ─► enrolled      (card payment online)
 *                       ├─► pay_at_office ────► enrolled      (scholarship pending: paid at the desk)
 *                       └─► enrolled                          (nothing due)
 *     any status but cancelled ─► cancelled                   (operator)
 *
 * Steps are editable only in `draft` (DomainError `step_locked` otherwise).
 *
 * All functions are pure and return new objects; none changes `version`, which belongs to the
 * store (optimistic locking: write with `version = expected`, store `version + 1`).
 * Domain refusals are thrown as `DomainError` with a stable snake_case `reason`
 * (messages in messages/fields.ts).
 */
import { z } from 'zod';
import { Regime, Scholarship, cvecRequired, isValidCvecState, CVEC_VALID_STATES } from './cvec';
import type { IneFormat } from './ine';

// ---------------------------------------------------------------------------------------------
// Errors

export type DomainReason =
  | 'step_locked'
  | 'incomplete'
  | 'invalid_transition'
  | 'programme_not_admitted'
  | 'cvec_state_invalid'
  | 'ine_no_ine_not_allowed'
  | 'payment_not_due'
  | 'payment_pay_at_office'
  | 'payment_already_done'
  | 'payment_cancelled'
  | 'payment_amount_mismatch'
  | 'payment_currency_mismatch'
  | 'payment_dossier_mismatch'
  | 'payment_processing'
  | 'fee_rate_missing';

export class DomainError extends Error {
  readonly reason: DomainReason;
  readonly details: Readonly<Record<string, unknown>>;
  constructor(reason: DomainReason, details: Record<string, unknown> = {}) {
    super(reason);
    this.name = 'DomainError';
    this.reason = reason;
    this.details = details;
  }
}

export function isDomainError(e: unknown): e is DomainError {
  return e instanceof DomainError;
}

// ---------------------------------------------------------------------------------------------
// Model

export const Level = z.enum(['licence', 'master', 'doctorat', 'ingenieur']);
export type Level = z.infer<typeof Level>;

export const StepName = z.enum(['identity', 'ine', 'situation', 'cvec', 'programme']);
export type StepName = z.infer<typeof StepName>;

/** The wizard's order. */
export const STEP_ORDER: readonly StepName[] = ['identity', 'ine', 'situation', 'cvec', 'programme'];

export const StepStatus = z.enum(['todo', 'done']);
export type StepStatus = z.infer<typeof StepStatus>;

export const DossierStatus = z.enum(['draft', 'submitted', 'awaiting_payment', 'pay_at_office', 'enrolled', 'cancelled']);
export type DossierStatus = z.infer<typeof DossierStatus>;

const Address = z.object({
  line1: z.string(),
  line2: z.string().optional(),
  postalCode: z.string(),
  city: z.string(),
  country: z.string(),
});

export const IdentityStep = z.object({
  status: StepStatus,
  email: z.string().optional(),
  phone: z.string().optional(),
  address: Address.optional(),
  termAddress: Address.optional(),
});

export const IneSource = z.enum(['student', 'no_ine_declaration', 'operator']);
export type IneSource = z.infer<typeof IneSource>;

export const IneStep = z.object({
  status: StepStatus,
  ine: z.string().optional(),
  format: z.enum(['bea', 'base36', 'ines', 'sifa', 'provisional']).optional(),
  source: IneSource.optional(),
  /** INES checked through the INE verification port. */
  verified: z.boolean().optional(),
  declaration: z.object({ noFrenchBac: z.boolean(), neverEnrolledInFrenchUniversity: z.boolean() }).optional(),
});

export const SituationStep = z.object({
  status: StepStatus,
  regime: Regime.optional(),
  scholarship: Scholarship.optional(),
});

export const CvecStep = z.object({
  status: StepStatus,
  /** false when the regime does not ask for a CVEC certificate (the step then counts as done). */
  required: z.boolean().optional(),
  certificateNumber: z.string().optional(),
  /** The certificate state returned by the CVEC port (70, 71, 73, 75, 76). */
  state: z.number().int().optional(),
});

export const ProgrammeStep = z.object({
  status: StepStatus,
  programmeCode: z.string().optional(),
});

export const Steps = z.object({
  identity: IdentityStep,
  ine: IneStep,
  situation: SituationStep,
  cvec: CvecStep,
  programme: ProgrammeStep,
});
export type Steps = z.infer<typeof Steps>;

export const FeeReason = z.enum(['standard', 'scholarship_granted', 'scholarship_pending', 'exchange_programme']);
export type FeeReason = z.infer<typeof FeeReason>;

export const Fees = z.object({
  amountCents: z.number().int().nonnegative(),
  currency: z.literal('EUR'),
  exempt: z.boolean(),
  reason: FeeReason,
});
export type Fees = z.infer<typeof Fees>;

/**
 * `none`: nothing asked yet (draft); `due`: to pay online; `due_at_office`: to pay at the
 * scolarité desk (scholarship pending); `paid`; `not_required`: nothing to pay.
 */
export const PaymentStatus = z.enum(['none', 'due', 'due_at_office', 'paid', 'not_required']);
export type PaymentStatus = z.infer<typeof PaymentStatus>;
export const PaymentMethod = z.enum(['card', 'office', 'scholarship', 'exempt']);
export type PaymentMethod = z.infer<typeof PaymentMethod>;

/**
 * Why a confirmed online payment did not enroll the dossier: the money is at Stripe but the
 * payment does not match what was asked, or came when nothing was due any more (operators
 * follow up, usually with a refund).
 */
export const PaymentAnomalyReason = z.enum([
  'payment_amount_mismatch',
  'payment_currency_mismatch',
  'payment_dossier_mismatch',
  'payment_already_done',
  'payment_cancelled',
  'payment_pay_at_office',
  'payment_not_due',
]);
export type PaymentAnomalyReason = z.infer<typeof PaymentAnomalyReason>;

export const PaymentAnomaly = z.object({
  reason: PaymentAnomalyReason,
  /** The Stripe event and Checkout session that reported the payment. */
  eventId: z.string(),
  checkoutSessionId: z.string(),
  reference: z.string(),
  amountCents: z.number().int().nullable(),
  currency: z.string().nullable(),
  at: z.string(),
});
export type PaymentAnomaly = z.infer<typeof PaymentAnomaly>;

export const Payment = z.object({
  status: PaymentStatus,
  method: PaymentMethod.nullable(),
  /** Stripe Checkout session of the last online attempt. */
  checkoutSessionId: z.string().optional(),
  /** Payment reference (Stripe payment intent, office receipt number). */
  reference: z.string().optional(),
  amountCents: z.number().int().nonnegative().optional(),
  paidAt: z.string().optional(),
  /** The last online payment that could not be accepted, for the operators. */
  anomaly: PaymentAnomaly.optional(),
});
export type Payment = z.infer<typeof Payment>;

export const DossierStudent = z.object({
  /** Birth name. */
  lastName: z.string(),
  usageName: z.string().optional(),
  firstName: z.string(),
  birthDate: z.string(),
});
export type DossierStudent = z.infer<typeof DossierStudent>;

export const Dossier = z.object({
  id: z.string(),
  identifier: z.string(),
  academicYear: z.string(),
  status: DossierStatus,
  steps: Steps,
  fees: Fees,
  payment: Payment,
  student: DossierStudent,
  /** The admitted programme (from the admission) and its level. */
  programmeCode: z.string(),
  level: Level,
  /**
   * The provisional INE this dossier was given (student's "no INE" or operator), kept when the
   * student later types a real INE: going back to "no INE" reuses it, so a dossier draws at most
   * one number from the year's sequence.
   */
  provisionalIne: z.string().optional(),
  version: z.number().int().nonnegative(),
  createdAt: z.string(),
  submittedAt: z.string().optional(),
  enrolledAt: z.string().optional(),
  cancelledAt: z.string().optional(),
  cancelReason: z.string().optional(),
  /**
   * The language the student submitted in (their `Accept-Language`): the mails sent later,
   * when no student request is at hand (payment confirmation, operators), are written in it.
   */
  lang: z.enum(['fr', 'en']).optional(),
});
export type Dossier = z.infer<typeof Dossier>;

/** National fee rates per academic year and level, in cents (config/catalogue.ts `feesByYear`). */
export type FeesByYear = Readonly<Record<string, Readonly<Record<Level, number>>>>;

// ---------------------------------------------------------------------------------------------
// Fees

/**
 * Registration fees. Granted scholarship → exempt (`scholarship_granted`); pending → the
 * amount is due but paid at the scolarité desk (`scholarship_pending`); incoming exchange
 * students (regime `echange_accueil`, when given) pay their home institution → exempt
 * (`exchange_programme`). Throws DomainError `fee_rate_missing` when the year/level has no rate.
 */
export function computeFees(input: {
  level: Level;
  academicYear: string;
  scholarship: Scholarship;
  feesByYear: FeesByYear;
  regime?: Regime;
}): Fees {
  const { level, academicYear, scholarship, feesByYear, regime } = input;
  const rates = Object.hasOwn(feesByYear, academicYear) ? feesByYear[academicYear] : undefined;
  const rate = rates && Object.hasOwn(rates, level) ? rates[level] : undefined;
  if (typeof rate !== 'number' || !Number.isInteger(rate) || rate < 0) {
    throw new DomainError('fee_rate_missing', { academicYear, level });
  }
  if (scholarship === 'granted') return { amountCents: 0, currency: 'EUR', exempt: true, reason: 'scholarship_granted' };
  if (regime === 'echange_accueil') return { amountCents: 0, currency: 'EUR', exempt: true, reason: 'exchange_programme' };
  if (scholarship === 'pending') return { amountCents: rate, currency: 'EUR', exempt: false, reason: 'scholarship_pending' };
  return { amountCents: rate, currency: 'EUR', exempt: false, reason: 'standard' };
}

/** The dossier's fees from its level, year and situation (scholarship `none` until given). */
export function dossierFees(d: Dossier, feesByYear: FeesByYear): Fees {
  return computeFees({
    level: d.level,
    academicYear: d.academicYear,
    scholarship: d.steps.situation.scholarship ?? 'none',
    regime: d.steps.situation.regime,
    feesByYear,
  });
}

// ---------------------------------------------------------------------------------------------
// Creation

export interface NewDossierInput {
  id: string;
  identifier: string;
  academicYear: string;
  student: DossierStudent;
  programmeCode: string;
  level: Level;
  /** ISO 8601 instant. */
  now: string;
  feesByYear: FeesByYear;
}

export function newDossier(input: NewDossierInput): Dossier {
  const d: Dossier = {
    id: input.id,
    identifier: input.identifier,
    academicYear: input.academicYear,
    status: 'draft',
    steps: {
      identity: { status: 'todo' },
      ine: { status: 'todo' },
      situation: { status: 'todo' },
      cvec: { status: 'todo' },
      programme: { status: 'todo' },
    },
    fees: { amountCents: 0, currency: 'EUR', exempt: false, reason: 'standard' },
    payment: { status: 'none', method: null },
    student: { ...input.student },
    programmeCode: input.programmeCode,
    level: input.level,
    version: 0,
    createdAt: input.now,
  };
  return { ...d, fees: dossierFees(d, input.feesByYear) };
}

// ---------------------------------------------------------------------------------------------
// Progress

/** Whether a step counts as done (the cvec step is done by itself when the regime does not ask for it). */
export function isStepDone(d: Dossier, step: StepName): boolean {
  if (step === 'cvec') {
    const regime = d.steps.situation.status === 'done' ? d.steps.situation.regime : undefined;
    if (regime !== undefined) {
      if (!cvecRequired(regime)) return true;
      return d.steps.cvec.status === 'done' && typeof d.steps.cvec.certificateNumber === 'string';
    }
  }
  return d.steps[step].status === 'done';
}

/** Steps not done yet, in wizard order. */
export function missingSteps(d: Dossier): StepName[] {
  return STEP_ORDER.filter((s) => !isStepDone(d, s));
}

/** The first step to do; `summary` once all are done (draft); null after submit. */
export function nextStep(d: Dossier): StepName | 'summary' | null {
  if (d.status !== 'draft') return null;
  return missingSteps(d)[0] ?? 'summary';
}

// ---------------------------------------------------------------------------------------------
// State machine

const TRANSITIONS: Readonly<Record<DossierStatus, readonly DossierStatus[]>> = Object.freeze({
  draft: ['submitted', 'cancelled'],
  submitted: ['awaiting_payment', 'pay_at_office', 'enrolled', 'cancelled'],
  awaiting_payment: ['enrolled', 'cancelled'],
  pay_at_office: ['enrolled', 'cancelled'],
  enrolled: ['cancelled'],
  cancelled: [],
});

export function canTransition(from: DossierStatus, to: DossierStatus): boolean {
  return Object.hasOwn(TRANSITIONS, from) && TRANSITIONS[from].includes(to);
}

function transition(d: Dossier, to: DossierStatus): Dossier {
  if (!canTransition(d.status, to)) throw new DomainError('invalid_transition', { from: d.status, to });
  return { ...d, status: to };
}

export function isEditable(d: Dossier): boolean {
  return d.status === 'draft';
}

/** Throws DomainError `step_locked` unless the dossier is a draft. */
export function assertEditable(d: Dossier): void {
  if (!isEditable(d)) throw new DomainError('step_locked', { status: d.status });
}

// ---------------------------------------------------------------------------------------------
// Steps (each validated upstream: body by schemas.ts, INE/CVEC by their modules and ports)

export interface IdentityData {
  email: string;
  phone: string;
  address: z.infer<typeof Address>;
  termAddress?: z.infer<typeof Address>;
}

export function applyIdentity(d: Dossier, data: IdentityData): Dossier {
  assertEditable(d);
  const step: z.infer<typeof IdentityStep> = { status: 'done', email: data.email, phone: data.phone, address: { ...data.address } };
  if (data.termAddress) step.termAddress = { ...data.termAddress };
  return { ...d, steps: { ...d.steps, identity: step } };
}

/** A checked INE typed by the student (INES: `verified` once the verification port said yes). */
export function applyIne(d: Dossier, data: { ine: string; format: IneFormat; verified?: boolean }): Dossier {
  assertEditable(d);
  const step: z.infer<typeof IneStep> = { status: 'done', ine: data.ine, format: data.format, source: 'student' };
  if (data.verified !== undefined) step.verified = data.verified;
  return { ...d, steps: { ...d.steps, ine: step } };
}

/**
 * "I have no INE": allowed only with no French bac and never enrolled in a French university
 * (DomainError `ine_no_ine_not_allowed` otherwise). The dossier's own provisional INE if it
 * holds one, else `provisionalIne` (drawn by the service).
 */
export function applyNoIne(
  d: Dossier,
  data: { noFrenchBac: boolean; neverEnrolledInFrenchUniversity: boolean; provisionalIne: string },
): Dossier {
  assertEditable(d);
  if (!(data.noFrenchBac === true && data.neverEnrolledInFrenchUniversity === true)) {
    throw new DomainError('ine_no_ine_not_allowed');
  }
  const ine = d.provisionalIne ?? data.provisionalIne;
  const step: z.infer<typeof IneStep> = {
    status: 'done',
    ine,
    format: 'provisional',
    source: 'no_ine_declaration',
    declaration: { noFrenchBac: true, neverEnrolledInFrenchUniversity: true },
  };
  return { ...d, provisionalIne: ine, steps: { ...d.steps, ine: step } };
}

/**
 * A provisional INE set by an operator for a stuck student (draft only): the dossier's own
 * provisional INE if it holds one, else `provisionalIne` (drawn by the service).
 */
export function assignProvisionalIne(d: Dossier, provisionalIne: string): Dossier {
  assertEditable(d);
  const ine = d.provisionalIne ?? provisionalIne;
  const step: z.infer<typeof IneStep> = { status: 'done', ine, format: 'provisional', source: 'operator' };
  return { ...d, provisionalIne: ine, steps: { ...d.steps, ine: step } };
}

/** The cvec step as the regime makes it: not asked → done/required:false; asked → done iff a certificate is kept. */
function evaluateCvecStep(cvec: z.infer<typeof CvecStep>, regime: Regime | undefined): z.infer<typeof CvecStep> {
  if (regime === undefined) return cvec;
  if (!cvecRequired(regime)) return { ...cvec, status: 'done', required: false };
  const hasCertificate = typeof cvec.certificateNumber === 'string' && typeof cvec.state === 'number' && isValidCvecState(cvec.state);
  return { ...cvec, status: hasCertificate ? 'done' : 'todo', required: true };
}

/**
 * Regime and scholarship. Re-evaluates the cvec step (a certificate given earlier is kept, so
 * switching regimes back and forth loses nothing) and recomputes the fees.
 */
export function applySituation(
  d: Dossier,
  data: { regime: Regime; scholarship: Scholarship },
  feesByYear: FeesByYear,
): Dossier {
  assertEditable(d);
  const steps: Steps = {
    ...d.steps,
    situation: { status: 'done', regime: data.regime, scholarship: data.scholarship },
    cvec: evaluateCvecStep(d.steps.cvec, data.regime),
  };
  const next = { ...d, steps };
  return { ...next, fees: dossierFees(next, feesByYear) };
}

/**
 * A CVEC certificate already checked (format, port, civil status: see cvec.ts). Its state must
 * be a valid one (DomainError `cvec_state_invalid`). Accepted whatever the regime; the step's
 * `required` flag follows the situation.
 */
export function applyCvec(d: Dossier, data: { certificateNumber: string; state: number }): Dossier {
  assertEditable(d);
  if (!isValidCvecState(data.state)) {
    throw new DomainError('cvec_state_invalid', { state: data.state, valid: CVEC_VALID_STATES });
  }
  const regime = d.steps.situation.status === 'done' ? d.steps.situation.regime : undefined;
  const cvec = evaluateCvecStep({ status: 'done', required: true, certificateNumber: data.certificateNumber, state: data.state }, regime);
  return { ...d, steps: { ...d.steps, cvec } };
}

/** Confirms the admitted programme (DomainError `programme_not_admitted` for any other code). */
export function applyProgramme(d: Dossier, data: { programmeCode: string }, feesByYear: FeesByYear): Dossier {
  assertEditable(d);
  if (data.programmeCode !== d.programmeCode) {
    throw new DomainError('programme_not_admitted', { programmeCode: data.programmeCode });
  }
  const next = { ...d, steps: { ...d.steps, programme: { status: 'done' as const, programmeCode: d.programmeCode } } };
  return { ...next, fees: dossierFees(next, feesByYear) };
}

// ---------------------------------------------------------------------------------------------
// Submit, payment, cancel

/** Where a submitted dossier goes: nothing due → enrolled; scholarship pending → pay_at_office; else awaiting_payment. */
export function submitOutcome(d: Dossier): 'awaiting_payment' | 'pay_at_office' | 'enrolled' {
  if (d.fees.exempt || d.fees.amountCents === 0) return 'enrolled';
  if (d.fees.reason === 'scholarship_pending' || d.steps.situation.scholarship === 'pending') return 'pay_at_office';
  return 'awaiting_payment';
}

/**
 * Submits a complete draft: `draft → submitted → submitOutcome`. Fees are recomputed first.
 * DomainError `step_locked` if not a draft, `incomplete` (details.missing) if a step is missing.
 */
export function submitDossier(d: Dossier, now: string, feesByYear: FeesByYear): Dossier {
  assertEditable(d);
  const missing = missingSteps(d);
  if (missing.length > 0) throw new DomainError('incomplete', { missing });
  const priced: Dossier = { ...d, fees: dossierFees(d, feesByYear) };
  const submitted = { ...transition(priced, 'submitted'), submittedAt: now };
  const outcome = submitOutcome(submitted);
  const after = transition(submitted, outcome);
  switch (outcome) {
    case 'enrolled':
      return {
        ...after,
        enrolledAt: now,
        payment: { status: 'not_required', method: after.fees.reason === 'scholarship_granted' ? 'scholarship' : 'exempt' },
      };
    case 'pay_at_office':
      return { ...after, payment: { status: 'due_at_office', method: 'office', amountCents: after.fees.amountCents } };
    case 'awaiting_payment':
      return { ...after, payment: { status: 'due', method: 'card', amountCents: after.fees.amountCents } };
  }
}

export type PaymentPermission =
  | { ok: true; amountCents: number }
  | { ok: false; reason: 'payment_not_due' | 'payment_pay_at_office' | 'payment_already_done' | 'payment_cancelled' };

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
export function completeOnlinePayment(
  d: Dossier,
  data: { reference: string; amountCents: number; at: string },
): PaymentOutcome {
  if (d.payment.status === 'paid' && d.payment.reference === data.reference) return { dossier: d, changed: false };
  if (d.status !== 'awaiting_payment') {
    const reason: DomainReason =
      d.status === 'cancelled' ? 'payment_cancelled' : d.status === 'pay_at_office' ? 'payment_pay_at_office' : d.status === 'enrolled' ? 'payment_already_done' : 'payment_not_due';
    return { dossier: d, changed: false, reason };
  }
  if (data.amountCents !== d.fees.amountCents) return { dossier: d, changed: false, reason: 'payment_amount_mismatch' };
  const enrolled = transition(d, 'enrolled');
  return {
    changed: true,
    dossier: {
      ...enrolled,
      enrolledAt: data.at,
      payment: { ...d.payment, status: 'paid', method: 'card', reference: data.reference, amountCents: data.amountCents, paidAt: data.at },
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Online payment through Stripe Checkout (the Stripe adapter translates to and from these)

/** What Stripe says of the Checkout session recorded on the dossier. */
export interface CheckoutSessionState {
  status: 'open' | 'complete' | 'expired';
  /** ISO 8601 instant. */
  expiresAt: string;
}

/** An open session lapsing sooner than this is replaced: the student needs time to pay. */
export const CHECKOUT_REUSE_MARGIN_MS = 5 * 60 * 1000;

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
  const lapsesSoon = Date.parse(recorded.expiresAt) - now.getTime() <= CHECKOUT_REUSE_MARGIN_MS;
  return lapsesSoon ? { action: 'create', expireRecorded: true } : { action: 'reuse' };
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
}

export type CheckoutEventEffect = 'enrolled' | 'released' | 'anomaly' | 'none';

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
      return applyPaidCheckout(d, e);
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
  if (d.payment.anomaly?.eventId === e.eventId) return unchanged(d);
  let reason = checkoutMismatch(d, e);
  if (!reason) {
    const paid = completeOnlinePayment(d, { reference: e.reference, amountCents: e.amountCents!, at: e.at });
    if (paid.changed) {
      return { dossier: { ...paid.dossier, payment: { ...paid.dossier.payment, checkoutSessionId: e.checkoutSessionId } }, effect: 'enrolled' };
    }
    reason = PaymentAnomalyReason.parse(paid.reason);
  }
  return { dossier: { ...d, payment: { ...d.payment, anomaly: checkoutAnomaly(e, reason) } }, effect: 'anomaly' };
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
export function recordOfficePayment(
  d: Dossier,
  data: { kind: 'paid' | 'scholarship_granted'; reference: string; at: string },
  feesByYear: FeesByYear,
): Dossier {
  if (d.status === 'cancelled') throw new DomainError('payment_cancelled');
  if (d.status === 'enrolled') throw new DomainError('payment_already_done');
  if (d.status !== 'pay_at_office' && d.status !== 'awaiting_payment') throw new DomainError('payment_not_due', { status: d.status });
  const enrolled = { ...transition(d, 'enrolled'), enrolledAt: data.at };
  if (data.kind === 'paid') {
    return {
      ...enrolled,
      payment: { ...d.payment, status: 'paid', method: 'office', reference: data.reference, amountCents: d.fees.amountCents, paidAt: data.at },
    };
  }
  const steps: Steps = { ...d.steps, situation: { ...d.steps.situation, status: 'done', scholarship: 'granted' } };
  const granted = { ...enrolled, steps };
  return {
    ...granted,
    fees: dossierFees(granted, feesByYear),
    payment: { ...d.payment, status: 'not_required', method: 'scholarship', reference: data.reference },
  };
}

/** Operator cancellation, from any status but cancelled. */
export function cancelDossier(d: Dossier, data: { reason: string; at: string }): Dossier {
  if (d.status === 'cancelled') throw new DomainError('invalid_transition', { from: d.status, to: 'cancelled' });
  return { ...transition(d, 'cancelled'), cancelledAt: data.at, cancelReason: data.reason };
}

/** The dossier as the API returns it: the stored dossier plus `nextStep`. */
export function dossierView(d: Dossier): Dossier & { nextStep: StepName | 'summary' | null } {
  return { ...d, nextStep: nextStep(d) };
}
