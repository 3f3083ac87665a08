/**
 * The operators' console (`/gestion`): sign-in (authorization code + PKCE), the header (menu,
 * language, sign-out), the routes. Supervisor-only pages and buttons are not shown to operators
 * (the API refuses them anyway: 403 FORBIDDEN_ROLE).
 */
import { accessToken, CALLBACK_PATH, completeSignIn, isSupervisor, loadConfig, operator, signIn, signOut } from './auth';
import { h } from './dom';
import { lang, setLang, t } from './i18n';
import { dashboard } from './pages/dashboard';
import { dossier } from './pages/dossier';
import { dossiers } from './pages/dossiers';
import { importPage } from './pages/import';
import { anomaliesPage, overduePage } from './pages/money';
import { correctionsQueue, documentsQueue, supportInbox } from './pages/queues';
import { service } from './pages/service';
import { context, interceptLinks, leave, match, navigate, setRenderer, type Page } from './router';

const routes: { path: string; page: Page; label?: Parameters<typeof t>[0]; supervisor?: boolean }[] = [
  { path: '/gestion', page: dashboard, label: 'dashboard' },
  { path: '/gestion/dossiers', page: dossiers, label: 'dossiers' },
  { path: '/gestion/dossiers/:id', page: dossier },
  { path: '/gestion/pieces', page: documentsQueue, label: 'documents' },
  { path: '/gestion/assistance', page: supportInbox, label: 'support' },
  { path: '/gestion/corrections', page: correctionsQueue, label: 'corrections' },
  { path: '/gestion/service', page: service, label: 'service', supervisor: true },
  { path: '/gestion/import', page: importPage, label: 'import', supervisor: true },
  // Reached from the dashboard's tiles.
  { path: '/gestion/anomalies', page: anomaliesPage },
  { path: '/gestion/echeances', page: overduePage },
];

const main = document.getElementById('main')!;
const top = document.getElementById('top')!;

function header(signedIn: boolean): void {
  const who = operator();
  const here = location.pathname.replace(/\/$/, '') || '/gestion';
  const links = routes.filter((r) => r.label && (!r.supervisor || isSupervisor()));
  top.replaceChildren(
    ...[
      h(
        'div',
        { class: 'bar' },
        h('a', { class: 'app-name', href: '/gestion/' }, t('appName')),
        h(
          'button',
          {
            type: 'button',
            class: 'lang',
            lang: lang() === 'fr' ? 'en' : 'fr',
            onclick: (() => {
              setLang(lang() === 'fr' ? 'en' : 'fr');
              render();
            }) as EventListener,
          },
          t('switchLang'),
        ),
        signedIn && who ? h('span', { class: 'who' }, t('signedInAs', { user: who.username, role: isSupervisor() ? t('roleSupervisor') : t('roleOperator') })) : null,
        signedIn ? h('button', { type: 'button', onclick: (() => void signOut()) as EventListener }, t('signOut')) : null,
      ),
      signedIn
        ? h(
            'nav',
            { 'aria-label': t('menu') },
            h('ul', {}, ...links.map((r) => h('li', {}, h('a', { href: r.path === '/gestion' ? '/gestion/' : r.path, 'aria-current': here === r.path ? 'page' : null }, t(r.label!))))),
          )
        : null,
    ].filter((n): n is HTMLElement => n !== null),
  );
  document.getElementById('skip-link')!.textContent = t('skip');
}

function show(title: string, body: Node[], focus: boolean): void {
  document.title = `${title} — ${t('appName')}`;
  main.replaceChildren(h('h1', { tabindex: -1 }, title), ...body);
  main.removeAttribute('aria-busy');
  if (focus) (main.querySelector('h1') as HTMLElement).focus();
}

let first = true;
async function render(): Promise<void> {
  leave();
  document.documentElement.lang = lang();
  const focus = !first;
  first = false;
  main.setAttribute('aria-busy', 'true');
  if (location.pathname === CALLBACK_PATH) {
    try {
      const to = await completeSignIn();
      history.replaceState(null, '', to);
    } catch {
      header(false);
      show(t('signInTitle'), [h('p', { role: 'alert' }, t('signInFailed')), signInButton()], focus);
      return;
    }
  }
  const signedIn = (await accessToken()) !== undefined;
  header(signedIn);
  if (!signedIn) {
    show(t('signInTitle'), [h('p', {}, t('signInText')), signInButton()], focus);
    return;
  }
  const path = location.pathname.replace(/\/$/, '') || '/gestion';
  for (const r of routes) {
    const params = match(r.path, path);
    if (!params) continue;
    if (r.supervisor && !isSupervisor()) {
      show(t('forbidden'), [], focus);
      return;
    }
    try {
      const { title, body } = await r.page(context(params));
      show(title, body, focus);
    } catch (err) {
      show(t('error'), [h('p', { role: 'alert' }, (err as Error).message)], focus);
    }
    return;
  }
  show(t('notFound'), [h('p', {}, h('a', { href: '/gestion/' }, t('dashboard')))], focus);
}

function signInButton(): HTMLElement {
  return h(
    'button',
    { type: 'button', class: 'primary', onclick: (() => void signIn(location.pathname === CALLBACK_PATH ? '/gestion/' : location.pathname + location.search)) as EventListener },
    t('signIn'),
  );
}

setRenderer(() => void render());
interceptLinks();
void loadConfig().then(() => render());
export { navigate };
