import { currentCertificates } from '../adapters/dynamo/certificates';
import { studentCertificateView } from '../domain/certificates/model';
import type { CertificatesView } from '../shared/contracts';
import { httpHandler, type HttpResult } from '../shared/http';
import { studentSession } from '../shared/student-session';

/**
 * GET /api/dossier/certificates — the student's current certificates, once their PDFs are
 * stored (revoked ones say so). Open all year: a certificate is needed long after the windows.
 */
export const handler = httpHandler({ auth: studentSession, gate: false }, async ({ student }): Promise<HttpResult<CertificatesView>> => {
  const records = await currentCertificates(student.dossierId);
  return { statusCode: 200, body: { items: records.filter((r) => r.storedAt).map(studentCertificateView) } };
});
