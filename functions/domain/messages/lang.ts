/**
 * The service's languages: French (the default, SPEC "Languages") and English. Declared here
 * only; every message table, the mails and the pages are keyed by it.
 */
export const LANGS = ['fr', 'en'] as const;
export type Lang = (typeof LANGS)[number];

/** The `Intl` locale each language formats numbers and dates with. */
export const LOCALES: Readonly<Record<Lang, string>> = { fr: 'fr-FR', en: 'en-GB' };
