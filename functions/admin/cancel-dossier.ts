import { certificatesOnLeaving } from '../certificates/requests';
import { cancelDossier, dossierView } from '../domain/dossier';
import { CancelBody } from '../domain/schemas';
import { closeStudentCheckout, noNewCheckout } from '../payments/checkout';
import { ConcurrentUpdateError } from '../shared/errors';
import type { DossierView } from '../shared/contracts';
import { httpHandler, type HttpResult } from '../shared/http';
import { jsonBody } from '../shared/json-body';
import { operatorAccess } from '../shared/operator-auth';
import { logger } from '../shared/logger';
import { operatorRefusal } from '../shared/operator-refusals';
import { operatorChange, pathDossier } from '../shared/operator';

/**
 * POST /api/admin/dossiers/{id}/cancel — cancels the enrollment, with the reason, audited. A
 * cancelled dossier can do nothing more: every step answers STEP_LOCKED, payment
 * PAYMENT_NOT_ALLOWED, and a payment confirmed late is kept aside as an anomaly to refund. The
 * student's Checkout session is closed first (409 PAYMENT_IN_PROGRESS if it was just paid).
 */
export const handler = httpHandler({ auth: operatorAccess, body: jsonBody(CancelBody) }, async ({ body, pathParameters, admin, lang, now }): Promise<HttpResult<DossierView>> => {
  const current = await pathDossier(pathParameters);
  await closeStudentCheckout(current).catch((err: unknown) => {
    throw operatorRefusal(err, current, lang);
  });
  const dossier = await operatorChange({ dossierId: current.id, action: 'dossier.cancel', actor: admin.principal, lang, now, reason: body.reason }, (d) => {
    // The student opened another session since: the operator's retry closes that one too.
    if (!noNewCheckout(current, d)) throw new ConcurrentUpdateError();
    // An enrolled student's certificates are revoked (the event rides in the same transaction).
    return { dossier: cancelDossier(d, { reason: body.reason, at: now.toISOString() }), extra: certificatesOnLeaving(d, 'cancelled', now) };
  });
  logger.info('Dossier cancelled', { dossierId: dossier.id });
  return { statusCode: 200, body: dossierView(dossier) };
});
