/**
 * The console's names for the money codes only operators see (refunds awaiting a decision,
 * payment anomalies); ledger movements and instalments are named for everyone in
 * functions/domain/labels.ts. Keyed by the domain's own types, so a code added there fails the
 * type-check here until it has a name. Amounts go through `formatEuros` (same module).
 */
import type { PaymentAnomalyReason, RefundStatus } from '../../../functions/domain/dossier';
import type { Lang } from '../../../functions/domain/messages/lang';
import { lang } from './i18n';

type Names<K extends string> = { readonly [k in K]: Readonly<Record<Lang, string>> };

export const REFUND_STATUSES: Names<RefundStatus> = {
  requested: { fr: 'à envoyer', en: 'to send' },
  pending: { fr: 'en cours', en: 'pending' },
  succeeded: { fr: 'effectué', en: 'succeeded' },
  failed: { fr: 'échoué', en: 'failed' },
  office: { fr: 'à faire par l’agence comptable', en: 'to be made by the accounting office' },
  none: { fr: 'aucun remboursement', en: 'no refund' },
};

export const ANOMALY_REASONS: Names<PaymentAnomalyReason> = {
  payment_amount_mismatch: { fr: 'Montant payé différent des droits', en: 'Amount paid differs from the fees' },
  payment_currency_mismatch: { fr: 'Devise inattendue', en: 'Unexpected currency' },
  payment_dossier_mismatch: { fr: 'Paiement d’un dossier inconnu', en: 'Payment for an unknown file' },
  payment_already_done: { fr: 'Dossier déjà payé', en: 'File already paid' },
  payment_cancelled: { fr: 'Dossier annulé', en: 'File cancelled' },
  payment_pay_at_office: { fr: 'Dossier à payer en scolarité', en: 'File to pay at the desk' },
  payment_not_due: { fr: 'Aucun paiement attendu', en: 'No payment expected' },
  scholarship_confirmed_after_payment: { fr: 'Bourse confirmée après paiement : à rembourser', en: 'Scholarship confirmed after payment: to refund' },
  refund_failed: { fr: 'Remboursement échoué', en: 'Refund failed' },
  refund_at_office: { fr: 'Remboursement à faire par l’agence comptable', en: 'Refund for the accounting office to make' },
  refund_unsent: { fr: 'Remboursement jamais accepté par Stripe : vérifier sur Stripe, puis rembourser', en: 'Refund Stripe never accepted: check in Stripe, then refund' },
};

/** The name of `code` in one of the tables above; an unknown code (newer data) is shown as it is. */
export function nameOf<K extends string>(table: Names<K>, code: string): string {
  return Object.hasOwn(table, code) ? table[code as K][lang()] : code;
}
