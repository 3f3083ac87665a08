import { describe, expect, it } from 'vitest';
import { CVEC_VALID_STATES, Regime, Scholarship, campaignFirstYear, checkCvecFormat, cvecRequired, cvecSurnameKey, evaluateCertificate, normalizeCvec } from '../../functions/domain/cvec';

describe('cvecRequired', () => {
  it.each([
    ['formation_initiale', true],
    ['reprise_etudes_non_financee', true],
    ['apprentissage', true],
    ['ifsi', true],
    ['cpge', true],
    ['formation_continue', false],
    ['contrat_professionnalisation', false],
    ['echange_accueil', false],
  ] as const)('%s → %s', (regime, required) => {
    expect(cvecRequired(regime)).toBe(required);
  });

  it('covers every regime of the API', () => {
    expect(Regime.options).toHaveLength(8);
    expect(Scholarship.options).toEqual(['none', 'granted', 'pending']);
  });
});

describe('normalizeCvec', () => {
  it.each([
    ['aix6 abc 123', 'AIX6ABC123'],
    ['AIX6/ABC/123', 'AIX6ABC123'],
    ['  aix 6 / abc\t123  ', 'AIX6ABC123'],
    ['AIX6ABC123', 'AIX6ABC123'],
  ])('%j → %s', (raw, expected) => {
    expect(normalizeCvec(raw)).toBe(expected);
  });
});

describe('checkCvecFormat', () => {
  it.each([
    // [raw, campaign first year, expected]
    ['AIX6ABC123', 2026, { ok: true, number: 'AIX6ABC123' }], // 6 alphanumerics
    ['aix6 abc 1234567', 2026, { ok: true, number: 'AIX6ABC1234567' }], // 10 alphanumerics
    ['MAR6/123456', 2026, { ok: true, number: 'MAR6123456' }],
    ['NIC5ABCDEF', 2025, { ok: true, number: 'NIC5ABCDEF' }],
    ['PAR7ZZZZZZ', 2027, { ok: true, number: 'PAR7ZZZZZZ' }],
    ['PAR0ZZZZZZ', 2030, { ok: true, number: 'PAR0ZZZZZZ' }],
    ['AIX5ABC123', 2026, { ok: false, reason: 'cvec_wrong_campaign' }], // last year's certificate
    ['AIX7ABC123', 2026, { ok: false, reason: 'cvec_wrong_campaign' }],
    ['AIX6ABC12', 2026, { ok: false, reason: 'cvec_format' }], // 5 alphanumerics
    ['AIX6ABC12345678', 2026, { ok: false, reason: 'cvec_format' }], // 11 alphanumerics
    ['AI6ABC1234', 2026, { ok: false, reason: 'cvec_format' }], // 2 letters
    ['A1X6ABC123', 2026, { ok: false, reason: 'cvec_format' }],
    ['AIXXABC123', 2026, { ok: false, reason: 'cvec_format' }],
    ['AIX6ABC-123', 2026, { ok: false, reason: 'cvec_format' }],
    ['AIX6ABÇ123', 2026, { ok: false, reason: 'cvec_format' }],
    ['A'.repeat(10_000), 2026, { ok: false, reason: 'cvec_format' }],
    ['', 2026, { ok: false, reason: 'required' }],
    [' / ', 2026, { ok: false, reason: 'required' }],
  ] as const)('%j in campaign %i', (raw, year, expected) => {
    expect(checkCvecFormat(raw, year)).toEqual(expected);
  });
});

describe('campaignFirstYear', () => {
  it('reads the first year of an academic year', () => {
    expect(campaignFirstYear('2026-2027')).toBe(2026);
  });
  it.each(['2026-2028', '2026', 'abcd-efgh', '2026/2027'])('throws on %j', (y) => {
    expect(() => campaignFirstYear(y)).toThrow(RangeError);
  });
});

describe('cvecSurnameKey', () => {
  it.each([
    ['Lefèvre', 'LEFEV'],
    ['LEFEVRE', 'LEFEV'],
    ["N'Guessan", 'NGUES'],
    ['Le Gall', 'LEGAL'],
    ['Saint-Exupéry', 'SAINT'],
    ['Œuvrard', 'OEUVR'],
    ['Li', 'LI'],
    ['  çà ', 'CA'],
  ])('%j → %s', (name, key) => {
    expect(cvecSurnameKey(name)).toBe(key);
  });
});

describe('evaluateCertificate', () => {
  const student = { lastName: 'Lefèvre', firstNames: 'Élodie Marie', birthDate: '2005-03-21' };

  it.each(CVEC_VALID_STATES.map((s) => [s]))('accepts state %i', (state) => {
    expect(evaluateCertificate({ state, lastName: 'LEFEVRE' }, student)).toEqual({ ok: true, state });
  });

  it.each([[98], [0], [72], [74], [77], [99]])('refuses state %i', (state) => {
    expect(evaluateCertificate({ state, lastName: 'LEFEVRE' }, student)).toEqual({ ok: false, reason: 'cvec_state_invalid', state });
  });

  it.each([
    // [certificate lastName, birthDate, expected ok]
    ['LEFEVRE', undefined, true], // "Élodie Lefèvre" vs "LEFEVRE": accents and case ignored
    ['lefèvre', '2005-03-21', true],
    ['LEFEVRE-DUPONT', '21/03/2005', true], // first 5 letters; French date form
    ['Le Fèvre', undefined, true], // spaces ignored
    ['LEFEVRIER', undefined, true], // same first 5 letters (LEFEV): the national API cannot tell them apart either
    ['LEFEVRE', '2005-03-22', false], // birth date differs
    ['LEFEVRE', 'not a date', false],
    ['DUPONT', undefined, false],
    ['LEFEBVRE', undefined, false], // LEFEB ≠ LEFEV
    ['', undefined, false],
  ])('certificate %j born %s → match %s', (lastName, birthDate, ok) => {
    const cert = birthDate === undefined ? { state: 75, lastName } : { state: 75, lastName, birthDate };
    const r = evaluateCertificate(cert, student);
    expect(r.ok).toBe(ok);
    if (!ok) expect(r).toEqual({ ok: false, reason: 'cvec_mismatch' });
  });

  it('matches the usage name as well as the birth name', () => {
    const married = { lastName: 'Martin', usageName: "D'Artagnan", firstNames: 'Anne', birthDate: '2001-01-01' };
    expect(evaluateCertificate({ state: 73, lastName: 'DARTAGNAN' }, married)).toEqual({ ok: true, state: 73 });
    expect(evaluateCertificate({ state: 73, lastName: 'MARTIN' }, married)).toEqual({ ok: true, state: 73 });
    expect(evaluateCertificate({ state: 73, lastName: 'DURAND' }, married)).toEqual({ ok: false, reason: 'cvec_mismatch' });
  });

  it('reports a mismatch before the state (another person’s certificate reveals nothing)', () => {
    expect(evaluateCertificate({ state: 98, lastName: 'DUPONT' }, student)).toEqual({ ok: false, reason: 'cvec_mismatch' });
  });
});
