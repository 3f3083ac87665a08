import { outboxPut } from '../adapters/dynamo/outbox';
import { certificatesOnEnrollment } from '../certificates/requests';
import { submitDossier } from '../domain/dossier';
import { submitMailJobs } from '../mail/requests';
import { httpHandler } from '../shared/http';
import { studentSession } from '../shared/student-session';
import { logger } from '../shared/logger';
import { countMetric, METRIC } from '../shared/metrics';
import { feesByYear, updateOwnDossier } from '../shared/student';

/**
 * POST /api/dossier/submit — refused (409 INCOMPLETE, naming the steps) until every step is
 * done; then `awaiting_payment`, `pay_at_office` (scholarship pending) or `enrolled`.
 * The mail the outcome calls for (synthesis when nothing is due, the pay-at-office notice) and,
 * when enrolled, the certificates' issue are recorded in the same transaction; a repeated submit is refused (STEP_LOCKED) and records
 * nothing. The request's language is kept on the dossier for the mails sent later.
 */
export const handler = httpHandler({ auth: studentSession }, async ({ student, now, lang }) => {
  const res = await updateOwnDossier(
    student.dossierId,
    (d) => {
      const submitted = { ...submitDossier(d, now.toISOString(), feesByYear), lang };
      return { dossier: submitted, extra: [...submitMailJobs(submitted).map((job) => outboxPut(job, now)), ...certificatesOnEnrollment(submitted, now)] };
    },
    now,
  );
  const status = res.body?.status;
  if (status === 'enrolled') countMetric(METRIC.enrollments);
  logger.info('Dossier submitted', { dossierId: student.dossierId, status });
  return res;
});
