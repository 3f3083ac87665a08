/**
 * The student routes' caller check (`httpHandler({ auth: studentSession })`, ./http.ts): a
 * session token in `Authorization: Bearer …`, still of the dossier's session generation, and
 * renewed on every answer. Only the student routes import it, so only their bundles hold the
 * token library and the session secret's client.
 */
import { sessionGeneration } from '../adapters/dynamo/dossiers';
import { AppError, unauthenticated } from './errors';
import type { CallerCheck } from './http';
import { serviceGate } from './service-gate';
import { issueToken, verifyToken } from './tokens';

export const studentSession: CallerCheck = {
  kind: 'student',
  // Student routes answer 503 while the service is closed, unless they say `gate: false`.
  gate: serviceGate,
  async identify(event) {
    const header = event.headers?.authorization ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    const claims = match ? await verifyToken(match[1]!) : undefined;
    if (!claims) throw unauthenticated();
    // Logout and an operator's cancellation move the dossier's session generation on.
    const current = await sessionGeneration(claims.dossierId);
    if (current?.generation !== (claims.generation ?? 0)) {
      // Revoked by a cancellation: the student is told so rather than "expired".
      throw current?.cancelled ? new AppError(401, 'UNAUTHENTICATED', { messageKey: 'UNAUTHENTICATED_CANCELLED', details: { status: 'cancelled' } }) : unauthenticated();
    }
    return { student: claims };
  },
  // Sessions expire when idle (SESSION_TTL_SECONDS, ./tokens.ts): every answer to a student renews the token.
  async answerHeaders({ student }): Promise<Record<string, string>> {
    if (!student) return {};
    const renewed = await issueToken(student);
    return { 'x-session-token': renewed.token, 'x-session-expires-at': renewed.expiresAt };
  },
};
