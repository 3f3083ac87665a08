/** The dossier's shape (API.md "The dossier"): zod schemas, the types come from them. */
import * as z from 'zod/mini';
import { LANGS } from '../messages/lang';
import { Regime, Scholarship } from '../cvec';
import { Instalment, PaymentPlan } from './instalments';
import { Movement } from './money';
import { STEP_ORDER, type StepName as StepNameType } from './step-order';

export const Level = /* @__PURE__ */ z.enum(['licence', 'master', 'doctorat', 'ingenieur']);
export type Level = z.infer<typeof Level>;

export const StepName = /* @__PURE__ */ z.enum(STEP_ORDER);
export type StepName = StepNameType;

export { STEP_ORDER };

export const StepStatus = /* @__PURE__ */ z.enum(['todo', 'done']);
export type StepStatus = z.infer<typeof StepStatus>;

export const DossierStatus = /* @__PURE__ */ z.enum(['draft', 'submitted', 'awaiting_payment', 'pay_at_office', 'scholarship_to_verify', 'enrolled', 'withdrawal_requested', 'withdrawn', 'cancelled']);
export type DossierStatus = z.infer<typeof DossierStatus>;

export const Address = /* @__PURE__ */ z.lazy(() =>
  z.object({
    line1: z.string(),
    line2: z.optional(z.string()),
    postalCode: z.string(),
    city: z.string(),
    country: z.string(),
  }),
);

export const IdentityStep = /* @__PURE__ */ z.lazy(() =>
  z.object({
    status: StepStatus,
    email: z.optional(z.string()),
    phone: z.optional(z.string()),
    address: z.optional(Address),
    termAddress: z.optional(Address),
  }),
);

export const IneSource = /* @__PURE__ */ z.enum(['student', 'no_ine_declaration', 'operator']);
export type IneSource = z.infer<typeof IneSource>;

export const IneStep = /* @__PURE__ */ z.lazy(() =>
  z.object({
    status: StepStatus,
    ine: z.optional(z.string()),
    format: z.optional(z.enum(['bea', 'base36', 'ines', 'sifa', 'provisional'])),
    source: z.optional(IneSource),
    /** INES checked through the INE verification port. */
    verified: z.optional(z.boolean()),
    declaration: z.optional(z.object({ noFrenchBac: z.boolean(), neverEnrolledInFrenchUniversity: z.boolean() })),
  }),
);

export const SituationStep = /* @__PURE__ */ z.lazy(() =>
  z.object({
    status: StepStatus,
    regime: z.optional(Regime),
    scholarship: z.optional(Scholarship),
  }),
);

export const CvecStep = /* @__PURE__ */ z.lazy(() =>
  z.object({
    status: StepStatus,
    /** false when the regime does not ask for a CVEC certificate (the step then counts as done). */
    required: z.optional(z.boolean()),
    certificateNumber: z.optional(z.string()),
    /** The certificate state returned by the CVEC port (one of domain/cvec.ts `CVEC_VALID_STATES`). */
    state: z.optional(z.number().check(z.int())),
  }),
);

export const ProgrammeStep = /* @__PURE__ */ z.lazy(() =>
  z.object({
    status: StepStatus,
    programmeCode: z.optional(z.string()),
  }),
);

export const Steps = /* @__PURE__ */ z.lazy(() =>
  z.object({
    identity: IdentityStep,
    ine: IneStep,
    situation: SituationStep,
    cvec: CvecStep,
    programme: ProgrammeStep,
  }),
);
export type Steps = z.infer<typeof Steps>;

export const FeeReason = /* @__PURE__ */ z.enum(['standard', 'scholarship_granted', 'scholarship_pending', 'scholarship_to_verify', 'exchange_programme']);
export type FeeReason = z.infer<typeof FeeReason>;

export const Fees = /* @__PURE__ */ z.lazy(() =>
  z.object({
    amountCents: z.number().check(z.int(), z.nonnegative()),
    currency: z.literal('EUR'),
    exempt: z.boolean(),
    reason: FeeReason,
  }),
);
export type Fees = z.infer<typeof Fees>;

/**
 * `none`: nothing asked yet (draft); `due`: to pay online; `due_at_office`: to pay at the
 * scolarité desk (scholarship pending, or declared granted and not proven yet); `paid`;
 * `not_required`: nothing to pay.
 */
export const PaymentStatus = /* @__PURE__ */ z.enum(['none', 'due', 'due_at_office', 'paid', 'not_required']);
export type PaymentStatus = z.infer<typeof PaymentStatus>;
export const PaymentMethod = /* @__PURE__ */ z.enum(['card', 'office', 'scholarship', 'exempt']);
export type PaymentMethod = z.infer<typeof PaymentMethod>;

/**
 * What operators follow up on a dossier's money. The `payment_*` reasons (`UnownedChargeReason`)
 * say why a charge received was not owed: the money is at Stripe but the payment does not match
 * what was asked, or came when nothing was due any more (operators follow up, usually with a
 * refund); such a charge settles nothing (./money.ts `settlementsOf`). The others are about a
 * refund, and may name the payment refunded.
 */
export const PaymentAnomalyReason = /* @__PURE__ */ z.enum([
  'payment_amount_mismatch',
  'payment_currency_mismatch',
  'payment_dossier_mismatch',
  'payment_already_done',
  'payment_cancelled',
  'payment_pay_at_office',
  'payment_not_due',
  /** An operator confirmed the scholarship of a dossier already paid by card: refund it in full (kept for records made before refunds were automated). */
  'scholarship_confirmed_after_payment',
  /** Stripe (or the bank) failed a refund: the student has not been paid back. */
  'refund_failed',
  /** A refund of fees paid at the desk: the accounting office makes it (./withdrawal.ts). */
  'refund_at_office',
  /** Stripe never accepted a refund, even after every scheduled retry (./withdrawal.ts `claimRefundRetries`): an operator checks Stripe and refunds by hand. */
  'refund_unsent',
]);
export type PaymentAnomalyReason = z.infer<typeof PaymentAnomalyReason>;
export type UnownedChargeReason = Extract<PaymentAnomalyReason, `payment_${string}`>;

/** Whether an anomaly says its charge was not owed (see `PaymentAnomalyReason`). */
export const isUnownedCharge = (reason: PaymentAnomalyReason): reason is UnownedChargeReason => reason.startsWith('payment_');

export const PaymentAnomaly = /* @__PURE__ */ z.lazy(() =>
  z.object({
    reason: PaymentAnomalyReason,
    /** The Stripe event and Checkout session that reported the payment. */
    eventId: z.string(),
    checkoutSessionId: z.string(),
    reference: z.string(),
    amountCents: z.nullable(z.number().check(z.int())),
    currency: z.nullable(z.string()),
    at: z.string(),
  }),
);
export type PaymentAnomaly = z.infer<typeof PaymentAnomaly>;

export const Payment = /* @__PURE__ */ z.lazy(() =>
  z.object({
    status: PaymentStatus,
    method: z.nullable(PaymentMethod),
    /** Stripe Checkout session of the last online attempt. */
    checkoutSessionId: z.optional(z.string()),
    /** Payment reference (Stripe payment intent, office receipt number). */
    reference: z.optional(z.string()),
    amountCents: z.optional(z.number().check(z.int(), z.nonnegative())),
    paidAt: z.optional(z.string()),
    /** Every payment that could not be accepted (or is owed back), oldest first, for the operators. */
    anomalies: z.optional(z.array(PaymentAnomaly)),
    /** How the student chose to pay online (absent: in full). */
    plan: z.optional(PaymentPlan),
    /** The parts of an `instalments` plan (./instalments.ts). */
    instalments: z.optional(z.array(Instalment)),
    /** The dossier's Stripe Customer, holding the card saved for the later parts. */
    customerId: z.optional(z.string()),
    /** The saved card the later parts are charged to (Stripe PaymentMethod). */
    paymentMethodId: z.optional(z.string()),
  }),
);
export type Payment = z.infer<typeof Payment>;

/**
 * A refund (./withdrawal.ts). `requested`: recorded, not sent to Stripe yet; `pending`: sent,
 * its outcome awaited by webhook; `succeeded` / `failed`: Stripe's outcome; `office`: fees paid
 * at the desk, refunded by the accounting office (recorded, not executed); `none`: a supervisor
 * decided to refund nothing.
 */
export const RefundStatus = /* @__PURE__ */ z.enum(['requested', 'pending', 'succeeded', 'failed', 'office', 'none']);
export type RefundStatus = z.infer<typeof RefundStatus>;
export const RefundCause = /* @__PURE__ */ z.enum(['withdrawal', 'scholarship']);
export type RefundCause = z.infer<typeof RefundCause>;
export const Refund = /* @__PURE__ */ z.lazy(() =>
  z.object({
    /** `<dossierId>#refund#<n>`: the Stripe idempotency key and the metadata Stripe's events carry back. */
    id: z.string(),
    cause: RefundCause,
    amountCents: z.number().check(z.int(), z.nonnegative()),
    status: RefundStatus,
    /** What is refunded: the card payment (its PaymentIntent) or the desk's receipt. */
    method: z.enum(['card', 'office']),
    paymentReference: z.optional(z.string()),
    stripeRefundId: z.optional(z.string()),
    requestedAt: z.string(),
    /** Who decided the amount (a supervisor), when a person did. */
    decidedBy: z.optional(z.string()),
    reason: z.optional(z.string()),
    settledAt: z.optional(z.string()),
    failureReason: z.optional(z.string()),
    /** Times the RefundRetry job sent it again (Stripe had not accepted it), and when it last did. */
    retries: z.optional(z.number().check(z.int(), z.nonnegative())),
    retriedAt: z.optional(z.string()),
    /** When its retries were spent: listed for the operators (`refund_unsent`), no longer retried. */
    escalatedAt: z.optional(z.string()),
  }),
);
export type Refund = z.infer<typeof Refund>;

export const Withdrawal = /* @__PURE__ */ z.lazy(() =>
  z.object({
    reason: z.string(),
    requestedAt: z.string(),
    /** Before the academic year's start the refund is a right (`automatic`); after it, a supervisor decides. */
    decision: z.optional(z.enum(['automatic', 'supervisor'])),
    decidedAt: z.optional(z.string()),
  }),
);
export type Withdrawal = z.infer<typeof Withdrawal>;

export const DossierStudent = /* @__PURE__ */ z.lazy(() =>
  z.object({
    /** Birth name. */
    lastName: z.string(),
    usageName: z.optional(z.string()),
    firstName: z.string(),
    birthDate: z.string(),
  }),
);
export type DossierStudent = z.infer<typeof DossierStudent>;

/** SPEC "Supporting documents": what the dossier holds of each uploaded file (functions/domain/documents.ts). */
export const DocumentStatus = /* @__PURE__ */ z.enum(['missing', 'checking', 'to_review', 'accepted', 'rejected']);
export type DocumentStatus = z.infer<typeof DocumentStatus>;
export const StoredDocument = /* @__PURE__ */ z.lazy(() =>
  z.object({
    status: DocumentStatus,
    /** A rejection reason code (`file_type_mismatch`…) or the operator's words. */
    reason: z.optional(z.string()),
    /** The random part of the object key: unguessable, fixed per dossier and kind. */
    keyToken: z.string(),
    fileName: z.optional(z.string()),
    contentType: z.optional(z.string()),
    size: z.optional(z.number().check(z.int(), z.nonnegative())),
    /** S3's event sequencer and ETag of the upload this status is about (the last one wins). */
    sequencer: z.optional(z.string()),
    eTag: z.optional(z.string()),
    updatedAt: z.optional(z.string()),
  }),
);
export type StoredDocument = z.infer<typeof StoredDocument>;

export const Dossier = /* @__PURE__ */ z.lazy(() =>
  z.object({
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
    provisionalIne: z.optional(z.string()),
    /**
     * A provisional INE being drawn for this dossier (functions/shared/provisional-ine.ts): set by
     * the one caller that reserved the draw, replaced by `provisionalIne` once the number is drawn.
     */
    provisionalIneDraw: z.optional(z.object({ token: z.string(), at: z.string() })),
    version: z.number().check(z.int(), z.nonnegative()),
    createdAt: z.string(),
    submittedAt: z.optional(z.string()),
    enrolledAt: z.optional(z.string()),
    cancelledAt: z.optional(z.string()),
    cancelReason: z.optional(z.string()),
    /**
     * The language the student submitted in (their `Accept-Language`): the mails sent later,
     * when no student request is at hand (payment confirmation, operators), are written in it.
     */
    lang: z.optional(z.enum(LANGS)),
    /** Supporting documents by kind (absent: none uploaded yet). */
    documents: z.optional(z.record(z.string(), StoredDocument)),
    /** The student has asked for a correction: a proof document is offered. */
    correctionAsked: z.optional(z.boolean()),
    /** The admission marks the student as an incoming exchange student (regime `echange_accueil` allowed). */
    exchangeStudent: z.optional(z.boolean()),
    /** An operator's decision on a scholarship declared granted (SPEC "Proof before privilege"). */
    scholarshipReview: z.optional(z.object({ decision: z.enum(['confirmed', 'refused']), reason: z.string(), by: z.string(), at: z.string() })),
    /** The student's withdrawal (SPEC "Withdrawal and refunds"). */
    withdrawal: z.optional(Withdrawal),
    withdrawnAt: z.optional(z.string()),
    /** Every refund, oldest first. */
    refunds: z.optional(z.array(Refund)),
    /** Bumped when the dossier's sessions must end (an operator cancelled it): older tokens are refused. */
    sessionGeneration: z.optional(z.number().check(z.int(), z.nonnegative())),
    /** Every money movement, oldest first (./money.ts; read through `movementsOf`). */
    movements: z.optional(z.array(Movement)),
  }),
);
export type Dossier = z.infer<typeof Dossier>;

/** National fee rates per academic year and level, in cents (config/catalogue.ts `feesByYear`). */
export type FeesByYear = Readonly<Record<string, Readonly<Record<Level, number>>>>;
