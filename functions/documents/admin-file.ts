import { downloadUrl } from '../adapters/s3';
import { httpHandler } from '../shared/http';
import { operatorAccess } from '../shared/operator-auth';
import { logger } from '../shared/logger';
import { pathDossier } from '../shared/operator';
import { documentRules, uploadedFile } from './shared';

/** GET /api/admin/dossiers/{id}/documents/{kind}/file — 302 to a short-lived URL of the file. */
export const handler = httpHandler({ auth: operatorAccess }, async ({ pathParameters, admin }) => {
  const d = await pathDossier(pathParameters);
  const { key, stored } = uploadedFile(d, pathParameters.kind ?? '');
  logger.info('Document opened by an operator', { dossierId: d.id, kind: pathParameters.kind, operator: admin.principal });
  return { statusCode: 302, headers: { location: await downloadUrl(key, stored.fileName, documentRules.downloadExpirySeconds) } };
});
