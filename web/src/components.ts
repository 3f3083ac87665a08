/** Building blocks shared by the pages. */
import type { Dossier } from './api';
import { h, hidden, type Child } from './dom';
import { t } from './i18n';
import { STEP_ORDER, STEP_PATHS, SUMMARY_PATH, type StepName } from './wizard';

/** The page's heading; the router moves focus to it after each navigation. */
export function heading(text: string, caption?: string): HTMLElement {
  return h('h1', { class: 'page-title', tabindex: '-1' }, caption ? h('span', { class: 'caption' }, caption, hidden(t().colon)) : null, text);
}

export function button(text: Child, attrs: Record<string, string | boolean | undefined | ((e: Event) => void)> = {}): HTMLButtonElement {
  return h('button', { class: 'button', type: 'submit', ...attrs }, text);
}

export function buttonLink(href: string, text: Child, secondary = false): HTMLAnchorElement {
  return h('a', { class: secondary ? 'button button--secondary' : 'button', href }, text);
}

export type NoticeKind = 'info' | 'warning' | 'success' | 'error';

export function notice(kind: NoticeKind, ...children: Child[]): HTMLElement {
  return h('div', { class: `notice notice--${kind}` }, ...children);
}

export interface Row {
  key: string;
  value: Child;
  /** Link to change it. */
  change?: string;
  /** Civil-status field (the correction form's `champ`): a "Report an error" link to the form, that field preselected. */
  report?: string;
}

/** Where a civil-status row's "Report an error" leads (web/src/pages/documents.ts reads `champ`). */
export const CORRECTION_FORM = '/correction';

export function summaryList(rows: Row[]): HTMLElement {
  return h(
    'dl',
    { class: 'summary-list' },
    rows.map((r) =>
      h(
        'div',
        { class: 'summary-row' },
        h('dt', { class: 'summary-key' }, r.key),
        h('dd', { class: 'summary-value' }, r.value ?? t().notProvided),
        r.change ? h('dd', { class: 'summary-action' }, h('a', { href: r.change }, t().change, hidden(` ${r.key}`))) : null,
        r.report ? h('dd', { class: 'summary-action' }, h('a', { href: `${CORRECTION_FORM}?champ=${encodeURIComponent(r.report)}` }, t().reportError, hidden(`${t().colon}${r.key}`))) : null,
      ),
    ),
  );
}

const WIZARD: ReadonlyArray<StepName | 'summary'> = [...STEP_ORDER, 'summary'];

export function stepNumber(step: StepName | 'summary'): { n: number; total: number } {
  return { n: WIZARD.indexOf(step) + 1, total: WIZARD.length };
}

/** "Step 2 of 6" and the list of steps, the current one marked aria-current="step". */
export function progress(current: StepName | 'summary', d: Dossier): HTMLElement {
  const tr = t();
  const doneUpTo = d.nextStep === null ? WIZARD.length : WIZARD.indexOf(d.nextStep);
  return h(
    'nav',
    { class: 'progress', 'aria-label': tr.progressLabel },
    h(
      'ol',
      { class: 'progress-list' },
      WIZARD.map((step, i) => {
        const name = tr.stepNames[step];
        const isCurrent = step === current;
        const done = i < doneUpTo && !isCurrent;
        const reachable = d.status === 'draft' && i <= doneUpTo;
        const href = step === 'summary' ? SUMMARY_PATH : STEP_PATHS[step];
        const state = isCurrent ? tr.stepCurrent : done ? tr.stepDone : '';
        const label = [h('span', { class: 'progress-marker', 'aria-hidden': 'true' }, done ? '✓' : String(i + 1)), h('span', { class: 'progress-name' }, name), state ? hidden(` ${state}`) : null];
        return h(
          'li',
          { class: `progress-item${isCurrent ? ' is-current' : ''}${done ? ' is-done' : ''}`, 'aria-current': isCurrent ? 'step' : undefined },
          reachable && !isCurrent ? h('a', { class: 'progress-link', href }, label) : h('span', { class: 'progress-link' }, label),
        );
      }),
    ),
  );
}

/** The primary button of a step form, and the link back (the previous step, or the summary when editing from it). */
export function stepActions(primary: string, back?: { href: string; text: string }): HTMLElement {
  return h('div', { class: 'actions' }, button(primary), back ? h('a', { class: 'link-back', href: back.href }, back.text) : null);
}
