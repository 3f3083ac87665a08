/**
 * What the pages keep between pages of one visit (sessionStorage: gone when the tab closes).
 * The session token is renewed by every student answer (sessions expire after 30 idle
 * minutes): the newest one is kept.
 */
const TOKEN = 'inscrire.token';
const FLASH = 'inscrire.flash';
const LAST_PAGE = 'inscrire.lastPage';

/**
 * A path on this site, or null: `//host/…` and `/\host` are read by browsers as other hosts,
 * so a remembered page must never be one (the help page's Retour link uses it).
 */
export function sameSitePath(path: string | null): string | null {
  if (!path || !path.startsWith('/') || path.startsWith('//') || path.startsWith('/\\')) return null;
  return path;
}

function get(key: string): string | null {
  try {
    return sessionStorage.getItem(key);
  } catch {
    return null;
  }
}

function set(key: string, value: string | null): void {
  try {
    if (value === null) sessionStorage.removeItem(key);
    else sessionStorage.setItem(key, value);
  } catch {
    // Storage refused: the visit works until the page is reloaded.
  }
}

export const session = {
  token: () => get(TOKEN),
  setToken: (token: string | null) => set(TOKEN, token),
  /** A notice for the next page (e.g. "your session expired" on the login page). */
  setFlash: (message: string) => set(FLASH, message),
  takeFlash(): string | null {
    const message = get(FLASH);
    set(FLASH, null);
    return message;
  },
  /** The last page visited outside the help page, for its "Retour" link. */
  lastPage: () => sameSitePath(get(LAST_PAGE)),
  setLastPage: (path: string) => {
    if (sameSitePath(path)) set(LAST_PAGE, path);
  },
};
