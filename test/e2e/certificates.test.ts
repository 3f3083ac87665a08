/**
 * Certificates in a real browser against the whole local runtime: an enrolled student
 * downloads the PDF from the done page, and anyone opens `/verifier/<code>` (the QR code's
 * address), in French and English, without serious accessibility violations.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { axeViolations, screenshot } from '../support/browser';
import { e2eSuite } from '../support/e2e-suite';
import { eventually } from '../support/eventually';
import { admitStudent } from '../support/students';

const ADMIN = 'e2e-admin-token-certificates-0123456789';

const suite = e2eSuite(ADMIN);
const { open, call } = suite;

/** An admitted student enrolled through the API (scholarship pending, then paid at the desk). */
async function enrolledStudent() {
  const status = (await call('GET', '/api/status')).body as { academicYear: string };
  const admission = await admitStudent({
    academicYear: status.academicYear,
    birthName: 'Géraud',
    firstNames: 'Zoé',
    birthDate: '2007-05-21',
    programmeCode: 'L1-INFO',
    email: 'zoe.geraud@example.org',
  });
  const { token } = (await call('POST', '/api/session', { body: { identifier: admission.identifier, birthDate: admission.birthDate } })).body as { token: string };
  const put = async (step: string, body: unknown) => expect((await call('PUT', `/api/dossier/${step}`, { token, body })).status).toBe(200);
  await put('identity', { email: 'zoe.geraud@example.org', phone: '06 12 34 56 78', address: { line1: '3 place Victor Hugo', postalCode: '13003', city: 'Marseille', country: 'FR' } });
  await put('ine', { ine: '1234567890V' });
  await put('situation', { regime: 'formation_initiale', scholarship: 'pending' });
  const number = `AMU${status.academicYear.slice(3, 4)}${String(Math.floor(Math.random() * 1e6)).padStart(6, '0')}`;
  expect((await call('POST', '/dev/cvec', { body: { certificateNumber: number, lastName: 'GERAUD', firstName: 'Zoé', birthDate: admission.birthDate, state: 75 } })).status).toBeLessThan(300);
  await put('cvec', { certificateNumber: number });
  await put('programme', { programmeCode: 'L1-INFO' });
  const submitted = await call('POST', '/api/dossier/submit', { token });
  expect(submitted.body.status).toBe('pay_at_office');
  const paid = await call('POST', `/api/admin/dossiers/${submitted.body.id}/office-payment`, { admin: true, body: { kind: 'paid', reference: 'QUITTANCE-E2E-0001' } });
  expect(paid.body.status).toBe('enrolled');
  return admission;
}

describe('certificates in the browser', () => {
  it('the student downloads the PDF from the done page; /verifier/<code> says it is valid (FR and EN)', async () => {
    const admission = await enrolledStudent();
    const page = await open();
    await page.goto(`${suite.rt.url}/connexion`);
    await page.locator('#f-identifier').fill(admission.identifier);
    const [year, month, day] = admission.birthDate.split('-');
    await page.locator('#f-birthDate-day').fill(day!);
    await page.locator('#f-birthDate-month').fill(month!);
    await page.locator('#f-birthDate-year').fill(year!);
    await page.locator('main form button[type=submit]').click();
    await page.waitForURL((u) => u.pathname === '/termine');

    // The certificate job runs from the table's stream: reload until the downloads appear.
    const shown = await eventually(
      async () => {
        await page.reload();
        await page.locator('main:not([aria-busy]) h1').first().waitFor();
        return page.locator('[data-certificate="payment-fr"]').count();
      },
      (n) => n === 1,
      60_000,
    );
    expect(shown).toBe(1);
    await screenshot(page, 'certificates-done-page');
    expect(await axeViolations(page)).toEqual([]);

    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('[data-certificate="payment-fr"]').click()]);
    expect(download.suggestedFilename()).toBe(`attestation-de-paiement-${admission.academicYear}.pdf`);
    const pdf = readFileSync((await download.path())!);
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');

    const receipt = page.locator('.certificate').filter({ hasText: 'Attestation de paiement' });
    // The day it was issued (a receipt is issued again as the parts of a plan are paid).
    expect(await receipt.locator('p', { hasText: 'Délivré le' }).innerText()).toMatch(/^Délivré le \d{1,2} \p{L}+ \d{4}$/u);
    const codeText = await receipt.locator('p', { hasText: 'Code de vérification' }).innerText();
    const code = /([2-9A-Z]{5}(?:-[2-9A-Z]{5}){3})/.exec(codeText)![1]!;
    expect(pdf.length).toBeGreaterThan(1000);

    const visitor = await open();
    await visitor.goto(`${suite.rt.url}/verifier/${code}`);
    await visitor.locator('main:not([aria-busy]) h1').first().waitFor();
    const main = await visitor.locator('main').innerText();
    expect(main).toContain('Certificat valable');
    expect(main).toContain('Z. GÉRAUD');
    expect(main).toContain('Licence 1 Informatique');
    expect(main).not.toContain('2007');
    expect(main).not.toContain('1234567890V');
    await screenshot(visitor, 'certificates-verifier-fr');
    expect(await axeViolations(visitor)).toEqual([]);

    // The same page in English (the pages' language switch).
    await visitor.locator('#lang-switch').click();
    await visitor.locator('main', { hasText: 'Valid certificate' }).waitFor();
    expect(await visitor.locator('main').innerText()).toContain('Certificate verification');

    const unknown = await open();
    await unknown.goto(`${suite.rt.url}/verifier/ABCDE-FGHJK-MNPQR-STUVW`);
    await unknown.locator('main:not([aria-busy]) h1').first().waitFor();
    expect(await unknown.locator('main').innerText()).toContain('Aucun certificat ne correspond à ce code');
  });
});
