/**
 * The student pages' own texts (web/src/i18n.ts, the help page and the accessibility statement,
 * index.html), checked for the typography the pages promise (issue 18.5), so it cannot regress:
 * French with ’ apostrophes, U+00A0 before ":" and "%" and inside « », U+202F before ; ? !,
 * times as "9 h", vouvoiement, one word for e-mail; English with none of the French spacing.
 * Also the helpers that shape values for display: times, phone numbers, the API's French text.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { apiText, dictionaries, formatClock, formatInstant, formatInstantDay, formatPhone } from '../../web/src/i18n';
import { helpText } from '../../web/src/pages/help-content';

/** Every text in a value, with where it is; functions are called with sample arguments. */
function texts(value: unknown, where: string, out: [string, string][] = []): [string, string][] {
  if (typeof value === 'string') out.push([where, value]);
  else if (typeof value === 'function') texts((value as (...a: unknown[]) => unknown)('Xx', 2), `${where}()`, out);
  else if (Array.isArray(value)) value.forEach((v, i) => texts(v, `${where}[${i}]`, out));
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) if (k !== 'href' && k !== 'htmlLang' && k !== 'switchToLang' && k !== 'help') texts(v, `${where}.${k}`, out);
  }
  return out;
}

const html = readFileSync(join(import.meta.dirname, '..', '..', 'web', 'src', 'index.html'), 'utf8');
const htmlFrench = [...html.matchAll(/content="([^"]+)"|<(?:title|p|a|h1)[^>]*>([^<]+)/g)].map((m) => ['index.html', (m[1] ?? m[2])!] as [string, string]);

// Texts in the other language inside a dictionary (the language switch names the other one).
const OTHER_LANGUAGE = /\.(switchTo|switchLabel)$/;
const french = [...texts(dictionaries.fr, 'fr'), ...texts(helpText.fr, 'help.fr'), ...htmlFrench].filter(([w]) => !OTHER_LANGUAGE.test(w));
const english = [...texts(dictionaries.en, 'en'), ...texts(helpText.en, 'help.en')].filter(([w]) => !OTHER_LANGUAGE.test(w));

/** Each text's breaches of a rule, as "where: …context…". */
function breaches(list: [string, string][], pattern: RegExp): string[] {
  return list.flatMap(([where, text]) => [...text.replace(/https?:\/\/\S+/g, 'URL').matchAll(pattern)].map((m) => `${where}: …${text.slice(Math.max(0, m.index! - 15), m.index! + 15)}…`));
}

describe('French texts of the pages', () => {
  it('are there to check', () => {
    expect(french.length).toBeGreaterThan(200);
    expect(english.length).toBeGreaterThan(200);
  });

  it('use the typographic apostrophe', () => {
    expect(breaches(french, /'/g)).toEqual([]);
  });

  it('put U+00A0 before ":" and "%" and inside « », U+202F before ; ? !', () => {
    expect(breaches(french, /(?<!\u00A0)[:%]/g)).toEqual([]);
    expect(breaches(french, /(?<!\u202F)[;?!]/g)).toEqual([]);
    expect(breaches(french, /«(?!\u00A0)|(?<!\u00A0)»/g)).toEqual([]);
  });

  it('write times as "9 h", never "09:00"', () => {
    expect(breaches(french, /\d{1,2}\s?:\s?\d{2}/g)).toEqual([]);
  });

  it('say "e-mail", never "mail" or "courriel"', () => {
    expect(breaches(french, /(?<!e-)\bmails?\b|courriel/gi)).toEqual([]);
  });

  it('address the student as "vous", with imperatives, not infinitives', () => {
    expect(breaches(french, /(?<!\p{L})(tu|toi|ton|tes)(?!\p{L})/giu)).toEqual([]);
    // In sentences (button labels such as "Vérifier à nouveau" are infinitives by convention).
    const sentences = french.filter(([, text]) => /[.:]$/.test(text.trim()));
    expect(breaches(sentences, /(?:^|[.:]\s)(Cliquer|Remplacer|Saisir|Consulter|Contacter|Vérifier)\b/g)).toEqual([]);
  });
});

describe('English texts of the pages', () => {
  it('have none of the French spacing, and say "e-mail"', () => {
    expect(breaches(english, /[\s\u00A0\u202F][:;?!%]/g)).toEqual([]);
    expect(breaches(english, /[«»]/g)).toEqual([]);
    expect(breaches(english, /(?<!e-)\bmails?\b|courriel/gi)).toEqual([]);
  });
});

describe('values shaped for display', () => {
  it('times: "9 h" and "23 h 59" in French, "09:00" in English', () => {
    expect(formatClock(new Date('2026-06-24T07:00:00Z'), 'Europe/Paris', 'fr')).toBe('9\u00A0h');
    expect(formatClock(new Date('2026-07-16T21:59:00Z'), 'Europe/Paris', 'fr')).toBe('23\u00A0h\u00A059');
    expect(formatInstant('2026-06-24T09:00:00+02:00', 'Europe/Paris', 'fr')).toBe('mercredi 24 juin 2026 à 9\u00A0h');
    expect(formatInstant('2026-06-24T09:00:00+02:00', 'Europe/Paris', 'en')).toBe('Wednesday, 24 June 2026 at 09:00');
  });

  it('the day of an instant is its day in the service’s zone, not the UTC day of its text', () => {
    // 00:30 on 5 August in Paris: a payment the ledger dates 2026-08-04T22:30Z.
    expect(formatInstantDay('2026-08-04T22:30:00.000Z', 'Europe/Paris', 'fr')).toBe('5 août 2026');
    expect(formatInstantDay('2026-08-04T22:30:00.000Z', 'Europe/Paris', 'en')).toBe('5 August 2026');
    expect(formatInstantDay('2026-08-04T22:30:00.000Z', 'America/New_York', 'fr')).toBe('4 août 2026');
  });

  it('phone numbers as people write them', () => {
    expect(formatPhone('+33612345678')).toBe('06 12 34 56 78');
    expect(formatPhone('+262692123456')).toBe('06 92 12 34 56');
    expect(formatPhone('+442079460958')).toBe('+44 2079460958');
    expect(formatPhone('+14155552671')).toBe('+1 4155552671');
    expect(formatPhone('+6834002')).toBe('+683 4002');
    expect(formatPhone('0612345678')).toBe('0612345678');
  });

  it("the API's French text gets the pages' typography; English is left alone", () => {
    expect(apiText("Le service est fermé. Réouverture le mercredi 24 juin 2026 à 09:00. Vos données d'abord : conservées ; oui ?", 'fr')).toBe(
      'Le service est fermé. Réouverture le mercredi 24 juin 2026 à 9\u00A0h. Vos données d’abord\u00A0: conservées\u202F; oui\u202F?',
    );
    const once = apiText('Attention : « test » 23:59', 'fr');
    expect(apiText(once, 'fr')).toBe(once);
    expect(apiText('Closed: reopens at 09:00.', 'en')).toBe('Closed: reopens at 09:00.');
  });
});
