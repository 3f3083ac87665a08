import { SignJWT, errors as joseErrors, jwtVerify } from 'jose';
import { sessionSigningKey } from '../adapters/secrets';

/**
 * Student session tokens: HS256 JWTs (jose) carrying only the dossier id and academic year.
 * They expire after SESSION_TTL_SECONDS without a request; every authenticated answer carries a renewed token.
 */
export const SESSION_TTL_SECONDS = 30 * 60;
const ISSUER = 'inscrire';
const AUDIENCE = 'inscrire:student';

export interface StudentClaims {
  dossierId: string;
  academicYear: string;
}

export async function issueToken(claims: StudentClaims, now = new Date()): Promise<{ token: string; expiresAt: string }> {
  const iat = Math.floor(now.getTime() / 1000);
  const exp = iat + SESSION_TTL_SECONDS;
  const token = await new SignJWT({ ay: claims.academicYear })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(claims.dossierId)
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setIssuedAt(iat)
    .setExpirationTime(exp)
    .sign(await sessionSigningKey());
  return { token, expiresAt: new Date(exp * 1000).toISOString() };
}

/** @returns the claims, or undefined for a missing, tampered, foreign or expired token. */
export async function verifyToken(token: string): Promise<StudentClaims | undefined> {
  try {
    const { payload } = await jwtVerify(token, await sessionSigningKey(), {
      issuer: ISSUER,
      audience: AUDIENCE,
      algorithms: ['HS256'],
    });
    if (typeof payload.sub !== 'string' || typeof payload.ay !== 'string') return undefined;
    return { dossierId: payload.sub, academicYear: payload.ay };
  } catch (err) {
    if (err instanceof joseErrors.JOSEError) return undefined;
    throw err;
  }
}
