import { cancelDossier, dossierView } from '../domain/dossier';
import { CancelBody } from '../domain/schemas';
import { httpHandler } from '../shared/http';
import { logger } from '../shared/logger';
import { operatorChange, pathDossier } from '../shared/operator';

/**
 * POST /api/admin/dossiers/{id}/cancel — cancels the enrollment, with the reason, audited. A
 * cancelled dossier can do nothing more: every step answers STEP_LOCKED, payment
 * PAYMENT_NOT_ALLOWED, and a payment confirmed late is kept aside as an anomaly to refund.
 */
export const handler = httpHandler({ auth: 'admin', body: CancelBody }, async ({ body, pathParameters, admin, lang, now }) => {
  const current = await pathDossier(pathParameters);
  const dossier = await operatorChange({ dossierId: current.id, action: 'dossier.cancel', actor: admin.principal, lang, now, reason: body.reason }, (d) =>
    cancelDossier(d, { reason: body.reason, at: now.toISOString() }),
  );
  logger.info('Dossier cancelled', { dossierId: dossier.id });
  return { statusCode: 200, body: dossierView(dossier) };
});
