/**
 * Login identifiers (SPEC "Login identifier").
 *
 * Accepted, after trimming, upper-casing and dropping every inner whitespace character:
 *   - student number: 8 digits                       (`12345678`)
 *   - Parcoursup login: `P` + 2-digit year + 7 digits (`P261234567`)
 *   - Mon Master login: `M3` + 8 digits              (`M312345678`); the `CAND` prefix used by
 *     the Mon Master platform is replaced by `M3` (CANDxxxxxxxx ⇒ M3xxxxxxxx), so both
 *     spellings reach the same account.
 *
 * Pure: no I/O, safe to bundle in the student pages.
 */

export type IdentifierKind = 'student_number' | 'parcoursup' | 'monmaster';

export type IdentifierResult = { ok: true; value: string; kind: IdentifierKind } | { ok: false; reason: 'identifier_format' };

/** Longest raw input looked at; anything longer cannot be an identifier. */
export const IDENTIFIER_MAX_RAW_LENGTH = 64;

const STUDENT_NUMBER = /^\d{8}$/;
const PARCOURSUP = /^P\d{2}\d{7}$/;
const MONMASTER = /^M3\d{8}$/;

export function normalizeIdentifier(raw: string): IdentifierResult {
  if (typeof raw !== 'string' || raw.length > IDENTIFIER_MAX_RAW_LENGTH) return { ok: false, reason: 'identifier_format' };
  let value = raw.trim().toUpperCase().replace(/\s+/g, '');
  if (value.startsWith('CAND')) value = `M3${value.slice(4)}`;
  if (STUDENT_NUMBER.test(value)) return { ok: true, value, kind: 'student_number' };
  if (PARCOURSUP.test(value)) return { ok: true, value, kind: 'parcoursup' };
  if (MONMASTER.test(value)) return { ok: true, value, kind: 'monmaster' };
  return { ok: false, reason: 'identifier_format' };
}
