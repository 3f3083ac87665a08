import { describe, expect, it } from 'vitest';
import { KEY_LETTERS, checkIne, ineDeclarationAllowsNoIne, provisionalIne } from '../../functions/domain/ine';

/*
 * Hand-computed vectors (not produced by the code under test).
 *
 * Key letters, indexed by remainder mod 23 (no I, O, Q):
 *   A0 B1 C2 D3 E4 F5 G6 H7 J8 K9 L10 M11 N12 P13 R14 S15 T16 U17 V18 W19 X20 Y21 Z22
 *
 * INE-BEA (10 digits + KEY_LETTERS[n mod 23]):
 *   1234567890: 23 × 53 676 864 = 1 234 567 872, remainder 18 → V   ⇒ 1234567890V
 *   0123456789: 23 × 5 367 686 = 123 456 778, remainder 11 → M      ⇒ 0123456789M
 *   0000000001: remainder 1 → B                                       ⇒ 0000000001B
 *   0000000008: remainder 8 → J (the letter after H: I is skipped)   ⇒ 0000000008J
 *   0000000013: remainder 13 → P (O is skipped)                       ⇒ 0000000013P
 *   0000000022: remainder 22 → Z                                      ⇒ 0000000022Z
 *
 * INE-BASE (10 × [0-9A-Z] + last digit of 6 × Σ b36(c1..c9) + b36(c10)), b36(A)=10 … b36(Z)=35:
 *   0123456789: Σ(0..8) = 36; 6 × 36 = 216; + 9 = 225 → 5                         ⇒ 01234567895
 *   12345ABCDE: 1+2+3+4+5 + A10+B11+C12+D13 = 61; 6 × 61 = 366; + E14 = 380 → 0     ⇒ 12345ABCDE0
 *   A1B2C3D4E5: (10+11+12+13+14) + (1+2+3+4) = 70; 6 × 70 = 420; + 5 = 425 → 5      ⇒ A1B2C3D4E55
 *   ZZZZZZZZZ1: 9 × 35 = 315; 6 × 315 = 1890; + 1 = 1891 → 1                         ⇒ ZZZZZZZZZ11
 *   2222222222: 9 × 2 = 18; 6 × 18 = 108; + 2 = 110 → 0 (key right, but 10 identical digits) ⇒ 22222222220
 *
 * Provisional (académie + year + D + 5-digit sequence + KEY_LETTERS[9-digit number mod 23]):
 *   02 26 00001: 22 600 001 = 23 × 982 608 + 17 → U    ⇒ 0226D00001U
 *   02 26 12345: 22 612 345 = 23 × 983 145 + 10 → L    ⇒ 0226D12345L
 *   13 25 99999: 132 599 999 = 23 × 5 765 217 + 8 → J  ⇒ 1325D99999J
 */

describe('KEY_LETTERS', () => {
  it('has the 23 letters A–Z without I, O, Q', () => {
    expect(KEY_LETTERS).toHaveLength(23);
    expect(KEY_LETTERS).not.toMatch(/[IOQ]/);
  });
});

describe('checkIne — valid INEs of every format', () => {
  it.each([
    // [raw, normalised, format, needsRemoteCheck]
    ['1234567890V', '1234567890V', 'bea', false],
    ['0123456789M', '0123456789M', 'bea', false],
    ['0000000001B', '0000000001B', 'bea', false],
    ['0000000008J', '0000000008J', 'bea', false],
    ['0000000013P', '0000000013P', 'bea', false],
    ['0000000022Z', '0000000022Z', 'bea', false],
    ['1234567890v', '1234567890V', 'bea', false], // lower case
    ['  12 34 56 78 90 V ', '1234567890V', 'bea', false], // spaces
    ['\t1234567890V\n', '1234567890V', 'bea', false],
    ['01234567895', '01234567895', 'base36', false],
    ['12345ABCDE0', '12345ABCDE0', 'base36', false],
    ['12345abcde0', '12345ABCDE0', 'base36', false],
    ['A1B2C3D4E55', 'A1B2C3D4E55', 'base36', false],
    ['a1b2 c3d4 e55', 'A1B2C3D4E55', 'base36', false],
    ['ZZZZZZZZZ11', 'ZZZZZZZZZ11', 'base36', false],
    ['123456789AB', '123456789AB', 'ines', true],
    ['123456789ab', '123456789AB', 'ines', true],
    ['1234A12345B', '1234A12345B', 'sifa', false],
    ['1234a12345z', '1234A12345Z', 'sifa', false],
    ['0226D00001U', '0226D00001U', 'provisional', false],
    ['0226 d 00001 u', '0226D00001U', 'provisional', false],
  ] as const)('%j → %s (%s)', (raw, ine, format, needsRemoteCheck) => {
    expect(checkIne(raw)).toEqual({ ok: true, ine, format, needsRemoteCheck });
  });

  it('recognises SIFA/provisional shapes as such, even though 10 base36 chars precede the last one', () => {
    // 1234A12345 would be a BASE36 body; the last char is a letter, so it is SIFA, not a bad BASE36.
    expect(checkIne('1234A12345K')).toMatchObject({ ok: true, format: 'sifa' });
    expect(checkIne('9999D99999A')).toMatchObject({ ok: true, format: 'provisional' });
  });
});

describe('checkIne — refusals', () => {
  it.each([
    // [raw, format, reason, code]
    ['1234567890W', 'bea', 'ine_bad_key', 'ine_bea_bad_key'], // key is V
    ['0123456789N', 'bea', 'ine_bad_key', 'ine_bea_bad_key'], // key is M
    ['1111111111B', 'bea', 'ine_identical_digits', 'ine_bea_identical_digits'],
    ['0000000000A', 'bea', 'ine_identical_digits', 'ine_bea_identical_digits'], // 0 mod 23 = A, still refused
    ['1234567890I', 'bea', 'ine_forbidden_key_letter', 'ine_bea_forbidden_key_letter'],
    ['1234567890O', 'bea', 'ine_forbidden_key_letter', 'ine_bea_forbidden_key_letter'],
    ['1234567890q', 'bea', 'ine_forbidden_key_letter', 'ine_bea_forbidden_key_letter'],
    ['01234567894', 'base36', 'ine_bad_key', 'ine_base36_bad_key'], // key is 5
    ['12345ABCDE1', 'base36', 'ine_bad_key', 'ine_base36_bad_key'], // key is 0
    ['22222222220', 'base36', 'ine_identical_digits', 'ine_base36_identical_digits'],
    ['ABCDEFGHJK5', 'base36', 'ine_all_letters', 'ine_base36_all_letters'],
    ['1234A12345I', 'sifa', 'ine_forbidden_key_letter', 'ine_sifa_forbidden_key_letter'],
    ['1234A12345O', 'sifa', 'ine_forbidden_key_letter', 'ine_sifa_forbidden_key_letter'],
    ['0226D00001Q', 'provisional', 'ine_forbidden_key_letter', 'ine_provisional_forbidden_key_letter'],
    ['', null, 'ine_required', 'ine_required'],
    ['   ', null, 'ine_required', 'ine_required'],
    ['1234567890', null, 'ine_length', 'ine_length'],
    ['1234567890VV', null, 'ine_length', 'ine_length'],
    ['1'.repeat(100_000), null, 'ine_length', 'ine_length'],
    ['1234567890-V', null, 'ine_characters', 'ine_characters'],
    ['123456789é0', null, 'ine_characters', 'ine_characters'],
    ['1234567890\u0000', null, 'ine_characters', 'ine_characters'],
    ['ABCDEFGHJKL', null, 'ine_unknown_format', 'ine_unknown_format'], // ends with a letter, no shape
    ['12345678ABC', null, 'ine_unknown_format', 'ine_unknown_format'],
  ] as const)('%j → %s', (raw, format, reason, code) => {
    expect(checkIne(raw)).toEqual({ ok: false, format, reason, code });
  });

  it('does not throw on non-string input', () => {
    expect(checkIne(undefined as unknown as string)).toMatchObject({ ok: false, reason: 'ine_required' });
  });
});

describe('provisionalIne', () => {
  it.each([
    ['02', '26', 1, '0226D00001U'],
    ['02', '26', 12345, '0226D12345L'],
    ['13', '25', 99999, '1325D99999J'],
  ] as const)('(%s, %s, %i) = %s', (code, year, seq, expected) => {
    expect(provisionalIne(code, year, seq)).toBe(expected);
  });

  it.each([1, 2, 17, 999, 54321, 99999])('round-trips through checkIne as provisional (sequence %i)', (seq) => {
    const ine = provisionalIne('02', '26', seq);
    expect(checkIne(ine)).toEqual({ ok: true, ine, format: 'provisional', needsRemoteCheck: false });
  });

  it.each([
    ['02', '26', 0],
    ['02', '26', 100_000],
    ['02', '26', 1.5],
    ['02', '26', Number.NaN],
    ['02', '26', -1],
    ['2', '26', 1],
    ['002', '26', 1],
    ['2A', '26', 1],
    ['02', '6', 1],
    ['02', '2026', 1],
    ['02', 'AB', 1],
  ] as const)('throws on (%j, %j, %s)', (code, year, seq) => {
    expect(() => provisionalIne(code, year, seq)).toThrow(RangeError);
  });
});

describe('ineDeclarationAllowsNoIne', () => {
  it.each([
    [true, true, true],
    [true, false, false],
    [false, true, false],
    [false, false, false],
  ])('noFrenchBac=%s, neverEnrolled=%s → %s', (noFrenchBac, neverEnrolledInFrenchUniversity, expected) => {
    expect(ineDeclarationAllowsNoIne({ noFrenchBac, neverEnrolledInFrenchUniversity })).toBe(expected);
  });
});
