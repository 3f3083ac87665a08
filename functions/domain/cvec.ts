/**
 * CVEC (Contribution de vie étudiante et de campus) — SPEC step 4.
 *
 * - Which regimes must give a certificate number (paid or exempted).
 * - Normalisation and local format check of the certificate number.
 * - Evaluation of the certificate returned by the CVEC port (national control API in
 *   production): state code and civil-status match with the student.
 *
 * Pure: no I/O, safe to bundle in the student pages.
 */
import * as z from 'zod/mini';
import { requiredOr } from './schema-parts';

export const Regime = /* @__PURE__ */ z.enum(
  ['formation_initiale', 'reprise_etudes_non_financee', 'apprentissage', 'ifsi', 'cpge', 'formation_continue', 'contrat_professionnalisation', 'echange_accueil'],
  {
    error: /* @__PURE__ */ requiredOr('invalid_choice'),
  },
);
export type Regime = z.infer<typeof Regime>;

export const Scholarship = /* @__PURE__ */ z.enum(['none', 'granted', 'pending'], { error: /* @__PURE__ */ requiredOr('invalid_choice') });
export type Scholarship = z.infer<typeof Scholarship>;

/** Regimes for which the CVEC certificate number is mandatory (paid or exempted). */
export const CVEC_REQUIRED_REGIMES: readonly Regime[] = ['formation_initiale', 'reprise_etudes_non_financee', 'apprentissage', 'ifsi', 'cpge'];

/** Mandatory for the regimes of CVEC_REQUIRED_REGIMES; not asked otherwise (the pages' prose is tested against it: test/unit/cvec-prose.test.ts). */
export function cvecRequired(regime: Regime): boolean {
  return CVEC_REQUIRED_REGIMES.includes(regime);
}

/** Upper-case, drop whitespace and `/`. */
export function normalizeCvec(raw: string): string {
  return String(raw)
    .toUpperCase()
    .replace(/[\s/]+/g, '');
}

export type CvecFormatCheck = { ok: true; number: string } | { ok: false; reason: 'required' | 'cvec_format' | 'cvec_wrong_campaign' };

/** 3 letters (the CROUS) + 1 digit (campaign) + 6–10 alphanumerics. */
export const CVEC_SHAPE = /^[A-Z]{3}(\d)[A-Z0-9]{6,10}$/;

/** Longest raw input looked at. */
export const CVEC_MAX_RAW_LENGTH = 64;

/** The first calendar year of an academic year: "2026-2027" → 2026. */
export function campaignFirstYear(academicYear: string): number {
  const m = /^(\d{4})-(\d{4})$/.exec(academicYear);
  if (!m || Number(m[2]) !== Number(m[1]) + 1) throw new RangeError(`not an academic year: ${academicYear}`);
  return Number(m[1]);
}

/**
 * Normalises then checks the format of a certificate number for the campaign starting in
 * `campaignFirstYear` (its 4th character is that year's last digit: 6 for 2026-2027).
 */
export function checkCvecFormat(number: string, campaignFirstYear: number): CvecFormatCheck {
  if (typeof number !== 'string') return { ok: false, reason: 'required' };
  if (number.length > CVEC_MAX_RAW_LENGTH) return { ok: false, reason: 'cvec_format' };
  const n = normalizeCvec(number);
  if (n.length === 0) return { ok: false, reason: 'required' };
  const m = CVEC_SHAPE.exec(n);
  if (!m) return { ok: false, reason: 'cvec_format' };
  if (m[1] !== String(campaignFirstYear % 10)) return { ok: false, reason: 'cvec_wrong_campaign' };
  return { ok: true, number: n };
}

/** Certificate states accepted by the national CVEC control API. */
export const CVEC_VALID_STATES = [70, 71, 73, 75, 76] as const;
/** The state by which the national CVEC API says the student holds a CROUS scholarship: proof of a declared granted scholarship. */
export const CVEC_SCHOLARSHIP_HOLDER_STATE = 71;
export type CvecValidState = (typeof CVEC_VALID_STATES)[number];

/** Known state codes, for operators' screens and logs (98 refunded and others are refused). */
export const CVEC_STATE_LABELS: Readonly<Record<number, { fr: string; en: string }>> = /* @__PURE__ */ Object.freeze({
  70: { fr: 'valide', en: 'valid' },
  71: { fr: 'boursier', en: 'scholarship holder' },
  73: { fr: 'exonéré', en: 'exempt' },
  75: { fr: 'acquitté', en: 'paid' },
  76: { fr: 'acquitté par un tiers', en: 'paid by a third party' },
  98: { fr: 'remboursé', en: 'refunded' },
});

export function isValidCvecState(state: number): state is CvecValidState {
  return (CVEC_VALID_STATES as readonly number[]).includes(state);
}

/**
 * Accent-, case-, space-, hyphen- and apostrophe-insensitive form of a name: letters A–Z only
 * (ligatures Œ, Æ, ß expanded; diacritics removed).
 */
export function normalizeName(name: string): string {
  return String(name)
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toUpperCase()
    .replace(/Œ/g, 'OE')
    .replace(/Æ/g, 'AE')
    .replace(/ß|ẞ/g, 'SS')
    .replace(/Ø/g, 'O')
    .replace(/Ł/g, 'L')
    .replace(/Đ/g, 'D')
    .replace(/[^A-Z]/g, '');
}

/** How many letters of the surname the national API takes as its key. */
const CVEC_SURNAME_KEY_LETTERS = 5;

/** The national API's surname key: the first CVEC_SURNAME_KEY_LETTERS letters of the normalised surname. */
export function cvecSurnameKey(name: string): string {
  return normalizeName(name).slice(0, CVEC_SURNAME_KEY_LETTERS);
}

/** `YYYY-MM-DD` from `YYYY-MM-DD`, an ISO date-time, or `DD/MM/YYYY`; null otherwise. */
function isoDay(value: string): string | null {
  const s = String(value).trim();
  let m = /^(\d{4})-(\d{2})-(\d{2})(?:$|T)/.exec(s);
  if (m) return `${m[1]}-${m[2]}-${m[3]}`;
  m = /^(\d{2})\/(\d{2})\/(\d{4})$/.exec(s);
  if (m) return `${m[3]}-${m[2]}-${m[1]}`;
  return null;
}

export interface CvecCertificate {
  state: number;
  lastName: string;
  firstName?: string;
  birthDate?: string;
}

export interface CvecStudent {
  /** Birth name. */
  lastName: string;
  usageName?: string;
  firstNames: string;
  birthDate: string;
}

export type CertificateEvaluation = { ok: true; state: CvecValidState } | { ok: false; reason: 'cvec_state_invalid'; state: number } | { ok: false; reason: 'cvec_mismatch' };

/** True when the certificate's civil status is the student's (surname key; birth date when given). */
export function certificateMatchesStudent(cert: CvecCertificate, student: CvecStudent): boolean {
  const certKey = cvecSurnameKey(cert.lastName ?? '');
  if (certKey.length === 0) return false;
  const keys = [student.lastName, student.usageName].filter((n): n is string => typeof n === 'string' && n.trim().length > 0).map(cvecSurnameKey);
  if (!keys.includes(certKey)) return false;
  if (cert.birthDate !== undefined && cert.birthDate !== null && String(cert.birthDate).trim() !== '') {
    const a = isoDay(cert.birthDate);
    const b = isoDay(student.birthDate);
    if (a === null || b === null || a !== b) return false;
  }
  return true;
}

/**
 * Civil status first (a certificate of someone else reveals nothing about its state), then
 * the state: those of CVEC_VALID_STATES accepted; any other (98: refunded) refused.
 */
export function evaluateCertificate(cert: CvecCertificate, student: CvecStudent): CertificateEvaluation {
  if (!certificateMatchesStudent(cert, student)) return { ok: false, reason: 'cvec_mismatch' };
  if (!isValidCvecState(cert.state)) return { ok: false, reason: 'cvec_state_invalid', state: cert.state };
  return { ok: true, state: cert.state };
}
