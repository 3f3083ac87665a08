import { readCertificatePdf, certificateObjectKey } from '../adapters/certificate-files';
import { currentCertificates } from '../adapters/dynamo/certificates';
import { CertificateKind, CertificateLang } from '../domain/certificates/model';
import { AppError, validationFailed } from '../shared/errors';
import { httpHandler } from '../shared/http';
import { studentSession } from '../shared/student-session';

/**
 * GET /api/dossier/certificates/{kind}?lang=fr|en — the PDF itself (200 application/pdf, well
 * under API Gateway's payload limit): the pages download it with the session token, which a
 * redirect to S3 could not carry. `lang` defaults to the request's language. A revoked or
 * not yet stored certificate is not served. Open all year, like the listing.
 */
const FILE_NAMES: Record<CertificateKind, Record<CertificateLang, string>> = {
  enrollment: { fr: 'certificat-de-scolarite', en: 'certificate-of-enrollment' },
  payment: { fr: 'attestation-de-paiement', en: 'payment-receipt' },
};

export const handler = httpHandler({ auth: studentSession, gate: false }, async ({ student, pathParameters, query, lang: requestLang }) => {
  const kind = CertificateKind.safeParse(pathParameters.kind);
  const lang = CertificateLang.safeParse(query.lang ?? requestLang);
  if (!kind.success || !lang.success) throw validationFailed({ ...(kind.success ? {} : { kind: 'invalid_choice' }), ...(lang.success ? {} : { lang: 'invalid_choice' }) });
  const record = (await currentCertificates(student.dossierId)).find((r) => r.kind === kind.data);
  if (!record || record.revokedAt) throw new AppError(404, 'CERTIFICATE_NOT_FOUND');
  if (!record.storedAt) throw new AppError(409, 'CERTIFICATE_NOT_READY', { headers: { 'retry-after': '5' } });
  const pdf = await readCertificatePdf(certificateObjectKey(record, lang.data));
  if (!pdf) throw new AppError(409, 'CERTIFICATE_NOT_READY', { headers: { 'retry-after': '5' } });
  const fileName = `${FILE_NAMES[kind.data][lang.data]}-${record.subject.academicYear}.pdf`;
  return {
    statusCode: 200,
    binary: pdf,
    headers: { 'content-type': 'application/pdf', 'content-disposition': `attachment; filename="${fileName}"`, 'cache-control': 'private, no-store' },
  };
});
