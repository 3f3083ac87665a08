import { getDossier } from '../adapters/dynamo/dossiers';
import { unauthenticated } from '../shared/errors';
import { httpHandler } from '../shared/http';
import { dossierResponse } from '../shared/student';

/** GET /api/dossier — the caller's own dossier (the token names it; no id is taken from the request). */
export const handler = httpHandler({ auth: 'student' }, async ({ student }) => {
  const dossier = await getDossier(student.dossierId);
  if (!dossier) throw unauthenticated();
  return dossierResponse(dossier);
});
