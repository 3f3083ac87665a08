import { assertEditable, assignProvisionalIne, dossierView } from '../domain/dossier';
import type { DossierView } from '../shared/contracts';
import { httpHandler, type HttpResult } from '../shared/http';
import { operatorAccess } from '../shared/operator-auth';
import { logger } from '../shared/logger';
import { operatorRefusal } from '../shared/operator-refusals';
import { operatorChange, operatorCheck, pathDossier } from '../shared/operator';
import { provisionalIneFor } from '../shared/provisional-ine';

/**
 * POST /api/admin/dossiers/{id}/provisional-ine — a provisional INE for a student stuck on the
 * INE step (SPEC: "an operator generates a provisional INE by hand"), from the same sequence as
 * the "I have no INE" path. Draft dossiers only. A dossier that was already given a provisional
 * INE keeps it: a second click neither burns a number nor changes what the student was told,
 * and concurrent clicks (or the student's own "no INE" at the same time) draw one number.
 */
export const handler = httpHandler({ auth: operatorAccess }, async ({ pathParameters, admin, lang, now }): Promise<HttpResult<DossierView>> => {
  const current = await pathDossier(pathParameters);
  operatorCheck(current, lang, assertEditable);
  const ine = await provisionalIneFor(current, now).catch((err: unknown) => {
    throw operatorRefusal(err, current, lang);
  });
  const dossier = await operatorChange({ dossierId: current.id, action: 'dossier.provisional_ine', actor: admin.principal, lang, now }, (d) =>
    d.steps.ine.format === 'provisional' && d.steps.ine.ine ? d : assignProvisionalIne(d, ine),
  );
  logger.info('Provisional INE assigned', { dossierId: dossier.id });
  return { statusCode: 200, body: dossierView(dossier) };
});
