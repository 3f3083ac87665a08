/** Page-level state shared by the router and the forms. */
import { t } from './i18n';

let title = '';

/** Sets the document title: "<page> — Inscription administrative". */
export function setBaseTitle(pageTitle: string): void {
  title = `${pageTitle} — ${t().titleSuffix}`;
  document.title = title;
}

/** The current page's title without any "Erreur :" prefix. */
export function baseTitle(): string {
  return title;
}
