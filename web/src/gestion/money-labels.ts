/**
 * The console's names for the refunds' states, in the operators' words (the student pages say
 * them their own way: web/src/i18n.ts); movements, instalments and payment anomalies are named
 * for everyone in functions/domain/labels.ts. Keyed by the domain's own types, so a code added there fails the
 * type-check here until it has a name. Amounts go through `formatEuros` (same module).
 */
import type { RefundStatus } from '../../../functions/domain/dossier';
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

/** The name of `code` in one of the tables above; an unknown code (newer data) is shown as it is. */
export function nameOf<K extends string>(table: Names<K>, code: string): string {
  return Object.hasOwn(table, code) ? table[code as K][lang()] : code;
}
