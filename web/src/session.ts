/**
 * What the pages keep between pages of one visit (sessionStorage: gone when the tab closes).
 * The session token is renewed by every student answer (sessions expire after an idle period,
 * functions/shared/tokens.ts): the newest one is kept, with the moment it lapses by this
 * browser's clock (the token's own lifetime counted from its arrival, so a wrong clock on the
 * student's device does not matter).
 *
 * Unsaved step fields (drafts) are kept here too, so that an expired session, a trip to the help
 * page or the support form, or the Retour link loses nothing typed. Drafts belong to the dossier
 * whose token was live when they were typed: another student signing in on the same tab never
 * sees them, and signing out erases them.
 */
const TOKEN = 'inscrire.token';
const DEADLINE = 'inscrire.expiresAt';
const FLASH = 'inscrire.flash';
const LAST_PAGE = 'inscrire.lastPage';
const DRAFTS = 'inscrire.drafts';

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

/** The claims the pages need from a session token (not verified here: the API does that). */
export function tokenClaims(token: string | null): { sub: string; lifetimeMs: number; exp: number } | null {
  try {
    const part = token?.split('.')[1];
    if (!part) return null;
    const json = JSON.parse(atob(part.replace(/-/g, '+').replace(/_/g, '/'))) as { sub?: unknown; iat?: unknown; exp?: unknown };
    if (typeof json.sub !== 'string' || typeof json.iat !== 'number' || typeof json.exp !== 'number') return null;
    return { sub: json.sub, lifetimeMs: (json.exp - json.iat) * 1000, exp: json.exp * 1000 };
  } catch {
    return null;
  }
}

/** One control's unsaved value and the label naming it to the student. */
export interface DraftField {
  value: string | boolean;
  label: string;
}

/** The unsaved fields of one step page. */
export interface Draft {
  /** The page's title when typed (names the step in the "what was kept" message). */
  title: string;
  fields: Record<string, DraftField>;
}

interface Drafts {
  owner: string;
  pages: Record<string, Draft>;
}

function readDrafts(): Drafts | null {
  try {
    const d = JSON.parse(get(DRAFTS) ?? 'null') as Drafts | null;
    return d && typeof d.owner === 'string' && d.pages && typeof d.pages === 'object' ? d : null;
  } catch {
    return null;
  }
}

const tokenListeners: (() => void)[] = [];

export const session = {
  token: () => get(TOKEN),
  /** Keeps a new token (or forgets it) and tells the session timer. */
  setToken(token: string | null) {
    set(TOKEN, token);
    const claims = tokenClaims(token);
    set(DEADLINE, token && claims ? String(Date.now() + claims.lifetimeMs) : null);
    // A different student on this tab: the previous one's drafts are not theirs.
    const drafts = readDrafts();
    if (token && claims && drafts && drafts.owner !== claims.sub) set(DRAFTS, null);
    for (const fn of tokenListeners) fn();
  },
  /** When the current token lapses, in this browser's clock (ms), or null without a session. */
  expiresAt(): number | null {
    const token = get(TOKEN);
    if (!token) return null;
    const stored = Number(get(DEADLINE));
    return Number.isFinite(stored) && stored > 0 ? stored : (tokenClaims(token)?.exp ?? null);
  },
  onTokenChange(fn: () => void) {
    tokenListeners.push(fn);
  },
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

  /** The unsaved fields of a page, if typed by the student now signed in. */
  draft(path: string): Draft | null {
    const drafts = readDrafts();
    const owner = tokenClaims(get(TOKEN))?.sub;
    return drafts && owner && drafts.owner === owner ? (drafts.pages[path] ?? null) : null;
  },
  /** Keeps (or, with no field, forgets) a page's unsaved fields for the student signed in. */
  setDraft(path: string, draft: Draft | null) {
    const owner = tokenClaims(get(TOKEN))?.sub;
    if (!owner) return;
    const drafts = readDrafts();
    const pages = drafts && drafts.owner === owner ? { ...drafts.pages } : {};
    if (draft && Object.keys(draft.fields).length > 0) pages[path] = draft;
    else delete pages[path];
    set(DRAFTS, Object.keys(pages).length > 0 ? JSON.stringify({ owner, pages }) : null);
  },
  /** The pages where the student signed in has unsaved fields. */
  draftPaths(): string[] {
    const drafts = readDrafts();
    const owner = tokenClaims(get(TOKEN))?.sub;
    return drafts && owner && drafts.owner === owner ? Object.keys(drafts.pages) : [];
  },
  /** Every page with unsaved fields (kept across an expiry, for the same student). */
  drafts(): Draft[] {
    return Object.values(readDrafts()?.pages ?? {});
  },
  /** Signing out erases what was typed (a shared computer). */
  clearDrafts: () => set(DRAFTS, null),
};
