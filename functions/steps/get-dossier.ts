import { getDossier } from '../adapters/dynamo/dossiers';
import { unauthenticated } from '../shared/errors';
import type { OwnDossierView } from '../shared/contracts';
import { httpHandler, type HttpResult } from '../shared/http';
import { closedServiceRefusal } from '../shared/service-gate';
import { dossierView, followsUpWhenClosed, mayWithdraw, withdrawalTerms } from '../domain/dossier';
import { currentWithdrawalRules } from '../payments/withdrawal-rules';
import { studentSession } from '../shared/student-session';

/**
 * GET /api/dossier — the caller's own dossier (the token names it; no id is taken from the request).
 * Gated like every student route, except for a dossier that follows up while closed (`followsUpWhenClosed`).
 * An enrolled dossier also gets `withdrawalTerms`: what withdrawing now would mean (refund at once
 * or a supervisor's decision, the amount), from the rule that decides it (functions/domain/dossier/withdrawal.ts).
 */
export const handler = httpHandler({ auth: studentSession, gate: false }, async ({ student, event, now }): Promise<HttpResult<OwnDossierView>> => {
  const dossier = await getDossier(student.dossierId);
  if (!dossier) throw unauthenticated();
  if (!followsUpWhenClosed(dossier)) {
    const closed = await closedServiceRefusal(event, now);
    if (closed) throw closed;
  }
  const terms = mayWithdraw(dossier) ? withdrawalTerms(dossier, now.toISOString(), currentWithdrawalRules()) : undefined;
  return { statusCode: 200, body: { ...dossierView(dossier), ...(terms ? { withdrawalTerms: terms } : {}) } };
});
