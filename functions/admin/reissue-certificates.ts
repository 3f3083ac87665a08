import { isConditionFailure } from '../adapters/dynamo/client';
import { NotEnrolledError, reissueCertificates } from '../certificates/requests';
import { statusLabel } from '../domain/labels';
import { CancelBody } from '../domain/schemas';
import { AppError, ConcurrentUpdateError } from '../shared/errors';
import type { ReissueAccepted } from '../shared/contracts';
import { httpHandler, type HttpResult } from '../shared/http';
import { jsonBody } from '../shared/json-body';
import { operatorAccess } from '../shared/operator-auth';
import { logger } from '../shared/logger';
import { pathDossier } from '../shared/operator';

/**
 * POST /api/admin/dossiers/{id}/certificates/reissue `{reason}` — new certificates with new
 * codes for an enrolled student (a lost or damaged document, a name printed wrongly); the
 * current codes are revoked once the new ones exist. Audited; 202: the job issues them.
 */
export const handler = httpHandler({ auth: operatorAccess, body: jsonBody(CancelBody) }, async ({ body, pathParameters, admin, lang, now }): Promise<HttpResult<ReissueAccepted>> => {
  const dossier = await pathDossier(pathParameters);
  try {
    const { eventId } = await reissueCertificates(dossier, { actor: admin.principal, cause: 'operator', reason: body.reason, now });
    logger.info('Certificates re-issue requested', { dossierId: dossier.id, eventId });
    return { statusCode: 202, body: { eventId } };
  } catch (err) {
    if (err instanceof NotEnrolledError) {
      throw new AppError(409, 'CERTIFICATES_NOT_AVAILABLE', { params: { status: statusLabel(err.status, lang) }, details: { status: err.status } });
    }
    // The dossier changed meanwhile (e.g. cancelled): the operator looks again.
    if (isConditionFailure(err)) throw new ConcurrentUpdateError();
    throw err;
  }
});
