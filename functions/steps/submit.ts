import { submitDossier } from '../domain/dossier';
import { httpHandler } from '../shared/http';
import { logger } from '../shared/logger';
import { feesByYear, updateOwnDossier } from '../shared/student';

/**
 * POST /api/dossier/submit — refused (409 INCOMPLETE, naming the steps) until every step is
 * done; then `awaiting_payment`, `pay_at_office` (scholarship pending) or `enrolled`.
 */
export const handler = httpHandler({ auth: 'student' }, async ({ student, now }) => {
  const res = await updateOwnDossier(student.dossierId, (d) => submitDossier(d, now.toISOString(), feesByYear), now);
  logger.info('Dossier submitted', { dossierId: student.dossierId, status: (res.body as { status: string }).status });
  return res;
});
