import { getAdmission } from '../adapters/dynamo/admissions';
import { outboxPut } from '../adapters/dynamo/outbox';
import { decideRefund, dossierView, type Refund } from '../domain/dossier';
import { RefundBody } from '../domain/schemas';
import { refundJob } from '../mail/requests';
import { officeRefundItems, sendRefunds } from '../payments/refunds';
import { currentWithdrawalRules } from '../payments/withdrawal-rules';
import type { DossierView } from '../shared/contracts';
import { supervisorAccess } from '../shared/operator-auth';
import { httpHandler, type HttpResult } from '../shared/http';
import { jsonBody } from '../shared/json-body';
import { logger } from '../shared/logger';
import { operatorChange, pathDossier } from '../shared/operator';

/**
 * POST /api/admin/dossiers/{id}/refund `{amountCents, reason}` (supervisor; 403 FORBIDDEN_ROLE for
 * an operator) — the decision on a withdrawal requested after the academic year's start: the
 * dossier is `withdrawn` and `amountCents` refunded (0 allowed; more than paid − retention − already
 * refunded → 422 naming `amountCents`, with `maxCents`). The decision, its audit entry, the ledger
 * line and the mail are one transaction; the card refund is then sent to Stripe by this request
 * only (one idempotency key per refund), the office's recorded for the accounting office. The same
 * decision again (a retried request) changes nothing and sends nothing.
 */
export const handler = httpHandler({ auth: supervisorAccess, body: jsonBody(RefundBody) }, async ({ body, pathParameters, admin, lang, now }): Promise<HttpResult<DossierView>> => {
  const current = await pathDossier(pathParameters);
  const fallbackEmail = current.steps.identity.email ? undefined : (await getAdmission(current.identifier, current.academicYear))?.email;
  const rules = currentWithdrawalRules();
  const at = now.toISOString();
  let created: Refund[] = [];
  const action = { dossierId: current.id, action: 'dossier.refund_decided', actor: admin.principal, lang, now, reason: `${body.amountCents} ${body.reason}` };
  const dossier = await operatorChange(action, (d) => {
    created = [];
    const out = decideRefund(d, { ...body, by: admin.principal, at }, rules);
    if (out.dossier === d) return d;
    created = out.refunds;
    return { dossier: out.dossier, extra: [outboxPut(refundJob(out.dossier, out.refunds, 'decided', { fallbackEmail }), now), ...officeRefundItems(out.dossier, out.refunds, now)] };
  });
  const after = await sendRefunds(dossier, created, now);
  logger.info('Refund decided', { dossierId: dossier.id, amountCents: body.amountCents });
  return { statusCode: 200, body: dossierView(after) };
});
