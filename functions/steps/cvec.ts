import { getDossier } from '../adapters/dynamo/dossiers';
import { takeSlots } from '../adapters/dynamo/rate-slots';
import { assertEditable } from '../domain/dossier';
import { cvecLookupLimits } from '../domain/rate-limits';
import { cvecPort } from '../adapters/national-services';
import { applyCvec } from '../domain/dossier';
import { campaignFirstYear, checkCvecFormat, cvecSurnameKey, evaluateCertificate } from '../domain/cvec';
import { CvecBody } from '../domain/schemas';
import { AppError, rateLimited, unauthenticated } from '../shared/errors';
import { httpHandler } from '../shared/http';
import { jsonBody } from '../shared/json-body';
import { studentSession } from '../shared/student-session';
import { updateOwnDossier } from '../shared/student';

/**
 * PUT /api/dossier/cvec — the certificate number, normalised and checked for the campaign,
 * then verified with the national CVEC service (number + the surname's key, `cvecSurnameKey`):
 * the states of CVEC_VALID_STATES (functions/domain/cvec.ts) accepted; another person's
 * certificate → 409 CVEC_MISMATCH; the service unreachable → 503, never a pass. The dossier
 * must be editable before the national API is called, and lookups per dossier are limited
 * (functions/domain/rate-limits.ts), so the step is no oracle for certificate numbers.
 */
export const handler = httpHandler({ auth: studentSession, body: jsonBody(CvecBody) }, async ({ body, student, now }) => {
  const dossier = await getDossier(student.dossierId);
  if (!dossier) throw unauthenticated();
  assertEditable(dossier);
  const format = checkCvecFormat(body.certificateNumber, campaignFirstYear(dossier.academicYear));
  if (!format.ok) throw new AppError(422, 'VALIDATION_FAILED', { fields: { certificateNumber: format.reason } });

  const lookup = await takeSlots(cvecLookupLimits(dossier.id), now);
  if (!lookup.allowed) {
    throw rateLimited('TOO_MANY_CVEC_LOOKUPS', lookup.retryAfterSeconds);
  }
  const who = dossier.student;
  const certificate = await cvecPort().lookup(format.number, cvecSurnameKey(who.lastName));
  if (!certificate) throw new AppError(422, 'CVEC_NOT_FOUND', { fields: { certificateNumber: 'cvec_not_found' } });
  const verdict = evaluateCertificate(certificate, { lastName: who.lastName, usageName: who.usageName, firstNames: who.firstName, birthDate: who.birthDate });
  if (!verdict.ok && verdict.reason === 'cvec_mismatch') {
    throw new AppError(409, 'CVEC_MISMATCH', { fields: { certificateNumber: 'cvec_mismatch' } });
  }
  if (!verdict.ok) {
    throw new AppError(422, 'VALIDATION_FAILED', { fields: { certificateNumber: 'cvec_state_invalid' }, details: { state: verdict.state } });
  }
  return updateOwnDossier(student.dossierId, (d) => applyCvec(d, { certificateNumber: format.number, state: verdict.state }), now);
});
