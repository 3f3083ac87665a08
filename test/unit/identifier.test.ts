import { describe, expect, it } from 'vitest';
import { normalizeIdentifier } from '../../functions/domain/identifier';

describe('normalizeIdentifier', () => {
  it.each([
    // [raw, expected value, expected kind]
    ['CAND12345678', 'M312345678', 'monmaster'],
    ['M312345678', 'M312345678', 'monmaster'],
    ['cand12345678', 'M312345678', 'monmaster'],
    ['m312345678', 'M312345678', 'monmaster'],
    ['  CAND 1234 5678  ', 'M312345678', 'monmaster'],
    ['C A N D 12345678', 'M312345678', 'monmaster'],
    ['\tcand\t1234\u00a05678\n', 'M312345678', 'monmaster'],
    ['P261234567', 'P261234567', 'parcoursup'],
    ['p26 123 45 67', 'P261234567', 'parcoursup'],
    ['12345678', '12345678', 'student_number'],
    [' 1234 5678 ', '12345678', 'student_number'],
    ['\t12345678\r\n', '12345678', 'student_number'],
  ] as const)('accepts %j as %s (%s)', (raw, value, kind) => {
    // Act
    const r = normalizeIdentifier(raw);
    // Assert
    expect(r).toEqual({ ok: true, value, kind });
  });

  it('gives the same account for both Mon Master spellings', () => {
    const a = normalizeIdentifier('CAND87654321');
    const b = normalizeIdentifier('M387654321');
    expect(a.ok && b.ok && a.value === b.value).toBe(true);
  });

  it.each([
    '',
    '   ',
    '1234567', // 7 digits
    '123456789', // 9 digits (not a Parcoursup login without P)
    '1234567A',
    'P26123456', // Parcoursup with 6 digits after the year
    'P2612345678', // too long
    'PA61234567',
    'CAND1234567', // 7 digits after CAND
    'CAND123456789',
    'M31234567',
    'M41234567',
    'XCAND12345678', // CAND only as a prefix
    '12345678CAND',
    'CANDM312345678',
    '1234-5678',
    '１２３４５６７８', // full-width digits
    'M3\u000012345678', // NUL is not whitespace
    '1'.repeat(10_000),
  ])('rejects %j', (raw) => {
    expect(normalizeIdentifier(raw)).toEqual({ ok: false, reason: 'identifier_format' });
  });

  it('rejects non-string input without throwing', () => {
    expect(normalizeIdentifier(undefined as unknown as string)).toEqual({ ok: false, reason: 'identifier_format' });
    expect(normalizeIdentifier(12345678 as unknown as string)).toEqual({ ok: false, reason: 'identifier_format' });
  });
});
