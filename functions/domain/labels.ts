/**
 * Names and formats shared by the pages, the mails and the `ops` CLI: regimes, dossier
 * statuses, fees, payments, money movements, instalments, refunds and anomalies, documents,
 * amounts in euros, instants in the stage's time zone (the zone is
 * the stage's `calendar.timeZone`, config/stages.ts, passed in by the caller).
 *
 * Pure: no I/O, safe to bundle in the student pages.
 */
import type { Regime } from './cvec';
import type { RejectionReason } from './documents';
import type { DocumentStatus, DossierStatus, FeeReason, InstalmentStatus, MovementKind, MovementStatus, PaymentAnomalyReason, PaymentMethod, PaymentStatus, RefundStatus } from './dossier';
import { LOCALES, type Lang } from './messages/lang';

/** Enrollment regimes as the form offers them (SPEC step 3). */
export const REGIME_LABELS: { readonly [R in Regime]: Readonly<Record<Lang, string>> } = {
  formation_initiale: { fr: 'Formation initiale', en: 'Initial education' },
  reprise_etudes_non_financee: { fr: 'Reprise d’études non financée', en: 'Resuming studies (not funded)' },
  apprentissage: { fr: 'Apprentissage', en: 'Apprenticeship' },
  ifsi: { fr: 'Élève d’un IFSI', en: 'Nursing school (IFSI) student' },
  cpge: { fr: 'Élève de CPGE', en: 'Preparatory class (CPGE) student' },
  formation_continue: { fr: 'Formation continue', en: 'Continuing education' },
  contrat_professionnalisation: { fr: 'Contrat de professionnalisation', en: 'Professionalisation contract' },
  echange_accueil: { fr: 'Échange international (ACCUEIL)', en: 'Incoming international exchange (ACCUEIL)' },
};

/** Dossier statuses as the scolarité staff name them (operator messages, the `ops` CLI). */
export const STATUS_LABELS: { readonly [S in DossierStatus]: Readonly<Record<Lang, string>> } = {
  draft: { fr: 'brouillon', en: 'draft' },
  submitted: { fr: 'validé', en: 'submitted' },
  awaiting_payment: { fr: 'en attente de paiement en ligne', en: 'awaiting online payment' },
  pay_at_office: { fr: 'à payer en scolarité', en: 'to pay at the scolarité desk' },
  scholarship_to_verify: { fr: 'bourse à vérifier', en: 'scholarship to verify' },
  enrolled: { fr: 'inscrit', en: 'enrolled' },
  withdrawal_requested: { fr: 'désistement demandé', en: 'withdrawal requested' },
  withdrawn: { fr: 'désisté', en: 'withdrawn' },
  cancelled: { fr: 'annulé', en: 'cancelled' },
};

/** How fees were settled, as an adverbial phrase ("payés par carte bancaire"). */
export const PAYMENT_METHOD_LABELS: { readonly [M in PaymentMethod]: Readonly<Record<Lang, string>> } = {
  card: { fr: 'par carte bancaire', en: 'by card' },
  office: { fr: 'en scolarité', en: 'at the scolarité desk' },
  scholarship: { fr: 'par exonération (bourse)', en: 'by exemption (scholarship)' },
  exempt: { fr: 'par exonération', en: 'by exemption' },
};

/** What a ledger movement is (the dossier's `movements`: its payments, instalments and refunds). */
export const MOVEMENT_KIND_LABELS: { readonly [K in MovementKind]: Readonly<Record<Lang, string>> } = {
  payment: { fr: 'Paiement', en: 'Payment' },
  instalment: { fr: 'Échéance', en: 'Instalment' },
  refund: { fr: 'Remboursement', en: 'Refund' },
};

/** Where a ledger movement stands. */
export const MOVEMENT_STATUS_LABELS: { readonly [S in MovementStatus]: Readonly<Record<Lang, string>> } = {
  pending: { fr: 'en cours', en: 'pending' },
  succeeded: { fr: 'effectué', en: 'succeeded' },
  failed: { fr: 'échoué', en: 'failed' },
  recorded: { fr: 'enregistré pour l’agence comptable', en: 'recorded for the accounting office' },
  cancelled: { fr: 'annulé', en: 'cancelled' },
};

/** Where a part of a payment in instalments stands. */
export const INSTALMENT_STATUS_LABELS: { readonly [S in InstalmentStatus]: Readonly<Record<Lang, string>> } = {
  scheduled: { fr: 'à venir', en: 'to come' },
  processing: { fr: 'prélèvement en cours', en: 'being charged' },
  paid: { fr: 'payée', en: 'paid' },
  failed: { fr: 'refusée, nouvel essai prévu', en: 'declined, to be retried' },
  overdue: { fr: 'en retard', en: 'overdue' },
  cancelled: { fr: 'annulée', en: 'cancelled' },
};

/** Why the fees are what they are. */
export const FEE_REASON_LABELS: { readonly [R in FeeReason]: Readonly<Record<Lang, string>> } = {
  standard: { fr: 'tarif national', en: 'national rate' },
  scholarship_granted: { fr: 'boursier', en: 'scholarship holder' },
  scholarship_pending: { fr: 'bourse en attente', en: 'scholarship pending' },
  scholarship_to_verify: { fr: 'bourse à vérifier', en: 'scholarship to verify' },
  exchange_programme: { fr: 'échange international', en: 'international exchange' },
};

/** Where the payment of the fees stands. */
export const PAYMENT_STATUS_LABELS: { readonly [S in PaymentStatus]: Readonly<Record<Lang, string>> } = {
  none: { fr: 'rien de demandé (dossier non validé)', en: 'nothing asked yet (file not submitted)' },
  due: { fr: 'à payer en ligne', en: 'to pay online' },
  due_at_office: { fr: 'à payer en scolarité', en: 'to pay at the scolarité desk' },
  paid: { fr: 'payé', en: 'paid' },
  not_required: { fr: 'rien à payer', en: 'nothing to pay' },
};

/**
 * Where a dossier's refund stands, in the operators' words (the console, the CLI); the student
 * pages say it their own way (web/src/i18n.ts).
 */
export const REFUND_STATUS_LABELS: { readonly [S in RefundStatus]: Readonly<Record<Lang, string>> } = {
  requested: { fr: 'à envoyer', en: 'to send' },
  pending: { fr: 'en cours', en: 'pending' },
  succeeded: { fr: 'effectué', en: 'succeeded' },
  failed: { fr: 'échoué', en: 'failed' },
  office: { fr: 'à faire par l’agence comptable', en: 'to be made by the accounting office' },
  none: { fr: 'aucun remboursement', en: 'no refund' },
};

/** A payment that could not be accepted, or money owed back (the operators' lists). */
export const ANOMALY_REASON_LABELS: { readonly [R in PaymentAnomalyReason]: Readonly<Record<Lang, string>> } = {
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

/** Where a supporting document stands. */
export const DOCUMENT_STATUS_LABELS: { readonly [S in DocumentStatus]: Readonly<Record<Lang, string>> } = {
  missing: { fr: 'À déposer', en: 'To upload' },
  checking: { fr: 'Vérification en cours…', en: 'Being checked…' },
  to_review: { fr: 'En attente de validation par la scolarité', en: 'Waiting for the scolarité office' },
  accepted: { fr: 'Acceptée', en: 'Accepted' },
  rejected: { fr: 'Refusée', en: 'Rejected' },
};

/** Why the automatic check refused a file (an operator's refusal gives its own words instead). */
export const REJECTION_REASON_LABELS: { readonly [R in RejectionReason]: Readonly<Record<Lang, string>> } = {
  file_type_mismatch: { fr: "Le contenu du fichier n'est pas un PDF, JPEG ou PNG conforme au type annoncé.", en: 'The file content is not a PDF, JPEG or PNG matching its declared type.' },
  photo_too_small: { fr: 'La photo est trop petite.', en: 'The photo is too small.' },
  file_empty: { fr: 'Le fichier est vide.', en: 'The file is empty.' },
  file_truncated: { fr: 'Le fichier est incomplet (envoi interrompu ?).', en: 'The file is incomplete (interrupted upload?).' },
};

/** A label from one of the tables above; an unknown key (old data) is shown as it is. */
function labelOf<K extends string>(table: { readonly [k in K]: Readonly<Record<Lang, string>> }, key: string, lang: Lang): string {
  return Object.hasOwn(table, key) ? table[key as K][lang] : key;
}

export const regimeLabel = (regime: string, lang: Lang) => labelOf(REGIME_LABELS, regime, lang);
export const statusLabel = (status: string, lang: Lang) => labelOf(STATUS_LABELS, status, lang);
export const paymentMethodLabel = (method: string, lang: Lang) => labelOf(PAYMENT_METHOD_LABELS, method, lang);
export const movementKindLabel = (kind: string, lang: Lang) => labelOf(MOVEMENT_KIND_LABELS, kind, lang);
export const movementStatusLabel = (status: string, lang: Lang) => labelOf(MOVEMENT_STATUS_LABELS, status, lang);
export const instalmentStatusLabel = (status: string, lang: Lang) => labelOf(INSTALMENT_STATUS_LABELS, status, lang);
export const feeReasonLabel = (reason: string, lang: Lang) => labelOf(FEE_REASON_LABELS, reason, lang);
export const paymentStatusLabel = (status: string, lang: Lang) => labelOf(PAYMENT_STATUS_LABELS, status, lang);
export const refundStatusLabel = (status: string, lang: Lang) => labelOf(REFUND_STATUS_LABELS, status, lang);
export const anomalyReasonLabel = (reason: string, lang: Lang) => labelOf(ANOMALY_REASON_LABELS, reason, lang);
export const documentStatusLabel = (status: string, lang: Lang) => labelOf(DOCUMENT_STATUS_LABELS, status, lang);
/** A refusal's reason: the check's code named, or the operator's own words as they wrote them. */
export const rejectionReasonLabel = (reason: string, lang: Lang) => labelOf(REJECTION_REASON_LABELS, reason, lang);

/** An amount in cents, e.g. "178,00 €" / "€178.00". */
export function formatEuros(cents: number, lang: Lang): string {
  return new Intl.NumberFormat(LOCALES[lang], { style: 'currency', currency: 'EUR' }).format(cents / 100);
}

/** An instant in `timeZone`: `long` "16 juillet 2026 à 23:59", `full` with the weekday, `short` "16/07/2026 23:59". */
export function formatInstant(instant: string | Date, lang: Lang, timeZone: string, style: 'short' | 'medium' | 'long' | 'full' = 'long'): string {
  return new Intl.DateTimeFormat(LOCALES[lang], { timeZone, dateStyle: style, timeStyle: 'short' }).format(new Date(instant));
}
