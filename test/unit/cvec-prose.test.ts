import { describe, expect, it } from 'vitest';
import { CVEC_REQUIRED_REGIMES, Regime } from '../../functions/domain/cvec';
import { LANGS, type Lang } from '../../functions/domain/messages/lang';
import { dictionaries } from '../../web/src/i18n';
import { helpText } from '../../web/src/pages/help-content';

/**
 * The pages and the help say in words which regimes the CVEC concerns; the rule lives in
 * CVEC_REQUIRED_REGIMES (functions/domain/cvec.ts). These sentences must name exactly the
 * regimes the rule names, no more, no fewer, in both languages.
 */
const NAMES: Record<Regime, Record<Lang, RegExp>> = {
  formation_initiale: { fr: /formation initiale/i, en: /initial education/i },
  reprise_etudes_non_financee: { fr: /reprise d.études non financée/i, en: /unfunded|not funded/i },
  apprentissage: { fr: /apprentissage/i, en: /apprentic/i },
  ifsi: { fr: /\bIFSI\b/, en: /\bIFSI\b/ },
  cpge: { fr: /\bCPGE\b/, en: /\bCPGE\b/ },
  formation_continue: { fr: /formation continue/i, en: /continuing education/i },
  contrat_professionnalisation: { fr: /contrat de professionnalisation/i, en: /professionali[sz]ation contract/i },
  echange_accueil: { fr: /échange international/i, en: /international exchange/i },
};

const named = (text: string, lang: Lang) => Regime.options.filter((r) => NAMES[r][lang].test(text)).sort();
const required = [...CVEC_REQUIRED_REGIMES].sort();
const exempt = Regime.options.filter((r) => !CVEC_REQUIRED_REGIMES.includes(r)).sort();

/** Every sentence of the help page, wherever its structure puts it. */
function helpParagraphs(lang: Lang): string[] {
  const out: string[] = [];
  const walk = (v: unknown): void => {
    if (typeof v === 'string') out.push(v);
    else if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') Object.values(v).forEach(walk);
  };
  walk(helpText[lang]);
  return out.filter((p) => p.includes('CVEC'));
}

describe('CVEC prose against CVEC_REQUIRED_REGIMES', () => {
  it('every regime has a recognisable name in each language, and names do not overlap', () => {
    for (const lang of LANGS) {
      for (const r of Regime.options) expect(named(dictionaries[lang].regimes[r]!, lang), `${lang} ${r}`).toEqual([r]);
    }
  });

  it.each(LANGS)('the pages (%s) name the exempt regimes before starting and the concerned ones at the CVEC step', (lang) => {
    expect(exempt.length).toBeGreaterThan(0);
    expect(named(dictionaries[lang].needCvec, lang)).toEqual(exempt);
    expect(named(dictionaries[lang].cvecConcernedNote, lang)).toEqual(required);
  });

  it.each(LANGS)('the help (%s) names the concerned and the exempt regimes', (lang) => {
    const paragraphs = helpParagraphs(lang);
    const notConcerned = paragraphs.filter((p) => /ne concerne pas|does not concern/.test(p));
    const concerned = paragraphs.filter((p) => /^(La CVEC concerne|The CVEC concerns)/.test(p));
    expect(notConcerned).toHaveLength(1);
    expect(concerned).toHaveLength(1);
    expect(named(notConcerned[0]!, lang)).toEqual(exempt);
    expect(named(concerned[0]!, lang)).toEqual(required);
  });
});
