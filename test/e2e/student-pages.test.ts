/**
 * The student pages in a real browser (Debian's Chromium through playwright-core) against the
 * whole local runtime (`npm start`'s): enrollment journeys, errors, the closed service, the help
 * page, keyboard-only use, axe-core scans (no serious or critical violation) at phone (390×844)
 * and desktop (1280×800) sizes, with screenshots in test-artifacts/screenshots/ (SCREENSHOTS=1).
 */
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { beaKey } from '../../functions/domain/ine';
import { formatMoney } from '../../web/src/i18n';
import { DESKTOP, PHONE } from '../support/browser';
import { e2eSuite } from '../support/e2e-suite';
import { accessible, arrived, fillBirthDate, fillIdentity, h1, submitStep, studentPages } from '../support/student-pages';
import { admitStudent } from '../support/students';

const ADMIN = 'e2e-admin-token-0123456789abcdef';
const JOURNEY_MS = 150_000;

const suite = e2eSuite(ADMIN);
const { open } = suite;
const { signIn, registerCvec, setService, campaign } = studentPages(suite);
let academicYear: string;
/** The CVEC campaign digit of this academic year (6 for 2026-2027). */
let d: string;
beforeAll(async () => {
  ({ academicYear, digit: d } = await campaign());
});

const validBea = (digits: string) => `${digits}${beaKey(digits)}`;

describe('a paying student', () => {
  it(
    'enrolls from login to the done page through the checkout stand-in, and the synthesis mail is in /dev/mail',
    async () => {
      const page = await open();
      await page.goto(`${suite.rt.url}/`);
      await arrived(page, '/');
      expect(await page.locator('html').getAttribute('lang')).toBe('fr');
      expect(await page.title()).toContain('Inscription administrative');
      await accessible(page, 'fr-home');

      await page.getByRole('link', { name: 'Commencer ou reprendre mon inscription' }).click();
      await arrived(page, '/connexion');
      await accessible(page, 'fr-login');
      // Typed the way students do: lower case, spaces.
      await page.locator('#f-identifier').fill('p26 123 4567');
      await fillBirthDate(page, '2008-03-14');
      await page.getByRole('button', { name: 'Se connecter' }).click();

      await arrived(page, '/etapes/identite');
      expect(await h1(page)).toContain('Identité et coordonnées');
      expect(await page.locator('[aria-current="step"]').innerText()).toContain('Identité');
      expect(await page.locator('main').innerText()).toContain('Martin');
      await fillIdentity(page, 'lea.perso@example.org');
      await accessible(page, 'fr-step-identity');
      await submitStep(page);

      await arrived(page, '/etapes/ine');
      await page.getByLabel('Oui, j’ai un INE, un BEA ou un INES').check();
      await page.locator('#f-ine').fill('1234567890V');
      await accessible(page, 'fr-step-ine');
      await submitStep(page);

      await arrived(page, '/etapes/situation');
      await page.getByLabel('Formation initiale').check();
      await page.getByLabel('Je ne suis pas boursier ou boursière').check();
      await accessible(page, 'fr-step-situation');
      await submitStep(page);

      await arrived(page, '/etapes/cvec');
      await page.locator('#f-certificateNumber').fill(`amu${d} 123 456`);
      await accessible(page, 'fr-step-cvec');
      await submitStep(page);

      await arrived(page, '/etapes/formation');
      expect(await page.locator('main').innerText()).toContain('Licence 1 Informatique');
      expect(await page.locator('main').innerText()).toContain('178,00');
      await accessible(page, 'fr-step-programme');
      await page.getByRole('button', { name: 'Confirmer cette formation' }).click();

      await arrived(page, '/recapitulatif');
      const summary = await page.locator('main').innerText();
      expect(summary).toContain('lea.perso@example.org');
      expect(summary).toContain('1234567890V');
      expect(summary).toContain(`AMU${d}123456`);
      await accessible(page, 'fr-summary');
      await page.getByRole('button', { name: 'Valider mon dossier' }).click();

      await page.getByRole('button', { name: /^Payer (178,00\s€ )?par carte bancaire$/ }).waitFor();
      // Fees of 100 € and more offer three parts; paying at once is the default choice.
      expect(await page.getByRole('radio', { name: /En une fois\s: 178,00\s€/ }).isChecked()).toBe(true);
      expect(await h1(page)).toBe('Paiement des droits d’inscription');
      await accessible(page, 'fr-payment');
      await page.getByRole('button', { name: /^Payer (178,00\s€ )?par carte bancaire$/ }).click();

      // The local stand-in for Stripe's hosted page.
      await page.waitForURL((url) => url.pathname.startsWith('/dev/checkout/'));
      // Hold the return page's first look at the dossier, to see it wait for the webhook's confirmation.
      let release!: () => void;
      const held = new Promise<void>((r) => (release = r));
      await page.route(
        '**/api/dossier',
        async (route) => {
          await held;
          await route.continue();
        },
        { times: 1 },
      );
      await page.getByRole('button', { name: /^Payer/ }).click();

      await arrived(page, /^\/paiement\/retour\?session_id=/);
      const waiting = page.getByRole('status').filter({ hasText: 'Nous attendons la confirmation de votre paiement' });
      await waiting.waitFor();
      await accessible(page, 'fr-payment-return-waiting');
      release();

      await arrived(page, '/termine');
      expect(await h1(page)).toBe('Votre inscription administrative est terminée');
      expect(await page.locator('main').innerText()).toContain('lea.perso@example.org');
      await accessible(page, 'fr-done');

      // The synthesis mail, as a person sees it in the local mail capture.
      const deadline = Date.now() + 30_000;
      const subject = page.getByRole('heading', { name: /Votre inscription administrative .* est validée/ });
      await page.goto(`${suite.rt.url}/dev/mail`);
      while ((await subject.count()) === 0 && Date.now() < deadline) {
        await page.waitForTimeout(500);
        await page.reload();
      }
      await subject.first().waitFor({ timeout: 1000 });
      expect(await page.locator('article', { has: subject }).first().innerText()).toContain('lea.perso@example.org');
    },
    JOURNEY_MS,
  );
});

describe('a student paying in three parts, then withdrawing', () => {
  /** axe at both sizes (desktop, then phone), back to desktop. */
  const accessibleAtBothSizes = async (page: Page, name: string) => {
    await accessible(page, `${name}-desktop`);
    await page.setViewportSize(PHONE);
    await accessible(page, `${name}-phone`);
    await page.setViewportSize(DESKTOP);
  };

  it(
    'chooses the plan, pays the first part through the checkout stand-in and sees the plan; then withdraws after a confirmation saying what it means, and sees the outcome',
    async () => {
      const admission = await admitStudent({ academicYear, birthName: 'Roux', firstNames: 'Anaïs', birthDate: '2007-05-12', programmeCode: 'L1-INFO', email: 'anais.roux@example.org' });
      await registerCvec(`AMU${d}717171`, { lastName: 'ROUX', firstName: 'Anaïs', birthDate: '2007-05-12' });
      const page = await open({ viewport: DESKTOP });
      await signIn(page, admission.identifier, admission.birthDate);
      await arrived(page, '/etapes/identite');
      await fillIdentity(page, 'anais.roux@example.org');
      await submitStep(page);
      await arrived(page, '/etapes/ine');
      await page.getByLabel('Non, je n’ai pas d’INE').check();
      await page.getByLabel('Je ne suis pas titulaire du baccalauréat français').check();
      await page.getByLabel('Je n’ai jamais été inscrit(e) dans une université française').check();
      await submitStep(page);
      await arrived(page, '/etapes/situation');
      await page.getByLabel('Formation initiale').check();
      await page.getByLabel('Je ne suis pas boursier ou boursière').check();
      await submitStep(page);
      await arrived(page, '/etapes/cvec');
      await page.locator('#f-certificateNumber').fill(`AMU${d}717171`);
      await submitStep(page);
      await arrived(page, '/etapes/formation');
      await submitStep(page);
      await arrived(page, '/recapitulatif');
      await page.getByRole('button', { name: 'Valider mon dossier' }).click();

      // The plan: three parts shown before choosing.
      const plan = page.getByRole('radio', { name: /^En 3 fois/ });
      await plan.check();
      const schedule = page.locator('main ol.schedule li');
      await schedule.first().waitFor();
      expect(await schedule.count()).toBe(3);
      expect(await schedule.first().innerText()).toContain('aujourd’hui');
      await accessibleAtBothSizes(page, 'fr-payment-plan');
      await page.getByRole('button', { name: 'Payer par carte bancaire' }).click();

      // The first part, through the stand-in's Checkout page (the card saved for the others).
      await page.waitForURL((url) => url.pathname.startsWith('/dev/checkout/'));
      await page.getByRole('button', { name: /^Payer/ }).click();
      const dossierRead = page.waitForResponse((res) => new URL(res.url()).pathname === '/api/dossier' && res.request().method() === 'GET' && res.status() === 200);
      await arrived(page, '/termine');
      const done = await page.locator('main').innerText();
      expect(done).toContain('Votre échéancier');
      const parts = page.locator('main ol.schedule li');
      expect(await parts.count()).toBe(3);
      expect(await parts.nth(0).innerText()).toContain('payée');
      expect(await parts.nth(1).innerText()).toContain('à venir');
      expect(done).toContain('Vos paiements et remboursements');
      let dossier = (await (await dossierRead).json()) as { status: string; withdrawalTerms?: { immediate: boolean; refundCents: number } };
      // The done page may have read the dossier before the webhook: read it once more.
      if (!dossier.withdrawalTerms) {
        const again = page.waitForResponse((res) => new URL(res.url()).pathname === '/api/dossier' && res.request().method() === 'GET');
        await page.reload();
        await arrived(page, '/termine');
        dossier = await (await again).json();
      }
      const terms = dossier.withdrawalTerms!;
      expect(terms).toBeDefined();
      await accessibleAtBothSizes(page, 'fr-done-plan');

      // Withdrawing: a button, then the confirmation with the consequences and the amount the API states.
      const start = page.getByRole('button', { name: 'Me désister' });
      expect(await start.getAttribute('aria-expanded')).toBe('false');
      await start.focus();
      await page.keyboard.press('Enter');
      const confirm = page.getByRole('form', { name: 'Confirmer votre désistement' });
      await confirm.waitFor();
      expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Confirmer votre désistement');
      const text = await confirm.innerText();
      expect(text).toContain('vos certificats ne sont plus valables');
      expect(text).toContain('les échéances qui n’ont pas encore été prélevées sont annulées');
      expect(text).toContain(formatMoney(terms.refundCents, 'fr'));
      expect(text).toContain(terms.immediate ? 'le remboursement part aussitôt' : 'la scolarité décide du remboursement');
      await accessibleAtBothSizes(page, 'fr-withdraw-confirm');

      // "Annuler" closes it, focus back on the button; the reason is required.
      await page.getByRole('button', { name: 'Annuler, je reste inscrit(e)' }).click();
      expect(await confirm.isHidden()).toBe(true);
      expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Me désister');
      await page.keyboard.press('Enter');
      await page.getByRole('button', { name: 'Confirmer mon désistement' }).click();
      await page.locator('#f-reason-error').waitFor();
      await accessibleAtBothSizes(page, 'fr-withdraw-reason-missing');
      await page.getByLabel('Motif de votre désistement').fill('Admise dans une autre université');
      await page.getByRole('button', { name: 'Confirmer mon désistement' }).click();

      await arrived(page, '/recapitulatif');
      expect(await h1(page)).toBe('Désistement');
      const outcome = await page.locator('main').innerText();
      if (terms.immediate) {
        expect(outcome).toContain('Votre désistement est enregistré');
        expect(outcome).toContain(formatMoney(terms.refundCents, 'fr'));
        expect(outcome).toContain('État du remboursement');
      } else {
        expect(outcome).toContain('Votre demande de désistement est enregistrée');
      }
      expect(outcome).toContain('Vos paiements et remboursements');
      await accessibleAtBothSizes(page, 'fr-withdrawn');
    },
    JOURNEY_MS,
  );
});

describe('a scholarship-pending student, in English', () => {
  it(
    'ends on the pay-at-office page with no payment button, and the language choice is remembered',
    async () => {
      const page = await open();
      await page.goto(`${suite.rt.url}/connexion`);
      await arrived(page, '/connexion');
      await page.getByRole('button', { name: 'Switch to English' }).click();
      await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
      expect(await page.locator('html').getAttribute('lang')).toBe('en');
      await page.reload();
      await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
      expect(await page.title()).toBe('Sign in — Administrative enrollment');
      await accessible(page, 'en-login');

      await page.locator('#f-identifier').fill('P267654321');
      await fillBirthDate(page, '2007-12-05');
      await page.getByRole('button', { name: 'Sign in' }).click();

      await arrived(page, '/etapes/identite');
      await fillIdentity(page, 'yasmine.benali@example.org');
      await accessible(page, 'en-step-identity');
      await submitStep(page);
      await arrived(page, '/etapes/ine');
      await page.getByLabel('Yes, I have an INE, a BEA or an INES').check();
      await page.locator('#f-ine').fill(validBea('0712345678'));
      await submitStep(page);
      await arrived(page, '/etapes/situation');
      await page.getByLabel('Initial education').check();
      await page.getByLabel('My scholarship application is being processed by the CROUS').check();
      await accessible(page, 'en-step-situation');
      await submitStep(page);
      await arrived(page, '/etapes/cvec');
      await page.locator('#f-certificateNumber').fill(`NIC${d}456789`);
      await submitStep(page);
      await arrived(page, '/etapes/formation');
      expect(await page.locator('main').innerText()).toContain('to pay at the scolarité office');
      await submitStep(page);
      await arrived(page, '/recapitulatif');
      await page.getByRole('button', { name: 'Submit my file' }).click();

      await arrived(page, '/paiement-en-scolarite');
      expect(await h1(page)).toBe('Your file is recorded: you will pay at the scolarité office');
      expect(await page.locator('main').innerText()).toContain('do not log in again later to pay online');
      expect(await page.getByRole('button', { name: /pay/i }).count()).toBe(0);
      await accessible(page, 'en-pay-at-office');

      // Coming back to the summary (where card payment is offered) leads here again.
      await page.goto(`${suite.rt.url}/recapitulatif`);
      await arrived(page, '/paiement-en-scolarite');
      expect(await page.getByRole('button', { name: /pay/i }).count()).toBe(0);
    },
    JOURNEY_MS,
  );
});

describe('errors', () => {
  it(
    'shows a field error in an announced, focused summary linking to the field — client-side and from the API',
    async () => {
      const page = await open();
      // A date that does not exist, on the login form's day/month/year group.
      await signIn(page, '21904567', '2004-02-31');
      const dateError = page.getByRole('alert').getByRole('link', { name: /Date de naissance\s: Cette date n’existe pas/ });
      await dateError.waitFor();
      expect(await dateError.getAttribute('href')).toBe('#f-birthDate-day');
      expect(await page.locator('#f-birthDate-month').getAttribute('aria-invalid')).toBe('true');
      await accessible(page, 'fr-login-error');
      await page.locator('#f-birthDate-month').fill('7');
      await page.locator('#f-birthDate-day').fill('21');
      await page.locator('main form button[type=submit]').click();

      await arrived(page, '/etapes/identite');
      await fillIdentity(page, 'hugo.garcia@example.org');
      await submitStep(page);
      await arrived(page, '/etapes/ine');

      // A mistyped key: caught in the page by the API's own INE check.
      await page.getByLabel('Oui, j’ai un INE, un BEA ou un INES').check();
      await page.locator('#f-ine').fill('1234567890A');
      await submitStep(page);
      const alert = page.getByRole('alert');
      await alert.waitFor();
      expect(await alert.getAttribute('class')).toContain('error-summary');
      expect(await page.evaluate(() => document.activeElement?.classList.contains('error-summary'))).toBe(true);
      expect(await page.title()).toMatch(/^Erreur\u00A0: /);
      const link = alert.getByRole('link', { name: /Numéro INE, BEA ou INES\s: .*clé/ });
      expect(await link.getAttribute('href')).toBe('#f-ine');
      const input = page.locator('#f-ine');
      expect(await input.getAttribute('aria-invalid')).toBe('true');
      expect(await input.getAttribute('aria-describedby')).toContain('f-ine-error');
      expect(await page.locator('#f-ine-error').innerText()).toContain('clé');
      await accessible(page, 'fr-step-ine-error');
      await link.click();
      expect(await page.evaluate(() => document.activeElement?.id)).toBe('f-ine');

      // Fixed: the INES is checked by the national service stand-in, and the page moves on.
      await input.fill('123456789ab');
      await submitStep(page);
      await arrived(page, '/etapes/situation');
      await page.getByLabel('Formation initiale').check();
      await page.getByLabel('Je ne suis pas boursier ou boursière').check();
      await submitStep(page);
      await arrived(page, '/etapes/cvec');

      // Someone else's certificate: only the API can tell; its refusal is shown the same way.
      await page.locator('#f-certificateNumber').fill(`AMU${d}999999`);
      await submitStep(page);
      await alert.waitFor();
      expect(await alert.innerText()).toContain('état civil');
      expect(await alert.getByRole('link').first().getAttribute('href')).toBe('#f-certificateNumber');
      expect(await page.evaluate(() => document.activeElement?.classList.contains('error-summary'))).toBe(true);
      expect(await page.locator('#f-certificateNumber').getAttribute('aria-invalid')).toBe('true');
      await accessible(page, 'fr-step-cvec-api-error');
    },
    JOURNEY_MS,
  );

  it('takes a student whose session is no longer valid back to the login page, saying so', async () => {
    const page = await open();
    await page.goto(`${suite.rt.url}/`);
    await arrived(page, '/');
    await page.evaluate(() => sessionStorage.setItem('inscrire.token', 'expired.or.tampered'));
    await page.goto(`${suite.rt.url}/etapes/identite`);
    await arrived(page, '/connexion');
    expect(await page.getByRole('alert').innerText()).toContain('Votre session a expiré');
  });

  it(
    'shows the closed-service page with the API message when the service is closed',
    async () => {
      const page = await open();
      await setService('closed', 'Test des pages : fermeture');
      try {
        await page.goto(`${suite.rt.url}/`);
        await arrived(page, '/');
        expect(await page.locator('main .notice').first().innerText()).toContain('fermé');
        expect(await page.getByRole('link', { name: 'Commencer ou reprendre mon inscription' }).count()).toBe(0);
        await accessible(page, 'fr-home-closed');

        // An enrolled student may still sign in (to pay a part, follow a refund): the page says so.
        expect(await page.locator('main').innerText()).toContain('Déjà inscrit·e');
        // A student not enrolled yet trying anyway (a tab left open) is shown why, and that nothing is lost.
        await signIn(page, 'P267654321', '2007-12-05');
        await arrived(page, '/ferme');
        expect(await h1(page)).toBe('Le service d’inscription en ligne est fermé');
        const text = await page.locator('main').innerText();
        expect(text).toMatch(/inscription administrative en ligne est .*fermé/);
        expect(text).toContain('conservées');
        await accessible(page, 'fr-closed');
      } finally {
        await setService('open', 'Test des pages : réouverture');
      }
    },
    JOURNEY_MS,
  );
});

describe('help page', () => {
  it(
    'carries the seed content and its Retour link goes back to the step the student was on',
    async () => {
      const page = await open();
      await signIn(page, 'CAND12345678', '2002-11-02');
      await arrived(page, '/etapes/identite');
      await fillIdentity(page, 'elodie@example.org');
      await submitStep(page);
      await arrived(page, '/etapes/ine');

      await page.getByRole('navigation', { name: 'Menu principal' }).getByRole('link', { name: 'Aide' }).click();
      await arrived(page, '/aide');
      const text = await page.locator('main').innerText();
      expect(text).toContain('CANDxxxxxxxx ⇒ M3xxxxxxxx');
      expect(text).toContain('la saisie du numéro du certificat CVEC est OBLIGATOIRE');
      expect(text).toContain('il ne faut pas vous reconnecter ultérieurement pour effectuer le paiement');
      expect(text).toContain('espace numérique de travail');
      expect(await page.getByRole('link', { name: 'assistance-dev@example.org' }).count()).toBe(1);
      await accessible(page, 'fr-help');

      await page.getByRole('link', { name: 'Retour' }).click();
      await arrived(page, '/etapes/ine');
      expect(await h1(page)).toContain('INE');
      expect(await page.evaluate(() => document.activeElement?.tagName)).toBe('H1');
    },
    JOURNEY_MS,
  );
});

describe('support form', () => {
  it(
    'checks the request like the API, sends it during an enrollment window, and the assistance mailbox gets it',
    async () => {
      // The runtime runs in this process: inside the June–July window, the support form is open.
      vi.useFakeTimers({ now: new Date('2026-07-01T10:00:00Z'), toFake: ['Date'], shouldAdvanceTime: true });
      try {
        const page = await open();
        await page.goto(`${suite.rt.url}/assistance`);
        await arrived(page, '/assistance');
        await page.getByRole('button', { name: 'Envoyer la demande' }).click();
        const alert = page.getByRole('alert');
        await alert.waitFor();
        expect(await alert.getByRole('link').count()).toBe(6);
        await accessible(page, 'fr-support-form-errors');

        await page.locator('#f-identifier').fill('CAND 1234 5678');
        await page.locator('#f-lastName').fill("N'Diaye");
        await page.locator('#f-firstName').fill('Élodie');
        await page.locator('#f-programme').selectOption({ label: 'Master 1 Informatique' });
        await page.locator('#f-email').fill('elodie.ndiaye@example.org');
        await page.locator('#f-message').fill('Je n’ai pas d’INE et je suis bloquée à l’étape 2.');
        await page.getByRole('button', { name: 'Envoyer la demande' }).click();
        const sent = page.getByRole('status').filter({ hasText: 'Votre demande a été envoyée' });
        await sent.waitFor();
        expect(await sent.innerText()).toMatch(/Référence de votre demande\s: [0-9a-f-]{36}/);
        await accessible(page, 'fr-support-sent');

        const deadline = Date.now() + 30_000;
        let forwarded: { subject: string; to: string[] } | undefined;
        while (!forwarded && Date.now() < deadline) {
          const { items } = (await (await fetch(`${suite.rt.url}/dev/mail?format=json`)).json()) as { items: { subject: string; to: string[] }[] };
          forwarded = items.find((m) => m.subject.startsWith('[Assistance inscription] M312345678'));
          if (!forwarded) await new Promise((r) => setTimeout(r, 300));
        }
        expect(forwarded?.to).toEqual(['assistance-dev@example.org']);
      } finally {
        vi.useRealTimers();
      }
    },
    JOURNEY_MS,
  );
});

describe('keyboard only', () => {
  /** Presses Tab until the focused element matches `selector`. */
  async function tabTo(page: Page, selector: string, max = 60): Promise<void> {
    for (let i = 0; i < max; i++) {
      if (await page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector)) return;
      await page.keyboard.press('Tab');
    }
    throw new Error(`Tab never reached ${selector}`);
  }

  it(
    'signs in and completes the identity step without a mouse',
    async () => {
      const page = await open();
      await page.goto(`${suite.rt.url}/connexion`);
      await arrived(page, '/connexion');

      await page.keyboard.press('Tab');
      expect(await page.evaluate(() => document.activeElement?.id)).toBe('skip-link');
      await page.keyboard.press('Enter');
      expect(await page.evaluate(() => document.activeElement?.id)).toBe('main');

      await tabTo(page, '#f-identifier');
      await page.keyboard.type('21800042');
      await tabTo(page, '#f-birthDate-day');
      await page.keyboard.type('30');
      await tabTo(page, '#f-birthDate-month');
      await page.keyboard.type('5');
      await tabTo(page, '#f-birthDate-year');
      await page.keyboard.type('1985');
      await tabTo(page, 'main form button[type=submit]');
      await page.keyboard.press('Enter');

      await arrived(page, '/etapes/identite');
      await tabTo(page, '#f-email');
      await page.keyboard.type('claire.rousseau@example.org');
      await tabTo(page, '#f-phone');
      await page.keyboard.type('+44 20 7946 0958');
      await tabTo(page, '#f-address-line1');
      await page.keyboard.type('12 rue de la République');
      await tabTo(page, '#f-address-postalCode');
      await page.keyboard.type('69002');
      await tabTo(page, '#f-address-city');
      await page.keyboard.type('Lyon');
      await tabTo(page, '#f-termDifferent');
      await page.keyboard.press('Space');
      await tabTo(page, '#f-termAddress-line1');
      await page.keyboard.type('Résidence Les Gazelles, chambre 12');
      await tabTo(page, '#f-termAddress-postalCode');
      await page.keyboard.type('13100');
      await tabTo(page, '#f-termAddress-city');
      await page.keyboard.type('Aix-en-Provence');
      await tabTo(page, 'main form button[type=submit]');
      await page.keyboard.press('Enter');

      await arrived(page, '/etapes/ine');
      expect(await page.evaluate(() => document.activeElement?.tagName)).toBe('H1');
      // Radios by arrow keys: the "no INE" choice reveals its two statements.
      await tabTo(page, '#f-hasIne-yes');
      await page.keyboard.press('ArrowDown');
      expect(await page.locator('#f-hasIne-no').isChecked()).toBe(true);
      expect(await page.locator('#f-noFrenchBac').isVisible()).toBe(true);

      const saved = await page.evaluate(async () => {
        const res = await fetch('/api/dossier', { headers: { authorization: `Bearer ${sessionStorage.getItem('inscrire.token')}` } });
        return (await res.json()) as { steps: { identity: { status: string; phone: string; termAddress?: { city: string } } } };
      });
      expect(saved.steps.identity).toMatchObject({ status: 'done', phone: '+442079460958', termAddress: { city: 'Aix-en-Provence' } });
    },
    JOURNEY_MS,
  );
});

describe('every page, French and English, phone and desktop', () => {
  it(
    'passes axe-core on the public pages at 390×844 and 1280×800',
    async () => {
      for (const viewport of [PHONE, DESKTOP]) {
        for (const lang of ['fr', 'en'] as const) {
          const page = await open({ viewport });
          await page.goto(`${suite.rt.url}/`);
          await arrived(page, '/');
          if (lang === 'en') await page.locator('#lang-switch').click();
          await page.waitForFunction((l) => document.documentElement.lang === l, lang);
          for (const [path, name] of [
            ['/', 'home'],
            ['/connexion', 'login'],
            ['/aide', 'help'],
            ['/accessibilite', 'accessibility'],
            ['/assistance', 'support'],
            ['/ferme', 'closed-page'],
            ['/paiement/annule', 'payment-cancelled'],
            ['/nulle-part', 'not-found'],
          ] as const) {
            await page.goto(`${suite.rt.url}${path}`);
            await arrived(page, path);
            expect(await page.locator('html').getAttribute('lang')).toBe(lang);
            expect(await page.locator('.skip-link').count()).toBe(1);
            expect(await page.getByRole('main').count()).toBe(1);
            await accessible(page, `${lang}-${name}`);
          }
        }
      }
      // 32 page loads and axe scans: twice a journey's time on a shared, busy machine.
    },
    2 * JOURNEY_MS,
  );

  it(
    'passes axe-core along a desktop journey that cancels the payment, then resumes it',
    async () => {
      const admission = await admitStudent({ academicYear, birthName: 'Durand', firstNames: 'Noé', birthDate: '2006-09-01', programmeCode: 'M1-INFO', email: 'noe.durand@example.org' });
      await registerCvec(`AMU${d}606060`, { lastName: 'DURAND', firstName: 'Noé', birthDate: '2006-09-01' }, 73);
      const page = await open({ viewport: DESKTOP });
      await signIn(page, admission.identifier, admission.birthDate);
      await arrived(page, '/etapes/identite');
      await accessible(page, 'fr-step-identity');
      await fillIdentity(page, 'noe.durand@example.org');
      await submitStep(page);
      await arrived(page, '/etapes/ine');
      await page.getByLabel('Non, je n’ai pas d’INE').check();
      await page.getByLabel('Je ne suis pas titulaire du baccalauréat français').check();
      await page.getByLabel('Je n’ai jamais été inscrit(e) dans une université française').check();
      await accessible(page, 'fr-step-ine-no-ine');
      await submitStep(page);
      await arrived(page, '/etapes/situation');
      await page.getByLabel('Formation initiale').check();
      await page.getByLabel('Je ne suis pas boursier ou boursière').check();
      await accessible(page, 'fr-step-situation');
      await submitStep(page);
      await arrived(page, '/etapes/cvec');
      await accessible(page, 'fr-step-cvec');
      await page.locator('#f-certificateNumber').fill(`AMU${d}606060`);
      await submitStep(page);
      await arrived(page, '/etapes/formation');
      await accessible(page, 'fr-step-programme');
      await submitStep(page);
      await arrived(page, '/recapitulatif');
      expect(await page.locator('main').innerText()).toMatch(/\d{4}D\d{5}[A-Z] \(provisoire\)/);
      await accessible(page, 'fr-summary');
      await page.getByRole('button', { name: 'Valider mon dossier' }).click();
      const pay = page.getByRole('button', { name: /^Payer (254,00\s€ )?par carte bancaire$/ });
      await pay.waitFor();
      await accessible(page, 'fr-payment');
      await pay.click();

      await page.waitForURL((url) => url.pathname.startsWith('/dev/checkout/'));
      await page.getByRole('link', { name: /Annuler/ }).click();
      await arrived(page, '/paiement/annule');
      expect(await page.locator('main').innerText()).toContain('aucun montant n’a été débité');
      await accessible(page, 'fr-payment-cancelled-journey');
      await page.getByRole('link', { name: 'Reprendre le paiement' }).click();
      await arrived(page, '/recapitulatif');
      await pay.waitFor();

      // Back from the provider while the webhook has not arrived (here: it never will): the page
      // waits, then says the confirmation is slow without asking to pay again.
      await page.clock.install();
      const polled = page.waitForResponse((res) => new URL(res.url()).pathname === '/api/dossier');
      await page.goto(`${suite.rt.url}/paiement/retour?session_id=cs_test_not_paid_yet`);
      await arrived(page, '/paiement/retour');
      await polled;
      expect(await page.getByRole('status').innerText()).toContain('Nous attendons la confirmation de votre paiement');
      await page.clock.fastForward('01:00');
      await page.getByRole('status').filter({ hasText: 'La confirmation prend plus de temps que prévu' }).waitFor();
      expect(await page.getByRole('button', { name: 'Vérifier à nouveau' }).isVisible()).toBe(true);
      await accessible(page, 'fr-payment-return-slow');
    },
    JOURNEY_MS,
  );
});
