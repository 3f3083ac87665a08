/**
 * A real browser for the page tests: playwright-core driving Debian's Chromium
 * (/usr/bin/chromium), headless. When Chromium is missing it is installed if this machine
 * allows it (root with apt-get); otherwise the tests fail with the one command to run. Never a
 * skip: a page test that does not run is a failure.
 */
import { execFileSync } from 'node:child_process';
import { accessSync, constants, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';
export const INSTALL_COMMAND = 'sudo apt-get update && sudo apt-get install -y --no-install-recommends chromium';

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Debian's Chromium, installed on the spot when running as root with apt-get. */
export function findChromium(): string {
  if (executable(CHROMIUM)) return CHROMIUM;
  const root = typeof process.getuid === 'function' && process.getuid() === 0;
  if (root && existsSync('/usr/bin/apt-get')) {
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    execFileSync('apt-get', ['update'], { stdio: 'inherit', env, timeout: 600_000 });
    execFileSync('apt-get', ['install', '-y', '--no-install-recommends', 'chromium'], { stdio: 'inherit', env, timeout: 1_200_000 });
    if (executable(CHROMIUM)) return CHROMIUM;
  }
  throw new Error(`The page tests need Debian's Chromium at ${CHROMIUM}. Install it with:\n  ${INSTALL_COMMAND}`);
}

/**
 * Headless Chromium, quiet (no background networking, updates, sync or QUIC). Playwright gives
 * every launch a new, empty user-data directory of its own (it refuses `--user-data-dir` in
 * `args` for that reason), and each test opens a fresh context: no state leaks between tests.
 */
export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: findChromium(),
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-quic', '--no-first-run', '--disable-component-update', '--disable-sync'],
  });
}

export const PHONE = { width: 390, height: 844 } as const;
export const DESKTOP = { width: 1280, height: 800 } as const;

/** A fresh context (empty storage) at phone size, French unless told. */
export async function newPage(
  browser: Browser,
  o: { viewport?: { width: number; height: number }; locale?: string; timezoneId?: string } = {},
): Promise<{ context: BrowserContext; page: Page; problems: string[] }> {
  const context = await browser.newContext({ viewport: o.viewport ?? PHONE, locale: o.locale ?? 'fr-FR', timezoneId: o.timezoneId ?? 'Europe/Paris' });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  const problems: string[] = [];
  // Script errors and CSP refusals fail the tests: the pages must run under the production policy.
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  page.on('console', (msg) => {
    if (msg.type() === 'error' && /Content Security Policy|Refused to/i.test(msg.text())) problems.push(`console: ${msg.text()}`);
  });
  return { context, page, problems };
}

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

/**
 * Runs axe-core (WCAG 2.0/2.1 A and AA rules plus best practices) on the page and returns the
 * serious and critical violations. axe is evaluated through the DevTools protocol, so the
 * page's Content-Security-Policy (no inline script) stays in force.
 */
export async function axeViolations(page: Page): Promise<string[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(ctx: Document, o: unknown): Promise<{ violations: AxeViolation[] }> } }).axe;
    const result = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] } });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => ({ target: n.target })) }));
  });
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.impact} ${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
}

export const SCREENSHOT_DIR = join(import.meta.dirname, '..', '..', 'test-artifacts', 'screenshots');

/**
 * Screenshots are for a person to look at, not assertions, and full-page PNGs cost the run CPU
 * (measured in the README, "Tests"): taken with SCREENSHOTS=1, and with UPDATE_DOCS=1, which
 * refreshes the README's.
 */
export const SCREENSHOTS = process.env.SCREENSHOTS === '1' || process.env.UPDATE_DOCS === '1';

/** A full-page screenshot kept as a test artefact (test-artifacts/ is git-ignored), when SCREENSHOTS is on. */
export async function screenshot(page: Page, name: string): Promise<string | undefined> {
  if (!SCREENSHOTS) return undefined;
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const size = page.viewportSize();
  const file = join(SCREENSHOT_DIR, `${name}-${size?.width ?? 0}x${size?.height ?? 0}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}
