/**
 * The dossier's life: creation, progress through the steps, the state machine, submit, cancel.
 * The diagram and the rules it follows are in ./index.ts.
 */
import { documents as documentRules } from '../../../config/catalogue';
import { cvecRequired } from '../cvec';
import { documentItems, type DocumentItem } from '../documents';
import { DomainError } from './errors';
import { dossierDecision, dossierFees } from './fees';
import { amountSettledCents, type Movement, movementsOf } from './money';
import { refundSummary } from './withdrawal';
import { type Dossier, type DossierStatus, type DossierStudent, type FeesByYear, type Level, type Refund, STEP_ORDER, type StepName } from './model';

export interface NewDossierInput {
  id: string;
  /** The admission marks an incoming exchange student. @default false */
  exchangeStudent?: boolean;
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
    ...(input.exchangeStudent ? { exchangeStudent: true } : {}),
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

const TRANSITIONS: Readonly<Record<DossierStatus, readonly DossierStatus[]>> = /* @__PURE__ */ Object.freeze({
  draft: ['submitted', 'cancelled'],
  submitted: ['awaiting_payment', 'pay_at_office', 'scholarship_to_verify', 'enrolled', 'cancelled'],
  awaiting_payment: ['enrolled', 'cancelled'],
  pay_at_office: ['enrolled', 'cancelled'],
  scholarship_to_verify: ['enrolled', 'awaiting_payment', 'cancelled'],
  enrolled: ['withdrawal_requested', 'withdrawn', 'cancelled'],
  withdrawal_requested: ['withdrawn', 'cancelled'],
  withdrawn: ['cancelled'],
  cancelled: [],
});

export function canTransition(from: DossierStatus, to: DossierStatus): boolean {
  return Object.hasOwn(TRANSITIONS, from) && TRANSITIONS[from].includes(to);
}

/** Moves the dossier to `to` (DomainError `invalid_transition` when the state machine forbids it). */
export function transition(d: Dossier, to: DossierStatus): Dossier {
  if (!canTransition(d.status, to)) throw new DomainError('invalid_transition', { from: d.status, to });
  return { ...d, status: to };
}

/**
 * Statuses whose student may sign in and read the dossier while the service is closed: an
 * enrolled student pays the parts left and follows a withdrawal and its refund at any time
 * (SPEC "Instalments", "Withdrawal and refunds"); everything else waits for a window.
 */
export function followsUpWhenClosed(d: Pick<Dossier, 'status'>): boolean {
  return d.status === 'enrolled' || d.status === 'withdrawal_requested' || d.status === 'withdrawn';
}

export function isEditable(d: Dossier): boolean {
  return d.status === 'draft';
}

/**
 * Throws DomainError `step_locked` unless the dossier is a draft (`dossier_cancelled` for a
 * cancelled one: the student is told it was cancelled, not that it was submitted).
 */
export function assertEditable(d: Dossier): void {
  assertNotCancelled(d);
  if (!isEditable(d)) throw new DomainError('step_locked', { status: d.status });
}

/**
 * Throws DomainError `dossier_cancelled` for a cancelled dossier: what stays open after submit
 * (documents, corrections) closes with the dossier, and the refusal says why.
 */
export function assertNotCancelled(d: Dossier): void {
  if (d.status === 'cancelled') throw new DomainError('dossier_cancelled', { status: d.status });
}

/**
 * Submits a complete draft: `draft → submitted →` what `feeDecision` (./fees.ts) says.
 * DomainError `step_locked` if not a draft, `incomplete` (details.missing) if a step is missing.
 */
export function submitDossier(d: Dossier, now: string, feesByYear: FeesByYear): Dossier {
  assertEditable(d);
  const missing = missingSteps(d);
  if (missing.length > 0) throw new DomainError('incomplete', { missing });
  const decision = dossierDecision(d, feesByYear);
  const submitted = { ...transition({ ...d, fees: decision.fees }, 'submitted'), submittedAt: now };
  const after = { ...transition(submitted, decision.outcome), payment: decision.payment };
  return decision.outcome === 'enrolled' ? { ...after, enrolledAt: now } : after;
}

/** Operator cancellation, from any status but cancelled. */
export function cancelDossier(d: Dossier, data: { reason: string; at: string }): Dossier {
  if (d.status === 'cancelled') throw new DomainError('invalid_transition', { from: d.status, to: 'cancelled' });
  // Every session of the dossier ends with it (functions/shared/tokens.ts checks the generation).
  return { ...transition(d, 'cancelled'), cancelledAt: data.at, cancelReason: data.reason, sessionGeneration: (d.sessionGeneration ?? 0) + 1 };
}

/**
 * The dossier as the API returns it: the stored dossier plus `nextStep`, its documents as the API
 * lists them, and `movements`: every payment, instalment and refund (./money.ts), the answer to
 * "was I charged?"; `paidCents`: what those movements settled so far (./money.ts
 * `amountSettledCents`: each part of a plan paid, not a charge owed nothing); `refund` (API.md):
 * the latest refund's amount and status, when there is one.
 */
export function dossierView(d: Dossier): Omit<Dossier, 'documents' | 'correctionAsked' | 'movements' | 'provisionalIneDraw'> & {
  nextStep: StepName | 'summary' | null;
  documents: DocumentItem[];
  movements: Movement[];
  paidCents: number;
  refund?: Pick<Refund, 'amountCents' | 'status'>;
} {
  const { documents: _stored, correctionAsked: _asked, provisionalIneDraw: _draw, ...rest } = d;
  const refund = refundSummary(d);
  return {
    ...rest,
    nextStep: nextStep(d),
    documents: documentItems(d, documentRules),
    movements: movementsOf(d),
    paidCents: amountSettledCents(d),
    ...(refund ? { refund } : {}),
  };
}
