import { downloadUrl } from '../adapters/s3';
import type { DocumentFileView } from '../shared/contracts';
import { httpHandler, type HttpResult } from '../shared/http';
import { operatorAccess } from '../shared/operator-auth';
import { logger } from '../shared/logger';
import { pathDossier } from '../shared/operator';
import { documentRules, uploadedFile } from './shared';

/**
 * GET /api/admin/dossiers/{id}/documents/{kind}/file — 302 to a short-lived URL of the file (a
 * download). `?view=inline`: 200 `{url, contentType}`, a short-lived URL shown inline, for the
 * console's preview (an `<img>` or `<iframe>` cannot send the operator's bearer token).
 */
export const handler = httpHandler({ auth: operatorAccess }, async ({ pathParameters, query, admin }): Promise<HttpResult<DocumentFileView | undefined>> => {
  const d = await pathDossier(pathParameters);
  const { key, stored } = uploadedFile(d, pathParameters.kind ?? '');
  logger.info('Document opened by an operator', { dossierId: d.id, kind: pathParameters.kind, operator: admin.principal });
  if (query.view === 'inline') {
    const url = await downloadUrl(key, stored.fileName, documentRules.downloadExpirySeconds, 'inline');
    return { statusCode: 200, body: { url, contentType: stored.contentType ?? null } };
  }
  return { statusCode: 302, headers: { location: await downloadUrl(key, stored.fileName, documentRules.downloadExpirySeconds) } };
});
