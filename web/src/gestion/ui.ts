/** Shared bits of the console's pages: headings, tables, status text, forms with a result line. */
import { ApiError } from './api';
import { h } from './dom';
import type { StatusView } from '../../../functions/shared/contracts';
import { locale, t } from './i18n';

export function table(caption: string, head: string[], rows: (Node | string | number)[][]): HTMLElement {
  return h(
    'div',
    { class: 'table-wrap', role: 'region', 'aria-label': caption, tabindex: 0 },
    h(
      'table',
      {},
      h('caption', {}, caption),
      h('thead', {}, h('tr', {}, ...head.map((c) => h('th', { scope: 'col' }, c)))),
      h('tbody', {}, ...rows.map((r) => h('tr', {}, ...r.map((c, i) => (i === 0 ? h('th', { scope: 'row' }, c) : h('td', {}, c)))))),
    ),
  );
}

/** A status line (role=status) that says how an action went. */
export function resultLine(): { el: HTMLElement; ok(text?: string): void; fail(err: unknown): void } {
  const el = h('p', { role: 'status', class: 'result' });
  return {
    el,
    ok(text = t('done2')) {
      el.className = 'result ok';
      el.textContent = text;
    },
    fail(err) {
      el.className = 'result error';
      el.textContent = t('failed', { message: err instanceof ApiError ? err.message : String(err) });
    },
  };
}

let uid = 0;
export const fieldId = (name: string) => `f-${name}-${++uid}`;

export function labelled(label: string, control: HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement): HTMLElement {
  control.id ||= fieldId(control.name || 'x');
  return h('div', { class: 'field' }, h('label', { for: control.id }, label), control);
}

export function select(name: string, options: [string, string][], value = ''): HTMLSelectElement {
  const el = h('select', { name });
  for (const [v, label] of options) el.append(h('option', { value: v, selected: v === value }, label));
  return el;
}

let zone: Promise<string> | undefined;
/** The university's time zone (the stage's calendar, from GET /api/status): the console shows instants in it. */
export function timeZone(): Promise<string> {
  zone ??= fetch('/api/status')
    .then((r) => r.json() as Promise<StatusView>)
    .then((s) => s.timeZone);
  return zone;
}

/** A calendar day of the API (YYYY-MM-DD, already in the university's zone), e.g. "5 nov. 2026". */
export const formatDay = (day: string) => new Intl.DateTimeFormat(locale(), { dateStyle: 'medium', timeZone: 'UTC' }).format(new Date(`${day}T00:00:00Z`));
