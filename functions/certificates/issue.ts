/**
 * What the certificate job does with each event (functions/domain/certificates/events.ts).
 *
 * Issue, idempotently: the issue's slots say whether codes were already drawn for it; if not,
 * a fresh code for each kind it draws (events.ts `issuedKinds`) is recorded in one transaction
 * conditioned on the dossier still being enrolled (so a cancellation that committed first
 * wins, and the revocation that follows it sees anything committed before). Then each
 * certificate is rendered in French and English and stored, and marked stored. A retry at any
 * point reuses the same codes and rewrites the same files: one enrollment never gets two
 * different certificates.
 */
import { randomBytes } from 'node:crypto';
import { findProgramme, university } from '../../config/catalogue';
import { certificateObjectKey, putCertificatePdf } from '../adapters/certificate-files';
import { currentCertificates, getCertificate, issuedCodes, markStored, reserveCertificates, revokeCurrentCertificates } from '../adapters/dynamo/certificates';
import { getDossier } from '../adapters/dynamo/dossiers';
import { CODE_RANDOM_BYTES, verificationCodeFrom } from '../domain/certificates/code';
import { type CertificateEvent, issuedKinds } from '../domain/certificates/events';
import { CERTIFICATE_LANGS, certificateSubject, type CertificateRecord } from '../domain/certificates/model';
import { ENV, requireEnv } from '../shared/env';
import { logger } from '../shared/logger';
import { certificateDocument } from './content';

export const verifyUrl = (code: string) => `${requireEnv(ENV.publicOrigin).replace(/\/+$/, '')}/verifier/${code}`;

export const newVerificationCode = () => verificationCodeFrom(randomBytes(CODE_RANDOM_BYTES));

export type IssueOutcome = 'issued' | 'skipped';

async function reserve(event: Extract<CertificateEvent, { action: 'issue' }>, now: Date): Promise<boolean> {
  const dossier = await getDossier(event.dossierId);
  if (!dossier || dossier.status !== 'enrolled') return false;
  const programme = findProgramme(dossier.programmeCode);
  if (!programme) throw new Error(`Dossier ${dossier.id} refers to a programme absent from the catalogue`);
  // Kind by kind: a kind whose current certificate comes from this issue or a later one is left
  // as it is (a receipt re-issued for a part paid may be current before the enrollment's issue
  // is handled, which must still draw the enrollment certificate).
  const all = await currentCertificates(dossier.id);
  const kinds = issuedKinds(event.cause).filter((kind) => !all.some((r) => r.kind === kind && r.sequence >= event.sequence));
  if (kinds.length === 0) return false;
  const current = all.filter((r) => kinds.includes(r.kind));
  const subject = certificateSubject(dossier, { university, programme });
  const records: CertificateRecord[] = kinds.map((kind) => ({
    code: newVerificationCode(),
    kind,
    dossierId: dossier.id,
    issueId: event.eventId,
    sequence: event.sequence,
    issuedAt: now.toISOString(),
    subject,
  }));
  const outcome = await reserveCertificates(
    records,
    current.filter((r) => r.revokedAt === undefined),
    now,
  );
  return outcome !== 'refused';
}

/**
 * The PDF layout (./pdf.ts: pdf-lib and fontkit, nine tenths of this function's bundle) is
 * evaluated at the first certificate rendered, not at every cold start: most invocations of
 * the job (revocations, retries of already stored certificates) never draw a PDF. The code
 * still ships in the bundle (esbuild inlines the import); only its evaluation waits.
 */
const pdfLayout = () => import('./pdf');

/** Renders and stores both languages of a certificate, then marks it stored. */
export async function storeCertificate(record: CertificateRecord, now: Date): Promise<void> {
  const { renderCertificatePdf } = await pdfLayout();
  for (const lang of CERTIFICATE_LANGS) {
    const pdf = await renderCertificatePdf(certificateDocument(record, lang, verifyUrl(record.code)), new Date(record.issuedAt));
    await putCertificatePdf(certificateObjectKey(record, lang), pdf);
  }
  await markStored(record.code, now);
}

export async function handleCertificateEvent(event: CertificateEvent, now: Date): Promise<IssueOutcome> {
  if (event.action === 'revoke') {
    const revoked = await revokeCurrentCertificates(event.dossierId, event.reason, now);
    logger.info('Certificates revoked', { dossierId: event.dossierId, reason: event.reason, count: revoked.length });
    return 'issued';
  }
  let codes = await issuedCodes(event.dossierId, event.eventId);
  if (Object.keys(codes).length === 0) {
    if (!(await reserve(event, now))) {
      logger.info('Certificates not issued: the dossier is not enrolled or a later issue is current', { dossierId: event.dossierId, eventId: event.eventId });
      return 'skipped';
    }
    codes = await issuedCodes(event.dossierId, event.eventId);
  }
  for (const code of Object.values(codes)) {
    const record = await getCertificate(code);
    if (!record) throw new Error(`Certificate slot of ${event.eventId} names a missing certificate`);
    if (!record.storedAt) await storeCertificate(record, now);
  }
  logger.info('Certificates issued', { dossierId: event.dossierId, eventId: event.eventId, cause: event.cause });
  return 'issued';
}
