/**
 * API.md "Operators": a student's session token on `/api/admin/*` is answered 403, not the
 * JWT authorizer's 401 (the token is genuine, it just opens nothing there). API Gateway's JWT
 * authorizer cannot tell, so the refusal happens before it: a CloudFront Function on the
 * `/api/admin/*` behaviour on AWS (lib/constructs/web-hosting.ts), and the very same code in
 * the local gateway (scripts/local/gateway.ts). It only reads the token's unverified claims:
 * it can refuse, never let anyone in (the authorizer still checks every token it passes on).
 */
import { errorMessage, type ErrorCode, type Lang } from '../domain/messages/catalogue';
import { STUDENT_TOKEN_AUDIENCE, STUDENT_TOKEN_ISSUER } from './student-token-claims';

export { STUDENT_TOKEN_AUDIENCE, STUDENT_TOKEN_ISSUER };

const CODE: ErrorCode = 'FORBIDDEN';
const body = (lang: Lang) => JSON.stringify({ error: { code: CODE, message: errorMessage(CODE, lang) } });

/** CloudFront Functions (cloudfront-js-2.0) viewer-request code: ES5 syntax, no imports. */
export const STUDENT_TOKEN_REFUSAL_CODE = `function handler(event) {
  var request = event.request;
  try {
    var auth = request.headers.authorization ? request.headers.authorization.value : '';
    var m = /^Bearer\\s+([A-Za-z0-9_-]+)\\.([A-Za-z0-9_-]+)\\.[A-Za-z0-9_-]*$/i.exec(auth);
    if (!m) return request;
    var claims = JSON.parse(Buffer.from(m[2], 'base64url').toString('utf8'));
    if (claims.iss !== ${JSON.stringify(STUDENT_TOKEN_ISSUER)} || claims.aud !== ${JSON.stringify(STUDENT_TOKEN_AUDIENCE)}) return request;
    var lang = request.headers['accept-language'] && /^\\s*en/i.test(request.headers['accept-language'].value) ? 'en' : 'fr';
    return {
      statusCode: 403,
      statusDescription: 'Forbidden',
      headers: { 'content-type': { value: 'application/json; charset=utf-8' }, 'cache-control': { value: 'no-store' } },
      body: { encoding: 'text', data: lang === 'en' ? ${JSON.stringify(body('en'))} : ${JSON.stringify(body('fr'))} },
    };
  } catch (e) {
    return request;
  }
}`;

export interface EdgeRequest {
  uri: string;
  headers: Record<string, { value: string }>;
}
export interface EdgeResponse {
  statusCode: number;
  headers: Record<string, { value: string }>;
  body: { encoding: 'text'; data: string };
}

/** The function above, runnable in Node (the local gateway and the tests run the deployed code). */
export const refuseStudentToken = new Function(`${STUDENT_TOKEN_REFUSAL_CODE}; return handler;`)() as (event: { request: EdgeRequest }) => EdgeRequest | EdgeResponse;
