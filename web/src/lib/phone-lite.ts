/**
 * The browser's stand-in for `libphonenumber-js/min` (scripts/build-web.ts redirects it here):
 * the library's metadata alone is 29 KB gzipped, half the pages' budget. Deliberately lenient —
 * anything shaped like a phone number (5 to 15 digits, international or national) passes here, so
 * the pages never refuse a number the API accepts; the API checks it against the real numbering
 * plans (libphonenumber) and its field error is shown exactly like a client-side one.
 */
export type CountryCode = string;

export function isSupportedCountry(_country: string): boolean {
  return true;
}

export function parsePhoneNumberFromString(text: string, _defaultCountry?: CountryCode): { number: string; isValid(): boolean } | undefined {
  const compact = text.replace(/[\s().\-/]/g, '');
  const international = /^(?:\+|00)(\d{5,15})$/.exec(compact);
  if (international) return { number: `+${international[1]}`, isValid: () => true };
  return /^\d{5,15}$/.test(compact) ? { number: compact, isValid: () => true } : undefined;
}
