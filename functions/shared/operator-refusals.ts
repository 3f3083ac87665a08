import type { Dossier } from '../domain/dossier';
import { type DomainReason, isDomainError } from '../domain/dossier/errors';
import { statusLabel } from '../domain/labels';
import type { ErrorCode } from '../domain/messages/errors';
import type { Lang } from '../domain/messages/lang';
import { fromDomainError, REFUSALS } from './domain-errors';
import { AppError } from './errors';

/**
 * The domain refusals worded for the scolarité staff (operator routes), where the students'
 * wording (./domain-errors.ts `REFUSALS`, whose status and code they keep unless `code` says
 * otherwise) would not do; `details` is then the dossier's status, and `when` limits a wording
 * to some dossiers. Apart from `REFUSALS` so that the students' functions do not carry it.
 */
interface OperatorWording {
  code?: ErrorCode;
  messageKey?: ErrorCode;
  params?: (d: Dossier, lang: Lang) => Record<string, string | number>;
  when?: (d: Dossier) => boolean;
}

const statusParam = (d: Dossier, lang: Lang) => ({ status: statusLabel(d.status, lang) });

const OPERATOR_WORDING: { readonly [R in DomainReason]?: OperatorWording } = {
  step_locked: { messageKey: 'OPERATOR_STEP_LOCKED', params: statusParam },
  invalid_transition: { messageKey: 'OPERATOR_ALREADY_CANCELLED', when: (d) => d.status === 'cancelled' },
  payment_not_due: { messageKey: 'OPERATOR_PAYMENT_NOT_DUE', params: statusParam },
  payment_pay_at_office: { messageKey: 'OPERATOR_PAYMENT_NOT_DUE', params: statusParam },
  payment_already_done: { messageKey: 'OPERATOR_PAYMENT_ALREADY_DONE', params: (d) => ({ reference: d.payment.reference ?? '–' }) },
  payment_cancelled: { messageKey: 'OPERATOR_PAYMENT_CANCELLED' },
  payment_processing: { code: 'PAYMENT_IN_PROGRESS' },
  payment_scholarship_to_verify: { messageKey: 'OPERATOR_PAYMENT_NOT_DUE', params: statusParam },
  dossier_cancelled: { messageKey: 'OPERATOR_DOSSIER_CANCELLED' },
  refund_not_awaited: { params: statusParam },
};

/** The domain's refusal, worded for operators (same API codes as the students get). */
export function operatorRefusal(err: unknown, d: Dossier, lang: Lang): unknown {
  if (!isDomainError(err)) return err;
  const r = REFUSALS[err.reason];
  const op = OPERATOR_WORDING[err.reason];
  if (!op || (op.when && !op.when(d))) return fromDomainError(err);
  return new AppError(r.status, op.code ?? r.code, {
    ...(op.messageKey ? { messageKey: op.messageKey } : {}),
    ...(op.params ? { params: op.params(d, lang) } : {}),
    details: { status: d.status },
  });
}
