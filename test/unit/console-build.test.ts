/**
 * The operators' console as built and served: its own bundle under /gestion within its budget
 * (80 KB gzipped, JS + CSS), its index.html naming the hashed files, served for every console
 * page path by the local static server; the pure helpers of its chart and its import.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { buildWeb, CONSOLE_BUDGET_BYTES } from '../../scripts/build-web';
import { createStaticSite } from '../../scripts/local/static';
import { hourSeries } from '../../web/src/gestion/chart';
import { csvRecords } from '../../web/src/gestion/pages/import';

const dir = mkdtempSync(join(tmpdir(), 'inscrire-console-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the console build', () => {
  it('stays within its budget, measured on the files written', async () => {
    const built = await buildWeb({ outDir: dir });
    const gz = (f: string) => gzipSync(readFileSync(join(dir, f)), { level: 9 }).length;
    const total = gz(built.console.script) + gz(built.console.stylesheet);
    expect(total).toBe(built.console.gzipBytes.total);
    expect(total).toBeLessThanOrEqual(CONSOLE_BUDGET_BYTES);
    expect(built.console.script).toMatch(/^gestion\/console-[A-Z0-9]+\.js$/);
    const html = readFileSync(join(dir, 'gestion', 'index.html'), 'utf8');
    expect(html).toContain(`src="/${built.console.script}"`);
    expect(html).toContain(`href="/${built.console.stylesheet}"`);
    // The student pages' bundle does not carry the console.
    expect(readFileSync(join(dir, built.script), 'utf8')).not.toContain('inscrire.gestion');

    const site = await createStaticSite({ root: dir, siteConfig: { assistanceEmail: 'a@example.org' } });
    const server = createServer((req, res) => void site(req, res, new URL(req.url ?? '/', 'http://localhost')));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    try {
      for (const path of ['/gestion', '/gestion/', '/gestion/dossiers/123', '/gestion/callback?code=x']) expect(await (await fetch(base + path)).text(), path).toBe(html);
      expect(await (await fetch(`${base}/connexion`)).text()).not.toBe(html);
    } finally {
      server.close();
    }
  }, 60_000);
});

describe('the console helpers', () => {
  it('fills the hours without enrollment with zeros, from a day back at least to the current hour', () => {
    const now = Date.parse('2026-07-01T12:30:00Z');
    const series = hourSeries([{ hour: '2026-07-01T10:00:00Z', enrolled: 3 }], now);
    expect(series).toHaveLength(24);
    expect(series.at(-1)).toEqual({ hour: '2026-07-01T12:00:00Z', enrolled: 0 });
    expect(series.at(-3)).toEqual({ hour: '2026-07-01T10:00:00Z', enrolled: 3 });
    expect(hourSeries([], now)).toEqual([]);
    expect(hourSeries([{ hour: '2026-06-01T10:00:00Z', enrolled: 1 }], now)).toHaveLength(14 * 24);
  });

  it('splits a CSV into records, keeping a line break typed inside a quoted cell', () => {
    expect(csvRecords('a;b\r\n1;"x\ny"\n\n2;z\n')).toEqual(['a;b', '1;"x\ny"', '2;z']);
  });
});

describe('the console’s instants', () => {
  /** Date formatting in the console's sources that does not name a time zone (the browser's would be used). */
  function zonelessFormatting(text: string): string[] {
    const calls = [...text.matchAll(/\.toLocale(?:Date|Time)?String\(/g)].map((m) => m[0]);
    const formats = [...text.matchAll(/new Intl\.DateTimeFormat\(([^;]*?)\)\s*(?:\.format|;)/gs)].filter((m) => !/\btimeZone\b/.test(m[1]!)).map((m) => m[0]);
    return [...calls, ...formats];
  }

  it('finds a date formatted in the browser’s zone (the check itself)', () => {
    expect(zonelessFormatting('new Date(x).toLocaleString(locale())')).toHaveLength(1);
    expect(zonelessFormatting("new Intl.DateTimeFormat(locale(), { hour: '2-digit' }).format(d)")).toHaveLength(1);
    expect(zonelessFormatting("new Intl.DateTimeFormat(locale(), { hour: '2-digit', timeZone }).format(d); x.toLocaleLowerCase()")).toEqual([]);
  });

  it('shows every instant in the university’s time zone, whatever the operator’s computer is set to', () => {
    const dir = join(import.meta.dirname, '..', '..', 'web', 'src', 'gestion');
    const found = readdirSync(dir, { recursive: true, encoding: 'utf8' })
      .filter((f) => f.endsWith('.ts'))
      .flatMap((f) => zonelessFormatting(readFileSync(join(dir, f), 'utf8')).map((call) => `${f}: ${call}`));
    expect(found).toEqual([]);
  });

  /** A time zone written as a literal in code (comments aside), instead of the stage's (API `timeZone`, config/stage-runtime.ts). */
  const literalZones = (text: string) =>
    [...text.replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '').matchAll(/['"`](?:Africa|America|Antarctica|Asia|Atlantic|Australia|Europe|Indian|Pacific)\/[A-Za-z_]+['"`]/g)].map((m) => m[0]);

  it('finds a time zone written as a literal (the check itself)', () => {
    expect(literalZones("const TIME_ZONE = 'Europe/Paris';")).toEqual(["'Europe/Paris'"]);
    expect(literalZones('// in Europe/Paris\n/** Europe/Paris */ f(timeZone)')).toEqual([]);
  });

  it('names no time zone in the pages, the functions or the scripts: every one takes the stage’s', () => {
    const root = join(import.meta.dirname, '..', '..');
    const found = ['web/src', 'functions', 'scripts'].flatMap((top) =>
      readdirSync(join(root, top), { recursive: true, encoding: 'utf8' })
        .filter((f) => f.endsWith('.ts'))
        .flatMap((f) => literalZones(readFileSync(join(root, top, f), 'utf8')).map((zone) => `${top}/${f}: ${zone}`)),
    );
    expect(found).toEqual([]);
  });
});
