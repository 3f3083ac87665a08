/**
 * Contact details of the identity step (API.md: PUT /api/dossier/identity):
 * `{email, phone, address:{line1, line2?, postalCode, city, country}, termAddress?}`.
 *
 * - Strings are trimmed, length-capped, and refused when they hold control, bidirectional
 *   override or other invisible formatting characters (reason `control_characters`).
 * - E-mail: syntax checked, domain lower-cased.
 * - Phone: French national format (06 12 34 56 78) or international (+44 …, 0044 …), checked
 *   with libphonenumber-js and normalised to E.164. National numbers are read as French; for an
 *   address in a French overseas territory (country RE, GP… or FR with a 97x/98x postcode) the
 *   territory's numbering plan is tried first (0692 12 34 56 → +262692123456).
 * - Country: ISO 3166-1 alpha-2, upper-cased (`UK` accepted as an alias of `GB`; `XK` Kosovo).
 * - Postal code: checked per country (see POSTAL_PATTERNS); optional for countries without
 *   postcodes.
 *
 * Text hygiene and e-mail live in ./text.ts (re-exported here): the schemas of other routes use
 * them without loading libphonenumber's metadata.
 *
 * Pure: no I/O, safe to bundle in the student pages.
 */
import * as z from 'zod/mini';
import { preprocess, requiredOr } from './schema-parts';
import { EmailAddress, text, optionalText } from './text';
import { parsePhoneNumberFromString, isSupportedCountry, type CountryCode as PhoneCountry } from 'libphonenumber-js/min';
import type { FieldCode } from './messages/fields';

export { EMAIL_MAX, EmailAddress, hasForbiddenCharacters, optionalText, text, type TextOptions } from './text';

// ---------------------------------------------------------------------------------------------
// Countries

/** ISO 3166-1 alpha-2 officially assigned codes (249), plus XK (Kosovo, widely used). */
export const ISO_COUNTRIES: ReadonlySet<string> = new Set(
  (
    'AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ ' +
    'CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR ' +
    'GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP ' +
    'KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT ' +
    'MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW ' +
    'SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG ' +
    'UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW XK'
  ).split(' '),
);

const COUNTRY_ALIASES: Readonly<Record<string, string>> = /* @__PURE__ */ Object.freeze({ UK: 'GB' });

export function normalizeCountry(raw: string): string {
  const c = String(raw).trim().toUpperCase();
  return Object.hasOwn(COUNTRY_ALIASES, c) ? COUNTRY_ALIASES[c]! : c;
}

export function isCountryCode(code: string): boolean {
  return ISO_COUNTRIES.has(code);
}

export const CountryCode = /* @__PURE__ */ z.lazy(() =>
  z
    .pipe(
      z.string({ error: requiredOr('invalid_type') }).check(z.trim(), z.minLength(1, { error: 'required' satisfies FieldCode }), z.maxLength(8, { error: 'country_code' satisfies FieldCode })),
      z.transform(normalizeCountry),
    )
    .check(z.refine(isCountryCode, { error: 'country_code' satisfies FieldCode })),
);

// ---------------------------------------------------------------------------------------------
// Postal codes

const FIVE = /^\d{5}$/;
const FOUR = /^\d{4}$/;
const SIX = /^\d{6}$/;
const UK = /^(?:[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}|GIR ?0AA)$/;

/** Per-country postcode patterns (applied to the trimmed, upper-cased, space-collapsed value). */
export const POSTAL_PATTERNS: Readonly<Record<string, RegExp>> = /* @__PURE__ */ Object.freeze({
  // Metropolitan France (01–95, Corsica 20xxx), overseas departments 971–976, collectivities 975, 977, 978, 984–988.
  FR: /^(?:(?:0[1-9]|[1-8]\d|9[0-5])\d{3}|97[1-8]\d{2}|98[0-9]\d{2})$/,
  GP: /^971\d{2}$/,
  MQ: /^972\d{2}$/,
  GF: /^973\d{2}$/,
  RE: /^974\d{2}$/,
  PM: /^975\d{2}$/,
  YT: /^976\d{2}$/,
  BL: /^977\d{2}$/,
  MF: /^978\d{2}$/,
  TF: /^984\d{2}$/,
  WF: /^986\d{2}$/,
  PF: /^987\d{2}$/,
  NC: /^988\d{2}$/,
  MC: /^980\d{2}$/,
  DE: FIVE,
  ES: FIVE,
  IT: FIVE,
  BE: FOUR,
  CH: FOUR,
  LU: FOUR,
  AT: FOUR,
  DK: FOUR,
  NO: FOUR,
  GB: UK,
  GG: UK,
  JE: UK,
  IM: UK,
  US: /^\d{5}(?:-\d{4})?$/,
  CA: /^[ABCEGHJ-NPRSTVXY]\d[ABCEGHJ-NPRSTV-Z] ?\d[ABCEGHJ-NPRSTV-Z]\d$/,
  PT: /^\d{4}-\d{3}$/,
  NL: /^[1-9]\d{3} ?[A-Z]{2}$/,
  PL: /^\d{2}-\d{3}$/,
  SE: /^\d{3} ?\d{2}$/,
  FI: FIVE,
  GR: /^\d{3} ?\d{2}$/,
  IE: /^[AC-FHKNPRTV-Y]\d[\dW] ?[0-9AC-FHKNPRTV-Y]{4}$/,
  MA: FIVE,
  DZ: FIVE,
  TN: FOUR,
  SN: FIVE,
  BR: /^\d{5}-?\d{3}$/,
  JP: /^\d{3}-?\d{4}$/,
  CN: SIX,
  IN: SIX,
  RO: SIX,
  RU: SIX,
});

/** Countries without a postal code system: the postcode may be left empty. */
export const COUNTRIES_WITHOUT_POSTCODE: ReadonlySet<string> = new Set(
  ('AE AG AO AW BF BI BJ BO BS BW BZ CD CF CG CI CK CM DJ DM ER FJ GA GD GH GM GQ GY HK IE KI KM KN KP ML MO MR MW ' + 'NR NU QA RW SB SC SL SR SS ST SY TD TG TK TL TO TV UG VU YE ZW').split(' '),
);

/** Any other country: 1–10 letters, digits, spaces or hyphens, starting with a letter or digit. */
const GENERIC_POSTCODE = /^[A-Z0-9][A-Z0-9 -]{0,9}$/;

export function normalizePostalCode(raw: string): string {
  return String(raw).trim().toUpperCase().replace(/\s+/g, ' ');
}

export type PostalCheck = { ok: true; postalCode: string } | { ok: false; reason: 'required' | 'postal_code_format' };

/** Checks a postcode for an (already normalised, valid) ISO country code. */
export function checkPostalCode(country: string, raw: string): PostalCheck {
  const code = normalizePostalCode(raw ?? '');
  if (code === '') {
    return COUNTRIES_WITHOUT_POSTCODE.has(country) ? { ok: true, postalCode: '' } : { ok: false, reason: 'required' };
  }
  const pattern = Object.hasOwn(POSTAL_PATTERNS, country) ? POSTAL_PATTERNS[country]! : GENERIC_POSTCODE;
  return pattern.test(code) ? { ok: true, postalCode: code } : { ok: false, reason: 'postal_code_format' };
}

// ---------------------------------------------------------------------------------------------
// Addresses

export const LINE_MAX = 100;
export const CITY_MAX = 60;
export const POSTAL_MAX = 12;

const PostalAddressFields = /* @__PURE__ */ z.lazy(() =>
  z
    .object({
      line1: text(LINE_MAX, { noMarkup: true }),
      line2: optionalText(LINE_MAX, { noMarkup: true }),
      postalCode: z._default(z.optional(z.string({ error: requiredOr('invalid_type') }).check(z.maxLength(POSTAL_MAX * 2, { error: 'postal_code_format' satisfies FieldCode }))), ''),
      city: text(CITY_MAX, { noMarkup: true }),
      country: CountryCode,
    })
    .check(
      z.superRefine(
        (a, ctx) => {
          if (typeof a.country !== 'string' || !isCountryCode(a.country) || typeof a.postalCode !== 'string') return;
          const r = checkPostalCode(a.country, a.postalCode);
          if (!r.ok) ctx.addIssue({ code: 'custom', path: ['postalCode'], message: r.reason, input: a.postalCode });
        },
        // Run even when another field failed, so every wrong field is reported at once.
        { when: (p) => typeof p.value === 'object' && p.value !== null },
      ),
    ),
);
export const PostalAddress = /* @__PURE__ */ z.lazy(() =>
  z.pipe(
    PostalAddressFields,
    z.transform((a: z.output<typeof PostalAddressFields>) => ({ ...a, postalCode: normalizePostalCode(a.postalCode) })),
  ),
);

export type PostalAddress = z.infer<typeof PostalAddress>;

// ---------------------------------------------------------------------------------------------
// Phone

export const PHONE_MAX = 32;

/** Overseas territory of a French postcode (971xx → GP …), for reading phone numbers typed nationally. */
const TERRITORY_BY_POSTCODE: Readonly<Record<string, PhoneCountry>> = /* @__PURE__ */ Object.freeze({
  '971': 'GP',
  '972': 'MQ',
  '973': 'GF',
  '974': 'RE',
  '975': 'PM',
  '976': 'YT',
  '977': 'BL',
  '978': 'MF',
  '986': 'WF',
  '987': 'PF',
  '988': 'NC',
});
const FRENCH_TERRITORIES: ReadonlySet<string> = new Set(Object.values(TERRITORY_BY_POSTCODE));

/** The French overseas territory an address is in, if any. */
export function frenchTerritoryOf(address: { country?: string; postalCode?: string } | undefined): PhoneCountry | null {
  if (!address || typeof address.country !== 'string') return null;
  const country = normalizeCountry(address.country);
  if (FRENCH_TERRITORIES.has(country)) return country as PhoneCountry;
  if (country === 'FR' && typeof address.postalCode === 'string') {
    const prefix = address.postalCode.trim().slice(0, 3);
    if (Object.hasOwn(TERRITORY_BY_POSTCODE, prefix)) return TERRITORY_BY_POSTCODE[prefix]!;
  }
  return null;
}

const PHONE_CHARS = /^\+?[\d\s().\-/]+$/;

/**
 * E.164 form of a phone number, or null when it is not a valid number. National numbers are
 * read in each of `territories` (in order) then as French; international ones as dialled.
 */
export function normalizePhone(raw: string, territories: readonly PhoneCountry[] = []): string | null {
  if (typeof raw !== 'string') return null;
  const s = raw.trim();
  if (s.length === 0 || s.length > PHONE_MAX || !PHONE_CHARS.test(s)) return null;
  for (const country of [...territories, 'FR' as PhoneCountry]) {
    if (!isSupportedCountry(country)) continue;
    const p = parsePhoneNumberFromString(s, country);
    if (p && p.isValid()) return p.number;
  }
  return null;
}

/** Field-level phone check (characters and length); the number itself is checked with the address. */
export const PhoneInput = /* @__PURE__ */ z.lazy(() =>
  z
    .string({ error: requiredOr('invalid_type') })
    .check(
      z.trim(),
      z.minLength(1, { error: 'required' satisfies FieldCode }),
      z.maxLength(PHONE_MAX, { error: 'too_long' satisfies FieldCode }),
      z.regex(PHONE_CHARS, { error: 'phone_format' satisfies FieldCode }),
    ),
);

/** A phone number alone (French national or international), normalised to E.164. */
export const PhoneNumber = /* @__PURE__ */ z.lazy(() =>
  z.pipe(
    PhoneInput,
    z.transform((s: string, ctx) => {
      const e164 = normalizePhone(s);
      if (e164 === null) {
        ctx.issues.push({ code: 'custom', message: 'phone_format' satisfies FieldCode, input: s });
        return z.NEVER;
      }
      return e164;
    }),
  ),
);

// ---------------------------------------------------------------------------------------------
// Identity step body

function territoriesOf(v: { address?: unknown; termAddress?: unknown }): PhoneCountry[] {
  const out: PhoneCountry[] = [];
  for (const a of [v.address, v.termAddress]) {
    const t = typeof a === 'object' && a !== null ? frenchTerritoryOf(a as { country?: string; postalCode?: string }) : null;
    if (t && !out.includes(t)) out.push(t);
  }
  return out;
}

const IdentityFields = /* @__PURE__ */ z.lazy(() =>
  z
    .object({
      email: EmailAddress,
      phone: PhoneInput,
      address: PostalAddress,
      termAddress: preprocess((v) => (v === null ? undefined : v), z.optional(PostalAddress)),
    })
    .check(
      z.superRefine(
        (v, ctx) => {
          if (typeof v.phone !== 'string' || !PHONE_CHARS.test(v.phone)) return; // already reported
          if (normalizePhone(v.phone, territoriesOf(v)) === null) {
            ctx.addIssue({ code: 'custom', path: ['phone'], message: 'phone_format' satisfies FieldCode, input: v.phone });
          }
        },
        { when: (p) => typeof p.value === 'object' && p.value !== null },
      ),
    ),
);
export const IdentityBody = /* @__PURE__ */ z.lazy(() =>
  z.pipe(
    IdentityFields,
    z.transform((v: z.output<typeof IdentityFields>) => ({ ...v, phone: normalizePhone(v.phone, territoriesOf(v))! })),
  ),
);

export type IdentityBody = z.infer<typeof IdentityBody>;
