/**
 * The accessibility and UX audit's findings (issue 18), proved in Debian's Chromium against the
 * whole local runtime: the session-timeout warning and the unsaved fields kept through an
 * expiry and other pages (the page's clock moved with Playwright's clock API), the accessibility
 * statement and the footer status, error messages that say which address and link to the help,
 * radio errors read on each radio, "Modifier" back to the summary, print styles, French words
 * marked in English, and the runtime opened on 127.0.0.1. axe-core finds no serious or critical
 * violation on any page shown.
 */
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { DESKTOP } from '../support/browser';
import { e2eSuite } from '../support/e2e-suite';
import { accessible, arrived, fillIdentity, fillLogin, submitStep, studentPages } from '../support/student-pages';
import { admitStudent } from '../support/students';

const ADMIN = 'e2e-admin-token-audit-0123456789';
const JOURNEY_MS = 150_000;

const suite = e2eSuite(ADMIN);
const { open } = suite;
const { signIn, registerCvec, campaign } = studentPages(suite);
let academicYear: string;
/** The CVEC campaign digit of this academic year. */
let d: string;
beforeAll(async () => {
  ({ academicYear, digit: d } = await campaign());
});

const fillHome = (page: Page) => fillIdentity(page, 'ines.lambert@example.org');

const student = (birthName: string, firstNames: string, birthDate: string) =>
  admitStudent({ academicYear, birthName, firstNames, birthDate, programmeCode: 'M1-INFO', email: `${firstNames.toLowerCase()}@example.org` });

describe('session timeout (WCAG 2.2.1)', () => {
  it(
    'warns before the session lapses, extends it, and keeps typed fields through the help page and an expiry',
    async () => {
      const admission = await student('Lambert', 'Ines', '2005-04-12');
      const page = await open();
      await page.clock.install();
      await signIn(page, admission.identifier, admission.birthDate);
      await arrived(page, '/etapes/identite');

      // Typed, not saved; then a trip to the help page and back with its Retour link.
      await page.locator('#f-email').fill('ines.perso@example.org');
      await page.locator('#f-phone').fill('07 98 76 54 32');
      await page.getByRole('navigation', { name: 'Menu principal' }).getByRole('link', { name: 'Aide' }).click();
      await arrived(page, '/aide');
      const back = page.getByRole('link', { name: /^Retour à la page «\sIdentité et coordonnées/ });
      await back.click();
      await arrived(page, '/etapes/identite');
      expect(await page.locator('#f-email').inputValue()).toBe('ines.perso@example.org');
      expect(await page.locator('#f-phone').inputValue()).toBe('07 98 76 54 32');
      expect(await page.locator('#draft-restored').innerText()).toMatch(/rétabli\s: Adresse e-mail personnelle, Téléphone/);

      // Five minutes before the end: the warning, focused on the button that extends.
      const dialog = page.getByRole('alertdialog', { name: 'Votre session va bientôt expirer' });
      expect(await dialog.count()).toBe(0);
      await page.clock.fastForward('25:30');
      await dialog.waitFor();
      expect(await dialog.innerText()).toMatch(/expirera à \d{1,2}\sh/);
      expect(await page.evaluate(() => document.activeElement?.id)).toBe('session-extend');
      await accessible(page, 'fr-session-warning');

      const renewed = page.waitForResponse((res) => new URL(res.url()).pathname === '/api/dossier' && res.headers()['x-session-token'] !== undefined);
      await dialog.getByRole('button', { name: 'Prolonger ma session' }).click();
      await renewed;
      await dialog.waitFor({ state: 'detached' });
      expect(await page.locator('#f-email').inputValue()).toBe('ines.perso@example.org');

      // 51 minutes after signing in, 25½ after extending: warned again, still signed in.
      await page.clock.fastForward('25:30');
      await dialog.waitFor();
      expect(new URL(page.url()).pathname).toBe('/etapes/identite');

      // Not extended this time: the session lapses, and the login page says exactly what was kept.
      await page.clock.fastForward('05:00');
      await arrived(page, '/connexion');
      const notice = await page.getByRole('alert').innerText();
      expect(notice).toContain('Votre session a expiré');
      expect(notice).toMatch(/page «\sIdentité et coordonnées \(étape 1 sur 6\)\s» \(Adresse e-mail personnelle, Téléphone\)/);
      expect(await page.evaluate(() => sessionStorage.getItem('inscrire.token'))).toBeNull();
      await accessible(page, 'fr-session-expired');

      await fillLogin(page, admission.identifier, admission.birthDate);
      await arrived(page, '/etapes/identite');
      expect(await page.locator('#f-email').inputValue()).toBe('ines.perso@example.org');
      expect(await page.locator('#f-phone').inputValue()).toBe('07 98 76 54 32');

      // Saved: the kept copy is gone.
      await page.locator('#f-address-line1').fill('3 place Victor Hugo');
      await page.locator('#f-address-postalCode').fill('13003');
      await page.locator('#f-address-city').fill('Marseille');
      await submitStep(page);
      await arrived(page, '/etapes/ine');
      expect(await page.evaluate(() => sessionStorage.getItem('inscrire.drafts'))).toBeNull();
    },
    JOURNEY_MS,
  );

  it(
    'signs out from the warning, and another student signing in on the tab never sees what was typed',
    async () => {
      const first = await student('Morel', 'Paul', '2004-02-02');
      const second = await student('Roux', 'Anna', '2003-03-03');
      const page = await open();
      await page.clock.install();
      await signIn(page, first.identifier, first.birthDate);
      await arrived(page, '/etapes/identite');
      await page.locator('#f-phone').fill('06 00 00 00 01');
      await page.clock.fastForward('31:00');
      await arrived(page, '/connexion');
      expect(await page.getByRole('alert').innerText()).toContain('Téléphone');

      await fillLogin(page, second.identifier, second.birthDate);
      await arrived(page, '/etapes/identite');
      expect(await page.locator('#f-phone').inputValue()).toBe('');
      expect(await page.locator('#draft-restored').count()).toBe(0);

      await page.clock.fastForward('25:30');
      await page.getByRole('alertdialog').getByRole('button', { name: 'Me déconnecter' }).click();
      await arrived(page, '/connexion');
      expect(await page.getByRole('alert').innerText()).toContain('Vous êtes déconnecté(e)');
    },
    JOURNEY_MS,
  );
});

describe('session timeout, on a step already saved', () => {
  it(
    'brings the student back, after signing in again, to the step with unsaved changes rather than the next one',
    async () => {
      const admission = await student('Garnier', 'Lucas', '2005-05-05');
      const page = await open();
      await page.clock.install();
      await signIn(page, admission.identifier, admission.birthDate);
      await arrived(page, '/etapes/identite');
      await fillHome(page);
      await submitStep(page);
      await arrived(page, '/etapes/ine');
      await page.getByRole('link', { name: 'Étape précédente' }).click();
      await arrived(page, '/etapes/identite');
      await page.locator('#f-phone').fill('07 11 22 33 44');

      await page.clock.fastForward('31:00');
      await arrived(page, '/connexion');
      await fillLogin(page, admission.identifier, admission.birthDate);
      await arrived(page, '/etapes/identite');
      expect(await page.locator('#f-phone').inputValue()).toBe('07 11 22 33 44');
      expect(await page.locator('#f-email').inputValue()).toBe('ines.lambert@example.org');
    },
    JOURNEY_MS,
  );
});

describe('accessibility statement', () => {
  it(
    'is linked from every footer with its status, FR and EN, and has what the law requires',
    async () => {
      const page = await open({ viewport: DESKTOP });
      for (const path of ['/', '/connexion', '/aide', '/assistance', '/nulle-part']) {
        await page.goto(`${suite.rt.url}${path}`);
        await arrived(page, path);
        const status = page.getByRole('contentinfo').getByRole('link', { name: /^Accessibilité\s: partiellement conforme$/ });
        expect(await status.count(), path).toBe(1);
        expect(await status.textContent()).toBe('Accessibilité\u00A0: partiellement conforme');
      }
      await page
        .getByRole('contentinfo')
        .getByRole('link', { name: /Accessibilité/ })
        .click();
      await arrived(page, '/accessibilite');
      expect(await page.locator('main h1').innerText()).toBe('Déclaration d’accessibilité');
      const text = await page.locator('main').innerText();
      expect(await page.locator('#a11y-status').innerText()).toBe(
        await page
          .getByRole('contentinfo')
          .getByRole('link', { name: /Accessibilité/ })
          .innerText(),
      );
      expect(text).toContain('RGAA');
      expect(text).toContain('partiellement conforme');
      expect(text).toContain('Contenus non accessibles');
      expect(text).toContain('Défenseur des droits');
      expect(
        await page
          .getByRole('link', { name: /Défenseur des droits/ })
          .first()
          .getAttribute('href'),
      ).toBe('https://formulaire.defenseurdesdroits.fr/');
      expect(await page.getByRole('link', { name: 'assistance-dev@example.org' }).count()).toBe(1);
      await accessible(page, 'fr-accessibility');

      await page.locator('#lang-switch').click();
      await page.getByRole('heading', { level: 1, name: 'Accessibility statement' }).waitFor();
      expect(await page.getByRole('contentinfo').getByRole('link', { name: 'Accessibility: partially compliant' }).count()).toBe(1);
      expect(await page.locator('main [lang="fr"]').filter({ hasText: 'Défenseur des droits' }).count()).toBeGreaterThan(0);
      await accessible(page, 'en-accessibility');
    },
    JOURNEY_MS,
  );
});

describe('error messages, "Modifier" and printing', () => {
  it(
    'names the address, reads radio errors on each radio, keeps long explanations on the help page, and returns to the summary after a change',
    async () => {
      const admission = await student('Petit', 'Louise', '2004-06-06');
      const page = await open({ viewport: DESKTOP });
      await signIn(page, admission.identifier, admission.birthDate);
      await arrived(page, '/etapes/identite');

      // Both addresses wrong: each error says which address it is about.
      await fillHome(page);
      await page.locator('#f-address-postalCode').fill('1300');
      await page.locator('#f-termDifferent').check();
      await submitStep(page);
      const alert = page.getByRole('alert');
      await alert.waitFor();
      const summary = await alert.innerText();
      expect(summary).toMatch(/Code postal \(adresse de domicile\)\s:/);
      expect(summary).toMatch(/Code postal \(adresse pendant l’année universitaire\)\s:/);
      expect(summary).toMatch(/Ville \(adresse pendant l’année universitaire\)\s:/);
      await accessible(page, 'fr-identity-address-errors');
      await page.locator('#f-address-postalCode').fill('13003');
      await page.locator('#f-termDifferent').uncheck();
      await submitStep(page);
      await arrived(page, '/etapes/ine');

      // The INE declaration refused: one sentence, the explanation one link away.
      await page.getByLabel('Non, je n’ai pas d’INE').check();
      await page.getByLabel('Je ne suis pas titulaire du baccalauréat français').check();
      await submitStep(page);
      await alert.waitFor();
      const error = page.locator('#f-neverEnrolledInFrenchUniversity-error');
      expect(await error.innerText()).not.toContain('Vous le trouverez');
      const helpLink = error.getByRole('link');
      expect(await helpLink.getAttribute('href')).toBe('/aide#ine');
      await accessible(page, 'fr-ine-declaration-error');
      await helpLink.click();
      await arrived(page, '/aide');
      expect(await page.evaluate(() => document.activeElement?.id)).toBe('ine');
      expect(await page.evaluate(() => document.activeElement?.tagName)).toBe('H3');
      // Back where the student was, with what was ticked.
      await page.getByRole('link', { name: /^Retour à la page «\sINE/ }).click();
      await arrived(page, '/etapes/ine');
      expect(await page.locator('#f-hasIne-no').isChecked()).toBe(true);
      expect(await page.locator('#f-noFrenchBac').isChecked()).toBe(true);
      await page.getByLabel('Je n’ai jamais été inscrit(e) dans une université française').check();
      await submitStep(page);
      await arrived(page, '/etapes/situation');

      // A radio group left empty: its error is read on each of its radios.
      await submitStep(page);
      await alert.waitFor();
      const radios = page.locator('input[type=radio][name=regime]');
      expect(await radios.count()).toBeGreaterThan(1);
      for (const describedBy of await radios.evaluateAll((els) => els.map((e) => e.getAttribute('aria-describedby') ?? ''))) {
        expect(describedBy.split(' ')).toContain('f-regime-error');
      }
      await accessible(page, 'fr-situation-radio-errors');
      await page.getByLabel('Formation initiale').check();
      await page.getByLabel('Je ne suis pas boursier ou boursière').check();
      await submitStep(page);
      await arrived(page, '/etapes/cvec');

      // Someone else's CVEC certificate: the short sentence and the link to the help's explanation.
      await page.locator('#f-certificateNumber').fill(`AMU${d}999999`);
      await submitStep(page);
      await alert.waitFor();
      const cvecError = page.locator('#f-certificateNumber-error');
      expect(await cvecError.innerText()).toContain('ne correspond pas à votre état civil');
      expect(await cvecError.innerText()).not.toContain('outil de candidature');
      expect(await cvecError.getByRole('link').getAttribute('href')).toBe('/aide#cvec');
      await accessible(page, 'fr-cvec-mismatch-short');
      await registerCvec(`AMU${d}505050`, { lastName: 'PETIT', firstName: 'Louise', birthDate: '2004-06-06' });
      await page.locator('#f-certificateNumber').fill(`AMU${d}505050`);
      await submitStep(page);
      await arrived(page, '/etapes/formation');
      await submitStep(page);
      await arrived(page, '/recapitulatif');
      expect(await page.locator('main').innerText()).toContain('06 12 34 56 78');

      // "Modifier": the step, then straight back to the summary once saved.
      await page.getByRole('link', { name: 'Modifier Téléphone' }).click();
      await arrived(page, /^\/etapes\/identite\?retour=recapitulatif$/);
      expect(await page.getByRole('link', { name: 'Retour au récapitulatif sans enregistrer' }).count()).toBe(1);
      await page.locator('#f-phone').fill('+44 20 7946 0958');
      await page.getByRole('button', { name: 'Enregistrer et revenir au récapitulatif' }).click();
      await arrived(page, '/recapitulatif');
      expect(await page.locator('main').innerText()).toContain('+44 2079460958');

      // A change that needs a step still to do goes through it, then back to the summary.
      await page.getByRole('link', { name: /^Modifier Régime/ }).click();
      await arrived(page, /^\/etapes\/situation\?retour=recapitulatif$/);
      await page.getByLabel('Formation continue').check();
      await submitStep(page);
      await arrived(page, '/recapitulatif');
      expect(await page.locator('main').innerText()).toContain('Formation continue');
      await accessible(page, 'fr-summary-after-change');

      // Printed: the summary without menus, buttons or "Modifier".
      await page.emulateMedia({ media: 'print' });
      expect(
        await page
          .getByRole('link', { name: /^Modifier/ })
          .first()
          .isVisible(),
      ).toBe(false);
      expect(await page.getByRole('button', { name: 'Valider mon dossier' }).isVisible()).toBe(false);
      expect(await page.locator('#site-nav').isVisible()).toBe(false);
      expect(await page.locator('#site-footer').isVisible()).toBe(false);
      expect(await page.locator('main h1').isVisible()).toBe(true);
      await page.emulateMedia({ media: 'screen' });
      expect(await page.getByRole('button', { name: 'Valider mon dossier' }).isVisible()).toBe(true);
    },
    JOURNEY_MS,
  );
});

describe('English pages and the help page', () => {
  it(
    'marks French words lang="fr", nests the help headings, and names where Retour goes',
    async () => {
      const page = await open();
      await page.goto(`${suite.rt.url}/aide`);
      await arrived(page, '/aide');
      // h3 only under an h2: no heading level skipped.
      const levels = await page.locator('main h1, main h2, main h3').evaluateAll((els) => els.map((e) => Number(e.tagName[1])));
      expect(levels).toContain(3);
      levels.forEach((level, i) => expect(level - (levels[i - 1] ?? 0)).toBeLessThanOrEqual(1));
      expect(await page.locator('main').innerText()).toMatch(/Cliquez sur le lien «\sRetour\s»/);
      expect(await page.getByRole('link', { name: /^Retour à la page «\sInscription administrative en ligne\s»$/ }).count()).toBe(1);

      await page.locator('#lang-switch').click();
      await page.getByRole('heading', { level: 1, name: 'Help' }).waitFor();
      expect(await page.locator('main [lang="fr"]').filter({ hasText: 'scolarité' }).count()).toBeGreaterThan(0);
      const english = await page.locator('body').innerText();
      expect(english).not.toMatch(/[\u00A0\u202F][:;?!]/);
      await accessible(page, 'en-help-lang-marks');
    },
    JOURNEY_MS,
  );
});

describe('the local runtime', () => {
  it('works when opened on 127.0.0.1: the pages move to the one origin Stripe returns to', async () => {
    const page = await open();
    const loopback = suite.rt.url.replace('localhost', '127.0.0.1');
    await page.goto(`${loopback}/etapes/ine?x=1`);
    await arrived(page, '/connexion');
    expect(new URL(page.url()).origin).toBe(new URL(suite.rt.url).origin);
    // The API answers on either name (the bench and scripts call 127.0.0.1).
    expect((await fetch(`${loopback}/api/status`)).status).toBe(200);
  });
});
