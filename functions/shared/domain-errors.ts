import { type DomainError, type DomainReason, isDomainError } from '../domain/dossier/errors';
import type { ErrorCode } from '../domain/messages/errors';
import type { FieldCode } from '../domain/messages/fields';
import { AppError, notFound, validationFailed } from './errors';
import { ConcurrentUpdateError, InvalidCursorError, InvalidSignatureError, NotFoundError, UnknownProgrammeError, UpstreamUnavailableError, type Upstream } from './failures';

/**
 * How the API answers what the domain refuses and what adapters fail at: the one mapping
 * from `DomainError` reasons and ./failures.ts errors to API.md's status, code and messages.
 */

type Params = Record<string, string | number>;

interface Refusal {
  status: number;
  code: ErrorCode;
  /** @default code */
  messageKey?: ErrorCode;
  /** The field the refusal is about, and its reason code. */
  field?: readonly [path: string, reason: FieldCode];
  params?: (e: DomainError) => Params;
  /** Non-personal data returned beside the message. */
  details?: (e: DomainError) => Record<string, unknown>;
}

/** The refused dossier's status, or the refusal's reason, beside the message; the status in it. */
const withStatus = (e: DomainError) => ({ status: e.details.status });
const withReason = (e: DomainError) => ({ reason: e.reason });
const statusParam = (e: DomainError) => ({ status: String(e.details.status ?? '') });
/** 409 refusing what the dossier's status does not allow, its status beside the message (and in it, with `params`). */
const inState = (code: ErrorCode, params?: Refusal['params']): Refusal => ({ status: 409, code, details: withStatus, ...(params ? { params } : {}) });
/** 422 VALIDATION_FAILED naming the field the refusal is about. */
const invalidField = (path: string, reason: FieldCode): Refusal => ({ status: 422, code: 'VALIDATION_FAILED', field: [path, reason] });
const paymentRefused = (messageKey: ErrorCode): Refusal => ({
  status: 409,
  code: 'PAYMENT_NOT_ALLOWED',
  messageKey,
  details: withReason,
});
/** A refusal with no message of its own: an operation that does not fit the dossier's state. */
const notInThisState: Refusal = { status: 409, code: 'INVALID_TRANSITION', details: withReason };

/** Every domain refusal (functions/domain/dossier/errors.ts): a reason without a row fails the type-check. */
export const REFUSALS: { readonly [R in DomainReason]: Refusal } = {
  step_locked: inState('STEP_LOCKED'),
  incomplete: {
    status: 409,
    code: 'INCOMPLETE',
    params: (e) => ({ missing: ((e.details.missing as string[]) ?? []).join(', ') }),
    details: (e) => ({ missingSteps: (e.details.missing as string[]) ?? [] }),
  },
  invalid_transition: {
    status: 409,
    code: 'INVALID_TRANSITION',
    details: (e) => ({ from: e.details.from, to: e.details.to }),
  },
  programme_not_admitted: invalidField('programmeCode', 'programme_not_admitted'),
  cvec_state_invalid: { ...invalidField('certificateNumber', 'cvec_state_invalid'), details: (e) => ({ state: e.details.state }) },
  ine_no_ine_not_allowed: { status: 422, code: 'INE_INVALID', field: ['noIne', 'ine_no_ine_not_allowed'] },
  payment_not_due: paymentRefused('PAYMENT_NOT_ALLOWED_NOT_DUE'),
  payment_pay_at_office: paymentRefused('PAYMENT_NOT_ALLOWED_PAY_AT_OFFICE'),
  payment_already_done: paymentRefused('PAYMENT_NOT_ALLOWED_ALREADY_DONE'),
  payment_cancelled: paymentRefused('PAYMENT_NOT_ALLOWED_CANCELLED'),
  payment_processing: paymentRefused('PAYMENT_NOT_ALLOWED_PROCESSING'),
  payment_scholarship_to_verify: paymentRefused('PAYMENT_NOT_ALLOWED_SCHOLARSHIP_TO_VERIFY'),
  dossier_cancelled: { status: 409, code: 'STEP_LOCKED', messageKey: 'STEP_LOCKED_CANCELLED', details: () => ({ status: 'cancelled' }) },
  regime_exchange_not_admitted: invalidField('regime', 'regime_exchange_not_admitted'),
  scholarship_not_declared: inState('SCHOLARSHIP_NOT_DECLARED', statusParam),
  scholarship_already_reviewed: { status: 409, code: 'SCHOLARSHIP_ALREADY_REVIEWED' },
  payment_amount_mismatch: notInThisState,
  payment_currency_mismatch: notInThisState,
  payment_dossier_mismatch: notInThisState,
  fee_rate_missing: notInThisState,
  document_not_reviewable: notInThisState,
  withdrawal_not_enrolled: inState('WITHDRAWAL_NOT_ALLOWED'),
  refund_not_awaited: inState('REFUND_NOT_AWAITED', statusParam),
  refund_exceeds_refundable: { ...invalidField('amountCents', 'refund_exceeds_refundable'), details: (e) => ({ maxCents: e.details.maxCents }) },
  instalments_not_allowed: inState('INSTALMENTS_NOT_ALLOWED', (e) => ({ parts: Number(e.details.parts) })),
  instalment_unknown: { status: 404, code: 'INSTALMENT_NOT_FOUND', details: (e) => ({ n: e.details.n }) },
};

/** API.md's answer to a domain refusal, for a student. */
export function fromDomainError(e: DomainError): AppError {
  const r = REFUSALS[e.reason];
  return new AppError(r.status, r.code, {
    ...(r.messageKey ? { messageKey: r.messageKey } : {}),
    ...(r.params ? { params: r.params(e) } : {}),
    ...(r.field ? { fields: { [r.field[0]]: r.field[1] } } : {}),
    ...(r.details ? { details: r.details(e) } : {}),
  });
}

/** What a caller is told while an upstream service fails, and when to try again. */
const UPSTREAMS: { readonly [U in Upstream]: { code: ErrorCode; retryAfterSeconds: number } } = {
  cvec: { code: 'CVEC_UNAVAILABLE', retryAfterSeconds: 60 },
  ines: { code: 'INES_UNAVAILABLE', retryAfterSeconds: 60 },
  stripe: { code: 'PAYMENT_UNAVAILABLE', retryAfterSeconds: 30 },
};

/**
 * The API's answer to anything typed that was thrown: an `AppError` as it is, a domain refusal,
 * an adapter failure; undefined for anything else (a bug: the edge logs it and answers 500).
 */
export function toKnownError(error: unknown): AppError | undefined {
  if (error instanceof AppError) return error;
  if (isDomainError(error)) return fromDomainError(error);
  if (error instanceof NotFoundError) return notFound();
  if (error instanceof ConcurrentUpdateError) return new AppError(409, 'CONFLICT_RETRY');
  if (error instanceof InvalidCursorError) return validationFailed({ cursor: 'cursor_invalid' });
  if (error instanceof InvalidSignatureError) return new AppError(400, 'WEBHOOK_SIGNATURE_INVALID');
  if (error instanceof UnknownProgrammeError) return new AppError(409, 'ADMISSION_PROGRAMME_UNKNOWN');
  if (error instanceof UpstreamUnavailableError) {
    const u = UPSTREAMS[error.upstream];
    return new AppError(503, u.code, { headers: { 'retry-after': String(u.retryAfterSeconds) } });
  }
  return undefined;
}
