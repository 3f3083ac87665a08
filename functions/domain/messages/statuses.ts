import type { DossierStatus } from '../dossier';
import type { Lang } from './errors';

/** Dossier statuses as the scolarité staff name them (operator messages, the `ops` CLI). */
const LABELS: Record<DossierStatus, Record<Lang, string>> = {
  draft: { fr: 'brouillon', en: 'draft' },
  submitted: { fr: 'validé', en: 'submitted' },
  awaiting_payment: { fr: 'en attente de paiement en ligne', en: 'awaiting online payment' },
  pay_at_office: { fr: 'à payer en scolarité', en: 'to pay at the scolarité desk' },
  scholarship_to_verify: { fr: 'bourse à vérifier', en: 'scholarship to verify' },
  enrolled: { fr: 'inscrit', en: 'enrolled' },
  cancelled: { fr: 'annulé', en: 'cancelled' },
};

export function statusLabel(status: string, lang: Lang): string {
  return Object.hasOwn(LABELS, status) ? LABELS[status as DossierStatus][lang] : status;
}
