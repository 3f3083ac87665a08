import { createHmac, timingSafeEqual } from 'node:crypto';
import { sessionSigningKey } from '../adapters/secrets';
import { STUDENT_TOKEN_AUDIENCE, STUDENT_TOKEN_ISSUER } from './student-token-claims';

/**
 * Student session tokens: HS256 JWTs (RFC 7519, JWS compact serialisation of RFC 7515) carrying
 * the dossier id, the academic year, the login instant and the dossier's session generation. A
 * session ends after SESSION_TTL_SECONDS without a request (every authenticated answer carries a
 * renewed token) and, whatever the activity, SESSION_ABSOLUTE_SECONDS after the login; it also
 * ends when the dossier's session generation moves on (logout, or an operator cancelling the
 * dossier), which functions/shared/http.ts checks at every request.
 *
 * Why node:crypto and not jose: the service both signs and checks these tokens, with one
 * algorithm and one key, so all it needs is an HMAC-SHA256 and a constant-time comparison,
 * which node:crypto provides. jose added 12–19 KB to every student function's bundle (issue 16,
 * "Cold starts"). test/unit/tokens.test.ts checks that jose accepts the tokens signed here and
 * that tokens signed by jose are accepted here, so the format stays the standard one.
 *
 * A token is accepted only when its header is exactly the one this module writes (so no
 * `alg: none`, no other algorithm, no key id to look up), its signature matches to the byte,
 * and its claims hold: issuer, audience, not expired, subject and academic year present.
 */
export const SESSION_TTL_SECONDS = 30 * 60;
export const SESSION_ABSOLUTE_SECONDS = 4 * 3600;
const ISSUER = STUDENT_TOKEN_ISSUER;
const AUDIENCE = STUDENT_TOKEN_AUDIENCE;

/** `{"alg":"HS256","typ":"JWT"}`, base64url: the only header a session token may carry. */
const HEADER = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })).toString('base64url');

export interface StudentClaims {
  dossierId: string;
  academicYear: string;
  /** The dossier's `sessionGeneration` when the student logged in. @default 0 */
  generation?: number;
  /** When the student logged in (seconds since the epoch). @default the token's issue time */
  authTime?: number;
}

const signature = (signingInput: string, key: Uint8Array): string => createHmac('sha256', key).update(signingInput).digest('base64url');

export async function issueToken(claims: StudentClaims, now = new Date()): Promise<{ token: string; expiresAt: string }> {
  const iat = Math.floor(now.getTime() / 1000);
  const authTime = claims.authTime ?? iat;
  const exp = Math.min(iat + SESSION_TTL_SECONDS, authTime + SESSION_ABSOLUTE_SECONDS);
  const payload = { ay: claims.academicYear, gen: claims.generation ?? 0, auth_time: authTime, sub: claims.dossierId, iss: ISSUER, aud: AUDIENCE, iat, exp };
  const signingInput = `${HEADER}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}`;
  return { token: `${signingInput}.${signature(signingInput, await sessionSigningKey())}`, expiresAt: new Date(exp * 1000).toISOString() };
}

/** The payload of a token whose header and signature are ours, else undefined. */
function signedPayload(token: string, key: Uint8Array): Record<string, unknown> | undefined {
  const parts = token.split('.');
  if (parts.length !== 3 || parts[0] !== HEADER) return undefined;
  const given = Buffer.from(parts[2]!);
  const expected = Buffer.from(signature(`${parts[0]}.${parts[1]}`, key));
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
  try {
    const payload: unknown = JSON.parse(Buffer.from(parts[1]!, 'base64url').toString('utf8'));
    return payload !== null && typeof payload === 'object' && !Array.isArray(payload) ? (payload as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

const isTime = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** @returns the claims, or undefined for a missing, tampered, foreign, expired or too old token. */
export async function verifyToken(token: string, now = new Date()): Promise<StudentClaims | undefined> {
  const payload = signedPayload(token, await sessionSigningKey());
  if (!payload) return undefined;
  const nowSeconds = now.getTime() / 1000;
  const audience = Array.isArray(payload.aud) ? payload.aud : [payload.aud];
  if (payload.iss !== ISSUER || !audience.includes(AUDIENCE)) return undefined;
  if (!isTime(payload.exp) || nowSeconds >= payload.exp) return undefined;
  if (payload.nbf !== undefined && (!isTime(payload.nbf) || nowSeconds < payload.nbf)) return undefined;
  if (typeof payload.sub !== 'string' || typeof payload.ay !== 'string') return undefined;
  const authTime = isTime(payload.auth_time) ? payload.auth_time : payload.iat;
  if (!isTime(authTime) || nowSeconds >= authTime + SESSION_ABSOLUTE_SECONDS) return undefined;
  const generation = typeof payload.gen === 'number' ? payload.gen : 0;
  return { dossierId: payload.sub, academicYear: payload.ay, generation, authTime };
}
