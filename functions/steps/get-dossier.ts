import { getDossier } from '../adapters/dynamo/dossiers';
import { unauthenticated } from '../shared/errors';
import type { DossierView } from '../shared/contracts';
import { closedServiceRefusal, httpHandler, type HttpResult } from '../shared/http';
import { followsUpWhenClosed } from '../domain/dossier';
import { studentSession } from '../shared/student-session';
import { dossierResponse } from '../shared/student';

/**
 * GET /api/dossier — the caller's own dossier (the token names it; no id is taken from the request).
 * Gated like every student route, except for a dossier that follows up while closed (`followsUpWhenClosed`).
 */
export const handler = httpHandler({ auth: studentSession, gate: false }, async ({ student, event, now }): Promise<HttpResult<DossierView>> => {
  const dossier = await getDossier(student.dossierId);
  if (!dossier) throw unauthenticated();
  if (!followsUpWhenClosed(dossier)) {
    const closed = await closedServiceRefusal(event, now);
    if (closed) throw closed;
  }
  return dossierResponse(dossier);
});
