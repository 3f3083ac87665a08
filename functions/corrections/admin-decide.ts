import { admissionAuditPk, getAdmission } from '../adapters/dynamo/admissions';
import { auditPut } from '../adapters/dynamo/audit';
import { admissionCorrectedPut, correctionDecidedPut, getCorrection } from '../adapters/dynamo/corrections';
import { outboxPut } from '../adapters/dynamo/outbox';
import { certificateReissueItems, nextCertificateSequence } from '../certificates/requests';
import { correctedAdmission, correctedDossier, DecisionBody, type Correction } from '../domain/corrections';
import { assertNotCancelled } from '../domain/dossier';
import { correctionDecidedJob } from '../mail/document-requests';
import { AppError, ConcurrentUpdateError, notFound } from '../shared/errors';
import type { CorrectionDecided } from '../shared/contracts';
import { httpHandler, type HttpResult } from '../shared/http';
import { jsonBody } from '../shared/json-body';
import { operatorAccess } from '../shared/operator-auth';
import { logger } from '../shared/logger';
import { operatorChange } from '../shared/operator';

/**
 * POST /api/admin/corrections/{id} — accept (the admission and the dossier's copy change: a
 * corrected birth date is the login's from then on) or reject with a reason. The decision, the
 * changes, the audit entries and the student's mail are one transaction, written only while
 * the request is still pending and the admission unchanged since read: one decision wins.
 */
export const handler = httpHandler({ auth: operatorAccess, body: jsonBody(DecisionBody) }, async ({ body, pathParameters, admin, lang, now }): Promise<HttpResult<CorrectionDecided>> => {
  const correction = await getCorrection(pathParameters.id ?? '');
  if (!correction) throw notFound();
  if (correction.status !== 'pending') throw new AppError(409, 'CORRECTION_ALREADY_DECIDED', { details: { status: correction.status } });
  const admission = await getAdmission(correction.identifier, correction.academicYear);
  if (!admission) throw notFound();
  const decided: Correction = {
    ...correction,
    status: body.decision === 'accept' ? 'accepted' : 'rejected',
    decidedAt: now.toISOString(),
    decidedBy: admin.principal,
    ...(body.reason ? { reason: body.reason } : {}),
  };
  const corrected = body.decision === 'accept' ? correctedAdmission(admission, correction.field, correction.proposedValue) : admission;
  const action = { dossierId: correction.dossierId, action: `correction.${body.decision}`, actor: admin.principal, lang, now, reason: `${correction.field}${body.reason ? `: ${body.reason}` : ''}` };
  let attempts = 0;
  const dossier = await operatorChange(action, async (d) => {
    // A retry after a lost race: the request may have been decided meanwhile.
    if (attempts++ > 0) throw new ConcurrentUpdateError();
    // A cancelled dossier changes no more; rejecting its pending request still closes it.
    if (body.decision === 'accept') assertNotCancelled(d);
    const next = body.decision === 'accept' ? correctedDossier(d, corrected) : d;
    const extra = [correctionDecidedPut(decided), outboxPut(correctionDecidedJob(d, decided, { fallbackEmail: d.steps.identity.email ? undefined : admission.email }), now)];
    if (body.decision === 'accept') {
      extra.push(
        admissionCorrectedPut(corrected, now.toISOString()),
        auditPut(admissionAuditPk(admission.identifier, admission.academicYear), {
          actor: admin.principal,
          action: 'admission.corrected',
          at: now.toISOString(),
          reason: correction.id,
          before: { [correction.field]: admission[correction.field] ?? null },
          after: { [correction.field]: correction.proposedValue },
        }),
      );
    }
    // An accepted correction of what the certificates print re-issues them (new codes, the old
    // revoked). Its sequence is drawn after this read, so it is later than any issue caused by a
    // change this write is conditioned on (functions/certificates/issue.ts orders issues by it).
    if (body.decision === 'accept' && d.status === 'enrolled' && next !== d) extra.push(...certificateReissueItems(d.id, await nextCertificateSequence(d.id), 'correction', now));
    // Always a write (the decision is recorded with the dossier's version and audit entry).
    return { dossier: { ...next }, extra };
  });
  logger.info('Correction decided', { dossierId: dossier.id, field: correction.field, decision: body.decision });
  return { statusCode: 200, body: { id: decided.id, status: decided.status, ...(decided.reason ? { reason: decided.reason } : {}) } };
});
