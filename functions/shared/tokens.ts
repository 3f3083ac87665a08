import { SignJWT, errors as joseErrors, jwtVerify } from 'jose';
import { sessionSigningKey } from '../adapters/secrets';
import { STUDENT_TOKEN_AUDIENCE, STUDENT_TOKEN_ISSUER } from './student-token-claims';

/**
 * Student session tokens: HS256 JWTs (jose) carrying the dossier id, the academic year, the
 * login instant and the dossier's session generation. A session ends after SESSION_TTL_SECONDS
 * without a request (every authenticated answer carries a renewed token) and, whatever the
 * activity, SESSION_ABSOLUTE_SECONDS after the login; it also ends when the dossier's session
 * generation moves on (logout, or an operator cancelling the dossier), which
 * functions/shared/http.ts checks at every request.
 */
export const SESSION_TTL_SECONDS = 30 * 60;
export const SESSION_ABSOLUTE_SECONDS = 4 * 3600;
const ISSUER = STUDENT_TOKEN_ISSUER;
const AUDIENCE = STUDENT_TOKEN_AUDIENCE;

export interface StudentClaims {
  dossierId: string;
  academicYear: string;
  /** The dossier's `sessionGeneration` when the student logged in. @default 0 */
  generation?: number;
  /** When the student logged in (seconds since the epoch). @default the token's issue time */
  authTime?: number;
}

export async function issueToken(claims: StudentClaims, now = new Date()): Promise<{ token: string; expiresAt: string }> {
  const iat = Math.floor(now.getTime() / 1000);
  const authTime = claims.authTime ?? iat;
  const exp = Math.min(iat + SESSION_TTL_SECONDS, authTime + SESSION_ABSOLUTE_SECONDS);
  const token = await new SignJWT({ ay: claims.academicYear, gen: claims.generation ?? 0, auth_time: authTime })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(claims.dossierId)
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setIssuedAt(iat)
    .setExpirationTime(exp)
    .sign(await sessionSigningKey());
  return { token, expiresAt: new Date(exp * 1000).toISOString() };
}

/** @returns the claims, or undefined for a missing, tampered, foreign, expired or too old token. */
export async function verifyToken(token: string, now = new Date()): Promise<StudentClaims | undefined> {
  try {
    const { payload } = await jwtVerify(token, await sessionSigningKey(), {
      issuer: ISSUER,
      audience: AUDIENCE,
      algorithms: ['HS256'],
      currentDate: now,
    });
    if (typeof payload.sub !== 'string' || typeof payload.ay !== 'string') return undefined;
    const authTime = typeof payload.auth_time === 'number' ? payload.auth_time : payload.iat;
    if (typeof authTime !== 'number' || now.getTime() / 1000 >= authTime + SESSION_ABSOLUTE_SECONDS) return undefined;
    const generation = typeof payload.gen === 'number' ? payload.gen : 0;
    return { dossierId: payload.sub, academicYear: payload.ay, generation, authTime };
  } catch (err) {
    if (err instanceof joseErrors.JOSEError) return undefined;
    throw err;
  }
}
