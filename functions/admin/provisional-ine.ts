import { assignProvisionalIne, DomainError, dossierView, isEditable } from '../domain/dossier';
import type { DossierView } from '../shared/contracts';
import { httpHandler, type HttpResult } from '../shared/http';
import { operatorAccess } from '../shared/operator-auth';
import { logger } from '../shared/logger';
import { operatorRefusal } from '../shared/domain-errors';
import { operatorChange, pathDossier } from '../shared/operator';
import { newProvisionalIne } from '../shared/provisional-ine';

/**
 * POST /api/admin/dossiers/{id}/provisional-ine — a provisional INE for a student stuck on the
 * INE step (SPEC: "an operator generates a provisional INE by hand"), from the same sequence as
 * the "I have no INE" path. Draft dossiers only. A dossier that was already given a provisional
 * INE keeps it: a second click neither burns a number nor changes what the student was told.
 */
export const handler = httpHandler({ auth: operatorAccess }, async ({ pathParameters, admin, lang, now }): Promise<HttpResult<DossierView>> => {
  const current = await pathDossier(pathParameters);
  if (!isEditable(current)) throw operatorRefusal(new DomainError('step_locked', { status: current.status }), current, lang);
  const ine = current.provisionalIne ?? (await newProvisionalIne(current.academicYear));
  const dossier = await operatorChange({ dossierId: current.id, action: 'dossier.provisional_ine', actor: admin.principal, lang, now }, (d) =>
    d.steps.ine.format === 'provisional' && d.steps.ine.ine ? d : assignProvisionalIne(d, ine),
  );
  logger.info('Provisional INE assigned', { dossierId: dossier.id });
  return { statusCode: 200, body: dossierView(dossier) };
});
