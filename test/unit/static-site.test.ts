/**
 * The local runtime's static server (scripts/local/static.ts) against a small built site:
 * page paths fall back to index.html, files keep their type and cache rules, every answer
 * carries the security headers CloudFront sends, and nothing outside the site or under
 * /api and /dev is answered.
 */
import { existsSync, mkdtempSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IMMUTABLE_CACHE, REVALIDATE_CACHE, SECURITY_HEADERS } from '../../config/web';
import { createStaticSite } from '../../scripts/local/static';

let dir: string;
let server: Server;
let base: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'inscrire-static-'));
  const root = join(dir, 'dist');
  mkdirSync(root);
  writeFileSync(join(root, 'index.html'), '<!doctype html><title>app</title>');
  writeFileSync(join(root, 'main-ABCDEFGH.js'), 'console.log(1)');
  writeFileSync(join(root, 'favicon.svg'), '<svg/>');
  writeFileSync(join(dir, 'secret.txt'), 'outside the site');
  const site = await createStaticSite({ root, siteConfig: { assistanceEmail: 'assistance@example.org' } });
  server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    void site(req, res, url).then((handled) => {
      if (!handled) {
        res.writeHead(404, { 'content-type': 'application/json' });
        res.end('{"error":{"code":"NOT_FOUND"}}');
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});

afterAll(async () => {
  await new Promise<void>((r) => server.close(() => r()));
  rmSync(dir, { recursive: true, force: true });
});

describe('the local static server', () => {
  it('serves index.html for page paths, revalidated, with the security headers', async () => {
    for (const path of ['/', '/connexion', '/etapes/ine', '/paiement/retour?session_id=cs_1']) {
      const res = await fetch(`${base}${path}`);
      expect(res.status, path).toBe(200);
      expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(res.headers.get('cache-control')).toBe(REVALIDATE_CACHE);
      for (const [name, value] of Object.entries(SECURITY_HEADERS)) expect(res.headers.get(name), name).toBe(value);
      expect(await res.text()).toContain('<title>app</title>');
    }
  });

  it('serves hashed files for a year and other files revalidated, with their types', async () => {
    const js = await fetch(`${base}/main-ABCDEFGH.js`);
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(js.headers.get('cache-control')).toBe(IMMUTABLE_CACHE);
    const svg = await fetch(`${base}/favicon.svg`);
    expect(svg.headers.get('content-type')).toBe('image/svg+xml');
    expect(svg.headers.get('cache-control')).toBe(REVALIDATE_CACHE);
  });

  it('serves the stage settings as /config.json', async () => {
    const res = await fetch(`${base}/config.json`);
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(await res.json()).toEqual({ assistanceEmail: 'assistance@example.org' });
  });

  it('leaves /api, /dev, missing files and paths outside the site to the others', async () => {
    for (const path of ['/api/nope', '/api', '/dev/mail', '/missing-ABCDEFGH.js', '/..%2fsecret.txt', '/%2e%2e/secret.txt']) {
      const res = await fetch(`${base}${path}`);
      expect(res.status, path).toBe(404);
      expect(await res.text(), path).not.toContain('outside the site');
    }
  });

  it('builds the pages on start when they have not been built', async () => {
    const root = join(dir, 'unbuilt');
    const lines: string[] = [];
    await createStaticSite({ root, siteConfig: { assistanceEmail: 'assistance@example.org' }, log: (line) => lines.push(line) });
    expect(existsSync(join(root, 'index.html'))).toBe(true);
    expect(readdirSync(root).some((f) => /^main-[A-Z0-9]+\.js$/.test(f))).toBe(true);
    expect(lines.join('\n')).toMatch(/building the student pages[\s\S]*web bundle: .* gzipped/);
  });

  it('answers HEAD without a body and refuses other methods on pages', async () => {
    const head = await fetch(`${base}/connexion`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
    const post = await fetch(`${base}/connexion`, { method: 'POST' });
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET, HEAD');
  });
});
