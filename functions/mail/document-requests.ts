/**
 * The mails of documents and corrections (see ./requests.ts for how jobs are recorded): built
 * from the dossier, in the dossier's language, to its contact address or the admission's.
 */
import { documents as documentRules } from '../../config/catalogue';
import { CORRECTION_FIELD_LABELS, type Correction } from '../domain/corrections';
import type { Dossier } from '../domain/dossier';
import type { MailJob } from '../domain/mail-job';
import type { StudentMailOptions } from './requests';

/** The page where the student uploads documents (web/src/pages/documents.ts). */
export const DOCUMENTS_PAGE_PATH = '/pieces-justificatives';

function recipient(d: Dossier, o: StudentMailOptions): string[] {
  const email = d.steps.identity.email ?? o.fallbackEmail;
  if (!email) throw new Error(`Dossier ${d.id} has no e-mail address to write to`);
  return [email];
}

/** An operator rejected `kind`: one mail per decision (the dossier's version names it). */
export function documentRejectedJob(d: Dossier, kind: string, reason: string, publicOrigin: string, o: StudentMailOptions = {}): MailJob {
  const lang = o.lang ?? d.lang ?? 'fr';
  const def = documentRules.kinds.find((k) => k.kind === kind);
  return {
    jobId: `document_rejected#${d.id}#${kind}#${d.version}`,
    template: 'document_rejected',
    lang,
    to: recipient(d, o),
    firstName: d.student.firstName,
    documentLabel: def?.label[lang] ?? kind,
    reason,
    documentsUrl: `${publicOrigin}${DOCUMENTS_PAGE_PATH}`,
  };
}

/** An operator decided on a correction request (one mail per request). */
export function correctionDecidedJob(d: Dossier, c: Correction, o: StudentMailOptions = {}): MailJob {
  const lang = o.lang ?? d.lang ?? 'fr';
  return {
    jobId: `correction_decided#${c.id}`,
    template: 'correction_decided',
    lang,
    to: recipient(d, o),
    firstName: d.student.firstName,
    fieldLabel: CORRECTION_FIELD_LABELS[c.field][lang],
    proposedValue: c.proposedValue,
    accepted: c.status === 'accepted',
    ...(c.reason ? { reason: c.reason } : {}),
  };
}
