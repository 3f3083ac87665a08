import { getDossier } from '../adapters/dynamo/dossiers';
import { unauthenticated } from '../shared/errors';
import type { DossierView } from '../shared/contracts';
import { httpHandler, type HttpResult } from '../shared/http';
import { studentSession } from '../shared/student-session';
import { dossierResponse } from '../shared/student';

/** GET /api/dossier — the caller's own dossier (the token names it; no id is taken from the request). */
export const handler = httpHandler({ auth: studentSession }, async ({ student }): Promise<HttpResult<DossierView>> => {
  const dossier = await getDossier(student.dossierId);
  if (!dossier) throw unauthenticated();
  return dossierResponse(dossier);
});
