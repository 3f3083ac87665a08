/**
 * A small client-side router over the History API: one page module per path, rendered into
 * <main>. After each navigation the page title is updated and focus moves to the page's <h1>,
 * so screen-reader users hear where they arrived (on the first load focus stays at the top, so
 * the skip link comes first); a link to a part of a page (`/aide#cvec`) focuses that part.
 * Links to page paths are intercepted; everything else (/api, /dev, files, other origins) is
 * left to the browser.
 */
import { Redirected } from './api';
import { append, type Child } from './dom';
import { t, type Dict } from './i18n';
import { isPagePath } from '../../config/web';
import { session } from './session';
import { setBaseTitle } from './ui';

export interface PageContext {
  t: Dict;
  query: URLSearchParams;
  /** Stop rendering this page and show another instead (replacing the history entry). */
  redirect(path: string): never;
  navigate(path: string, options?: { replace?: boolean }): void;
  /** Runs when the student leaves the page (stops timers). */
  onLeave(fn: () => void): void;
  /** False once the student has moved on (a late answer must not touch the new page). */
  isCurrent(): boolean;
  /** A title depending on what the page found (e.g. the summary once submitted is the payment page). */
  setTitle(title: string): void;
  /** The title of the page at a path of this site (names a link's destination), or null. */
  titleOf(path: string): string | null;
}

export interface Page {
  title(t: Dict): string;
  /** Needs a session: without one the student is sent to the login page. */
  student?: boolean;
  /** Not a "Retour" target of the help page (the help page itself). */
  noReturn?: boolean;
  render(ctx: PageContext): Promise<Child> | Child;
}

class RedirectSignal {
  constructor(readonly path: string) {}
}

export interface Router {
  navigate(path: string, options?: { replace?: boolean }): void;
  /** Renders the current location again (language switch), keeping what was typed. */
  refresh(): Promise<void>;
  start(): void;
}

export function createRouter(o: { routes: Record<string, Page>; notFound: Page; error(err: unknown): Page; afterRender(): void }): Router {
  const main = document.getElementById('main')!;
  let seq = 0;
  const leaving: (() => void)[] = [];

  const currentPath = () => location.pathname.replace(/\/+$/, '') || '/';
  /** A route written `/prefix/*` serves every page path one segment below it (e.g. `/verifier/<code>`). */
  const prefixPage = (path: string): Page | undefined => {
    const slash = path.lastIndexOf('/');
    return slash > 0 ? o.routes[`${path.slice(0, slash)}/*`] : undefined;
  };

  async function render(focus: boolean): Promise<void> {
    const mine = ++seq;
    for (const fn of leaving.splice(0)) fn();
    let page = o.routes[currentPath()] ?? prefixPage(currentPath()) ?? o.notFound;
    if (page.student && !session.token()) {
      navigate('/connexion', { replace: true });
      return;
    }
    main.setAttribute('aria-busy', 'true');
    let titleOverride: string | undefined;
    const ctx: PageContext = {
      t: t(),
      query: new URLSearchParams(location.search),
      redirect(path) {
        throw new RedirectSignal(path);
      },
      navigate,
      onLeave: (fn) => leaving.push(fn),
      isCurrent: () => mine === seq,
      setTitle: (title) => {
        titleOverride = title;
      },
      titleOf: (path) => {
        const target = o.routes[new URL(path, location.origin).pathname.replace(/\/+$/, '') || '/'];
        return target ? target.title(t()) : null;
      },
    };
    let content: Child;
    try {
      content = await page.render(ctx);
    } catch (err) {
      if (mine !== seq || err instanceof Redirected) return;
      if (err instanceof RedirectSignal) {
        navigate(err.path, { replace: true, focus });
        return;
      }
      page = o.error(err);
      content = await page.render(ctx);
    }
    if (mine !== seq) return;
    const fragment = document.createDocumentFragment();
    append(fragment, [content]);
    main.replaceChildren(fragment);
    main.removeAttribute('aria-busy');
    setBaseTitle(titleOverride ?? page.title(t()));
    if (!page.noReturn) session.setLastPage(location.pathname + location.search);
    o.afterRender();
    if (focus) {
      const part = location.hash ? document.getElementById(decodeURIComponent(location.hash.slice(1))) : null;
      if (part && main.contains(part)) {
        if (!part.hasAttribute('tabindex')) part.setAttribute('tabindex', '-1');
        part.scrollIntoView({ block: 'start' });
        part.focus({ preventScroll: true });
      } else {
        window.scrollTo(0, 0);
        (main.querySelector<HTMLElement>('h1') ?? main).focus();
      }
    }
  }

  function navigate(path: string, options: { replace?: boolean; focus?: boolean } = {}): void {
    if (options.replace) history.replaceState(null, '', path);
    else history.pushState(null, '', path);
    void render(options.focus ?? true);
  }

  /** Values typed into the page, by control id, to survive a re-render. */
  function snapshot(): Map<string, string | boolean> {
    const values = new Map<string, string | boolean>();
    for (const el of main.querySelectorAll<HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement>('input[id], select[id], textarea[id]')) {
      values.set(el.id, el instanceof HTMLInputElement && (el.type === 'radio' || el.type === 'checkbox') ? el.checked : el.value);
    }
    return values;
  }

  function restore(values: Map<string, string | boolean>): void {
    for (const [id, v] of values) {
      const el = document.getElementById(id);
      if (el instanceof HTMLInputElement && typeof v === 'boolean') el.checked = v;
      else if ((el instanceof HTMLInputElement || el instanceof HTMLSelectElement || el instanceof HTMLTextAreaElement) && typeof v === 'string') el.value = v;
      else continue;
      el.dispatchEvent(new Event('change', { bubbles: true }));
    }
  }

  return {
    navigate,
    async refresh() {
      const values = snapshot();
      await render(false);
      restore(values);
    },
    start() {
      document.addEventListener('click', (event) => {
        if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
        const a = (event.target as Element).closest('a');
        if (!a || a.target || a.hasAttribute('download') || (a.getAttribute('href') ?? '#').startsWith('#')) return;
        const url = new URL(a.href);
        if (url.origin !== location.origin || /^\/(api|dev)(\/|$)/.test(url.pathname) || !isPagePath(url.pathname)) return;
        event.preventDefault();
        navigate(url.pathname + url.search + url.hash);
      });
      window.addEventListener('popstate', () => void render(true));
      void render(false);
    },
  };
}
