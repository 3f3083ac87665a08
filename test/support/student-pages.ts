/**
 * What the browser tests of the student pages do again and again: wait for a page, scan it,
 * sign in, fill the identity step, and set the local runtime up (CVEC certificates, the service
 * switch) through its own endpoints. Bound to a file's `e2eSuite`.
 */
import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import { axeViolations, screenshot } from './browser';
import type { E2eSuite } from './e2e-suite';

/** Waits for the page at `path` to be rendered (its h1 shown, nothing loading). */
export async function arrived(page: Page, path: string | RegExp): Promise<void> {
  await page.waitForURL((url) => (typeof path === 'string' ? url.pathname === path : path.test(url.pathname + url.search)));
  await page.locator('main:not([aria-busy]) h1').first().waitFor();
}

/** The page's title as read (white space collapsed). */
export async function h1(page: Page): Promise<string> {
  return (await page.locator('main h1').first().innerText()).replace(/\s+/g, ' ').trim();
}

/** axe-core finds no serious or critical violation; the page is kept as a screenshot (SCREENSHOTS=1). */
export async function accessible(page: Page, name: string): Promise<void> {
  await screenshot(page, name);
  expect(await axeViolations(page), name).toEqual([]);
}

export async function fillBirthDate(page: Page, isoDay: string): Promise<void> {
  const [year, month, day] = isoDay.split('-');
  await page.locator('#f-birthDate-day').fill(day!);
  await page.locator('#f-birthDate-month').fill(month!);
  await page.locator('#f-birthDate-year').fill(year!);
}

/** The login form, on the page already open: identifier, birth date, submit. */
export async function fillLogin(page: Page, identifier: string, birthDate: string): Promise<void> {
  await page.locator('#f-identifier').fill(identifier);
  await fillBirthDate(page, birthDate);
  await page.locator('main form button[type=submit]').click();
}

/** The identity step's required fields, an address in Marseille. */
export async function fillIdentity(page: Page, email: string): Promise<void> {
  await page.locator('#f-email').fill(email);
  await page.locator('#f-phone').fill('06 12 34 56 78');
  await page.locator('#f-address-line1').fill('3 place Victor Hugo');
  await page.locator('#f-address-postalCode').fill('13003');
  await page.locator('#f-address-city').fill('Marseille');
}

export const submitStep = (page: Page) => page.locator('main form button[type=submit]').click();

export function studentPages(suite: E2eSuite) {
  return {
    /** Opens the login page and signs in. */
    async signIn(page: Page, identifier: string, birthDate: string): Promise<void> {
      await page.goto(`${suite.rt.url}/connexion`);
      await arrived(page, '/connexion');
      await fillLogin(page, identifier, birthDate);
    },
    /** A certificate the local CVEC stand-in will find (`state`: its payment or exemption code). */
    async registerCvec(certificateNumber: string, who: { lastName: string; firstName: string; birthDate: string }, state = 75): Promise<void> {
      expect((await suite.call('POST', '/dev/cvec', { body: { certificateNumber, ...who, state } })).status).toBe(201);
    },
    /** The operators' service switch, as the local admin. */
    async setService(mode: 'open' | 'closed', reason: string): Promise<void> {
      expect((await suite.call('PUT', '/api/admin/service', { admin: true, body: { mode, reason } })).status).toBe(200);
    },
    /** The campaign's academic year and its CVEC digit (6 for 2026-2027). */
    async campaign(): Promise<{ academicYear: string; digit: string }> {
      const { academicYear } = (await suite.call('GET', '/api/status')).body as { academicYear: string };
      return { academicYear, digit: academicYear.slice(3, 4) };
    },
  };
}
