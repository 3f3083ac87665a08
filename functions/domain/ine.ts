/**
 * INE (Identifiant National Étudiant) checks — SPEC step 2.
 *
 * Input is normalised first: trim, upper-case, drop every inner whitespace character. An INE is
 * then 11 characters of `[0-9A-Z]`, in one of five formats:
 *
 * | format        | shape                          | local check                                      |
 * |---------------|--------------------------------|--------------------------------------------------|
 * | `sifa`        | 4 digits + `A` + 5 digits + L  | format only (L ∈ KEY_LETTERS: no I, O, Q)         |
 * | `provisional` | 4 digits + `D` + 5 digits + L  | format only (L ∈ KEY_LETTERS: no I, O, Q)         |
 * | `bea`         | 10 digits + key letter         | key = KEY_LETTERS[n mod 23]; not 10 identical digits; key never I, O, Q |
 * | `ines`        | 9 digits + 2 letters           | format only; `needsRemoteCheck` (INE verification port) |
 * | `base36`      | 10 × `[0-9A-Z]` + key digit    | key = last digit of 6 × Σ b36(c1..c9) + b36(c10); not all letters, not 10 identical digits |
 *
 * Precedence (deterministic): the formats above are tried in the table's order — SIFA,
 * provisional, BEA, INES, then BASE36. They are in fact disjoint: BASE36 is the only format
 * ending with a digit, and among those ending with a letter, position 5 (a letter `A`/`D` for
 * SIFA/provisional) and position 10 (a digit for BEA, a letter for INES) tell them apart. So a
 * SIFA or provisional INE is never mistaken for a bad BASE36 one, and the order only decides
 * which format an *invalid* string is reported against. Any 11-character string ending with a
 * digit is reported as BASE36 (e.g. a mistyped key), one ending with a letter and matching no
 * shape as `ine_unknown_format`.
 *
 * Pure: no I/O, safe to bundle in the student pages.
 */
import type { FieldCode } from './messages/fields';

export type IneFormat = 'bea' | 'base36' | 'ines' | 'sifa' | 'provisional';

export type IneReason = 'ine_required' | 'ine_characters' | 'ine_length' | 'ine_unknown_format' | 'ine_bad_key' | 'ine_identical_digits' | 'ine_forbidden_key_letter' | 'ine_all_letters';

export type IneCheck =
  | { ok: true; ine: string; format: IneFormat; needsRemoteCheck: boolean }
  | {
      ok: false;
      format: IneFormat | null;
      reason: IneReason;
      /**
       * The reason code to report in `fields.ine` (messages/fields.ts): the reason qualified by
       * the recognised format, e.g. `ine_bea_bad_key`, so the message says which format was
       * recognised; equal to `reason` when no format was recognised.
       */
      code: FieldCode;
    };

/** The 23 key letters (A–Z without I, O, Q), indexed by the remainder mod 23. */
export const KEY_LETTERS = 'ABCDEFGHJKLMNPRSTUVWXYZ';

/** Letters a key can never be. */
export const FORBIDDEN_KEY_LETTERS = 'IOQ';

const SIFA_SHAPE = /^\d{4}A\d{5}[A-Z]$/;
const PROVISIONAL_SHAPE = /^\d{4}D\d{5}[A-Z]$/;
const BEA_SHAPE = /^\d{10}[A-Z]$/;
const INES_SHAPE = /^\d{9}[A-Z]{2}$/;
const BASE36_SHAPE = /^[0-9A-Z]{10}\d$/;

/** Longest raw input looked at (an INE typed with generous spacing is far shorter). */
export const INE_MAX_RAW_LENGTH = 64;

/** Trim, upper-case, drop inner whitespace. */
export function normalizeIne(raw: string): string {
  return String(raw).trim().toUpperCase().replace(/\s+/g, '');
}

/** Remainder mod 23 of a decimal digit string (digit by digit: exact for any length). */
function mod23(digits: string): number {
  let r = 0;
  for (const ch of digits) r = (r * 10 + (ch.charCodeAt(0) - 48)) % 23;
  return r;
}

/** Key letter of a BEA / provisional number: KEY_LETTERS[n mod 23]. */
export function beaKey(digits: string): string {
  if (!/^\d+$/.test(digits)) throw new RangeError('beaKey expects digits');
  return KEY_LETTERS[mod23(digits)]!;
}

/** Value of one `[0-9A-Z]` character in base 36 (0–9 → 0–9, A → 10 … Z → 35). */
function base36(ch: string): number {
  return parseInt(ch, 36);
}

/** Key digit of an INE-BASE: last digit of 6 × Σ base36(chars 1–9) + base36(char 10). */
export function base36Key(chars10: string): string {
  if (!/^[0-9A-Z]{10}$/.test(chars10)) throw new RangeError('base36Key expects 10 characters of [0-9A-Z]');
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += base36(chars10[i]!);
  return String((6 * sum + base36(chars10[9]!)) % 10);
}

function fail(format: IneFormat | null, reason: IneReason): IneCheck {
  // Every format-qualified code has its message: checked by "covers the codes produced by the modules themselves" in test/unit/schemas.test.ts.
  const code = (format ? reason.replace(/^ine_/, `ine_${format}_`) : reason) as FieldCode;
  return { ok: false, format, reason, code };
}

function identicalDigits(s: string): boolean {
  return /^(\d)\1*$/.test(s);
}

function keyLetterFormat(ine: string, format: 'sifa' | 'provisional'): IneCheck {
  const key = ine[10]!;
  if (FORBIDDEN_KEY_LETTERS.includes(key)) return fail(format, 'ine_forbidden_key_letter');
  return { ok: true, ine, format, needsRemoteCheck: false };
}

export function checkIne(raw: string): IneCheck {
  if (typeof raw !== 'string') return fail(null, 'ine_required');
  if (raw.length > INE_MAX_RAW_LENGTH) return fail(null, 'ine_length');
  const ine = normalizeIne(raw);
  if (ine.length === 0) return fail(null, 'ine_required');
  if (!/^[0-9A-Z]+$/.test(ine)) return fail(null, 'ine_characters');
  if (ine.length !== 11) return fail(null, 'ine_length');

  if (SIFA_SHAPE.test(ine)) return keyLetterFormat(ine, 'sifa');
  if (PROVISIONAL_SHAPE.test(ine)) return keyLetterFormat(ine, 'provisional');

  if (BEA_SHAPE.test(ine)) {
    const digits = ine.slice(0, 10);
    const key = ine[10]!;
    if (identicalDigits(digits)) return fail('bea', 'ine_identical_digits');
    if (FORBIDDEN_KEY_LETTERS.includes(key)) return fail('bea', 'ine_forbidden_key_letter');
    if (beaKey(digits) !== key) return fail('bea', 'ine_bad_key');
    return { ok: true, ine, format: 'bea', needsRemoteCheck: false };
  }

  if (INES_SHAPE.test(ine)) return { ok: true, ine, format: 'ines', needsRemoteCheck: true };

  if (BASE36_SHAPE.test(ine)) {
    const body = ine.slice(0, 10);
    if (/^[A-Z]{10}$/.test(body)) return fail('base36', 'ine_all_letters');
    if (identicalDigits(body)) return fail('base36', 'ine_identical_digits');
    if (base36Key(body) !== ine[10]) return fail('base36', 'ine_bad_key');
    return { ok: true, ine, format: 'base36', needsRemoteCheck: false };
  }

  return fail(null, 'ine_unknown_format');
}

/** Five digits: the most provisional INEs one académie can hand out in a year. */
export const PROVISIONAL_INE_MAX_SEQUENCE = 99_999;

/**
 * A provisional INE: académie code (2 digits) + 2-digit year + `D` + 5-digit zero-padded
 * sequence + key letter KEY_LETTERS[(9-digit number code+year+sequence) mod 23].
 * Throws a RangeError on out-of-range input. The result passes `checkIne` as `provisional`.
 */
export function provisionalIne(academieCode: string, year2: string, sequence: number): string {
  if (typeof academieCode !== 'string' || !/^\d{2}$/.test(academieCode)) {
    throw new RangeError('provisionalIne: académie code must be 2 digits');
  }
  if (typeof year2 !== 'string' || !/^\d{2}$/.test(year2)) {
    throw new RangeError('provisionalIne: year must be 2 digits');
  }
  if (!Number.isInteger(sequence) || sequence < 1 || sequence > PROVISIONAL_INE_MAX_SEQUENCE) {
    throw new RangeError('provisionalIne: sequence must be an integer in 1..99999');
  }
  const seq = String(sequence).padStart(5, '0');
  return `${academieCode}${year2}D${seq}${beaKey(`${academieCode}${year2}${seq}`)}`;
}

/** "I have no INE" is accepted only with no French baccalauréat AND never enrolled in a French university. */
export function ineDeclarationAllowsNoIne(d: { noFrenchBac: boolean; neverEnrolledInFrenchUniversity: boolean }): boolean {
  return d.noFrenchBac === true && d.neverEnrolledInFrenchUniversity === true;
}
