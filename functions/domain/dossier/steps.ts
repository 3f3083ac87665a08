/** The wizard's steps, each validated upstream: body by schemas.ts, INE/CVEC by their modules and ports. */
import type * as z from 'zod/mini';
import { CVEC_VALID_STATES, type Regime, type Scholarship, cvecRequired, isValidCvecState } from '../cvec';
import type { IneFormat } from '../ine';
import { DomainError } from './errors';
import { dossierFees } from './fees';
import { assertEditable } from './lifecycle';
import type { Address, CvecStep, Dossier, FeesByYear, IdentityStep, IneStep, Steps } from './model';

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
export function applyNoIne(d: Dossier, data: { noFrenchBac: boolean; neverEnrolledInFrenchUniversity: boolean; provisionalIne: string }): Dossier {
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
 * switching regimes back and forth loses nothing) and recomputes the fees. `echange_accueil`
 * (no fees, no CVEC) only when the admission marks an incoming exchange student (DomainError
 * `regime_exchange_not_admitted` otherwise).
 */
export function applySituation(d: Dossier, data: { regime: Regime; scholarship: Scholarship }, feesByYear: FeesByYear): Dossier {
  assertEditable(d);
  if (data.regime === 'echange_accueil' && d.exchangeStudent !== true) throw new DomainError('regime_exchange_not_admitted');
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
