/**
 * The operators' console (`/gestion`) in Debian's Chromium against the whole local runtime:
 * sign-in through the local OpenID Connect provider (authorization code + PKCE, its login
 * form), the dashboard's numbers moving while a student enrolls in another context, a document
 * reviewed with its preview, an office payment recorded, the service switched and switched
 * back; an `agent` sees no service switch and the API refuses it (403). axe finds no serious or
 * critical violation on any console page at 1280×800 and 390×844; the sign-in and a search are
 * done with the keyboard only. The dashboard's screenshot is copied to docs/ for the README with UPDATE_DOCS=1.
 */
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page, Route } from 'playwright-core';
import { describe, expect, it, vi } from 'vitest';
import { withdrawalRules } from '../../config/catalogue';
import { instalmentsConfig } from '../../config/instalments';
import { stageConfig } from '../../config/stages';
import { academicYearStart } from '../../functions/domain/dossier';
import { formatEuros } from '../../functions/domain/labels';
import { DESKTOP, PHONE, axeViolations, screenshot } from '../support/browser';
import { e2eSuite } from '../support/e2e-suite';
import { eventually } from '../support/eventually';
import { png, postUpload } from '../support/files';
import { admitStudent } from '../support/students';
import { randomInt } from 'node:crypto';
import { beaKey } from '../../functions/domain/ine';

const ADMIN = 'e2e-admin-token-console-0123456789';
const suite = e2eSuite(ADMIN);
const { open, call } = suite;
const DOCS = join(import.meta.dirname, '..', '..', 'docs');

const PASSWORDS: Record<string, string> = { agent: 'agent-demo', responsable: 'responsable-demo' };

/** Signs in on the console through the provider's login form; lands on the dashboard. */
async function signIn(page: Page, username: string, o: { keyboard?: boolean } = {}): Promise<void> {
  await page.goto(`${suite.rt.url}/gestion/`);
  const button = page.getByRole('button', { name: 'Se connecter' });
  if (o.keyboard) {
    // Skip link, site name, language, then the sign-in button.
    await button.waitFor();
    for (let i = 0; i < 10 && !(await button.evaluate((b) => b === document.activeElement)); i++) await page.keyboard.press('Tab');
    expect(await button.evaluate((b) => b === document.activeElement)).toBe(true);
    await page.keyboard.press('Enter');
    const user = page.locator('#username');
    await user.waitFor();
    for (let i = 0; i < 5 && !(await user.evaluate((u) => u === document.activeElement)); i++) await page.keyboard.press('Tab');
    await page.keyboard.type(username);
    await page.keyboard.press('Tab');
    await page.keyboard.type(PASSWORDS[username]!);
    await page.keyboard.press('Enter');
  } else {
    await button.click();
    await page.locator('#username').fill(username);
    await page.locator('#password').fill(PASSWORDS[username]!);
    await page.locator('button[type=submit]').click();
  }
  await page.waitForURL((u) => u.pathname === '/gestion/');
  await ready(page, 'Tableau de bord');
}

async function ready(page: Page, title: string): Promise<void> {
  await page.locator('main:not([aria-busy]) h1', { hasText: title }).waitFor();
}

async function accessible(page: Page, name: string): Promise<void> {
  for (const viewport of [DESKTOP, PHONE]) {
    await page.setViewportSize(viewport);
    await screenshot(page, `console-${name}`);
    expect(await axeViolations(page), `${name} ${viewport.width}×${viewport.height}`).toEqual([]);
  }
  await page.setViewportSize(DESKTOP);
}

const enrolledOnDashboard = async (page: Page) => Number(await page.locator('[data-testid=enrolled]').innerText());

/** A student of this campaign through every step and submit, as their own API calls: pay at the desk (scholarship pending). */
async function studentSubmitted(scholarship: 'pending' | 'none' = 'pending'): Promise<{ identifier: string; id: string; token: string }> {
  const { academicYear } = (await call('GET', '/api/status')).body as { academicYear: string };
  const admission = await admitStudent({ academicYear, birthName: 'Console', firstNames: 'Zoé' });
  const session = await call('POST', '/api/session', { body: { identifier: admission.identifier, birthDate: admission.birthDate } });
  expect(session.status).toBe(201);
  const token = session.body.token as string;
  const put = async (step: string, body: unknown) => expect((await call('PUT', `/api/dossier/${step}`, { token, body })).status).toBe(200);
  await put('identity', { email: `console.${Date.now()}@example.org`, phone: '06 12 34 56 78', address: { line1: '3 place Victor Hugo', postalCode: '13003', city: 'Marseille', country: 'FR' } });
  await put('ine', { ine: '1234567890V' });
  await put('situation', { regime: 'formation_initiale', scholarship });
  const number = `AMU${academicYear.slice(3, 4)}${String(Math.floor(Math.random() * 1e6)).padStart(6, '0')}`;
  expect((await call('POST', '/dev/cvec', { body: { certificateNumber: number, lastName: 'CONSOLE', firstName: 'Zoé', birthDate: admission.birthDate, state: 75 } })).status).toBe(201);
  await put('cvec', { certificateNumber: number });
  await put('programme', { programmeCode: admission.programmeCode });
  const submitted = await call('POST', '/api/dossier/submit', { token });
  expect(submitted.body.status).toBe(scholarship === 'pending' ? 'pay_at_office' : 'awaiting_payment');
  return { identifier: admission.identifier, id: submitted.body.id as string, token };
}

describe('the operators’ console', () => {
  it('responsable: sign-in, a live dashboard, a document reviewed, an office payment, the service switched; axe on every page', async () => {
    // A computer set to another time zone: the console still shows the university's times.
    const page = await open({ timezoneId: 'America/New_York' });
    await page.setViewportSize(DESKTOP);
    await signIn(page, 'responsable');
    await accessible(page, 'dashboard');
    const before = await enrolledOnDashboard(page);

    // A student submits and uploads a photo, in another context; the dashboard follows without a reload.
    const student = await studentSubmitted();
    const upload = await call('POST', '/api/dossier/documents/photo/uploads', { token: student.token, body: { fileName: 'photo.png', contentType: 'image/png', size: png(300, 400).length } });
    expect(upload.status).toBe(201);
    expect((await postUpload(upload.body, png(300, 400), 'photo.png')).status).toBeLessThan(300);
    await page.locator('[data-queue=documentsToReview] .n', { hasText: /^[1-9]/ }).waitFor({ timeout: 30_000 });

    // The queue of documents to review names the student.
    await page
      .getByRole('link', { name: /Pièces à vérifier/ })
      .first()
      .click();
    await ready(page, 'Pièces à vérifier');
    await page.getByRole('link', { name: 'Console Zoé' }).first().waitFor();
    await accessible(page, 'documents-queue');

    // Search with the keyboard only, open the dossier.
    await page.getByRole('link', { name: 'Dossiers' }).focus();
    await page.keyboard.press('Enter');
    await ready(page, 'Dossiers');
    await accessible(page, 'search');
    await page.getByLabel('Nom, identifiant, INE ou numéro de dossier').focus();
    await page.keyboard.type(student.identifier);
    await page.keyboard.press('Enter');
    const link = page.getByRole('link', { name: 'Console Zoé' });
    await link.waitFor();
    await accessible(page, 'results');
    await link.focus();
    await page.keyboard.press('Enter');
    await ready(page, 'Console Zoé');

    // The photo: previewed inline, accepted.
    await page.getByRole('button', { name: 'Voir (photo)' }).click();
    const preview = page.getByRole('img', { name: 'Aperçu de photo' });
    await preview.waitFor();
    // Shown is not loaded: decode() waits for the file (and fails the test on a broken image).
    expect(await preview.evaluate(async (img) => (await (img as HTMLImageElement).decode(), (img as HTMLImageElement).naturalWidth))).toBe(300);
    await accessible(page, 'dossier');
    await page.getByRole('button', { name: 'Accepter (photo)' }).click();
    await page.locator('#action-result', { hasText: 'Action enregistrée' }).waitFor();
    expect((await call('GET', '/api/dossier/documents', { token: student.token })).body.items).toEqual(expect.arrayContaining([expect.objectContaining({ kind: 'photo', status: 'accepted' })]));

    // The office payment: the dossier is enrolled, the audit shows it, the dashboard counts it.
    const office = page.locator('#office-payment');
    await office.getByLabel('Référence de la quittance').fill('QUITTANCE-CONSOLE-1');
    await office.getByRole('button', { name: 'Enregistrer un paiement en scolarité' }).click();
    await page.locator('[data-testid=status]', { hasText: 'inscrit' }).waitFor();
    await page.locator('.timeline', { hasText: 'dossier.office_payment' }).waitFor();
    await page.getByRole('link', { name: 'Tableau de bord' }).click();
    await ready(page, 'Tableau de bord');
    const after = await eventually(
      () => enrolledOnDashboard(page),
      (n) => n === before + 1,
      30_000,
    );
    expect(after).toBe(before + 1);

    // Another student pays by card in another browser context: the open dashboard counts them, no reload.
    await page.evaluate(() => Object.assign(window, { notReloaded: true }));
    const payer = await studentSubmitted('none');
    const checkout = await call('POST', '/api/dossier/payment', { token: payer.token });
    expect(checkout.status).toBe(201);
    const studentPage = await open();
    await studentPage.goto(checkout.body.checkoutUrl as string);
    await studentPage.getByRole('button', { name: /Payer/ }).click();
    // The stand-in redirects once the local API has taken the signed webhook. Under the full
    // suite's load on the shared 2-core machine that once took more than the page's default
    // timeout (test/support/browser.ts; the local runtime's certificate job may be rendering the
    // PDFs of this test's earlier enrollment in the same process).
    await studentPage.waitForURL((u) => u.pathname === '/paiement/retour', { timeout: 45_000 });
    const live = await eventually(
      () => enrolledOnDashboard(page),
      (n) => n === before + 2,
      30_000,
    );
    expect(live).toBe(before + 2);
    expect(await page.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded)).toBe(true);
    expect(await page.locator('svg.chart').getAttribute('aria-label')).toMatch(/Inscriptions par heure/);
    await page.setViewportSize(DESKTOP);
    // In test-artifacts/ with SCREENSHOTS=1; the README's copy in docs/ is refreshed on demand (UPDATE_DOCS=1), so a test run leaves the tree clean.
    const dashboard = await screenshot(page, 'console-dashboard-final');
    if (process.env.UPDATE_DOCS === '1' && dashboard) {
      mkdirSync(DOCS, { recursive: true });
      copyFileSync(dashboard, join(DOCS, 'console-dashboard.png'));
    }

    // The service switch: closed with a reason, then back to the calendar.
    await page.getByRole('link', { name: 'Ouverture du service' }).click();
    await ready(page, 'Ouverture du service');
    await accessible(page, 'service');
    const { windows, timeZone } = stageConfig('dev').calendar;
    expect(timeZone).not.toBe('America/New_York');
    const pad = (n: number) => String(n).padStart(2, '0');
    for (const w of windows) {
      const cells = await page.locator('tr', { hasText: w.id }).first().locator('td').allInnerTexts();
      expect(cells[0]).toContain(`${pad(w.opens.hour)}:${pad(w.opens.minute)}`);
      expect(cells[1]).toContain(`${pad(w.closes.hour)}:${pad(w.closes.minute)}`);
    }
    await page.getByLabel('Mode').selectOption('closed');
    await page.getByLabel('Motif').fill('Maintenance console e2e');
    await page.getByRole('button', { name: 'Appliquer' }).click();
    await page.locator('[data-testid=service-state]', { hasText: 'fermé' }).waitFor();
    expect((await call('GET', '/api/status')).body.open).toBe(false);
    await page.getByLabel('Mode').selectOption('open');
    await page.getByLabel('Motif').fill('Fin de maintenance');
    await page.getByRole('button', { name: 'Appliquer' }).click();
    await page.locator('[data-testid=service-state]', { hasText: 'ouvert' }).waitFor();
    expect((await call('GET', '/api/status')).body.open).toBe(true);

    // The other pages, and the English toggle.
    for (const [name, title] of [
      ['Assistance', 'Assistance'],
      ['Corrections', 'Corrections'],
      ['Import des admissions', 'Import des admissions'],
    ] as const) {
      await page.getByRole('link', { name }).click();
      await ready(page, title);
      await accessible(page, name.toLowerCase().replace(/\W+/g, '-'));
    }
    await page.getByRole('button', { name: 'English' }).click();
    await ready(page, 'Admissions import');
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    await page.getByRole('link', { name: 'Dashboard' }).click();
    await ready(page, 'Dashboard');
    await accessible(page, 'dashboard-en');
  }, 240_000);

  it('agent: signs in with the keyboard only, sees no service switch, and the API refuses it (403)', async () => {
    const page = await open();
    await page.setViewportSize(DESKTOP);
    await signIn(page, 'agent', { keyboard: true });
    expect(await page.getByRole('link', { name: 'Ouverture du service' }).count()).toBe(0);
    expect(await page.getByRole('link', { name: 'Import des admissions' }).count()).toBe(0);
    await page.goto(`${suite.rt.url}/gestion/service`);
    await ready(page, 'Cette page est réservée aux responsables.');
    expect(await page.getByRole('button', { name: 'Appliquer' }).count()).toBe(0);
    await accessible(page, 'agent-forbidden');

    const token = (await call('POST', '/dev/operator-token', { body: { username: 'agent' } })).body.token as string;
    const refused = await call('PUT', '/api/admin/service', { token, body: { mode: 'closed', reason: 'Essai agent' } });
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('FORBIDDEN_ROLE');
  }, 120_000);

  it('agent: finds a student’s dossier by the INE, typed in lower case with spaces', async () => {
    const { academicYear } = (await call('GET', '/api/status')).body as { academicYear: string };
    const admission = await admitStudent({ academicYear, birthName: 'Inesearch', firstNames: 'Inès' });
    const session = await call('POST', '/api/session', { body: { identifier: admission.identifier, birthDate: admission.birthDate } });
    expect(session.status).toBe(201);
    const digits = `8${String(randomInt(0, 1e9)).padStart(9, '0')}`;
    const ine = `${digits}${beaKey(digits)}`;
    expect((await call('PUT', '/api/dossier/ine', { token: session.body.token as string, body: { ine } })).status).toBe(200);

    const page = await open();
    await page.setViewportSize(DESKTOP);
    await signIn(page, 'agent');
    await page.getByRole('link', { name: 'Dossiers' }).click();
    await ready(page, 'Dossiers');
    await page.getByLabel('Nom, identifiant, INE ou numéro de dossier').fill(`${ine.slice(0, 5)} ${ine.slice(5).toLowerCase()}`);
    await page.getByRole('button', { name: 'Rechercher' }).click();
    await page.getByRole('link', { name: 'Inesearch Inès' }).waitFor();
    expect(await page.locator('table tbody tr').count()).toBe(1);

    // A gateway's HTML error page, then no answer at all: the agent is told to try again, in words.
    const unreachable = 'Le service n’a pas répondu (réseau ou serveur indisponible) : réessayez dans un instant.';
    for (const failure of [(r: Route) => r.fulfill({ status: 502, contentType: 'text/html', body: '<html><body>502 Bad Gateway</body></html>' }), (r: Route) => r.abort('connectionrefused')]) {
      await page.route('**/api/admin/dossiers?*', failure);
      await page.getByRole('button', { name: 'Rechercher' }).click();
      await page.getByRole('alert').filter({ hasText: unreachable }).waitFor();
      await page.unroute('**/api/admin/dossiers?*');
      await page.goBack();
      await ready(page, 'Dossiers');
    }
  }, 120_000);

  it('money: a supervisor decides a withdrawal’s refund on the dossier; an agent gets no refund form (API 403); the anomalies and overdue lists open their dossiers', async () => {
    const { academicYear } = (await call('GET', '/api/status')).body as { academicYear: string };
    const timeZone = stageConfig('dev').calendar.timeZone;
    const ddmmyyyy = (iso: string) => new Intl.DateTimeFormat('fr-FR', { timeZone, dateStyle: 'short' }).format(new Date(iso));
    const adminDossier = async (id: string) => (await call('GET', `/api/admin/dossiers/${id}`, { admin: true })).body;
    /** The local checkout's Pay button (303 to the return page once the signed webhook is answered). */
    const pay = async (sessionId: string, card: 'succeeds' | 'declines_later') =>
      (await fetch(`${suite.rt.url}/dev/checkout/${sessionId}/pay`, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ card }) })).status;
    const runInstalmentsJob = async (at: string) => expect((await call('POST', '/dev/jobs/InstalmentsDue', { body: { at } })).status).toBe(200);
    const partStatus = (id: string, n: number) => async () => ((await adminDossier(id)).payment.instalments as { n: number; status: string; retryOn?: string }[]).find((i) => i.n === n)!;

    // State through the API, A and B side by side. A: on the three-part plan with a card whose later charges decline:
    // part 2 failed, retried, overdue.
    const overdueOnPlan = async () => {
      const planner = await studentSubmitted('none');
      const plan = await call('POST', '/api/dossier/payment', { token: planner.token, body: { plan: 'instalments' } });
      expect(plan.status).toBe(201);
      expect(await pay(plan.body.sessionId, 'declines_later')).toBe(303);
      const part2 = (plan.body.schedule as { n: number; amountCents: number; dueOn: string }[]).find((p) => p.n === 2)!;
      await runInstalmentsJob(`${part2.dueOn}T08:00:00Z`);
      const failed = await eventually(partStatus(planner.id, 2), (i) => i.status === 'failed');
      expect(failed.retryOn).toBeDefined();
      await runInstalmentsJob(`${failed.retryOn}T08:00:00Z`);
      expect((await eventually(partStatus(planner.id, 2), (i) => i.status === 'overdue')).status).toBe('overdue');
      return { ...planner, part2 };
    };
    // B: paid at the desk.
    const paidAtDesk = async () => {
      const leaver = await studentSubmitted('pending');
      expect((await call('POST', `/api/admin/dossiers/${leaver.id}/office-payment`, { admin: true, body: { reference: `QUITTANCE-${leaver.identifier}`, kind: 'paid' } })).body.status).toBe(
        'enrolled',
      );
      return leaver;
    };
    const [planner, leaver] = await Promise.all([overdueOnPlan(), paidAtDesk()]);
    const { part2 } = planner;

    // B withdraws after the academic year's start (a supervisor decides the refund: SPEC). In summer, before the start,
    // the in-process runtime's clock is moved past it for the student's two calls only, while nothing else runs.
    const start = academicYearStart(academicYear, { ...withdrawalRules, timeZone }).getTime();
    const moved = Date.now() < start;
    if (moved) vi.useFakeTimers({ now: start + 3_600_000, toFake: ['Date'] });
    try {
      const { birthDate } = (await adminDossier(leaver.id)).student as { birthDate: string };
      const session = await call('POST', '/api/session', { body: { identifier: leaver.identifier, birthDate } });
      const withdrawn = await call('POST', '/api/dossier/withdrawal', { token: session.body.token, body: { reason: 'Admise dans une autre université' } });
      expect(withdrawn.body.status).toBe('withdrawal_requested');
    } finally {
      if (moved) vi.useRealTimers();
    }
    const before = await adminDossier(leaver.id);
    const paidCents = before.fees.amountCents as number;
    const maxCents = paidCents - withdrawalRules.retentionCents;
    expect(before.refundableCents).toBe(maxCents);

    // An agent and a supervisor sign in, side by side. The agent sees the money but no refund form, and the API refuses
    // the decision (403).
    const [agentPage, page] = await Promise.all([open(), open()]);
    await Promise.all([agentPage.setViewportSize(DESKTOP), page.setViewportSize(DESKTOP)]);
    await Promise.all([signIn(agentPage, 'agent'), signIn(page, 'responsable')]);
    await agentPage.goto(`${suite.rt.url}/gestion/dossiers/${leaver.id}`);
    await ready(agentPage, 'Console Zoé');
    await agentPage
      .getByRole('table', { name: 'Mouvements' })
      .getByRole('row', { name: /Paiement en scolarité/ })
      .waitFor();
    expect(await agentPage.locator('#refund').count()).toBe(0);
    expect(await agentPage.getByRole('button', { name: 'Décider le remboursement' }).count()).toBe(0);
    const agentToken = (await call('POST', '/dev/operator-token', { body: { username: 'agent' } })).body.token as string;
    const refused = await call('POST', `/api/admin/dossiers/${leaver.id}/refund`, { token: agentToken, body: { amountCents: 100, reason: 'Essai agent' } });
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('FORBIDDEN_ROLE');

    // The supervisor: the movements, the withdrawal awaiting a decision, the maximum; axe on the page with its form.
    await page.goto(`${suite.rt.url}/gestion/dossiers/${leaver.id}`);
    await ready(page, 'Console Zoé');
    const movements = page.getByRole('table', { name: 'Mouvements' });
    const payment = movements.getByRole('row', { name: /Paiement en scolarité/ });
    expect(await payment.innerText()).toContain(formatEuros(paidCents, 'fr'));
    expect(await payment.innerText()).toContain(`QUITTANCE-${leaver.identifier}`);
    expect(await payment.innerText()).toContain(ddmmyyyy(before.movements[0].at));
    expect(await page.locator('[data-testid=withdrawal]').innerText()).toContain('en attente de la décision');
    expect(await page.locator('[data-testid=refund-max]').innerText()).toBe(`Au plus ${formatEuros(maxCents, 'fr')}.`);
    await accessible(page, 'dossier-refund');

    // More than allowed: the API's refusal is shown next to the amount, which gets the focus.
    const form = page.locator('#refund');
    await form.getByLabel('Montant à rembourser (en euros)').fill(String(maxCents / 100 + 1));
    await form.getByLabel('Motif').fill('Désistement après la rentrée');
    await form.getByRole('button', { name: 'Décider le remboursement' }).click();
    await form.getByText('Le remboursement ne peut pas dépasser').waitFor();
    expect(await form.getByLabel('Montant à rembourser (en euros)').evaluate((el) => el === document.activeElement && el.getAttribute('aria-invalid') === 'true')).toBe(true);

    // A decision with the keyboard: euros typed with a comma, sent in cents; the outcome gets the focus; the refund is in the movements.
    await page.keyboard.press('Control+A');
    await page.keyboard.type('100,50');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await page.locator('#action-result', { hasText: 'Action enregistrée' }).waitFor();
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('action-result');
    await page.locator('[data-testid=status]', { hasText: 'désisté' }).waitFor();
    const refundRow = page.getByRole('table', { name: 'Mouvements' }).getByRole('row', { name: /Remboursement en scolarité/ });
    expect(await refundRow.innerText()).toContain(formatEuros(10050, 'fr'));
    expect(await refundRow.innerText()).toContain('enregistré pour l’agence comptable');
    expect(await page.locator('[data-testid=refund]').innerText()).toBe(`${formatEuros(10050, 'fr')} — à faire par l’agence comptable`);
    expect(await page.locator('#refund').count()).toBe(0);
    const after = await adminDossier(leaver.id);
    expect(after).toMatchObject({ status: 'withdrawn', refund: { amountCents: 10050, status: 'office' }, refundableCents: null });
    expect(after.audit.map((a: { action: string }) => a.action)).toContain('dossier.refund_decided');

    // The anomalies list (the refund the accounting office makes) opens the dossier, from the dashboard's tile.
    await page.getByRole('link', { name: 'Tableau de bord' }).click();
    await ready(page, 'Tableau de bord');
    await page.locator('[data-queue=anomalies] a').click();
    await ready(page, 'Anomalies de paiement');
    const anomaly = page.getByRole('row', { name: /Remboursement à faire par l’agence comptable/ }).filter({ has: page.locator(`a[href="/gestion/dossiers/${leaver.id}"]`) });
    expect(await anomaly.innerText()).toContain(formatEuros(10050, 'fr'));
    expect(await anomaly.getByRole('link').innerText()).toBe(`Console Zoé — ${leaver.identifier}`);
    await accessible(page, 'anomalies');
    await anomaly.getByRole('link').click();
    await ready(page, 'Console Zoé');
    expect(await page.locator('[data-testid=status]').innerText()).toBe('désisté');

    // The overdue list names A's part 2 and opens A's dossier, whose plan says so.
    await page.getByRole('link', { name: 'Tableau de bord' }).click();
    await ready(page, 'Tableau de bord');
    await page.locator('[data-queue=instalmentsOverdue] a').click();
    await ready(page, 'Échéances en retard');
    const late = page.getByRole('row').filter({ has: page.locator(`a[href="/gestion/dossiers/${planner.id}"]`) });
    expect(await late.innerText()).toContain(`Échéance 2 — ${formatEuros(part2.amountCents, 'fr')}`);
    await accessible(page, 'overdue');
    await late.getByRole('link').click();
    await ready(page, 'Console Zoé');
    expect(
      await page
        .getByRole('table', { name: `Échéancier (paiement en ${instalmentsConfig.parts} fois)` })
        .getByRole('row', { name: /Échéance 2/ })
        .innerText(),
    ).toContain('en retard');
  }, 180_000);
});
