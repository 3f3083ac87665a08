import type { DomainError } from '../domain/dossier';
import { AppError } from './errors';

const paymentKey: Record<string, string> = {
  payment_pay_at_office: 'PAYMENT_NOT_ALLOWED_PAY_AT_OFFICE',
  payment_already_done: 'PAYMENT_NOT_ALLOWED_ALREADY_DONE',
  payment_cancelled: 'PAYMENT_NOT_ALLOWED_CANCELLED',
  payment_not_due: 'PAYMENT_NOT_ALLOWED_NOT_DUE',
  payment_processing: 'PAYMENT_NOT_ALLOWED_PROCESSING',
  payment_scholarship_to_verify: 'PAYMENT_NOT_ALLOWED_SCHOLARSHIP_TO_VERIFY',
};

/** API.md's answer to each domain refusal. */
export function fromDomainError(e: DomainError): AppError {
  switch (e.reason) {
    case 'step_locked':
      return new AppError(409, 'STEP_LOCKED', { details: { status: e.details.status } });
    case 'dossier_cancelled':
      return new AppError(409, 'STEP_LOCKED', { messageKey: 'STEP_LOCKED_CANCELLED', details: { status: 'cancelled' } });
    case 'regime_exchange_not_admitted':
      return new AppError(422, 'VALIDATION_FAILED', { fields: { regime: 'regime_exchange_not_admitted' } });
    case 'scholarship_not_declared':
      return new AppError(409, 'SCHOLARSHIP_NOT_DECLARED', { params: { status: String(e.details.status ?? '') }, details: { status: e.details.status } });
    case 'scholarship_already_reviewed':
      return new AppError(409, 'SCHOLARSHIP_ALREADY_REVIEWED');
    case 'incomplete': {
      const missing = (e.details.missing as string[]) ?? [];
      return new AppError(409, 'INCOMPLETE', { params: { missing: missing.join(', ') }, details: { missingSteps: missing } });
    }
    case 'invalid_transition':
      return new AppError(409, 'INVALID_TRANSITION', { details: { from: e.details.from, to: e.details.to } });
    case 'programme_not_admitted':
      return new AppError(422, 'VALIDATION_FAILED', { fields: { programmeCode: 'programme_not_admitted' } });
    case 'cvec_state_invalid':
      return new AppError(422, 'VALIDATION_FAILED', { fields: { certificateNumber: 'cvec_state_invalid' }, details: { state: e.details.state } });
    case 'ine_no_ine_not_allowed':
      return new AppError(422, 'INE_INVALID', { fields: { noIne: 'ine_no_ine_not_allowed' } });
    case 'payment_not_due':
    case 'payment_pay_at_office':
    case 'payment_already_done':
    case 'payment_cancelled':
    case 'payment_processing':
    case 'payment_scholarship_to_verify':
      return new AppError(409, 'PAYMENT_NOT_ALLOWED', { messageKey: paymentKey[e.reason], details: { reason: e.reason } });
    default:
      return new AppError(409, 'INVALID_TRANSITION', { details: { reason: e.reason } });
  }
}
