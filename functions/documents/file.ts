import { downloadUrl } from '../adapters/s3';
import { httpHandler } from '../shared/http';
import { studentSession } from '../shared/student-session';
import { documentRules, ownDossier, uploadedFile } from './shared';

/** GET /api/dossier/documents/{kind}/file — 302 to a short-lived URL of the caller's own file. */
export const handler = httpHandler({ auth: studentSession }, async ({ student, pathParameters }) => {
  const d = await ownDossier(student.dossierId);
  const { key, stored } = uploadedFile(d, pathParameters.kind ?? '');
  return { statusCode: 302, headers: { location: await downloadUrl(key, stored.fileName, documentRules.downloadExpirySeconds) } };
});
