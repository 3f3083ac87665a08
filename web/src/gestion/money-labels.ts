/**
 * The console's names for the money codes of the API (ledger movements, instalments, refunds,
 * payment anomalies). Keyed by the domain's own types, so a code added there fails the type-check
 * here until it has a name. Amounts go through `formatEuros` (functions/domain/labels.ts).
 */
import type { InstalmentStatus, MovementKind, MovementStatus, PaymentAnomalyReason, RefundStatus } from '../../../functions/domain/dossier';
import type { Lang } from '../../../functions/domain/messages/lang';
import { lang } from './i18n';

type Names<K extends string> = { readonly [k in K]: Readonly<Record<Lang, string>> };

export const MOVEMENT_KINDS: Names<MovementKind> = {
  payment: { fr: 'Paiement', en: 'Payment' },
  instalment: { fr: 'Échéance', en: 'Instalment' },
  refund: { fr: 'Remboursement', en: 'Refund' },
};

export const MOVEMENT_STATUSES: Names<MovementStatus> = {
  pending: { fr: 'en cours', en: 'pending' },
  succeeded: { fr: 'effectué', en: 'succeeded' },
  failed: { fr: 'échoué', en: 'failed' },
  recorded: { fr: 'enregistré pour l’agence comptable', en: 'recorded for the accounting office' },
  cancelled: { fr: 'annulé', en: 'cancelled' },
};

export const INSTALMENT_STATUSES: Names<InstalmentStatus> = {
  scheduled: { fr: 'prévue', en: 'scheduled' },
  processing: { fr: 'prélèvement en cours', en: 'being charged' },
  paid: { fr: 'payée', en: 'paid' },
  failed: { fr: 'refusée, nouvel essai prévu', en: 'declined, retry planned' },
  overdue: { fr: 'en retard', en: 'overdue' },
  cancelled: { fr: 'annulée', en: 'cancelled' },
};

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
