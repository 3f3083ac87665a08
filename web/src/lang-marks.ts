/**
 * French words left in English pages (names of French offices and institutions: FRENCH_TERMS in
 * i18n.ts) are marked lang="fr", so screen readers pronounce them in French (WCAG 3.1.2). The
 * texts stay plain strings: the marks are added to the page as it is drawn, whatever drew it
 * (a page, an error summary, an API message).
 */
const SKIP = 'script, style, title, option, textarea, [lang="fr"]';

export function markFrenchTerms(terms: readonly string[]): void {
  const pattern = new RegExp(`(${terms.map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|')})`);

  function mark(root: Node): void {
    if (document.documentElement.lang !== 'en') return;
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    const found: Text[] = [];
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (pattern.test(node.nodeValue ?? '') && !node.parentElement?.closest(SKIP)) found.push(node as Text);
    }
    for (const node of found) {
      const parts = (node.nodeValue ?? '').split(pattern);
      node.replaceWith(
        ...parts.filter(Boolean).map((part) => {
          if (!terms.includes(part)) return document.createTextNode(part);
          const span = document.createElement('span');
          span.lang = 'fr';
          span.textContent = part;
          return span;
        }),
      );
    }
  }

  new MutationObserver(() => mark(document.body)).observe(document.body, { childList: true, subtree: true, characterData: true });
  new MutationObserver(() => mark(document.body)).observe(document.documentElement, { attributes: true, attributeFilter: ['lang'] });
  mark(document.body);
}
