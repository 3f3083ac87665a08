/**
 * Supporting documents in a real browser against the whole local runtime (local S3, the check
 * job on S3 events, SES capture): the student opens "Pièces justificatives", uploads a PDF and a
 * 300×400 PNG photo straight to S3, sees both checked; an operator rejects the photo through the
 * admin API, the mail is captured, the student sees the rejection and uploads again. From the
 * identity step, "Signaler une erreur" beside a civil-status field opens the correction form
 * with that field. axe on both pages. The upload-to-status time is printed (a figure, not an
 * assertion).
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { axeViolations, screenshot } from '../support/browser';
import { e2eSuite } from '../support/e2e-suite';
import { eventually } from '../support/eventually';
import { pdf, png } from '../support/files';
import { admitStudent } from '../support/students';

const ADMIN = 'e2e-admin-token-documents-0123456789';
const TO_REVIEW = 'En attente de validation par la scolarité';

const suite = e2eSuite(ADMIN);
const { open, call } = suite;

/** Picks the file in the document's form, submits it and waits for the check's verdict on the page: the milliseconds it took. */
async function uploadInPage(page: Page, kind: string, file: { name: string; mimeType: string; buffer: Buffer }, expected: string): Promise<number> {
  const item = page.locator(`li.doc[data-kind="${kind}"]`);
  await item.locator('input[type=file]').setInputFiles(file);
  const started = performance.now();
  await item.locator('button[type=submit]').click();
  await page.locator(`li.doc[data-kind="${kind}"] #status-${kind}`, { hasText: expected }).waitFor({ timeout: 20_000 });
  await page.locator(`li.doc[data-kind="${kind}"]`, { hasText: file.name }).waitFor();
  return performance.now() - started;
}

describe('supporting documents in the browser', () => {
  it('uploads a PDF and a photo, sees them checked, sees a rejection (mailed) and uploads again; axe on the documents and correction pages', async () => {
    const status = (await call('GET', '/api/status')).body as { academicYear: string };
    const admission = await admitStudent({ academicYear: status.academicYear });
    const email = `documents.e2e.${Date.now()}@example.org`;
    const session = await call('POST', '/api/session', { body: { identifier: admission.identifier, birthDate: admission.birthDate } });
    expect(session.status).toBe(201);
    const { token, dossier } = session.body as { token: string; dossier: { id: string } };
    const identity = await call('PUT', '/api/dossier/identity', {
      token,
      body: { email, phone: '06 12 34 56 78', address: { line1: '3 place Victor Hugo', postalCode: '13003', city: 'Marseille', country: 'FR' } },
    });
    expect(identity.status).toBe(200);

    const page = await open();
    await page.goto(`${suite.rt.url}/connexion`);
    await page.locator('#f-identifier').fill(admission.identifier);
    const [year, month, day] = admission.birthDate.split('-');
    await page.locator('#f-birthDate-day').fill(day!);
    await page.locator('#f-birthDate-month').fill(month!);
    await page.locator('#f-birthDate-year').fill(year!);
    await page.locator('main form button[type=submit]').click();
    await page.waitForURL((u) => u.pathname !== '/connexion');

    // The header's link, once logged in.
    await page.getByRole('link', { name: 'Pièces justificatives' }).click();
    await page.waitForURL((u) => u.pathname === '/pieces-justificatives');
    await page.locator('main:not([aria-busy]) h1', { hasText: 'Pièces justificatives' }).waitFor();
    expect(await page.locator('#status-identity').innerText()).toBe('À déposer');
    expect(await page.locator('#status-photo').innerText()).toBe('À déposer');
    expect(await axeViolations(page)).toEqual([]);

    const latencies = [
      await uploadInPage(page, 'identity', { name: 'carte-identite.pdf', mimeType: 'application/pdf', buffer: pdf('Carte nationale') }, TO_REVIEW),
      await uploadInPage(page, 'photo', { name: 'photo.png', mimeType: 'image/png', buffer: png(300, 400) }, TO_REVIEW),
    ];
    expect(await page.locator('#status-identity').innerText()).toBe(TO_REVIEW);
    await screenshot(page, 'documents-to-review');
    expect(await axeViolations(page)).toEqual([]);

    // An operator rejects the photo; the student is mailed.
    const review = await call('POST', `/api/admin/dossiers/${dossier.id}/documents/photo/review`, { admin: true, body: { decision: 'reject', reason: 'Photo floue' } });
    expect(review.status, JSON.stringify(review.body)).toBe(200);
    const mails = await eventually(
      async () => (await call('GET', `/dev/mail?format=json&to=${encodeURIComponent(email)}`)).body.items as { subject: string; text?: string }[],
      (items) => items.some((m) => m.subject.includes('refusée')),
      20_000,
    );
    const rejection = mails.find((m) => m.subject.includes('refusée'))!;
    expect(rejection.text ?? '').toContain('Photo floue');

    await page.reload();
    await page.locator('#status-photo', { hasText: 'Refusée' }).waitFor();
    expect(await page.locator('li.doc[data-kind="photo"]').innerText()).toContain('Motif : Photo floue');
    expect(await page.locator('#status-identity').innerText()).toBe(TO_REVIEW);
    expect(await axeViolations(page)).toEqual([]);

    latencies.push(await uploadInPage(page, 'photo', { name: 'photo-nette.png', mimeType: 'image/png', buffer: png(600, 800) }, TO_REVIEW));
    expect(await page.locator('li.doc[data-kind="photo"]').innerText()).not.toContain('Photo floue');
    console.log(`upload (click) to "to review" on the page, ms: ${latencies.map((l) => Math.round(l)).join(', ')}`);

    // "Signaler une erreur" beside a civil-status field of the identity step opens the form with that field.
    await page.goto(`${suite.rt.url}/etapes/identite`);
    const report = page.getByRole('link', { name: 'Signaler une erreur : Prénom(s)' });
    await report.click();
    await page.waitForURL((u) => u.pathname === '/correction' && u.searchParams.get('champ') === 'firstNames');
    await page.locator('main:not([aria-busy]) h1', { hasText: 'Signaler une erreur' }).waitFor();
    expect(await page.locator('#correction-field').inputValue()).toBe('firstNames');
    expect(await axeViolations(page)).toEqual([]);

    // The request is recorded for that field.
    await page.locator('#correction-value').fill('Léa Marie');
    await page.locator('#correction-message').fill('Mon second prénom manque.');
    await page.getByRole('button', { name: 'Envoyer la demande' }).click();
    await page.locator('main', { hasText: 'Votre demande est enregistrée' }).waitFor();
    const corrections = await call('GET', '/api/admin/corrections?status=pending', { admin: true });
    expect(corrections.status).toBe(200);
    expect((corrections.body.items as { identifier: string; field: string; proposedValue: string }[]).find((c) => c.identifier === admission.identifier)).toMatchObject({
      field: 'firstNames',
      proposedValue: 'Léa Marie',
    });
    expect(await axeViolations(page)).toEqual([]);
  });
});
