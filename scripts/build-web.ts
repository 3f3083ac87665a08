/**
 * Builds the student pages: web/src → web/dist (git-ignored).
 *
 *   npx tsx scripts/build-web.ts [--out <dir>]
 *
 * One script, one stylesheet and the help page's text (JSON, one per language), content-hashed
 * (cached for a year by browsers and CloudFront), and an index.html that names them (always
 * revalidated). The pages validate input with the
 * very schemas the handlers use (functions/domain/*, written with `zod/mini`, whose functions
 * tree-shake); to keep JavaScript + CSS under the budget (60 KB gzipped) two imports are
 * redirected for the browser bundle only:
 *
 * - `libphonenumber-js/min` → web/src/lib/phone-lite.ts: its metadata alone is 29 KB gzipped.
 *   The stand-in is lenient; the server's libphonenumber check stays the authority.
 * - zod's JSON Schema generator → web/src/lib/zod-no-json-schema.ts (never called by the pages).
 *
 * Fails when the gzipped total exceeds the budget, printing the figure either way.
 * Output files are written atomically, so concurrent builds (parallel test files) are safe.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import * as esbuild from 'esbuild';

const repoRoot = resolve(import.meta.dirname, '..');
export const webSrc = join(repoRoot, 'web', 'src');
export const webDist = join(repoRoot, 'web', 'dist');

/** JavaScript + CSS, gzipped, in bytes. */
export const BUDGET_BYTES = 60 * 1024;
/** The operators' console (`/gestion`, web/src/gestion): its own script and stylesheet, gzipped. */
export const CONSOLE_BUDGET_BYTES = 80 * 1024;
/** Where the console is served, under the pages' origin (config/sign-in.ts CONSOLE_CALLBACK_PATH lives under it). */
export const CONSOLE_DIR = 'gestion';

const ZOD_NO_JSON_SCHEMA = join(webSrc, 'lib', 'zod-no-json-schema.ts');
const PHONE_LITE = join(webSrc, 'lib', 'phone-lite.ts');

/** Names of the build's hashed outputs (`main-6FCEY5BP.js`, `help-fr-ac8f8839d2.json`). */
const STALE_OUTPUT = /^(main|styles|console|help-[a-z]{2})-[A-Za-z0-9]{8,}\.(js|css|json)$/;

export interface WebBuild {
  outDir: string;
  /** Files written, relative to outDir. */
  files: string[];
  script: string;
  stylesheet: string;
  gzipBytes: { js: number; css: number; total: number };
  /** The console's bundle (`gestion/console-….js`, `gestion/console-….css`). */
  console: { script: string; stylesheet: string; gzipBytes: { js: number; css: number; total: number } };
}

export interface BuildWebOptions {
  /** @default web/dist */
  outDir?: string;
  log?(line: string): void;
}

const browserRedirects: esbuild.Plugin = {
  name: 'inscrire-browser-redirects',
  setup(build) {
    build.onResolve({ filter: /^libphonenumber-js\/min$/ }, () => ({ path: PHONE_LITE }));
    build.onResolve({ filter: /\/(to-json-schema|json-schema-processors)\.js$/ }, (args) => (/[\\/]node_modules[\\/]zod[\\/]/.test(args.importer) ? { path: ZOD_NO_JSON_SCHEMA } : undefined));
  },
};

function writeAtomic(file: string, contents: Uint8Array | string): void {
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.${randomBytes(6).toString('hex')}.tmp`;
  writeFileSync(tmp, contents);
  renameSync(tmp, file);
}

function listFiles(dir: string): string[] {
  let out: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    out = statSync(path).isDirectory() ? out.concat(listFiles(path)) : out.concat(path);
  }
  return out;
}

/** The help page's text, one JSON file per language, named by content hash. */
async function helpFiles(): Promise<Map<string, string>> {
  const { helpText } = (await import(pathToFileURL(join(webSrc, 'pages', 'help-content.ts')).href)) as { helpText: Record<string, unknown> };
  return new Map(
    Object.entries(helpText).map(([lang, text]) => {
      const json = JSON.stringify(text);
      return [`help-${lang}-${createHash('sha256').update(json).digest('hex').slice(0, 10)}.json`, json];
    }),
  );
}

export async function buildWeb(options: BuildWebOptions = {}): Promise<WebBuild> {
  const outDir = options.outDir ?? webDist;
  const help = await helpFiles();
  const helpUrls = Object.fromEntries([...help.keys()].map((name) => [/^help-([a-z]+)-/.exec(name)![1]!, `/${name}`]));
  const result = await esbuild.build({
    entryPoints: [join(webSrc, 'main.ts'), join(webSrc, 'styles.css')],
    bundle: true,
    minify: true,
    format: 'esm',
    target: ['es2020', 'chrome96', 'firefox96', 'safari15'],
    platform: 'browser',
    entryNames: '[name]-[hash]',
    outdir: outDir,
    write: false,
    metafile: true,
    legalComments: 'none',
    plugins: [browserRedirects],
    define: { __HELP_FILES__: JSON.stringify(helpUrls) },
    logLevel: 'silent',
  });

  const outputs = result.outputFiles.map((f) => ({ name: relative(outDir, f.path), contents: f.contents }));
  const { script, stylesheet, gzipBytes } = withinBudget(outputs, 'web bundle', BUDGET_BYTES, options);

  const html = readFileSync(join(webSrc, 'index.html'), 'utf8').replaceAll('{{script}}', `/${script}`).replaceAll('{{stylesheet}}', `/${stylesheet}`);
  const files = new Map<string, Uint8Array | string>(outputs.map((o) => [o.name, o.contents]));
  files.set('index.html', html);
  for (const [name, json] of help) files.set(name, json);
  const publicDir = join(webSrc, 'public');
  for (const file of listFiles(publicDir)) files.set(relative(publicDir, file), readFileSync(file));

  const consoleBuild = await buildConsole(outDir, options);
  for (const [name, contents] of consoleBuild.files) files.set(name, contents);

  for (const [name, contents] of files) writeAtomic(join(outDir, name), contents);
  // Drop the hashed files an earlier build left (only those: outDir may be any directory). A
  // concurrent build of the same sources writes the same names.
  for (const file of listFiles(outDir)) {
    const name = relative(outDir, file);
    if (!files.has(name) && STALE_OUTPUT.test(basename(file))) rmSync(file, { force: true });
  }
  return { outDir, files: [...files.keys()].sort(), script, stylesheet, gzipBytes, console: consoleBuild.bundle };
}

/** A bundle's script and stylesheet and their gzipped sizes; throws when they weigh more than `budget`. */
function withinBudget(outputs: { name: string; contents: Uint8Array }[], label: string, budget: number, options: BuildWebOptions) {
  const script = outputs.find((o) => o.name.endsWith('.js'))!.name;
  const stylesheet = outputs.find((o) => o.name.endsWith('.css'))!.name;
  const gz = (name: string) => gzipSync(outputs.find((o) => o.name === name)!.contents, { level: 9 }).length;
  const gzipBytes = { js: gz(script), css: gz(stylesheet), total: 0 };
  gzipBytes.total = gzipBytes.js + gzipBytes.css;
  const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;
  const figure = `${label}: JS ${kb(gzipBytes.js)} + CSS ${kb(gzipBytes.css)} = ${kb(gzipBytes.total)} gzipped (budget ${kb(budget)})`;
  if (gzipBytes.total > budget) throw new Error(`${figure}: over budget`);
  options.log?.(figure);
  return { script, stylesheet, gzipBytes };
}

/** The console: web/src/gestion → `<outDir>/gestion/`, its own budget. */
async function buildConsole(outDir: string, options: BuildWebOptions) {
  const src = join(webSrc, CONSOLE_DIR);
  const dir = join(outDir, CONSOLE_DIR);
  const result = await esbuild.build({
    entryPoints: { console: join(src, 'main.ts'), 'console-styles': join(src, 'console.css') },
    bundle: true,
    minify: true,
    format: 'esm',
    target: ['es2020', 'chrome96', 'firefox96', 'safari15'],
    platform: 'browser',
    entryNames: 'console-[hash]',
    outdir: dir,
    write: false,
    legalComments: 'none',
    logLevel: 'silent',
  });
  const outputs = result.outputFiles.map((f) => ({ name: relative(outDir, f.path), contents: f.contents }));
  const { script, stylesheet, gzipBytes } = withinBudget(outputs, 'console bundle', CONSOLE_BUDGET_BYTES, options);
  const html = readFileSync(join(src, 'index.html'), 'utf8').replaceAll('{{script}}', `/${script}`).replaceAll('{{stylesheet}}', `/${stylesheet}`);
  const files = new Map<string, Uint8Array | string>(outputs.map((o) => [o.name, o.contents]));
  files.set(`${CONSOLE_DIR}/index.html`, html);
  return { files, bundle: { script, stylesheet, gzipBytes } };
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  // `--out <dir>`: build elsewhere (the CDK asset bundling of lib/constructs/web-hosting.ts).
  const out = process.argv.indexOf('--out');
  buildWeb({ outDir: out > 0 ? resolve(process.argv[out + 1]!) : undefined, log: (line) => console.log(line) }).then(
    (b) => console.log(`${relative(process.cwd(), b.outDir) || '.'}: ${b.files.length} files`),
    (err: Error) => {
      console.error(`build-web failed: ${err.message}`);
      process.exit(1);
    },
  );
}
