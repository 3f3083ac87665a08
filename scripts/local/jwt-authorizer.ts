/**
 * What API Gateway's JWT authorizer does for an HTTP API route, locally: the token from the
 * Authorization header (with or without `Bearer `), its signature against the issuer's JWKS
 * (found by OpenID discovery, RSA algorithms only), `iss` equal to the configured issuer,
 * `aud` — or, when there is none, `client_id` — among the configured audiences, `exp` in the
 * future, `nbf` and `iat` in the past. A refusal is a 401 `{"message":"Unauthorized"}`; a pass
 * hands the claims to the function as payload 2.0 does: every value a string, arrays rendered
 * `[a b]`.
 */
import { createRemoteJWKSet, errors, jwtVerify, type JWTPayload } from 'jose';
import { discover } from '../ops/oauth';

export interface JwtAuthorizerConfig {
  issuer: string;
  audience: string[];
}

export type AuthorizerResult = { ok: true; claims: Record<string, string> } | { ok: false; reason: string };

/** Payload 2.0's rendering of claims. */
export function gatewayClaims(payload: JWTPayload): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(payload)) {
    if (v === undefined || v === null) continue;
    out[k] = Array.isArray(v) ? `[${v.join(' ')}]` : typeof v === 'object' ? JSON.stringify(v) : String(v);
  }
  return out;
}

export function createJwtAuthorizer(config: JwtAuthorizerConfig) {
  let jwks: ReturnType<typeof createRemoteJWKSet> | undefined;
  const keys = async () => (jwks ??= createRemoteJWKSet(new URL((await discover(config.issuer)).jwks_uri)));

  return async function authorize(header: string | undefined): Promise<AuthorizerResult> {
    const token = header?.replace(/^Bearer\s+/i, '').trim();
    if (!token) return { ok: false, reason: 'missing token' };
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, await keys(), { issuer: config.issuer, algorithms: ['RS256', 'RS384', 'RS512'], requiredClaims: ['exp'] }));
    } catch (err) {
      return { ok: false, reason: err instanceof errors.JOSEError ? err.code : 'invalid token' };
    }
    if (typeof payload.iat === 'number' && payload.iat > Math.floor(Date.now() / 1000)) return { ok: false, reason: 'iat in the future' };
    const aud = payload.aud === undefined ? undefined : Array.isArray(payload.aud) ? payload.aud : [payload.aud];
    const audienceOk = aud ? aud.some((a) => config.audience.includes(a)) : typeof payload.client_id === 'string' && config.audience.includes(payload.client_id);
    if (!audienceOk) return { ok: false, reason: 'audience' };
    return { ok: true, claims: gatewayClaims(payload) };
  };
}
