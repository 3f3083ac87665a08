import { getDossier } from '../adapters/dynamo/dossiers';
import { inesPort } from '../adapters/national-services';
import { applyIne, applyNoIne, assertEditable, type Dossier } from '../domain/dossier';
import { checkIne, ineDeclarationAllowsNoIne } from '../domain/ine';
import type { FieldCode } from '../domain/messages/fields';
import { IneBody } from '../domain/schemas';
import { AppError, unauthenticated } from '../shared/errors';
import { httpHandler } from '../shared/http';
import { jsonBody } from '../shared/json-body';
import { studentSession } from '../shared/student-session';
import { provisionalIneFor } from '../shared/provisional-ine';
import { updateOwnDossier } from '../shared/student';

/**
 * PUT /api/dossier/ine — an INE/BEA/INES checked by its key (INES through the national
 * verification port), or "I have no INE" with both declarations, which assigns a provisional INE.
 */
export const handler = httpHandler({ auth: studentSession, body: jsonBody(IneBody) }, async ({ body, student, now }) => {
  const dossier: Dossier | undefined = await getDossier(student.dossierId);
  if (!dossier) throw unauthenticated();
  // Before drawing a provisional INE or calling the INES service for a dossier that cannot take it.
  assertEditable(dossier);

  if (body.noIne === true) {
    if (!ineDeclarationAllowsNoIne(body)) {
      const fields: Record<string, FieldCode> = {};
      if (!body.noFrenchBac) fields.noFrenchBac = 'ine_no_ine_not_allowed';
      if (!body.neverEnrolledInFrenchUniversity) fields.neverEnrolledInFrenchUniversity = 'ine_no_ine_not_allowed';
      throw new AppError(422, 'INE_INVALID', { fields });
    }
    // A dossier keeps the provisional INE it was once given: a number is drawn only for the first,
    // once however many requests ask at the same time.
    const ine = await provisionalIneFor(dossier, now);
    return updateOwnDossier(student.dossierId, (d) => applyNoIne(d, { noFrenchBac: true, neverEnrolledInFrenchUniversity: true, provisionalIne: ine }), now);
  }

  const checked = checkIne(body.ine);
  if (!checked.ok) {
    throw new AppError(422, 'INE_INVALID', { fields: { ine: checked.code }, details: { format: checked.format, reason: checked.reason } });
  }
  let verified: boolean | undefined;
  if (checked.needsRemoteCheck) {
    verified = await inesPort().verify(checked.ine, dossier.student.birthDate);
    if (!verified) {
      throw new AppError(422, 'INE_INVALID', { fields: { ine: 'ine_ines_not_confirmed' }, details: { format: checked.format, reason: 'ine_ines_not_confirmed' } });
    }
  }
  return updateOwnDossier(student.dossierId, (d) => applyIne(d, { ine: checked.ine, format: checked.format, verified }), now);
});
