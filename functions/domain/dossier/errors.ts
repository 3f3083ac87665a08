/** Domain refusals of the dossier (messages: ../messages/fields.ts, HTTP mapping: functions/shared/domain-errors.ts). */
export type DomainReason =
  | 'step_locked'
  | 'dossier_cancelled'
  | 'regime_exchange_not_admitted'
  | 'payment_scholarship_to_verify'
  | 'scholarship_not_declared'
  | 'scholarship_already_reviewed'
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
  | 'fee_rate_missing'
  | 'document_not_reviewable'
  | 'withdrawal_not_enrolled'
  | 'refund_not_awaited'
  | 'refund_exceeds_refundable'
  | 'instalments_not_allowed'
  | 'instalment_unknown';

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
