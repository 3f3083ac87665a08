/**
 * What the student pages restate or replace from the shared code, kept honest: the wizard's
 * step order, and the browser's lenient phone check (web/src/lib/phone-lite.ts), which must
 * never refuse a number the API's libphonenumber check accepts.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normalizePhone } from '../../functions/domain/contacts';
import { STEP_ORDER as DOMAIN_STEP_ORDER } from '../../functions/domain/dossier';
import { parsePhoneNumberFromString } from '../../web/src/lib/phone-lite';
import { STEP_ORDER, STEP_PATHS } from '../../web/src/wizard';

describe('wizard order in the pages', () => {
  it('is the domain order, with one page per step', () => {
    expect(STEP_ORDER).toEqual(DOMAIN_STEP_ORDER);
    expect(Object.keys(STEP_PATHS).sort()).toEqual([...DOMAIN_STEP_ORDER].sort());
    expect(new Set(Object.values(STEP_PATHS)).size).toBe(DOMAIN_STEP_ORDER.length);
  });
});

describe('phone-lite, the browser stand-in for libphonenumber', () => {
  const litePasses = (raw: string) => parsePhoneNumberFromString(raw, 'FR')?.isValid() === true;

  it('accepts the numbers the API accepts, as students type them', () => {
    for (const raw of [
      '06 12 34 56 78',
      '0612345678',
      '612345678',
      '+33 6 12 34 56 78',
      '0033 6 12 34 56 78',
      '+44 20 7946 0958',
      '+1 (415) 555-2671',
      '0692 12 34 56',
      '+262 692 12 34 56',
      '+683 4002',
      '06.12.34.56.78',
      '06-12-34-56-78',
    ]) {
      expect(normalizePhone(raw), raw).not.toBeNull();
      expect(litePasses(raw), raw).toBe(true);
    }
  });

  it('never refuses a number the API would accept', () => {
    const phoneLike = fc
      .tuple(fc.constantFrom('', '+', '00', '0'), fc.array(fc.constantFrom(...'0123456789 .-()/'.split('')), { minLength: 1, maxLength: 20 }))
      .map(([prefix, chars]) => prefix + chars.join(''));
    fc.assert(
      fc.property(phoneLike, (raw) => {
        if (normalizePhone(raw) !== null) expect(litePasses(raw), raw).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it('refuses what is no phone number at all', () => {
    for (const raw of ['', '12', 'abc', '+', '06 12 34 56 78 90 12 34 56']) expect(litePasses(raw), raw).toBe(false);
  });
});

describe('the remembered page (help page Retour link)', () => {
  it('is only ever a path of this site, never another host', async () => {
    const { sameSitePath } = await import('../../web/src/session');
    expect(sameSitePath('/etapes/cvec')).toBe('/etapes/cvec');
    expect(sameSitePath('/recapitulatif?x=1')).toBe('/recapitulatif?x=1');
    for (const hostile of ['//evil.example', '/\\evil.example', 'https://evil.example/', 'javascript:alert(1)', '', null]) {
      expect(sameSitePath(hostile)).toBeNull();
    }
  });
});
