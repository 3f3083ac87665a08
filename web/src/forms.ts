/**
 * Form fields and error reporting (GOV.UK / DSFR patterns, WCAG 2.1 AA):
 * - every control has a visible label, its hint and error tied with aria-describedby;
 * - on a failed submit an error summary at the top of the page lists each error as a link to
 *   its field; it is announced (role="alert") and receives focus; the page title starts with
 *   "Erreur :"; each field shows its own message and is marked aria-invalid.
 * Client-side checks run the API's own zod schemas (functions/domain/schemas.ts) and messages
 * (messages/fields.ts), so the pages say exactly what the API would; the API stays the authority
 * and its field errors are shown the same way.
 */
import type { z } from 'zod';
import { fieldMessage } from '../../functions/domain/messages/fields';
import { validate } from '../../functions/domain/validate';
import { ApiError, Redirected } from './api';
import { h, hidden, type Child } from './dom';
import { currentLang, t } from './i18n';
import { baseTitle } from './ui';

export type FieldErrors = Record<string, string>;

export const fieldId = (path: string) => `f-${path.replace(/[^A-Za-z0-9_-]/g, '-')}`;

interface BaseField {
  /** The body path the API reports errors under, e.g. `address.postalCode`. */
  name: string;
  label: string;
  hint?: string;
  optional?: boolean;
}

function labelFor(o: BaseField, id: string): HTMLLabelElement {
  return h('label', { class: 'label', for: id }, o.label, o.optional ? ` ${t().optional}` : null);
}

function hintFor(o: BaseField, id: string): HTMLElement | null {
  return o.hint ? h('p', { class: 'hint', id: `${id}-hint` }, o.hint) : null;
}

export interface TextFieldOptions extends BaseField {
  value?: string;
  type?: 'text' | 'email' | 'tel';
  autocomplete?: string;
  inputmode?: string;
  spellcheck?: boolean;
  autocapitalize?: string;
  width?: 'short' | 'medium';
}

export function textField(o: TextFieldOptions): HTMLElement {
  const id = fieldId(o.name);
  return h(
    'div',
    { class: 'form-group', 'data-field': o.name },
    labelFor(o, id),
    hintFor(o, id),
    h('input', {
      class: `input${o.width ? ` input--${o.width}` : ''}`,
      id,
      name: o.name,
      type: o.type ?? 'text',
      value: o.value ?? '',
      autocomplete: o.autocomplete ?? 'off',
      inputmode: o.inputmode,
      spellcheck: o.spellcheck === false ? 'false' : undefined,
      autocapitalize: o.autocapitalize,
      'aria-describedby': o.hint ? `${id}-hint` : undefined,
    }),
  );
}

export function textArea(o: BaseField & { value?: string; rows?: number }): HTMLElement {
  const id = fieldId(o.name);
  const area = h('textarea', { class: 'textarea', id, name: o.name, rows: o.rows ?? 6, 'aria-describedby': o.hint ? `${id}-hint` : undefined });
  area.value = o.value ?? '';
  return h('div', { class: 'form-group', 'data-field': o.name }, labelFor(o, id), hintFor(o, id), area);
}

export function selectField(o: BaseField & { value?: string; autocomplete?: string; options: { value: string; label: string }[] }): HTMLElement {
  const id = fieldId(o.name);
  const select = h(
    'select',
    { class: 'select', id, name: o.name, autocomplete: o.autocomplete, 'aria-describedby': o.hint ? `${id}-hint` : undefined },
    o.options.map((opt) => h('option', { value: opt.value, selected: opt.value === o.value }, opt.label)),
  );
  return h('div', { class: 'form-group', 'data-field': o.name }, labelFor(o, id), hintFor(o, id), select);
}

export interface Choice {
  value: string;
  label: string;
  hint?: string;
  /** Shown only while this choice is selected (conditional reveal). */
  reveal?: Child;
}

export function radios(o: BaseField & { value?: string; options: Choice[]; legendHeading?: boolean }): HTMLElement {
  const id = fieldId(o.name);
  const items = o.options.map((opt) => {
    const inputId = `${id}-${opt.value}`;
    const revealId = `${inputId}-reveal`;
    const input = h('input', {
      class: 'choice-input',
      type: 'radio',
      id: inputId,
      name: o.name,
      value: opt.value,
      checked: opt.value === o.value,
      'aria-describedby': opt.hint ? `${inputId}-hint` : undefined,
      'aria-controls': opt.reveal ? revealId : undefined,
    });
    const item = h(
      'div',
      { class: 'choice' },
      input,
      h('label', { class: 'choice-label', for: inputId }, opt.label),
      opt.hint ? h('p', { class: 'hint choice-hint', id: `${inputId}-hint` }, opt.hint) : null,
    );
    return opt.reveal ? [item, h('div', { class: 'reveal', id: revealId }, opt.reveal)] : item;
  });
  const legend = h('legend', { class: o.legendHeading ? 'legend legend--heading' : 'legend' }, o.label);
  const fieldset = h('fieldset', { class: 'form-group fieldset', 'data-field': o.name, 'aria-describedby': o.hint ? `${id}-hint` : undefined }, legend, hintFor(o, id), h('div', { class: 'choices' }, items));
  syncReveals(fieldset);
  fieldset.addEventListener('change', () => syncReveals(fieldset));
  return fieldset;
}

export function checkbox(o: BaseField & { checked?: boolean; reveal?: Child }): HTMLElement {
  const id = fieldId(o.name);
  const revealId = `${id}-reveal`;
  const group = h(
    'div',
    { class: 'form-group', 'data-field': o.name },
    h(
      'div',
      { class: 'choice' },
      h('input', { class: 'choice-input', type: 'checkbox', id, name: o.name, value: 'yes', checked: o.checked, 'aria-describedby': o.hint ? `${id}-hint` : undefined, 'aria-controls': o.reveal ? revealId : undefined }),
      h('label', { class: 'choice-label', for: id }, o.label),
      o.hint ? h('p', { class: 'hint choice-hint', id: `${id}-hint` }, o.hint) : null,
    ),
    o.reveal ? h('div', { class: 'reveal', id: revealId }, o.reveal) : null,
  );
  syncReveals(group);
  group.addEventListener('change', () => syncReveals(group));
  return group;
}

/** Shows the conditional content of checked choices only. */
function syncReveals(scope: HTMLElement): void {
  for (const input of scope.querySelectorAll<HTMLInputElement>('input[aria-controls]')) {
    const panel = scope.querySelector<HTMLElement>(`#${CSS.escape(input.getAttribute('aria-controls')!)}`);
    if (panel) panel.hidden = !input.checked;
  }
}

/**
 * A memorable date (birth date) as three numeric fields, day, month, year: the pattern the
 * French state design system and GOV.UK recommend. Native date pickers make a birth date slow
 * to reach and their typing order depends on the browser's locale.
 */
export function dateField(o: BaseField & { value?: string }): HTMLElement {
  const id = fieldId(o.name);
  const [year, month, day] = (o.value ?? '').split('-');
  const tr = t();
  const part = (key: 'day' | 'month' | 'year', label: string, width: string, value: string | undefined) =>
    h(
      'div',
      { class: 'date-part' },
      h('label', { class: 'label label--part', for: `${id}-${key}` }, label),
      h('input', {
        class: `input input--${width}`,
        id: `${id}-${key}`,
        name: `${o.name}.${key}`,
        type: 'text',
        inputmode: 'numeric',
        value: value ?? '',
        autocomplete: `bday-${key}`,
        maxlength: key === 'year' ? 4 : 2,
        'aria-describedby': o.hint ? `${id}-hint` : undefined,
      }),
    );
  return h(
    'fieldset',
    { class: 'form-group fieldset', 'data-field': o.name, role: 'group', 'aria-describedby': o.hint ? `${id}-hint` : undefined },
    h('legend', { class: 'legend' }, o.label),
    hintFor(o, id),
    h('div', { class: 'date-parts' }, part('day', tr.day, '2ch', day), part('month', tr.month, '2ch', month), part('year', tr.year, '4ch', year)),
  );
}

/** The date typed in a dateField as `YYYY-MM-DD` ('' when left empty), or a message when its parts are not numbers. */
export function dateValue(form: HTMLFormElement, name: string): { value: string; error?: string } {
  const [day, month, year] = ['day', 'month', 'year'].map((k) => value(form, `${name}.${k}`).trim());
  if (!day && !month && !year) return { value: '' };
  if (!/^\d{1,2}$/.test(day!) || !/^\d{1,2}$/.test(month!) || !/^\d{4}$/.test(year!)) return { value: '', error: t().dateParts };
  return { value: `${year}-${month!.padStart(2, '0')}-${day!.padStart(2, '0')}` };
}

// ---------------------------------------------------------------------------------------------
// Values

export function value(form: HTMLFormElement, name: string): string {
  const el = form.elements.namedItem(name);
  if (el instanceof RadioNodeList) return el.value;
  return el instanceof HTMLInputElement || el instanceof HTMLSelectElement || el instanceof HTMLTextAreaElement ? el.value : '';
}

export function checked(form: HTMLFormElement, name: string): boolean {
  const el = form.elements.namedItem(name);
  return el instanceof HTMLInputElement && el.checked;
}

/** Runs an API schema on a body: field path → message in the student's language, or null when valid. */
export function check(schema: z.ZodType, body: unknown): FieldErrors | null {
  const result = validate(schema, body);
  if (result.ok) return null;
  const lang = currentLang();
  return Object.fromEntries(Object.entries(result.fields).map(([path, code]) => [path, fieldMessage(code, lang)]));
}

// ---------------------------------------------------------------------------------------------
// Errors

export function clearErrors(form: HTMLFormElement): void {
  document.querySelector('.error-summary')?.remove();
  for (const el of form.querySelectorAll('.field-error')) el.remove();
  for (const group of form.querySelectorAll('.form-group--error')) group.classList.remove('form-group--error');
  for (const el of form.querySelectorAll('[aria-invalid]')) {
    el.removeAttribute('aria-invalid');
    const ids = (el.getAttribute('aria-describedby') ?? '').split(' ').filter((x) => x && !x.endsWith('-error'));
    if (ids.length) el.setAttribute('aria-describedby', ids.join(' '));
    else el.removeAttribute('aria-describedby');
  }
  document.title = baseTitle();
}

function describe(el: Element, id: string): void {
  const ids = (el.getAttribute('aria-describedby') ?? '').split(' ').filter(Boolean);
  if (!ids.includes(id)) el.setAttribute('aria-describedby', [...ids, id].join(' '));
}

/**
 * Shows errors: per field (message, aria-invalid) and in a summary that is announced and
 * focused. Paths without a field on the page (e.g. the whole body) are listed as general
 * errors linking to the first field.
 */
export function showErrors(form: HTMLFormElement, fields: FieldErrors, general?: string): void {
  clearErrors(form);
  const tr = t();
  const items: HTMLElement[] = [];
  const firstControl = form.querySelector<HTMLElement>('input:not([type=hidden]), select, textarea, button');
  if (general) items.push(h('li', {}, firstControl?.id ? h('a', { href: `#${firstControl.id}` }, general) : general));

  // In the order the fields appear on the page.
  const position = (path: string) => {
    const group = form.querySelector(`[data-field="${CSS.escape(path)}"]`);
    return group ? [...form.querySelectorAll('[data-field]')].indexOf(group) : -1;
  };
  const ordered = Object.entries(fields).sort(([a], [b]) => position(a) - position(b));
  for (const [path, message] of ordered) {
    const group = form.querySelector<HTMLElement>(`[data-field="${CSS.escape(path)}"]`);
    if (!group) {
      if (message !== general) items.push(h('li', {}, firstControl?.id ? h('a', { href: `#${firstControl.id}` }, message) : message));
      continue;
    }
    const errorId = `${fieldId(path)}-error`;
    group.classList.add('form-group--error');
    const error = h('p', { class: 'field-error', id: errorId }, hidden(`${tr.errorPrefix} : `), message);
    const anchor = group.querySelector('.hint:not(.choice-hint)') ?? group.querySelector('label, legend');
    if (anchor && anchor.parentElement === group) anchor.after(error);
    else group.prepend(error);
    // A group (radios, date parts) is marked as a whole, and so are its text inputs.
    const controls = group.matches('fieldset') ? [group, ...group.querySelectorAll<HTMLElement>('input.input')] : [...group.querySelectorAll<HTMLElement>('input, select, textarea')].slice(0, 1);
    for (const c of controls) {
      c.setAttribute('aria-invalid', 'true');
      describe(c, errorId);
    }
    const label = group.querySelector('legend, label')?.textContent?.trim() ?? '';
    const target = group.querySelector<HTMLElement>('input, select, textarea');
    items.push(h('li', {}, h('a', { href: `#${target?.id ?? fieldId(path)}` }, label ? `${label} : ${message}` : message)));
  }

  const summary = h(
    'div',
    { class: 'error-summary', role: 'alert', tabindex: '-1', 'aria-labelledby': 'error-summary-title' },
    h('h2', { class: 'error-summary-title', id: 'error-summary-title' }, tr.errorSummaryTitle),
    h('ul', { class: 'error-summary-list' }, items),
  );
  summary.addEventListener('click', (event) => {
    const a = (event.target as Element).closest('a');
    const target = a && document.getElementById(decodeURIComponent(a.hash.slice(1)));
    if (!target) return;
    event.preventDefault();
    (target.closest('.form-group') ?? target).scrollIntoView({ block: 'start' });
    target.focus({ preventScroll: true });
  });
  const main = document.getElementById('main')!;
  main.prepend(summary);
  document.title = `${tr.errorPrefix} : ${baseTitle()}`;
  summary.focus();
}

/** The message to show for a failed call (already handled redirects excluded). */
export function failureOf(err: unknown): { fields: FieldErrors; message: string } {
  if (err instanceof ApiError) return { fields: err.fields, message: err.message };
  return { fields: {}, message: t().networkError };
}

/**
 * Wires a form: client-side check first (the API's schemas), then the call; API field errors
 * and refusals are reported like client-side ones. Double submits are ignored while a call runs.
 */
export function onSubmit(form: HTMLFormElement, o: { check?: () => FieldErrors | null; send: () => Promise<void> }): void {
  let busy = false;
  form.noValidate = true;
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (busy) return;
    const errors = o.check?.() ?? null;
    if (errors) {
      showErrors(form, errors);
      return;
    }
    busy = true;
    form.setAttribute('aria-busy', 'true');
    o.send()
      .catch((err: unknown) => {
        if (err instanceof Redirected) return;
        // A refusal naming fields is explained by the fields' own messages; otherwise by the API's message.
        const { fields, message } = failureOf(err);
        showErrors(form, fields, Object.keys(fields).length > 0 ? undefined : message);
      })
      .finally(() => {
        busy = false;
        form.removeAttribute('aria-busy');
      });
  });
}
