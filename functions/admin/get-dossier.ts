import { admissionAuditTrail, getAdmission } from '../adapters/dynamo/admissions';
import { dossierAuditTrail } from '../adapters/dynamo/dossiers';
import { awaitsRefundDecision, dossierView, refundableCents } from '../domain/dossier';
import { currentWithdrawalRules } from '../payments/withdrawal-rules';
import type { AdminDossierView } from '../shared/contracts';
import { httpHandler, type HttpResult } from '../shared/http';
import { operatorAccess } from '../shared/operator-auth';
import { pathDossier } from '../shared/operator';

/**
 * GET /api/admin/dossiers/{id} — the dossier, the admission it comes from (civil status as
 * imported, who imported it), the last online payment that could not be accepted, and one
 * audit trail, oldest first: the operators' changes to the admission and to the dossier.
 */
export const handler = httpHandler({ auth: operatorAccess }, async ({ pathParameters }): Promise<HttpResult<AdminDossierView>> => {
  const dossier = await pathDossier(pathParameters);
  const [admission, dossierTrail, admissionTrail] = await Promise.all([
    getAdmission(dossier.identifier, dossier.academicYear),
    dossierAuditTrail(dossier.id),
    admissionAuditTrail(dossier.identifier, dossier.academicYear),
  ]);
  const audit = [...admissionTrail.map((e) => ({ subject: 'admission' as const, ...e })), ...dossierTrail.map((e) => ({ subject: 'dossier' as const, ...e }))].sort((a, b) => a.at.localeCompare(b.at));
  return {
    statusCode: 200,
    body: {
      ...dossierView(dossier),
      admission: admission ?? null,
      paymentAnomaly: dossier.payment.anomalies?.at(-1) ?? null,
      paymentAnomalies: dossier.payment.anomalies ?? [],
      audit,
      refundableCents: awaitsRefundDecision(dossier) ? refundableCents(dossier, { retention: true }, currentWithdrawalRules()) : null,
    },
  };
});
