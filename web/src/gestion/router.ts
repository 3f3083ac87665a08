/** Client-side routes under /gestion; links are plain <a> (keyboard and middle-click work). */
export interface PageContext {
  params: Record<string, string>;
  query: URLSearchParams;
  /** Runs when the page is left (stops its polling). */
  onLeave(fn: () => void): void;
}
export type Page = (ctx: PageContext) => Promise<{ title: string; body: Node[] }>;

const leaving: (() => void)[] = [];

export function match(pattern: string, path: string): Record<string, string> | undefined {
  const p = pattern.split('/');
  const a = path.replace(/\/$/, '').split('/');
  if (p.length !== a.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < p.length; i++) {
    if (p[i]!.startsWith(':')) params[p[i]!.slice(1)] = decodeURIComponent(a[i]!);
    else if (p[i] !== a[i]) return undefined;
  }
  return params;
}

export function leave(): void {
  for (const fn of leaving.splice(0)) fn();
}

export function context(params: Record<string, string>): PageContext {
  return { params, query: new URLSearchParams(location.search), onLeave: (fn) => leaving.push(fn) };
}

let render: () => void = () => {};
export function setRenderer(fn: () => void): void {
  render = fn;
}

export function navigate(to: string): void {
  history.pushState(null, '', to);
  render();
}

/** Same-origin links inside /gestion are handled here, without reloading the page. */
export function interceptLinks(): void {
  document.addEventListener('click', (e) => {
    const a = (e.target as Element).closest?.('a');
    if (!a || e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || a.target) return;
    const url = new URL(a.href, location.href);
    if (url.origin !== location.origin || !url.pathname.startsWith('/gestion') || url.pathname === '/gestion/callback') return;
    e.preventDefault();
    navigate(url.pathname + url.search);
  });
  addEventListener('popstate', () => render());
}
