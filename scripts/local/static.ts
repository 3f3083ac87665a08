/**
 * The local stand-in for CloudFront + S3: serves the built student pages (web/dist) at `/`,
 * page paths (no file extension) falling back to index.html for the client-side router, with
 * the security headers CloudFront's response headers policy sends (config/web.ts), and the
 * stage's `/config.json` that the deployment writes to the bucket. `/api` and `/dev` are never
 * answered here: the gateway and the dev routes come first, their 404s stay JSON.
 *
 * When web/dist has not been built yet it is built on start (esbuild takes well under a second).
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { IMMUTABLE_CACHE, REVALIDATE_CACHE, SECURITY_HEADERS, consolePage, contentSecurityPolicy, isPagePath, type SiteConfig } from '../../config/web';
import { buildWeb, webDist } from '../build-web';

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
  '.woff2': 'font/woff2',
};

/** Names the build gives content-hashed files (`main-6FCEY5BP.js`, `help-fr-ac8f8839d2.json`). */
const HASHED = /-[A-Za-z0-9]{8,}\.[a-z0-9]+$/;

export interface StaticSiteOptions {
  /** @default web/dist */
  root?: string;
  /** Served as `/config.json`. */
  siteConfig: SiteConfig;
  /** The local S3's origin, allowed for `fetch` (the documents page's uploads). */
  uploadOrigin?: string;
  /** Other origins the pages `fetch` (the console's token endpoint). */
  connectOrigins?: string[];
  log?(line: string): void;
}

export type StaticSite = (req: IncomingMessage, res: ServerResponse, url: URL) => Promise<boolean>;

let csp: string | undefined;

function send(req: IncomingMessage, res: ServerResponse, status: number, body: Buffer, headers: Record<string, string>): void {
  res.writeHead(status, { ...SECURITY_HEADERS, ...(csp ? { 'content-security-policy': csp } : {}), 'content-length': String(body.length), ...headers });
  res.end(req.method === 'HEAD' ? undefined : body);
}

export async function createStaticSite(options: StaticSiteOptions): Promise<StaticSite> {
  const root = resolve(options.root ?? webDist);
  if (!existsSync(join(root, 'index.html'))) {
    options.log?.(`${root} is missing: building the student pages (npx tsx scripts/build-web.ts)`);
    await buildWeb({ outDir: root, log: options.log });
  }
  const configJson = Buffer.from(JSON.stringify(options.siteConfig));
  if (options.uploadOrigin || options.connectOrigins?.length) csp = contentSecurityPolicy(options.uploadOrigin, options.connectOrigins);

  /** The file a path names inside root, or undefined (missing, a directory, or outside root). */
  const fileFor = (pathname: string): string | undefined => {
    let decoded: string;
    try {
      decoded = decodeURIComponent(pathname);
    } catch {
      return undefined;
    }
    const file = normalize(join(root, decoded));
    if (!file.startsWith(root + sep) || decoded.includes('\0')) return undefined;
    return existsSync(file) && statSync(file).isFile() ? file : undefined;
  };

  return async function handle(req, res, url) {
    if (/^\/(api|dev)(\/|$)/.test(url.pathname)) return false;
    const file = url.pathname === '/' ? undefined : fileFor(url.pathname);
    const page = !file && isPagePath(url.pathname);
    if (!file && !page && url.pathname !== '/config.json') return false;
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      send(req, res, 405, Buffer.from('Method Not Allowed'), { allow: 'GET, HEAD', 'content-type': 'text/plain; charset=utf-8' });
      return true;
    }
    if (url.pathname === '/config.json') {
      send(req, res, 200, configJson, { 'content-type': CONTENT_TYPES['.json']!, 'cache-control': REVALIDATE_CACHE });
      return true;
    }
    const path = file ?? join(root, consolePage(url.pathname) ? 'gestion/index.html' : 'index.html');
    const type = CONTENT_TYPES[extname(path)] ?? 'application/octet-stream';
    send(req, res, 200, readFileSync(path), { 'content-type': type, 'cache-control': HASHED.test(path) ? IMMUTABLE_CACHE : REVALIDATE_CACHE });
    return true;
  };
}
