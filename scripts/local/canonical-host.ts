/**
 * One origin for the student pages, as on AWS (one CloudFront domain): the pages keep the session
 * in the origin's sessionStorage, and Stripe's return URL and the checkout stand-in are built on
 * the public origin (PUBLIC_ORIGIN). A student who opens the local runtime by another loopback
 * name (127.0.0.1, [::1] instead of localhost) would sign in on one origin and come back from
 * the payment on another, signed out; so page navigations by another loopback name are
 * redirected to the public origin, path and query kept. /api and /dev answer on any name (the
 * bench and scripts call 127.0.0.1), and a Host that is not a loopback name is left alone.
 */
import { isPagePath } from '../../config/web';

const LOOPBACK = /^(localhost|127\.0\.0\.1|\[::1\])(:\d+)?$/i;

/** The URL to send a request to instead, or null to answer it here. */
export function canonicalRedirect(method: string | undefined, host: string | undefined, url: URL, publicOrigin: string): string | null {
  if (method !== 'GET' && method !== 'HEAD') return null;
  if (/^\/(api|dev)(\/|$)/.test(url.pathname) || !isPagePath(url.pathname)) return null;
  const canonical = new URL(publicOrigin);
  if (!host || host.toLowerCase() === canonical.host || !LOOPBACK.test(host)) return null;
  // Same port only: another port is another server.
  const port = /:(\d+)$/.exec(host)?.[1] ?? '80';
  if (port !== (canonical.port || '80')) return null;
  return `${canonical.origin}${url.pathname}${url.search}`;
}
