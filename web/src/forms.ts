/**
 * Form fields and error reporting (GOV.UK / DSFR patterns, WCAG 2.1 AA):
 * - every control has a visible label, its hint and error tied with aria-describedby;
 * - on a failed submit an error summary at the top of the page lists each error as a link to
 *   its field; it is announced (role="alert") and receives focus; the page title starts with
 *   "Erreur :"; each field shows its own message and is marked aria-invalid.
 * - a field inside a named part of the form (the home or the term-time address) is named with
 *   it, so two "Postcode" errors say which address each is about;
 * - a radio group's error is in each radio's aria-describedby, read when a radio gets focus;
 * - a refusal whose full explanation is long (the INE declaration, a CVEC civil-status
 *   mismatch) is one short sentence with a link to the help page's explanation.
 * Client-side checks run the API's own zod schemas (functions/domain/schemas.ts) and messages
 * (messages/fields.ts), so the pages say exactly what the API would; the API stays the authority
 * and its field errors are shown the same way.
 *
 * Step forms also keep what is typed and not yet saved (`keepDraft`, session.ts), so an expired
 * session or a trip to another page loses nothing.
 */
import type * as z from 'zod/mini';
import { fieldMessage, isFieldCode, type FieldCode } from '../../functions/domain/messages/fields';
import { validator } from '../../functions/domain/validation';
import { ApiError, Redirected } from './api';
import { h, hidden, link, type Child } from './dom';
import { currentLang, t, type Lang } from './i18n';
import { session, type DraftField } from './session';
import { baseTitle } from './ui';

/** A field's error: the message, or a short one with a link to the help page's explanation. */
export type FieldError = string | { text: string; help: { href: string; label: string } };
export type FieldErrors = Record<string, FieldError>;

/** The message for a reason code, short with a help link where the full one is long. */
export function fieldError(code: FieldCode, lang: Lang = currentLang()): FieldError {
  const short = t().shortErrors[code];
  return short ? { text: short.text, help: { href: `/aide#${short.help}`, label: short.link } } : fieldMessage(code, lang);
}

// The API's validation bound to the plain message tables (the Lambda functions read them packed: functions/domain/validate.ts).
const validate = validator(isFieldCode);

const errorText = (e: FieldError) => (typeof e === 'string' ? e : e.text);

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
  const fieldset = h(
    'fieldset',
    { class: 'form-group fieldset', 'data-field': o.name, 'aria-describedby': o.hint ? `${id}-hint` : undefined },
    legend,
    hintFor(o, id),
    h('div', { class: 'choices' }, items),
  );
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
      h('input', {
        class: 'choice-input',
        type: 'checkbox',
        id,
        name: o.name,
        value: 'yes',
        checked: o.checked,
        'aria-describedby': o.hint ? `${id}-hint` : undefined,
        'aria-controls': o.reveal ? revealId : undefined,
      }),
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
export function check(schema: z.ZodMiniType, body: unknown): FieldErrors | null {
  const result = validate(schema, body);
  if (result.ok) return null;
  const lang = currentLang();
  return Object.fromEntries(Object.entries(result.fields).map(([path, code]) => [path, fieldError(code, lang)]));
}

type Control = HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement;

/** The part of the form a field belongs to, when it has a name (e.g. "term-time address"). */
function contextOf(group: Element): string | null {
  return group.parentElement?.closest('[data-context]')?.getAttribute('data-context') ?? null;
}

/** How a field is named to the student: its label (or its group's legend), with its part of the form. */
export function groupLabel(group: Element): string {
  const label = group.querySelector('legend, label')?.textContent?.trim() ?? '';
  const context = contextOf(group);
  return context ? `${label} (${context})` : label;
}

function controlValue(el: Control): string | boolean {
  return el instanceof HTMLInputElement && (el.type === 'radio' || el.type === 'checkbox') ? el.checked : el.value;
}

/**
 * Keeps what the student types in a step form and has not saved (session.ts drafts), and puts it
 * back when the page is shown again: after signing in again once the session expired, and on
 * coming back from the help page, the support form or another step. Saving the step forgets it.
 */
export function keepDraft(form: HTMLFormElement, path: string, title: string): void {
  const controls = () => [...form.querySelectorAll<Control>('input[id], select[id], textarea[id]')];
  const initial = new Map(controls().map((el) => [el.id, controlValue(el)]));
  const saved = session.draft(path);
  if (saved) {
    for (const [id, field] of Object.entries(saved.fields)) {
      const el = form.querySelector<Control>(`#${CSS.escape(id)}`);
      if (!el) continue;
      if (el instanceof HTMLInputElement && typeof field.value === 'boolean' && (el.type === 'radio' || el.type === 'checkbox')) el.checked = field.value;
      else if (typeof field.value === 'string') el.value = field.value;
      else continue;
      el.dispatchEvent(new Event('change', { bubbles: true }));
    }
  }
  const save = () => {
    const fields: Record<string, DraftField> = {};
    for (const el of controls()) {
      const v = controlValue(el);
      if (initial.get(el.id) === v) continue;
      const group = el.closest('[data-field]');
      fields[el.id] = { value: v, label: group ? groupLabel(group) : el.name };
    }
    session.setDraft(path, { title, fields });
    return fields;
  };
  form.addEventListener('input', save);
  form.addEventListener('change', save);
  if (saved) {
    const labels = draftLabels(save());
    if (labels) form.prepend(h('div', { class: 'notice notice--info', id: 'draft-restored' }, h('p', {}, t().draftRestored(labels))));
  }
}

/** "E-mail, Phone": the fields of a draft, each named once. */
export function draftLabels(fields: Record<string, DraftField>): string {
  return [...new Set(Object.values(fields).map((f) => f.label))].join(', ');
}

// ---------------------------------------------------------------------------------------------
// Errors

export function clearErrors(form: HTMLFormElement): void {
  document.querySelector('.error-summary')?.remove();
  for (const el of form.querySelectorAll('.field-error')) el.remove();
  for (const group of form.querySelectorAll('.form-group--error')) group.classList.remove('form-group--error');
  for (const el of form.querySelectorAll('[aria-invalid], [aria-describedby$="-error"], [aria-describedby*="-error "]')) {
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
    const text = errorText(message);
    if (!group) {
      if (text !== general) items.push(h('li', {}, firstControl?.id ? h('a', { href: `#${firstControl.id}` }, text) : text));
      continue;
    }
    const errorId = `${fieldId(path)}-error`;
    group.classList.add('form-group--error');
    const context = contextOf(group);
    const error = h(
      'p',
      { class: 'field-error', id: errorId },
      hidden(`${tr.errorPrefix}${context ? `, ${context}` : ''}${tr.colon}`),
      text,
      typeof message === 'string' ? null : [' ', link(message.help.href, message.help.label, { class: 'field-error-help' })],
    );
    const anchor = group.querySelector('.hint:not(.choice-hint)') ?? group.querySelector('label, legend');
    if (anchor && anchor.parentElement === group) anchor.after(error);
    else group.prepend(error);
    // A group (radios, date parts) is marked as a whole, and so are its own inputs (not those
    // revealed by one of its choices): each radio carries the error, read when it gets focus.
    const own = [...group.querySelectorAll<HTMLInputElement>('input')].filter((c) => c.closest('[data-field]') === group);
    const controls: HTMLElement[] = group.matches('fieldset') ? [group, ...own] : own.length ? own.slice(0, 1) : [...group.querySelectorAll<HTMLElement>('select, textarea')].slice(0, 1);
    for (const c of controls) {
      c.setAttribute('aria-invalid', 'true');
      describe(c, errorId);
    }
    const label = groupLabel(group);
    const target = group.querySelector<HTMLElement>('input, select, textarea');
    items.push(h('li', {}, h('a', { href: `#${target?.id ?? fieldId(path)}` }, label ? `${label}${tr.colon}${text}` : text)));
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
  document.title = `${tr.errorPrefix}${tr.colon}${baseTitle()}`;
  summary.focus();
}

/** The message to show for a failed call (already handled redirects excluded). */
export function failureOf(err: unknown): { fields: FieldErrors; message: string } {
  if (err instanceof ApiError) {
    const fields: FieldErrors = { ...err.fields };
    for (const [path, code] of Object.entries(err.reasons)) if (path in fields && t().shortErrors[code]) fields[path] = fieldError(code);
    return { fields, message: err.message };
  }
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
