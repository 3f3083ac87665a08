import { mutateDossier } from '../adapters/dynamo/dossiers';
import { httpHandler } from '../shared/http';
import { studentSession } from '../shared/student-session';
import { logger } from '../shared/logger';

/**
 * DELETE /api/session — logout: the dossier's session generation moves on, so this token and
 * every other one issued for the dossier (another tab, another device) is refused from now on.
 * Open even while the service is closed. 204.
 */
export const handler = httpHandler({ auth: studentSession, gate: false }, async ({ student, now }) => {
  await mutateDossier(student.dossierId, (d) => ({ ...d, sessionGeneration: (d.sessionGeneration ?? 0) + 1 }), now);
  logger.info('Logout', { dossierId: student.dossierId });
  return { statusCode: 204 };
});
