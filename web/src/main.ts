/**
 * The student pages: header and footer (language switch, help, sign-out, the accessibility
 * status), the routes, the session timeout, and the app-wide reactions to an expired session
 * and a closed service.
 */
import { onGlobalErrors } from './api';
import { h } from './dom';
import { draftLabels } from './forms';
import { currentLang, FRENCH_TERMS, setLang, t } from './i18n';
import { markFrenchTerms } from './lang-marks';
import { done, payAtOffice, paymentCancel, paymentReturn, summary } from './pages/after';
import { verifier } from './pages/certificates';
import { CORRECTION_PATH, correctionPage, DOCUMENTS_PATH, documentsPage } from './pages/documents';
import { accessibility, closed, errorPage, help, home, login, notFound, support } from './pages/public';
import { cvec, identity, ine, programme, situation } from './pages/steps';
import { createRouter, type Page } from './router';
import { session } from './session';
import { startSessionTimer } from './session-timeout';
import { STEP_PATHS, SUMMARY_PATH } from './wizard';

const routes: Record<string, Page> = {
  '/': home,
  '/connexion': login,
  [STEP_PATHS.identity]: identity,
  [STEP_PATHS.ine]: ine,
  [STEP_PATHS.situation]: situation,
  [STEP_PATHS.cvec]: cvec,
  [STEP_PATHS.programme]: programme,
  [SUMMARY_PATH]: summary,
  '/paiement/retour': paymentReturn,
  '/paiement/annule': paymentCancel,
  '/termine': done,
  '/paiement-en-scolarite': payAtOffice,
  '/aide': help,
  '/accessibilite': accessibility,
  '/assistance': support,
  '/ferme': closed,
  // The certificates' QR code: `/verifier/<code>` (API.md).
  '/verifier/*': verifier,
  [DOCUMENTS_PATH]: documentsPage,
  [CORRECTION_PATH]: correctionPage,
};

const langButton = h('button', { class: 'nav-button', type: 'button', id: 'lang-switch' });
const helpLink = h('a', { class: 'nav-link', href: '/aide' });
const documentsLink = h('a', { class: 'nav-link', href: DOCUMENTS_PATH });
const logoutButton = h('button', { class: 'nav-button', type: 'button', id: 'logout' });
const footerNav = h('nav', { class: 'container footer-nav' });

/** Texts of the page chrome in the current language; the elements stay, so focus stays on them. */
function renderChrome(): void {
  const tr = t();
  document.documentElement.lang = tr.htmlLang;
  document.getElementById('skip-link')!.textContent = tr.skipLink;
  document.getElementById('site-name')!.textContent = tr.siteName;
  document.getElementById('site-nav')!.setAttribute('aria-label', tr.mainMenu);
  langButton.textContent = tr.switchTo;
  langButton.lang = tr.switchToLang;
  langButton.setAttribute('aria-label', tr.switchLabel);
  helpLink.textContent = tr.help;
  logoutButton.textContent = tr.logout;
  logoutButton.hidden = session.token() === null;
  documentsLink.textContent = tr.documents;
  documentsLink.hidden = session.token() === null;
  footerNav.setAttribute('aria-label', tr.footerMenu);
  footerNav.replaceChildren(
    h('a', { href: '/' }, tr.home),
    h('a', { href: '/aide' }, tr.help),
    h('a', { href: '/assistance' }, tr.support),
    h('a', { href: '/accessibilite', id: 'a11y-link' }, tr.a11yStatus),
  );
}

const router = createRouter({ routes, notFound, error: errorPage, afterRender: renderChrome });

/** The session is over: say so on the login page, with exactly what typed-but-unsaved text is kept. */
function sessionEnded(): void {
  const tr = t();
  session.setToken(null);
  const kept = session.drafts().map((d) => tr.draftItem(d.title, draftLabels(d.fields)));
  session.setFlash(kept.length ? `${tr.sessionExpired} ${tr.draftsKept(kept.join(tr.listSeparator))}` : tr.sessionExpired);
  router.navigate('/connexion', { replace: true });
}

function signOut(): void {
  session.clearDrafts();
  session.setToken(null);
  session.setFlash(t().loggedOut);
  router.navigate('/connexion');
}

onGlobalErrors({
  sessionExpired: sessionEnded,
  serviceClosed(message) {
    session.setFlash(message);
    router.navigate('/ferme', { replace: true });
  },
});

langButton.addEventListener('click', () => {
  setLang(currentLang() === 'fr' ? 'en' : 'fr');
  renderChrome();
  void router.refresh();
});

logoutButton.addEventListener('click', signOut);

document.getElementById('site-nav')!.replaceChildren(documentsLink, helpLink, langButton, logoutButton);
document.getElementById('site-footer')!.replaceChildren(footerNav);
renderChrome();
markFrenchTerms(FRENCH_TERMS);
router.start();
startSessionTimer({ expired: sessionEnded, signOut });
