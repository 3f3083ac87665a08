/**
 * Request-body contracts (API.md), shared by the handlers and the student pages.
 *
 * Every custom error is a reason code of messages/fields.ts; zod's built-in issues are mapped
 * to codes by validate.ts. Objects strip unknown keys (zod's default): the parsed value is a
 * fresh object holding only the declared keys, so `__proto__`, `constructor` or `prototype`
 * sent by a client never reach the handlers (nor any prototype).
 *
 * Pure: no I/O, safe to bundle in the student pages. "Now" is a parameter of the factories
 * (`loginBody(now)`, `birthDate(now)`); the default exports use the clock at parse time.
 */
import * as z from 'zod/mini';
import { preprocess, requiredOr } from './schema-parts';
import { IDENTIFIER_MAX_RAW_LENGTH, normalizeIdentifier } from './identifier';
import { CVEC_MAX_RAW_LENGTH, CVEC_SHAPE, Regime, Scholarship, normalizeCvec, checkCvecFormat } from './cvec';
import { checkIne, INE_MAX_RAW_LENGTH, type IneFormat } from './ine';
import { EmailAddress, text } from './text';
import type { FieldCode } from './messages/fields';

export type Clock = () => Date;
const systemClock: Clock = () => new Date();

// ---------------------------------------------------------------------------------------------
// Building blocks

/** A login identifier, normalised (CAND → M3, upper case, no spaces). */
export const Identifier = /* @__PURE__ */ z.lazy(() =>
  z.pipe(
    z.string({ error: requiredOr('invalid_type') }).check(z.maxLength(IDENTIFIER_MAX_RAW_LENGTH, { error: 'identifier_format' satisfies FieldCode })),
    z.transform((raw: string, ctx) => {
      if (raw.trim() === '') {
        ctx.issues.push({ code: 'custom', message: 'required' satisfies FieldCode, input: raw });
        return z.NEVER;
      }
      const r = normalizeIdentifier(raw);
      if (!r.ok) {
        ctx.issues.push({ code: 'custom', message: r.reason, input: raw });
        return z.NEVER;
      }
      return r.value;
    }),
  ),
);

const ISO_DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
const FR_DAY = /^(\d{2})\/(\d{2})\/(\d{4})$/;

/** True when y-m-d is a real Gregorian calendar day. */
export function isCalendarDate(y: number, m: number, d: number): boolean {
  if (!Number.isInteger(y) || !Number.isInteger(m) || !Number.isInteger(d) || m < 1 || m > 12 || d < 1) return false;
  const dt = new Date(Date.UTC(2000, m - 1, d));
  dt.setUTCFullYear(y);
  return dt.getUTCFullYear() === y && dt.getUTCMonth() === m - 1 && dt.getUTCDate() === d;
}

/** The latest calendar day anywhere on Earth at `now` (UTC+14), as YYYY-MM-DD. */
function latestTodayIso(now: Date): string {
  return new Date(now.getTime() + 14 * 3600_000).toISOString().slice(0, 10);
}

export interface BirthDateOptions {
  now?: Clock;
  /** Also accept `DD/MM/YYYY` (spreadsheet exports), normalised to `YYYY-MM-DD`. @default false */
  acceptFrench?: boolean;
}

/**
 * A birth date `YYYY-MM-DD`: a real calendar date, year ≥ 1900, not in the future.
 * Reasons: `required`, `date_format`, `date_invalid`, `date_too_old`, `date_in_future`.
 */
export function birthDate(opts: BirthDateOptions = {}) {
  const now = opts.now ?? systemClock;
  return z.pipe(
    z.string({ error: requiredOr('invalid_type') }).check(z.maxLength(32, { error: 'date_format' satisfies FieldCode })),
    z.transform((raw: string, ctx) => {
      const s = raw.trim();
      if (s === '') {
        ctx.issues.push({ code: 'custom', message: 'required' satisfies FieldCode, input: raw });
        return z.NEVER;
      }
      let y: string, m: string, d: string;
      const iso = ISO_DAY.exec(s);
      const fr = opts.acceptFrench ? FR_DAY.exec(s) : null;
      if (iso) [, y, m, d] = iso as unknown as [string, string, string, string];
      else if (fr) [, d, m, y] = fr as unknown as [string, string, string, string];
      else {
        ctx.issues.push({ code: 'custom', message: 'date_format' satisfies FieldCode, input: raw });
        return z.NEVER;
      }
      if (!isCalendarDate(Number(y), Number(m), Number(d))) {
        ctx.issues.push({ code: 'custom', message: 'date_invalid' satisfies FieldCode, input: raw });
        return z.NEVER;
      }
      const value = `${y}-${m}-${d}`;
      if (Number(y) < 1900) {
        ctx.issues.push({ code: 'custom', message: 'date_too_old' satisfies FieldCode, input: raw });
        return z.NEVER;
      }
      if (value > latestTodayIso(now())) {
        ctx.issues.push({ code: 'custom', message: 'date_in_future' satisfies FieldCode, input: raw });
        return z.NEVER;
      }
      return value;
    }),
  );
}

/** `YYYY-YYYY` with consecutive years, e.g. `2026-2027`. */
export const AcademicYear = /* @__PURE__ */ z.lazy(() =>
  z.string({ error: requiredOr('invalid_type') }).check(
    z.trim(),
    z.regex(/^\d{4}-\d{4}$/, { error: 'academic_year_format' satisfies FieldCode }),
    z.refine((s) => Number(s.slice(5, 9)) === Number(s.slice(0, 4)) + 1, { error: 'academic_year_format' satisfies FieldCode }),
  ),
);

/** A programme code of the catalogue's shape (upper-cased): letters, digits, hyphens. */
export const ProgrammeCode = /* @__PURE__ */ z.lazy(() =>
  z
    .pipe(
      z.string({ error: requiredOr('invalid_type') }).check(z.trim(), z.minLength(1, { error: 'required' satisfies FieldCode }), z.maxLength(32, { error: 'too_long' satisfies FieldCode })),
      z.transform((s: string) => s.toUpperCase()),
    )
    .check(z.refine((s) => /^[A-Z0-9][A-Z0-9_-]*$/.test(s), { error: 'programme_code_format' satisfies FieldCode })),
);

/** A person's name: letters (any script), marks, spaces, hyphens, apostrophes, dots. */
const NAME = /^[\p{L}\p{M}][\p{L}\p{M} '’.-]*$/u;
export function personName(max = 100) {
  return text(max).check(z.refine((s) => NAME.test(s), { error: 'name_characters' satisfies FieldCode }));
}

function optionalPersonName(max = 100) {
  return preprocess((v) => (v === null || (typeof v === 'string' && v.trim() === '') ? undefined : v), z.optional(personName(max)));
}

// ---------------------------------------------------------------------------------------------
// Public

export function loginBody(now: Clock = systemClock) {
  return z.object({ identifier: Identifier, birthDate: birthDate({ now }) });
}
/** POST /api/session */
export const LoginBody = /* @__PURE__ */ z.lazy(() => loginBody());
export type LoginBody = z.infer<typeof LoginBody>;

/** POST /api/support. The identifier is normalised when it has a known form, kept as typed otherwise (the student may be stuck on it). */
export const SupportBody = /* @__PURE__ */ z.lazy(() =>
  z.object({
    identifier: z.pipe(
      text(64),
      z.transform((s: string) => {
        const r = normalizeIdentifier(s);
        return r.ok ? r.value : s;
      }),
    ),
    lastName: personName(100),
    firstName: personName(100),
    programme: text(200),
    email: EmailAddress,
    message: text(4000, { multiline: true }),
  }),
);
export type SupportBody = z.infer<typeof SupportBody>;

// ---------------------------------------------------------------------------------------------
// Student steps

// PUT /api/dossier/identity: IdentityBody in ./contacts.ts (with libphonenumber, which only that
// step loads).

/**
 * PUT /api/dossier/ine: `{ine}` or `{noIne:true, noFrenchBac, neverEnrolledInFrenchUniversity}`.
 * Shape only: the handler checks the INE with `checkIne` (422 INE_INVALID with `fields.ine =
 * result.code`) and the declaration with `ineDeclarationAllowsNoIne`. `IneValue` below does the
 * full check for the pages.
 */
export const IneBody = /* @__PURE__ */ z.lazy(() =>
  z.discriminatedUnion(
    'noIne',
    [
      z.object({
        noIne: z.optional(z.literal(false, { error: requiredOr('invalid_choice') })),
        ine: z
          .string({ error: requiredOr('invalid_type') })
          .check(z.trim(), z.minLength(1, { error: 'ine_required' satisfies FieldCode }), z.maxLength(INE_MAX_RAW_LENGTH, { error: 'ine_length' satisfies FieldCode })),
      }),
      z.object({
        noIne: z.literal(true, { error: requiredOr('invalid_choice') }),
        noFrenchBac: z.boolean({ error: requiredOr('invalid_type') }),
        neverEnrolledInFrenchUniversity: z.boolean({ error: requiredOr('invalid_type') }),
      }),
    ],
    { error: requiredOr('invalid_choice') },
  ),
);
export type IneBody = z.infer<typeof IneBody>;

/** A fully checked INE (format and local key), e.g. for live checking in the pages. */
export const IneValue = /* @__PURE__ */ z.lazy(() =>
  z.pipe(
    z.string({ error: requiredOr('invalid_type') }),
    z.transform((raw: string, ctx): { ine: string; format: IneFormat; needsRemoteCheck: boolean } => {
      const r = checkIne(raw);
      if (!r.ok) {
        ctx.issues.push({ code: 'custom', message: r.code, input: raw });
        return z.NEVER;
      }
      return { ine: r.ine, format: r.format, needsRemoteCheck: r.needsRemoteCheck };
    }),
  ),
);

/** PUT /api/dossier/situation */
export const SituationBody = /* @__PURE__ */ z.lazy(() => z.object({ regime: Regime, scholarship: Scholarship }));
export type SituationBody = z.infer<typeof SituationBody>;

/**
 * PUT /api/dossier/cvec: the number normalised (upper case, no spaces or `/`) and of the
 * general shape; the campaign digit needs the academic year: `cvecBody(campaignFirstYear)` or
 * `checkCvecFormat` in the handler.
 */
export const CvecBody = /* @__PURE__ */ z.lazy(() =>
  z.object({
    certificateNumber: z.pipe(z.string({ error: requiredOr('invalid_type') }).check(z.maxLength(CVEC_MAX_RAW_LENGTH, { error: 'cvec_format' satisfies FieldCode })), z.transform(normalizeCvec)).check(
      z.refine((s) => s.length > 0, { error: 'required' satisfies FieldCode }),
      z.refine((s) => s.length === 0 || CVEC_SHAPE.test(s), { error: 'cvec_format' satisfies FieldCode }),
    ),
  }),
);
export type CvecBody = z.infer<typeof CvecBody>;

/** CvecBody with the campaign check (`cvec_wrong_campaign`). */
export function cvecBody(campaignFirstYear: number) {
  return z.object({
    certificateNumber: z.pipe(
      z.string({ error: requiredOr('invalid_type') }),
      z.transform((raw: string, ctx) => {
        const r = checkCvecFormat(raw, campaignFirstYear);
        if (!r.ok) {
          ctx.issues.push({ code: 'custom', message: r.reason, input: raw });
          return z.NEVER;
        }
        return r.number;
      }),
    ),
  });
}

/** PUT /api/dossier/programme */
export const ProgrammeBody = /* @__PURE__ */ z.lazy(() => z.object({ programmeCode: ProgrammeCode }));
export type ProgrammeBody = z.infer<typeof ProgrammeBody>;

// ---------------------------------------------------------------------------------------------
// Operators

export const AdmissionSource = /* @__PURE__ */ z.enum(['parcoursup', 'monmaster', 'ecandidat', 'reinscription'], { error: /* @__PURE__ */ requiredOr('invalid_choice') });
export type AdmissionSource = z.infer<typeof AdmissionSource>;

export const Sex = /* @__PURE__ */ z.lazy(() => preprocess((v) => (typeof v === 'string' ? v.trim().toUpperCase() : v), z.enum(['F', 'M', 'X'], { error: requiredOr('invalid_choice') })));

/**
 * Yes/no as JSON booleans or as spreadsheets write it (`oui`/`non`, `true`/`false`, `1`/`0`,
 * `yes`/`no`, `x` for ticked); blank is absent.
 */
const optionalYesNo = /* @__PURE__ */ z.lazy(() =>
  preprocess(
    (v) => {
      if (typeof v !== 'string') return v;
      const t = v.trim().toLowerCase();
      if (t === '') return undefined;
      if (['oui', 'o', 'true', 'vrai', '1', 'yes', 'y', 'x'].includes(t)) return true;
      if (['non', 'n', 'false', 'faux', '0', 'no'].includes(t)) return false;
      return v;
    },
    z.optional(z.boolean({ error: requiredOr('invalid_choice') })),
  ),
);

/**
 * One admission (API.md "An admission"), from JSON or a CSV row. Birth dates may also be
 * `DD/MM/YYYY` (spreadsheet exports); blank optional cells are absent.
 */
export function admissionRecord(now: Clock = systemClock) {
  return z.object({
    identifier: Identifier,
    source: AdmissionSource,
    birthName: personName(100),
    usageName: optionalPersonName(100),
    firstNames: personName(150),
    sex: Sex,
    birthDate: birthDate({ now, acceptFrench: true }),
    birthPlace: text(100),
    birthCountry: text(60),
    nationality: text(60),
    email: EmailAddress,
    programmeCode: ProgrammeCode,
    academicYear: AcademicYear,
    /** An incoming exchange student (regime `echange_accueil`: no fees, no CVEC). @default false */
    exchangeStudent: optionalYesNo,
  });
}
export const AdmissionRecord = /* @__PURE__ */ z.lazy(() => admissionRecord());
export type AdmissionRecord = z.infer<typeof AdmissionRecord>;

/**
 * A reason stated with an action (an operator's switch, cancellation, refund, scholarship
 * decision; a student's withdrawal): what the forms ask for and the API checks.
 */
export const REASON_LENGTH = { min: 3, max: 500 } as const;
/** The receipt or reference of a payment made at the desk. */
export const OFFICE_REFERENCE_MAX = 100;

/** PUT /api/admin/service */
export const ServiceModeBody = /* @__PURE__ */ z.lazy(() =>
  z.object({
    mode: z.enum(['open', 'closed', 'calendar'], { error: requiredOr('invalid_choice') }),
    reason: text(REASON_LENGTH.max, { min: REASON_LENGTH.min }),
  }),
);
export type ServiceModeBody = z.infer<typeof ServiceModeBody>;

/** POST /api/admin/dossiers/{id}/office-payment */
export const OfficePaymentBody = /* @__PURE__ */ z.lazy(() =>
  z.object({
    reference: text(OFFICE_REFERENCE_MAX),
    kind: z.enum(['paid', 'scholarship_granted'], { error: requiredOr('invalid_choice') }),
  }),
);
export type OfficePaymentBody = z.infer<typeof OfficePaymentBody>;

/** POST /api/admin/dossiers/{id}/scholarship */
export const ScholarshipReviewBody = /* @__PURE__ */ z.lazy(() =>
  z.object({
    decision: z.enum(['confirmed', 'refused'], { error: requiredOr('invalid_choice') }),
    reason: text(REASON_LENGTH.max, { min: REASON_LENGTH.min }),
  }),
);
export type ScholarshipReviewBody = z.infer<typeof ScholarshipReviewBody>;

/** POST /api/admin/dossiers/{id}/cancel */
export const CancelBody = /* @__PURE__ */ z.lazy(() => z.object({ reason: text(REASON_LENGTH.max, { min: REASON_LENGTH.min }) }));
export type CancelBody = z.infer<typeof CancelBody>;

/** POST /api/dossier/withdrawal */
export const WithdrawalBody = /* @__PURE__ */ z.lazy(() => z.object({ reason: text(REASON_LENGTH.max, { min: REASON_LENGTH.min }) }));
export type WithdrawalBody = z.infer<typeof WithdrawalBody>;

/** POST /api/admin/dossiers/{id}/refund: the amount in cents (its ceiling is the domain's, functions/domain/dossier/withdrawal.ts). */
export const RefundBody = /* @__PURE__ */ z.lazy(() =>
  z.object({
    amountCents: z.number({ error: requiredOr('invalid_type') }).check(z.int({ error: 'invalid_type' satisfies FieldCode }), z.nonnegative()),
    reason: text(REASON_LENGTH.max, { min: REASON_LENGTH.min }),
  }),
);
export type RefundBody = z.infer<typeof RefundBody>;
