import { feesByYear } from '../../config/catalogue';
import { getAdmission } from '../adapters/dynamo/admissions';
import { outboxPut } from '../adapters/dynamo/outbox';
import { certificatesOnEnrollment } from '../certificates/requests';
import { dossierView, recordOfficePayment } from '../domain/dossier';
import { OfficePaymentBody } from '../domain/schemas';
import { receiptJob, synthesisJob } from '../mail/requests';
import { closeStudentCheckout, noNewCheckout } from '../payments/checkout';
import { ConcurrentUpdateError } from '../shared/errors';
import type { DossierView } from '../shared/contracts';
import { httpHandler, type HttpResult } from '../shared/http';
import { jsonBody } from '../shared/json-body';
import { operatorAccess } from '../shared/operator-auth';
import { logger } from '../shared/logger';
import { countMetric, METRIC } from '../shared/metrics';
import { operatorRefusal } from '../shared/operator-refusals';
import { operatorChange, pathDossier } from '../shared/operator';

/**
 * POST /api/admin/dossiers/{id}/office-payment — the scolarité desk records a payment (`paid`,
 * with its receipt number) or the scholarship the CROUS granted (`scholarship_granted`): the
 * dossier is `enrolled`, and the synthesis mail (plus the receipt of a payment) is recorded in
 * the same transaction as the change and its audit entry. The same receipt sent again (a
 * retried request) changes nothing and sends nothing. The student's Checkout session is closed
 * first, so the fees cannot be paid twice (409 PAYMENT_IN_PROGRESS if it was just paid).
 */
export const handler = httpHandler({ auth: operatorAccess, body: jsonBody(OfficePaymentBody) }, async ({ body, pathParameters, admin, lang, now }): Promise<HttpResult<DossierView>> => {
  const current = await pathDossier(pathParameters);
  await closeStudentCheckout(current).catch((err: unknown) => {
    throw operatorRefusal(err, current, lang);
  });
  const fallbackEmail = current.steps.identity.email ? undefined : (await getAdmission(current.identifier, current.academicYear))?.email;
  const action = { dossierId: current.id, action: 'dossier.office_payment', actor: admin.principal, lang, now, reason: `${body.kind} ${body.reference}` };
  const dossier = await operatorChange(action, (d) => {
    // The student opened another session since: the operator's retry closes that one too.
    if (!noNewCheckout(current, d)) throw new ConcurrentUpdateError();
    if (d.status === 'enrolled' && d.payment.reference === body.reference) return d;
    const enrolled = recordOfficePayment(d, { ...body, at: now.toISOString() }, feesByYear);
    const jobs = [synthesisJob(enrolled, { fallbackEmail }), ...(body.kind === 'paid' ? [receiptJob(enrolled, { fallbackEmail })] : [])];
    return { dossier: enrolled, extra: [...jobs.map((job) => outboxPut(job, now)), ...certificatesOnEnrollment(enrolled, now)] };
  });
  // A retried request finds the dossier already enrolled: counted once.
  if (current.status !== 'enrolled') countMetric(METRIC.enrollments);
  logger.info('Office payment recorded', { dossierId: dossier.id, kind: body.kind });
  return { statusCode: 200, body: dossierView(dossier) };
});
