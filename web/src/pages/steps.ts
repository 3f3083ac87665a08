/** The five wizard steps: one page each, saved by the API as soon as the step is valid. */
import { campaignFirstYear, cvecRequired, type Regime } from '../../../functions/domain/cvec';
import { IdentityBody, ISO_COUNTRIES } from '../../../functions/domain/contacts';
import { ineDeclarationAllowsNoIne } from '../../../functions/domain/ine';
import { cvecBody, IneValue, ProgrammeBody, SituationBody } from '../../../functions/domain/schemas';
import { api, getDossier, getProgrammes, type Dossier, type Programme } from '../api';
import { heading, notice, progress, stepActions, stepNumber, summaryList } from '../components';
import { h, link } from '../dom';
import { check, checkbox, checked, fieldError, keepDraft, onSubmit, radios, selectField, textField, value, type FieldErrors } from '../forms';
import { countryName, currentLang, formatDay, formatMoney, formatPhone, type Dict } from '../i18n';
import type { Page, PageContext } from '../router';
import { session } from '../session';
import { destinationFor, STEP_ORDER, STEP_PATHS, stepReachable, SUMMARY_PATH, type StepName } from '../wizard';

/** The dossier, or a redirect when this step is not the student's to edit now. */
async function loadStep(ctx: PageContext, step: StepName): Promise<Dossier> {
  const d = await getDossier();
  if (d.status !== 'draft') ctx.redirect(destinationFor(d));
  if (!stepReachable(d, step)) ctx.redirect(destinationFor(d));
  return d;
}

function stepTitle(tr: Dict, step: StepName): string {
  const { n, total } = stepNumber(step);
  return `${tr.stepNames[step]} (${tr.stepOf(n, total).toLowerCase()})`;
}

const nextOf = (step: StepName) => {
  const i = STEP_ORDER.indexOf(step);
  return i + 1 < STEP_ORDER.length ? STEP_PATHS[STEP_ORDER[i + 1]!] : SUMMARY_PATH;
};
const previousOf = (step: StepName) => {
  const i = STEP_ORDER.indexOf(step);
  return i > 0 ? STEP_PATHS[STEP_ORDER[i - 1]!] : undefined;
};

/** The query a summary's "Modifier" link adds: after saving, back to the summary. */
export const FROM_SUMMARY = 'retour=recapitulatif';
const fromSummary = (ctx: PageContext) => ctx.query.get('retour') === 'recapitulatif';

/**
 * Where a step goes once saved: the next step; or, when the student came from the summary to
 * change it, back to the summary — unless the change asks for a step still to do (a regime that
 * now needs a CVEC certificate), which comes first, still on the way back to the summary.
 */
function afterSave(ctx: PageContext, step: StepName, saved: Dossier | undefined): string {
  if (!fromSummary(ctx)) return nextOf(step);
  const pending = saved?.nextStep;
  return pending && pending !== 'summary' ? `${STEP_PATHS[pending]}?${FROM_SUMMARY}` : SUMMARY_PATH;
}

function backLink(ctx: PageContext, step: StepName): { href: string; text: string } | undefined {
  if (fromSummary(ctx)) return { href: SUMMARY_PATH, text: ctx.t.backToSummary };
  const previous = previousOf(step);
  return previous ? { href: previous, text: ctx.t.previous } : undefined;
}

function stepPage(step: StepName, build: (ctx: PageContext, d: Dossier) => Promise<HTMLElement[]> | HTMLElement[]): Page {
  return {
    title: (tr) => stepTitle(tr, step),
    student: true,
    async render(ctx) {
      const d = await loadStep(ctx, step);
      const { n, total } = stepNumber(step);
      return [progress(step, d), heading(ctx.t.stepNames[step], ctx.t.stepOf(n, total)), ...(await build(ctx, d))];
    },
  };
}

/**
 * A step form: check with the API's schema, PUT, then on to the next step (or back to the
 * summary). What is typed and not yet saved is kept (forms.ts `keepDraft`) until it is saved.
 */
function stepForm(
  step: StepName,
  ctx: PageContext,
  o: { fields: (HTMLElement | null)[]; primary?: string; check(form: HTMLFormElement): FieldErrors | null; send(form: HTMLFormElement): Promise<unknown> },
): HTMLFormElement {
  const primary = fromSummary(ctx) ? ctx.t.saveReturnSummary : (o.primary ?? ctx.t.saveContinue);
  const form = h('form', { class: 'form', method: 'post', action: location.pathname + location.search }, ...o.fields, stepActions(primary, backLink(ctx, step)));
  const path = STEP_PATHS[step];
  keepDraft(form, path, stepTitle(ctx.t, step));
  onSubmit(form, {
    check: () => o.check(form),
    async send() {
      const saved = (await o.send(form)) as Dossier | undefined;
      session.setDraft(path, null);
      ctx.navigate(afterSave(ctx, step, saved));
    },
  });
  return form;
}

// ---------------------------------------------------------------------------------------------
// 1. Identity and contact details

function countryOptions(): { value: string; label: string }[] {
  const lang = currentLang();
  return [...ISO_COUNTRIES].map((code) => ({ value: code, label: countryName(code, lang) })).sort((a, b) => a.label.localeCompare(b.label, lang));
}

type Address = NonNullable<Dossier['steps']['identity']['address']>;

function addressFields(prefix: 'address' | 'termAddress', tr: Dict, a: Partial<Address> | undefined, countries: { value: string; label: string }[]): HTMLElement[] {
  // Autofill keeps the two addresses apart with a section name.
  const ac = (token: string) => (prefix === 'address' ? token : `section-term ${token}`);
  return [
    textField({ name: `${prefix}.line1`, label: tr.line1, value: a?.line1, autocomplete: ac('address-line1') }),
    textField({ name: `${prefix}.line2`, label: tr.line2, value: a?.line2, autocomplete: ac('address-line2'), optional: true }),
    textField({ name: `${prefix}.postalCode`, label: tr.postalCode, value: a?.postalCode, autocomplete: ac('postal-code'), width: 'short', spellcheck: false }),
    textField({ name: `${prefix}.city`, label: tr.city, value: a?.city, autocomplete: ac('address-level2') }),
    selectField({ name: `${prefix}.country`, label: tr.country, value: a?.country ?? 'FR', autocomplete: ac('country'), options: countries }),
  ];
}

function readAddress(form: HTMLFormElement, prefix: string) {
  const line2 = value(form, `${prefix}.line2`);
  return {
    line1: value(form, `${prefix}.line1`),
    ...(line2.trim() ? { line2 } : {}),
    postalCode: value(form, `${prefix}.postalCode`),
    city: value(form, `${prefix}.city`),
    country: value(form, `${prefix}.country`),
  };
}

export const identity = stepPage('identity', (ctx, d) => {
  const tr = ctx.t;
  const s = d.steps.identity;
  const countries = countryOptions();
  const body = (form: HTMLFormElement) => ({
    email: value(form, 'email'),
    phone: value(form, 'phone'),
    address: readAddress(form, 'address'),
    ...(checked(form, 'termDifferent') ? { termAddress: readAddress(form, 'termAddress') } : {}),
  });
  const form = stepForm('identity', ctx, {
    fields: [
      h('h2', {}, tr.contact),
      textField({ name: 'email', label: tr.email, hint: tr.emailHint, type: 'email', value: s.email, autocomplete: 'email', spellcheck: false }),
      textField({ name: 'phone', label: tr.phone, hint: tr.phoneHint, type: 'tel', value: s.phone, autocomplete: 'tel', width: 'medium' }),
      h(
        'fieldset',
        { class: 'fieldset', 'data-context': tr.address.toLocaleLowerCase() },
        h('legend', { class: 'legend legend--heading' }, tr.address),
        ...addressFields('address', tr, s.address, countries),
      ),
      checkbox({
        name: 'termDifferent',
        label: tr.termDifferent,
        checked: s.termAddress !== undefined,
        reveal: h(
          'fieldset',
          { class: 'fieldset', 'data-context': tr.termAddress.toLocaleLowerCase() },
          h('legend', { class: 'legend legend--heading' }, tr.termAddress),
          ...addressFields('termAddress', tr, s.termAddress, countries),
        ),
      }),
      h('p', { class: 'confirm-note' }, tr.identityConfirm),
    ],
    check: (form) => check(IdentityBody, body(form)),
    send: (form) => api('PUT', '/dossier/identity', body(form)),
  });
  const who = d.student;
  return [
    h('h2', {}, tr.civilStatus),
    summaryList([
      { key: tr.birthName, value: who.lastName, report: 'birthName' },
      ...(who.usageName ? [{ key: tr.usageName, value: who.usageName, report: 'usageName' }] : []),
      { key: tr.firstNames, value: who.firstName, report: 'firstNames' },
      { key: tr.birthDate, value: formatDay(who.birthDate), report: 'birthDate' },
    ]),
    h('p', { class: 'hint' }, tr.civilStatusNote, ' ', link('/assistance', tr.supportTitle)),
    form,
  ];
});

// ---------------------------------------------------------------------------------------------
// 2. INE

export const ine = stepPage('ine', (ctx, d) => {
  const tr = ctx.t;
  const s = d.steps.ine;
  const declared = s.status === 'done' && s.source === 'no_ine_declaration';
  const current = s.status === 'done' ? (declared ? 'no' : 'yes') : undefined;
  const lang = currentLang();
  const form = stepForm('ine', ctx, {
    fields: [
      radios({
        name: 'hasIne',
        label: tr.ineQuestion,
        legendHeading: true,
        value: current,
        options: [
          {
            value: 'yes',
            label: tr.ineYes,
            reveal: textField({ name: 'ine', label: tr.ine, hint: tr.ineHint, value: declared ? '' : s.ine, autocapitalize: 'characters', spellcheck: false, width: 'medium' }),
          },
          {
            value: 'no',
            label: tr.ineNo,
            reveal: [
              h('p', {}, tr.noIneIntro),
              checkbox({ name: 'noFrenchBac', label: tr.noFrenchBac, checked: declared }),
              checkbox({ name: 'neverEnrolledInFrenchUniversity', label: tr.neverEnrolled, checked: declared }),
              h('p', { class: 'hint' }, tr.noIneStuck, ' ', link('/assistance', tr.supportTitle)),
            ],
          },
        ],
      }),
    ],
    check(form) {
      const choice = value(form, 'hasIne');
      if (choice === 'yes') {
        const errors = check(IneValue, value(form, 'ine'));
        return errors ? { ine: Object.values(errors)[0]! } : null;
      }
      if (choice === 'no') {
        const declaration = { noFrenchBac: checked(form, 'noFrenchBac'), neverEnrolledInFrenchUniversity: checked(form, 'neverEnrolledInFrenchUniversity') };
        if (ineDeclarationAllowsNoIne(declaration)) return null;
        // The same refusal the API gives, on each statement not confirmed.
        const errors: FieldErrors = {};
        if (!declaration.noFrenchBac) errors.noFrenchBac = fieldError('ine_no_ine_not_allowed', lang);
        if (!declaration.neverEnrolledInFrenchUniversity) errors.neverEnrolledInFrenchUniversity = fieldError('ine_no_ine_not_allowed', lang);
        return errors;
      }
      return { hasIne: fieldError('invalid_choice', lang) };
    },
    send(form) {
      if (value(form, 'hasIne') === 'yes') return api('PUT', '/dossier/ine', { ine: value(form, 'ine') });
      return api('PUT', '/dossier/ine', { noIne: true, noFrenchBac: checked(form, 'noFrenchBac'), neverEnrolledInFrenchUniversity: checked(form, 'neverEnrolledInFrenchUniversity') });
    },
  });
  return [declared && s.ine ? notice('info', h('p', {}, tr.provisionalAssigned(s.ine))) : null, form].filter((x): x is HTMLElement => x !== null);
});

// ---------------------------------------------------------------------------------------------
// 3. Situation

export const situation = stepPage('situation', (ctx, d) => {
  const tr = ctx.t;
  const s = d.steps.situation;
  const body = (form: HTMLFormElement) => ({ regime: value(form, 'regime'), scholarship: value(form, 'scholarship') });
  const form = stepForm('situation', ctx, {
    fields: [
      radios({ name: 'regime', label: tr.regime, legendHeading: true, value: s.regime, options: Object.entries(tr.regimes).map(([v, label]) => ({ value: v, label })) }),
      radios({
        name: 'scholarship',
        label: tr.scholarship,
        legendHeading: true,
        value: s.scholarship,
        options: Object.entries(tr.scholarships).map(([v, label]) => ({
          value: v,
          label,
          hint: v === 'pending' ? tr.scholarshipPendingHint : v === 'granted' ? tr.scholarshipGrantedHint : undefined,
        })),
      }),
    ],
    check: (form) => check(SituationBody, body(form)),
    send: (form) => api('PUT', '/dossier/situation', body(form)),
  });
  return [form];
});

// ---------------------------------------------------------------------------------------------
// 4. CVEC

export const cvec = stepPage('cvec', (ctx, d) => {
  const tr = ctx.t;
  const regime = d.steps.situation.regime as Regime | undefined;
  if (regime && !cvecRequired(regime)) {
    // Nothing to enter: the API already counts this step as done for this regime.
    const form = h('form', { class: 'form', method: 'post', action: location.pathname + location.search }, stepActions(tr.continue, backLink(ctx, 'cvec')));
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      ctx.navigate(afterSave(ctx, 'cvec', d));
    });
    return [notice('info', h('p', {}, tr.cvecNotConcerned(tr.regimes[regime] ?? regime))), form];
  }
  const body = (form: HTMLFormElement) => ({ certificateNumber: value(form, 'certificateNumber') });
  const form = stepForm('cvec', ctx, {
    fields: [
      h('p', {}, tr.cvecConcernedNote),
      h('p', {}, tr.cvecCivil),
      textField({ name: 'certificateNumber', label: tr.cvecNumber, hint: tr.cvecHint, value: d.steps.cvec.certificateNumber, autocapitalize: 'characters', spellcheck: false, width: 'medium' }),
      h('p', { class: 'hint' }, tr.cvecGet),
    ],
    check: (form) => check(cvecBody(campaignFirstYear(d.academicYear)), body(form)),
    send: (form) => api('PUT', '/dossier/cvec', body(form)),
  });
  return [form];
});

// ---------------------------------------------------------------------------------------------
// 5. Programme

export function feesText(d: Dossier, tr: Dict): string {
  if (d.fees.exempt) return tr.feesExempt[d.fees.reason] ?? tr.exemptNothing;
  const amount = formatMoney(d.fees.amountCents);
  return d.fees.reason === 'scholarship_pending' ? tr.feesAtOffice(amount) : amount;
}

export function scolariteBlock(p: Programme | undefined, tr: Dict): HTMLElement | null {
  if (!p) return null;
  const s = p.scolarite;
  return h(
    'div',
    { class: 'contact' },
    h('h2', {}, tr.scolarite),
    h('p', {}, h('strong', {}, s.name)),
    h('p', {}, s.address),
    h(
      'p',
      {},
      h('a', { href: `mailto:${s.email}` }, s.email),
      ' · ',
      h('a', { href: `tel:${s.phone.replace(/\s+/g, '')}` }, s.phone.startsWith('+') && !/\s/.test(s.phone) ? formatPhone(s.phone) : s.phone),
    ),
    h('p', { class: 'hint' }, tr.scolariteNote),
  );
}

export const programme = stepPage('programme', async (ctx, d) => {
  const tr = ctx.t;
  const p = (await getProgrammes()).find((x) => x.code === d.programmeCode);
  const form = stepForm('programme', ctx, {
    fields: [],
    primary: tr.confirmProgramme,
    check: () => check(ProgrammeBody, { programmeCode: d.programmeCode }),
    send: () => api('PUT', '/dossier/programme', { programmeCode: d.programmeCode }),
  });
  return [
    h('p', {}, tr.programmeIntro),
    summaryList([
      { key: tr.programme, value: p?.label ?? d.programmeCode },
      { key: tr.component, value: p?.component ?? null },
      { key: tr.fees, value: feesText(d, tr) },
    ]),
    scolariteBlock(p, tr),
    form,
  ].filter((x): x is HTMLElement => x !== null);
});
