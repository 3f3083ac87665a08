import { getAdmission } from '../adapters/dynamo/admissions';
import { auditPut } from '../adapters/dynamo/audit';
import { dossierPk, getDossier, mutateDossier } from '../adapters/dynamo/dossiers';
import { outboxPut } from '../adapters/dynamo/outbox';
import { certificatesOnLeaving } from '../certificates/requests';
import { dossierView, type Refund, requestWithdrawal } from '../domain/dossier';
import { WithdrawalBody } from '../domain/schemas';
import { withdrawalJob } from '../mail/requests';
import { officeRefundItems, sendRefunds } from '../payments/refunds';
import { currentWithdrawalRules } from '../payments/withdrawal-rules';
import type { DossierView } from '../shared/contracts';
import { unauthenticated } from '../shared/errors';
import { studentSession } from '../shared/student-session';
import { httpHandler, type HttpResult } from '../shared/http';
import { jsonBody } from '../shared/json-body';
import { logger } from '../shared/logger';

/**
 * POST /api/dossier/withdrawal `{reason}` — an enrolled student withdraws (SPEC "Withdrawal and
 * refunds"; rules in functions/domain/dossier/withdrawal.ts). 200 with the dossier: `withdrawn`
 * with its `refund` (before the academic year's start, the refund sent to Stripe at once), or
 * `withdrawal_requested`. The change, its audit entry, the revocation of the certificates, the
 * instalments cancelled, the mail and the office refund's listing are one transaction; only the
 * request that made it sends the refund, so double clicks refund once. 409 WITHDRAWAL_NOT_ALLOWED
 * for a dossier not enrolled, 409 PAYMENT_IN_PROGRESS while an instalment is being charged.
 * Answers while the service is closed: students withdraw after the enrollment windows.
 */
export const handler = httpHandler({ auth: studentSession, gate: false, body: jsonBody(WithdrawalBody) }, async ({ body, student, now }): Promise<HttpResult<DossierView>> => {
  const current = await getDossier(student.dossierId);
  if (!current) throw unauthenticated();
  const fallbackEmail = current.steps.identity.email ? undefined : (await getAdmission(current.identifier, current.academicYear))?.email;
  const rules = currentWithdrawalRules();
  const at = now.toISOString();
  let created: Refund[] = [];
  const dossier = await mutateDossier(
    student.dossierId,
    (d) => {
      created = [];
      const out = requestWithdrawal(d, { reason: body.reason, at }, rules);
      if (out.dossier === d) return d;
      created = out.refunds;
      const next = out.dossier;
      const audit = auditPut(dossierPk(d.id), {
        actor: 'student',
        action: `dossier.${next.status}`,
        at,
        reason: body.reason,
        before: { status: d.status },
        after: { status: next.status, refunds: out.refunds.map((r) => ({ id: r.id, amountCents: r.amountCents, status: r.status })) },
      });
      const extra = [
        audit,
        outboxPut(withdrawalJob(next, out.refunds, rules.retentionCents, { fallbackEmail }), now),
        ...certificatesOnLeaving(d, 'withdrawn', now),
        ...officeRefundItems(next, out.refunds, now),
      ];
      return { dossier: next, extra, actor: 'student' };
    },
    now,
  );
  const after = await sendRefunds(dossier, created, now);
  logger.info('Withdrawal', { dossierId: dossier.id, status: after.status, refunds: created.length });
  return { statusCode: 200, body: dossierView(after) };
});
