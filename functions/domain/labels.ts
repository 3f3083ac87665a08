/**
 * Names and formats shared by the pages, the mails and the `ops` CLI: regimes, dossier
 * statuses, payment methods, money movements and instalments, amounts in euros, instants in the stage's time zone (the zone is
 * the stage's `calendar.timeZone`, config/stages.ts, passed in by the caller).
 *
 * Pure: no I/O, safe to bundle in the student pages.
 */
import type { Regime } from './cvec';
import type { DossierStatus, InstalmentStatus, MovementKind, MovementStatus, PaymentMethod } from './dossier';
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

/** An amount in cents, e.g. "178,00 €" / "€178.00". */
export function formatEuros(cents: number, lang: Lang): string {
  return new Intl.NumberFormat(LOCALES[lang], { style: 'currency', currency: 'EUR' }).format(cents / 100);
}

/** An instant in `timeZone`: `long` "16 juillet 2026 à 23:59", `full` with the weekday, `short` "16/07/2026 23:59". */
export function formatInstant(instant: string | Date, lang: Lang, timeZone: string, style: 'short' | 'medium' | 'long' | 'full' = 'long'): string {
  return new Intl.DateTimeFormat(LOCALES[lang], { timeZone, dateStyle: style, timeStyle: 'short' }).format(new Date(instant));
}
