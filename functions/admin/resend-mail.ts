import { getAdmission } from '../adapters/dynamo/admissions';
import { auditPut } from '../adapters/dynamo/audit';
import { isConditionFailure } from '../adapters/dynamo/client';
import { nextSequence } from '../adapters/dynamo/counters';
import { dossierPk, writeIfUnchanged } from '../adapters/dynamo/dossiers';
import { outboxPut } from '../adapters/dynamo/outbox';
import { statusLabel } from '../domain/labels';
import { synthesisJob } from '../mail/requests';
import { AppError, ConcurrentUpdateError } from '../shared/errors';
import type { MailQueued } from '../shared/contracts';
import { httpHandler, type HttpResult } from '../shared/http';
import { operatorAccess } from '../shared/operator-auth';
import { logger } from '../shared/logger';
import { pathDossier } from '../shared/operator';

/**
 * POST /api/admin/dossiers/{id}/resend-mail — the synthesis mail again, to an enrolled
 * student who lost it. Each resend is a new mail job (`synthesis#<id>#resend#<n>`, n from an
 * atomic counter), recorded with its audit entry while the dossier is unchanged.
 */
export const handler = httpHandler({ auth: operatorAccess }, async ({ pathParameters, admin, lang, now }): Promise<HttpResult<MailQueued>> => {
  const dossier = await pathDossier(pathParameters);
  if (dossier.status !== 'enrolled') {
    throw new AppError(409, 'MAIL_NOT_AVAILABLE', { params: { status: statusLabel(dossier.status, lang) }, details: { status: dossier.status } });
  }
  const fallbackEmail = dossier.steps.identity.email ? undefined : (await getAdmission(dossier.identifier, dossier.academicYear))?.email;
  const job = synthesisJob(dossier, { fallbackEmail, resend: await nextSequence(`SYNTHESIS_RESEND#${dossier.id}`) });
  const audit = auditPut(dossierPk(dossier.id), { actor: admin.principal, action: 'dossier.resend_mail', at: now.toISOString(), after: { jobId: job.jobId, to: job.to } });
  try {
    await writeIfUnchanged(dossier, [outboxPut(job, now), audit]);
  } catch (err) {
    // The dossier changed meanwhile (e.g. cancelled): the operator looks again.
    if (isConditionFailure(err)) throw new ConcurrentUpdateError();
    throw err;
  }
  logger.info('Synthesis mail resent', { dossierId: dossier.id, jobId: job.jobId });
  return { statusCode: 202, body: { jobId: job.jobId } };
});
