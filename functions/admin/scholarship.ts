import { feesByYear } from '../../config/catalogue';
import { getAdmission } from '../adapters/dynamo/admissions';
import { outboxPut } from '../adapters/dynamo/outbox';
import { certificatesOnEnrollment } from '../certificates/requests';
import { dossierView, type Refund, reviewScholarship } from '../domain/dossier';
import { ScholarshipReviewBody } from '../domain/schemas';
import { refundJob, scholarshipRefusedJob, synthesisJob } from '../mail/requests';
import { closeStudentCheckout, noNewCheckout } from '../payments/checkout';
import { officeRefundItems, sendRefunds } from '../payments/refunds';
import { ConcurrentUpdateError } from '../shared/errors';
import { httpHandler } from '../shared/http';
import { jsonBody } from '../shared/json-body';
import { operatorAccess } from '../shared/operator-auth';
import { logger } from '../shared/logger';
import { operatorRefusal } from '../shared/operator-refusals';
import { operatorChange, pathDossier } from '../shared/operator';

/**
 * POST /api/admin/dossiers/{id}/scholarship `{decision:"confirmed"|"refused", reason}` — an
 * operator decides on a scholarship the student declared granted, from the CROUS notification
 * (SPEC "Proof before privilege"). Confirmed → enrolled at 0 € with the synthesis mail; refused →
 * awaiting_payment with a mail saying to pay online. Confirmed on a dossier already paid → it stays
 * enrolled and everything paid is refunded, no retention (SPEC "Withdrawal and refunds"): by
 * Stripe for a card payment, sent by this request once the decision is recorded; recorded for the
 * accounting office (and listed in GET /api/admin/payment-anomalies) for a desk payment.
 * Audited; the same decision again changes nothing.
 */
export const handler = httpHandler({ auth: operatorAccess, body: jsonBody(ScholarshipReviewBody) }, async ({ body, pathParameters, admin, lang, now }) => {
  const current = await pathDossier(pathParameters);
  // Confirming a refused scholarship while the student is paying: close their Checkout first.
  if (body.decision === 'confirmed') {
    await closeStudentCheckout(current).catch((err: unknown) => {
      throw operatorRefusal(err, current, lang);
    });
  }
  const fallbackEmail = current.steps.identity.email ? undefined : (await getAdmission(current.identifier, current.academicYear))?.email;
  const at = now.toISOString();
  const action = { dossierId: current.id, action: `dossier.scholarship_${body.decision}`, actor: admin.principal, lang, now, reason: body.reason };
  let created: Refund[] = [];
  const changed = await operatorChange(action, (d) => {
    created = [];
    if (body.decision === 'confirmed' && !noNewCheckout(current, d)) throw new ConcurrentUpdateError();
    const outcome = reviewScholarship(d, { ...body, by: admin.principal, at }, feesByYear);
    const next = outcome.dossier;
    if (next === d) return d;
    const extra = [];
    created = outcome.refunds;
    if (outcome.refunds.length > 0) extra.push(outboxPut(refundJob(next, outcome.refunds, 'decided', { fallbackEmail }), now), ...officeRefundItems(next, outcome.refunds, now));
    else if (next.status === 'enrolled') extra.push(outboxPut(synthesisJob(next, { fallbackEmail }), now), ...certificatesOnEnrollment(next, now));
    else extra.push(outboxPut(scholarshipRefusedJob(next, { fallbackEmail }), now));
    return { dossier: next, extra };
  });
  // A scholarship confirmed after a card payment: the full refund goes to Stripe now (this request only).
  const dossier = await sendRefunds(changed, created, now);
  logger.info('Scholarship reviewed', { dossierId: dossier.id, decision: body.decision, status: dossier.status });
  return { statusCode: 200, body: dossierView(dossier) };
});
