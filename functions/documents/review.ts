import { getAdmission } from '../adapters/dynamo/admissions';
import { outboxPut } from '../adapters/dynamo/outbox';
import { DecisionBody } from '../domain/corrections';
import { reviewDocument } from '../domain/documents';
import { assertNotCancelled, dossierView } from '../domain/dossier';
import { documentRejectedJob } from '../mail/document-requests';
import { ENV, requireEnv } from '../shared/env';
import type { DossierView } from '../shared/contracts';
import { httpHandler, type HttpResult } from '../shared/http';
import { jsonBody } from '../shared/json-body';
import { operatorAccess } from '../shared/operator-auth';
import { logger } from '../shared/logger';
import { operatorChange, operatorCheck, pathDossier } from '../shared/operator';
import { uploadedFile } from './shared';

/**
 * POST /api/admin/dossiers/{id}/documents/{kind}/review — accept, or reject with a reason: the
 * decision, its audit entry and (on rejection) the student's mail in one transaction. The same
 * decision sent again changes nothing.
 */
export const handler = httpHandler({ auth: operatorAccess, body: jsonBody(DecisionBody) }, async ({ body, pathParameters, admin, lang, now }): Promise<HttpResult<DossierView>> => {
  const current = await pathDossier(pathParameters);
  const kind = pathParameters.kind ?? '';
  operatorCheck(current, lang, assertNotCancelled);
  uploadedFile(current, kind);
  const fallbackEmail = current.steps.identity.email ? undefined : (await getAdmission(current.identifier, current.academicYear))?.email;
  const action = { dossierId: current.id, action: `document.${body.decision}`, actor: admin.principal, lang, now, reason: `${kind}${body.reason ? `: ${body.reason}` : ''}` };
  const dossier = await operatorChange(action, (d) => {
    assertNotCancelled(d);
    const was = d.documents?.[kind];
    const target = body.decision === 'accept' ? 'accepted' : 'rejected';
    if (was?.status === target && (target === 'accepted' || was.reason === body.reason)) return d;
    const next = reviewDocument(d, kind, body.decision, body.reason, now.toISOString());
    if (body.decision === 'accept') return next;
    return { dossier: next, extra: [outboxPut(documentRejectedJob(d, kind, body.reason!, requireEnv(ENV.publicOrigin), { fallbackEmail }), now)] };
  });
  logger.info('Document reviewed', { dossierId: dossier.id, kind, decision: body.decision });
  return { statusCode: 200, body: dossierView(dossier) };
});
