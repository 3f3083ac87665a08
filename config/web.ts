/**
 * HTTP headers of the student pages, shared by CloudFront's response headers policy
 * (lib/constructs/web-hosting.ts) and the local runtime's static server
 * (scripts/local/static.ts), so the pages are tested locally under the policy they get on AWS.
 *
 * The pages load one script and one stylesheet from their own origin and talk only to the
 * same-origin API, so the policy allows nothing else: no inline script or style, no framing.
 * Leaving for Stripe Checkout is a top-level navigation, which CSP does not restrict.
 */

export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/**
 * The policy with the documents bucket's origin allowed for `fetch` (connect-src) and as a form
 * target (form-action): the documents page uploads straight to S3 with a presigned POST (SPEC
 * "Supporting documents"). On AWS the origin is the bucket's regional endpoint
 * (https://<bucket>.s3.<region>.amazonaws.com, lib/constructs/web-hosting.ts); locally, the local
 * S3's address (scripts/local/static.ts). The origin may be a CDK token: plain concatenation only.
 */
export function contentSecurityPolicy(uploadOrigin?: string, connectOrigins: string[] = []): string {
  // The console's sign-in: the token endpoint is fetched (authorization code + PKCE).
  const connect = [...(uploadOrigin ? [uploadOrigin] : []), ...connectOrigins].map((o) => ` ${o}`).join('');
  const form = uploadOrigin ? ` ${uploadOrigin}` : '';
  // The console previews documents inline from short-lived URLs of the same bucket.
  const frame = uploadOrigin ? `; frame-src ${uploadOrigin}` : '';
  return CONTENT_SECURITY_POLICY.replace("connect-src 'self'", `connect-src 'self'${connect}`)
    .replace("form-action 'self'", `form-action 'self'${form}`)
    .replace("img-src 'self' data:", `img-src 'self' data:${form}`)
    .concat(frame);
}

/** Referrer-Policy: the Stripe return URL carries a checkout session id; it never leaves the origin. */
export const REFERRER_POLICY = 'same-origin';

/** Powerful features the pages never use. */
export const PERMISSIONS_POLICY = 'camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()';

/** Two years, the HSTS preload list's minimum; sent on HTTPS only (CloudFront), never locally. */
export const HSTS_MAX_AGE_SECONDS = 2 * 365 * 24 * 3600;

/** Every header both servers send, lower-cased names. */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'content-security-policy': CONTENT_SECURITY_POLICY,
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': REFERRER_POLICY,
  'permissions-policy': PERMISSIONS_POLICY,
  'cross-origin-opener-policy': 'same-origin',
});

/** Cache-Control of content-hashed assets (their name changes with their content). */
export const IMMUTABLE_CACHE = 'public, max-age=31536000, immutable';
/** Cache-Control of index.html and config.json: always revalidated, so a deployment shows at once. */
export const REVALIDATE_CACHE = 'no-cache';

/** The runtime configuration the pages read from `/config.json` (per stage, written at deployment). */
export interface SiteConfig {
  /** The assistance mailbox (seed: deve-assistance@…), shown on the help and support pages. */
  assistanceEmail: string;
  /**
   * The operators' console sign-in (authorization code + PKCE, public client): Cognito's hosted
   * sign-in on AWS, the local OpenID Connect provider locally.
   * @default - the console cannot sign in
   */
  operatorSignIn?: { clientId: string; authorizationEndpoint: string; tokenEndpoint: string; logoutEndpoint?: string };
}

/** The console's pages live under `/gestion` and share one index.html (`gestion/index.html`). */
export function consolePage(pathname: string): boolean {
  return pathname === '/gestion' || pathname.startsWith('/gestion/');
}

/** File extensions of page paths never have one: `/etapes/ine` is a page, `/app-1a2b.js` a file. */
export function isPagePath(pathname: string): boolean {
  const last = pathname.slice(pathname.lastIndexOf('/') + 1);
  return !last.includes('.');
}
