/** Where each wizard step lives, and where a dossier's owner should be sent. */
import { STEP_ORDER, type StepName } from '../../functions/domain/dossier/step-order';
import type { Dossier } from './api';

export { STEP_ORDER, type StepName };

export const STEP_PATHS: Readonly<Record<StepName, string>> = {
  identity: '/etapes/identite',
  ine: '/etapes/ine',
  situation: '/etapes/situation',
  cvec: '/etapes/cvec',
  programme: '/etapes/formation',
};

export const SUMMARY_PATH = '/recapitulatif';

/** The page a student belongs on, given the dossier's state. */
export function destinationFor(d: Dossier): string {
  switch (d.status) {
    case 'draft':
      return d.nextStep && d.nextStep !== 'summary' ? STEP_PATHS[d.nextStep] : SUMMARY_PATH;
    case 'enrolled':
      return '/termine';
    case 'pay_at_office':
    case 'scholarship_to_verify':
      return '/paiement-en-scolarite';
    default:
      return SUMMARY_PATH;
  }
}

/** Steps can be revisited, not skipped: nothing after the first step still to do. */
export function stepReachable(d: Dossier, step: StepName): boolean {
  if (d.nextStep === null || d.nextStep === 'summary') return true;
  return STEP_ORDER.indexOf(step) <= STEP_ORDER.indexOf(d.nextStep);
}
