import { describe, expect, it } from 'vitest';
import { IdentityBody, ISO_COUNTRIES, checkPostalCode, frenchTerritoryOf, hasForbiddenCharacters, normalizePhone } from '../../functions/domain/contacts';
import { validate } from '../../functions/domain/validate';

const address = { line1: '3 place Victor Hugo', postalCode: '13003', city: 'Marseille', country: 'FR' };
const body = (over: Record<string, unknown> = {}) => ({ email: 'elodie.lefevre@example.org', phone: '06 12 34 56 78', address, ...over });

describe('normalizePhone', () => {
  it.each([
    ['06 12 34 56 78', '+33612345678'],
    ['0612345678', '+33612345678'],
    ['06.12.34.56.78', '+33612345678'],
    ['06-12-34-56-78', '+33612345678'],
    ['01 23 45 67 89', '+33123456789'],
    ['+33 6 12 34 56 78', '+33612345678'],
    ['+33 (0)6 12 34 56 78', '+33612345678'],
    ['0033 6 12 34 56 78', '+33612345678'],
    ['+44 20 7946 0958', '+442079460958'],
    ['0044 20 7946 0958', '+442079460958'],
    ['+1 202 555 0143', '+12025550143'],
    ['+212 6 12 34 56 78', '+212612345678'],
    ['+262 692 12 34 56', '+262692123456'],
  ])('%j → %s', (raw, e164) => {
    expect(normalizePhone(raw)).toBe(e164);
  });

  it.each(['', '06 12 34', '06 12 34 56 78 99', 'abc', '+999 123', '06 12 34 56 7a', '+33 6 12 34 56 78 ext 2', '0'.repeat(40)])('refuses %j', (raw) => {
    expect(normalizePhone(raw)).toBeNull();
  });

  it('reads a national number in the overseas territory first, then as French', () => {
    expect(normalizePhone('0692 12 34 56', ['RE'])).toBe('+262692123456');
    expect(normalizePhone('06 12 34 56 78', ['RE'])).toBe('+33612345678');
  });
});

describe('frenchTerritoryOf', () => {
  it.each([
    [{ country: 'FR', postalCode: '97400' }, 'RE'],
    [{ country: 'FR', postalCode: '97100' }, 'GP'],
    [{ country: 'FR', postalCode: '97600' }, 'YT'],
    [{ country: 're', postalCode: '97400' }, 'RE'],
    [{ country: 'FR', postalCode: '13001' }, null],
    [{ country: 'GB', postalCode: 'SW1A 1AA' }, null],
  ])('%j → %s', (a, t) => {
    expect(frenchTerritoryOf(a)).toBe(t);
  });
});

describe('checkPostalCode', () => {
  it.each([
    ['FR', '13001', '13001'],
    ['FR', '75005', '75005'],
    ['FR', '01000', '01000'],
    ['FR', '20000', '20000'], // Corse-du-Sud (Ajaccio)
    ['FR', '20200', '20200'], // Haute-Corse (Bastia)
    ['FR', '97110', '97110'], // Guadeloupe
    ['FR', '97200', '97200'], // Martinique
    ['FR', '97300', '97300'], // Guyane
    ['FR', '97400', '97400'], // La Réunion
    ['FR', '97600', '97600'], // Mayotte
    ['RE', '97490', '97490'],
    ['DE', '10115', '10115'],
    ['ES', '28001', '28001'],
    ['IT', '00184', '00184'],
    ['BE', '1000', '1000'],
    ['CH', '1201', '1201'],
    ['LU', '1009', '1009'],
    ['AT', '1010', '1010'],
    ['DK', '1050', '1050'],
    ['NO', '0150', '0150'],
    ['GB', 'SW1A 1AA', 'SW1A 1AA'],
    ['GB', 'sw1a1aa', 'SW1A1AA'],
    ['GB', 'M1 1AE', 'M1 1AE'],
    ['GB', 'EC1A  1BB', 'EC1A 1BB'],
    ['US', '20500', '20500'],
    ['US', '20500-0003', '20500-0003'],
    ['CA', 'K1A 0B1', 'K1A 0B1'],
    ['PT', '1000-001', '1000-001'],
    ['NL', '1012 AB', '1012 AB'],
    ['NL', '1012ab', '1012AB'],
    ['MA', '10000', '10000'],
    ['SN', '12500', '12500'],
    ['JP', '100-0001', '100-0001'],
    ['AR', 'C1002AAP', 'C1002AAP'], // other countries: 1–10 alnum/space/hyphen
    ['CI', '', ''], // no postcodes in Côte d'Ivoire
  ])('%s %j → %j', (country, raw, postalCode) => {
    expect(checkPostalCode(country, raw)).toEqual({ ok: true, postalCode });
  });

  it.each([
    ['FR', '1300'],
    ['FR', '130011'],
    ['FR', '00100'],
    ['FR', '96000'],
    ['FR', '2A000'],
    ['FR', 'ABCDE'],
    ['DE', '1011'],
    ['BE', '10000'],
    ['CH', '120'],
    ['GB', '12345'],
    ['GB', 'SW1A'],
    ['US', '2050'],
    ['US', '20500-03'],
    ['CA', 'D1A 0B1'],
    ['PT', '1000001'],
    ['NL', '0123 AB'],
    ['AR', 'C1002AAP-12345'],
    ['AR', '-123'],
    ['AR', '<script>'],
  ])('%s %j → postal_code_format', (country, raw) => {
    expect(checkPostalCode(country, raw)).toEqual({ ok: false, reason: 'postal_code_format' });
  });

  it.each(['FR', 'DE', 'GB', 'AR'])('requires a postcode in %s', (country) => {
    expect(checkPostalCode(country, '  ')).toEqual({ ok: false, reason: 'required' });
  });
});

describe('IdentityBody', () => {
  it('normalises a valid body (trim, E.164, upper-case country, lower-case e-mail domain)', () => {
    const r = validate(IdentityBody, {
      email: '  Elodie.Lefevre@Example.ORG ',
      phone: ' 06 12 34 56 78 ',
      address: { line1: ' 3 place Victor Hugo ', line2: '', postalCode: ' 13003 ', city: ' Marseille ', country: 'fr' },
    });
    expect(r).toEqual({
      ok: true,
      data: {
        email: 'Elodie.Lefevre@example.org',
        phone: '+33612345678',
        address: { line1: '3 place Victor Hugo', postalCode: '13003', city: 'Marseille', country: 'FR' },
      },
    });
  });

  it('accepts an international phone and a foreign term-time address', () => {
    const termAddress = { line1: '10 Downing Street', postalCode: 'sw1a 2aa', city: 'London', country: 'uk' };
    const r = validate(IdentityBody, body({ phone: '+44 20 7946 0958', termAddress }));
    expect(r.ok && r.data.phone).toBe('+442079460958');
    expect(r.ok && r.data.termAddress).toEqual({ line1: '10 Downing Street', postalCode: 'SW1A 2AA', city: 'London', country: 'GB' });
  });

  it('reads a Réunion mobile typed nationally with the Réunion plan', () => {
    const r = validate(IdentityBody, body({ phone: '0692 12 34 56', address: { ...address, postalCode: '97400', city: 'Saint-Denis' } }));
    expect(r.ok && r.data.phone).toBe('+262692123456');
  });

  it('treats a null term-time address as absent', () => {
    const r = validate(IdentityBody, body({ termAddress: null }));
    expect(r.ok && 'termAddress' in r.data && r.data.termAddress !== undefined).toBe(false);
  });

  it.each([
    [{ email: 'not-an-email' }, 'email', 'email_format'],
    [{ email: `${'a'.repeat(250)}@example.org` }, 'email', 'too_long'],
    [{ email: undefined }, 'email', 'required'],
    [{ email: 42 }, 'email', 'invalid_type'],
    [{ phone: '06 12 34' }, 'phone', 'phone_format'],
    [{ phone: 'call me' }, 'phone', 'phone_format'],
    [{ phone: '' }, 'phone', 'required'],
    [{ phone: '0'.repeat(100) }, 'phone', 'too_long'],
    [{ address: { ...address, country: 'XX' } }, 'address.country', 'country_code'],
    [{ address: { ...address, country: 'France' } }, 'address.country', 'country_code'],
    [{ address: { ...address, postalCode: '1300' } }, 'address.postalCode', 'postal_code_format'],
    [{ address: { ...address, postalCode: undefined } }, 'address.postalCode', 'required'],
    [{ address: { ...address, line1: '   ' } }, 'address.line1', 'required'],
    [{ address: { ...address, line1: 'x'.repeat(101) } }, 'address.line1', 'too_long'],
    [{ address: { ...address, line2: 'y'.repeat(101) } }, 'address.line2', 'too_long'],
    [{ address: { ...address, city: 'z'.repeat(61) } }, 'address.city', 'too_long'],
    [{ address: { ...address, city: 'x'.repeat(1_000_000) } }, 'address.city', 'too_long'],
    [{ address: { ...address, line1: '3 place\u0000Victor Hugo' } }, 'address.line1', 'control_characters'],
    [{ address: { ...address, line1: '3 place\nVictor Hugo' } }, 'address.line1', 'control_characters'],
    [{ address: { ...address, city: 'Marseille\u202Eelliesram' } }, 'address.city', 'control_characters'],
    [{ address: { ...address, city: 'Mar\uD800seille' } }, 'address.city', 'control_characters'], // lone surrogate
    [{ address: { ...address, line1: '<script>alert(1)</script>' } }, 'address.line1', 'forbidden_characters'],
    [{ address: 'somewhere' }, 'address', 'invalid_type'],
    [{ address: undefined }, 'address', 'required'],
    [{ termAddress: { ...address, postalCode: 'ABCDE' } }, 'termAddress.postalCode', 'postal_code_format'],
  ])('refuses %j: %s → %s', (over, path, code) => {
    const r = validate(IdentityBody, body(over as Record<string, unknown>));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.fields[path]).toBe(code);
  });

  it('reports every wrong field at once', () => {
    const r = validate(IdentityBody, { email: 'x', phone: '12', address: { line1: '', postalCode: '1', city: 'Aix', country: 'FR' } });
    expect(r).toEqual({
      ok: false,
      fields: { email: 'email_format', phone: 'phone_format', 'address.line1': 'required', 'address.postalCode': 'postal_code_format' },
    });
  });

  it('drops unknown keys, including __proto__ and constructor, without polluting prototypes', () => {
    const input = JSON.parse(`{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}},"email":"a@b.fr","phone":"0612345678","address":${JSON.stringify(address)},"isAdmin":true}`);
    const r = validate(IdentityBody, input);
    expect(r.ok).toBe(true);
    if (r.ok) expect(Object.keys(r.data).sort()).toEqual(['address', 'email', 'phone']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getPrototypeOf(r.ok ? r.data : {})).toBe(Object.prototype);
  });
});

describe('hasForbiddenCharacters', () => {
  it.each([
    ['Marseille', false, false],
    ['Saint-Étienne', false, false],
    ['Line\nbreak', false, true],
    ['Line\nbreak', true, false],
    ['Tab\tulation', true, false],
    ['Bell\u0007', true, true],
    ['Zero\u200Bwidth', false, true],
    ['Persian\u200Cjoiner', false, false],
  ])('%j (multiline %s) → %s', (s, multiline, forbidden) => {
    expect(hasForbiddenCharacters(s, multiline)).toBe(forbidden);
  });
});

describe('ISO_COUNTRIES', () => {
  it('holds the 249 assigned ISO 3166-1 alpha-2 codes plus XK', () => {
    expect(ISO_COUNTRIES.size).toBe(250);
    for (const c of ['FR', 'GB', 'RE', 'MA', 'US', 'XK']) expect(ISO_COUNTRIES.has(c)).toBe(true);
    expect(ISO_COUNTRIES.has('UK')).toBe(false);
  });
});
