/** Pages anyone can open: home/status, closed service, login, help, accessibility statement, support, not found. */
import { loginBody, SupportBody } from '../../../functions/domain/schemas';
import { api, ApiError, getDossier, getProgrammes, getSiteConfig, getStatus, type Dossier, type ServiceStatus, type SessionView, type SupportAccepted } from '../api';
import { buttonLink, button, heading, notice } from '../components';
import { h, link, type Child } from '../dom';
import { check, dateField, dateValue, onSubmit, selectField, showErrors, textArea, textField, value } from '../forms';
import { currentLang, formatInstant, t, type Dict } from '../i18n';
import type { Page } from '../router';
import { session } from '../session';
import { destinationFor } from '../wizard';
import type { HelpSection, HelpText } from './help-content';

/** The service's state as the API words it, with the next opening (a forced closure announces none: its end is unknown). */
function statusLines(s: ServiceStatus, tr: Dict): HTMLElement[] {
  const tz = s.timeZone;
  if (s.open) {
    return [h('p', { class: 'status-line' }, s.window ? tr.statusOpenUntil(formatInstant(s.window.closesAt, tz)) : tr.statusOpen)];
  }
  const lines = [h('p', { class: 'status-line' }, s.message ?? tr.statusClosed)];
  const when = s.nextOpening ? formatInstant(s.nextOpening, tz) : (s.nextOpeningText ?? null);
  if (when && s.reason !== 'forced_closed') lines.push(h('p', {}, tr.nextOpening(when)));
  // The forced-closure message already says so.
  if (s.reason !== 'forced_closed') lines.push(h('p', {}, tr.dataKept));
  return lines;
}

export const home: Page = {
  title: (tr) => tr.homeTitle,
  async render({ t: tr }) {
    const status = await getStatus();
    return [
      heading(tr.homeTitle),
      h('p', { class: 'lead' }, tr.homeIntro),
      notice(status.open ? 'success' : 'warning', ...statusLines(status, tr)),
      status.open
        ? h('p', {}, buttonLink(session.token() ? '/connexion?reprendre=1' : '/connexion', session.token() ? tr.resume : tr.start))
        : h('p', {}, tr.closedEnrolled, ' ', link('/connexion', tr.loginTitle)),
      h('h2', {}, tr.beforeStart),
      h('ul', { class: 'list' }, h('li', {}, tr.needCvec), h('li', {}, tr.needIne), h('li', {}, tr.needCard)),
      h('p', {}, link('/aide', tr.homeHelp)),
    ];
  },
};

export const closed: Page = {
  title: (tr) => tr.closedTitle,
  async render({ t: tr }) {
    const flash = session.takeFlash();
    const status = await getStatus();
    if (status.open) return [heading(tr.closedReopened), h('p', {}, buttonLink('/connexion?reprendre=1', tr.resume))];
    // The API's own refusal when it brought the student here, else the service's state.
    return [
      heading(tr.closedHeading),
      flash ? notice('warning', h('p', {}, flash)) : notice('warning', ...statusLines(status, tr)),
      h('p', {}, tr.closedHelp, ' ', link('/aide', tr.help)),
      // An enrolled student still signs in while closed (functions/domain/dossier/lifecycle.ts followsUpWhenClosed).
      h('p', {}, tr.closedEnrolled, ' ', link('/connexion', tr.loginTitle)),
    ];
  },
};

export const login: Page = {
  title: (tr) => tr.loginTitle,
  async render({ t: tr, query, navigate, redirect }) {
    // Coming back with a live session ("Resume"): straight to where the dossier stands.
    if (query.has('reprendre') && session.token()) redirect(destinationFor(await getDossier()));
    const flash = session.takeFlash();
    const form = h(
      'form',
      { class: 'form', method: 'post', action: '/connexion' },
      textField({ name: 'identifier', label: tr.identifier, hint: tr.identifierHint, autocomplete: 'username', autocapitalize: 'characters', spellcheck: false, width: 'medium' }),
      dateField({ name: 'birthDate', label: tr.birthDate, hint: tr.birthDateHint }),
      h('div', { class: 'actions' }, button(tr.signIn)),
    );
    const body = () => ({ identifier: value(form, 'identifier'), birthDate: dateValue(form, 'birthDate').value });
    onSubmit(form, {
      check() {
        const date = dateValue(form, 'birthDate');
        const errors = check(loginBody(), body());
        return date.error ? { ...errors, birthDate: date.error } : errors;
      },
      async send() {
        const res = await api<SessionView>('POST', '/session', body());
        session.setToken(res.token);
        // Back to what was typed and not saved when the session lapsed, else where the dossier stands.
        const drafted = res.dossier.status === 'draft' ? session.draftPaths()[0] : undefined;
        navigate(drafted ?? destinationFor(res.dossier));
      },
    });
    return [
      heading(tr.loginTitle),
      flash ? h('div', { class: 'notice notice--warning', role: 'alert' }, h('p', {}, flash)) : null,
      h('p', {}, tr.loginIntro),
      form,
      h('p', {}, link('/aide', tr.homeHelp)),
    ];
  },
};

/** The help text is page content, not code: fetched as JSON (content-hashed, built from help-content.ts). */
async function getHelpText(): Promise<HelpText> {
  const res = await fetch(__HELP_FILES__[currentLang()]);
  if (!res.ok) throw new ApiError(res.status, 'HELP', t().networkError);
  return (await res.json()) as HelpText;
}

function helpSection(s: HelpSection, level: 'h2' | 'h3'): Child[] {
  return [
    h(level, { id: s.id }, s.title),
    s.paragraphs.map((p) =>
      typeof p === 'string'
        ? h('p', {}, p)
        : h(
            'ul',
            { class: 'list' },
            p.list.map((item) => h('li', {}, item)),
          ),
    ),
    (s.subsections ?? []).map((sub) => helpSection(sub, 'h3')),
  ];
}

export const help: Page = {
  title: (tr) => tr.helpTitle,
  noReturn: true,
  async render({ t: tr, titleOf }) {
    const [text, { assistanceEmail }] = await Promise.all([getHelpText(), getSiteConfig()]);
    const back = session.lastPage() ?? '/';
    // The link names where it goes ("Retour à la page « INE (étape 2 sur 6) »").
    const backTitle = titleOf(back) ?? tr.homeTitle;
    return [
      heading(tr.helpTitle),
      h('p', {}, text.intro),
      h('h2', {}, text.assistanceTitle),
      h('p', {}, text.assistanceBefore),
      h('p', { class: 'address' }, h('a', { href: `mailto:${assistanceEmail}` }, assistanceEmail)),
      h('p', {}, text.assistanceWhen),
      h('p', {}, text.supportForm, ' ', link('/assistance', tr.supportTitle)),
      h('p', {}, text.scolarite),
      text.sections.map((s) => helpSection(s, 'h2')),
      h('h2', {}, text.afterTitle),
      h('p', {}, text.after),
      h('p', { class: 'back' }, h('a', { class: 'button button--secondary', href: back, id: 'help-back' }, tr.backTo(backTitle))),
    ];
  },
};

/** The accessibility statement (loi n° 2005-102 art. 47); its status is the footer's. */
export const accessibility: Page = {
  title: (tr) => tr.a11yTitle,
  async render({ t: tr }) {
    const [{ statement }, { assistanceEmail }] = await Promise.all([getHelpText(), getSiteConfig()]);
    return [
      heading(tr.a11yTitle),
      h('p', { class: 'lead' }, h('strong', { id: 'a11y-status' }, tr.a11yStatus)),
      h('p', {}, statement.intro),
      statement.sections.map((s) => [
        h('h2', {}, s.title),
        s.paragraphs.map((p) =>
          typeof p === 'string'
            ? h('p', {}, p)
            : 'list' in p
              ? h(
                  'ul',
                  { class: 'list' },
                  p.list.map((item) => h('li', {}, item)),
                )
              : h(
                  'ul',
                  { class: 'list' },
                  p.links.map((l) => h('li', {}, h('a', { href: l.href }, l.label))),
                ),
        ),
      ]),
      h('h2', {}, statement.contactTitle),
      h('p', {}, statement.contact),
      h('p', { class: 'address' }, h('a', { href: `mailto:${assistanceEmail}` }, assistanceEmail)),
      h('p', {}, statement.contactForm, ' ', link('/assistance', tr.supportTitle)),
    ];
  },
};

export const support: Page = {
  title: (tr) => tr.supportTitle,
  async render({ t: tr }) {
    const [status, config, programmes] = await Promise.all([getStatus(), getSiteConfig(), getProgrammes()]);
    const intro = [heading(tr.supportTitle), h('p', {}, tr.supportIntro), h('p', {}, tr.supportWho(config.assistanceEmail))];
    if (!status.supportOpen) {
      const when = status.nextOpening ? formatInstant(status.nextOpening, status.timeZone) : (status.nextOpeningText ?? null);
      return [...intro, notice('warning', h('p', {}, tr.supportClosed), when ? h('p', {}, tr.nextOpening(when)) : null)];
    }
    // Pre-fill from the dossier when signed in; quietly, this page must work without a session.
    const dossier = session.token() ? await api<Dossier>('GET', '/dossier', undefined, { quiet: true }).catch(() => null) : null;
    const programme = dossier ? programmes.find((p) => p.code === dossier.programmeCode) : undefined;
    const form = h(
      'form',
      { class: 'form', method: 'post', action: '/assistance' },
      textField({ name: 'identifier', label: tr.identifier, hint: tr.identifierHint, value: dossier?.identifier, autocomplete: 'username', spellcheck: false, width: 'medium' }),
      textField({ name: 'lastName', label: tr.lastName, value: dossier?.student.usageName ?? dossier?.student.lastName, autocomplete: 'family-name' }),
      textField({ name: 'firstName', label: tr.firstName, value: dossier?.student.firstName, autocomplete: 'given-name' }),
      selectField({
        name: 'programme',
        label: tr.programmeField,
        value: programme ? `${programme.code} — ${programme.label}` : '',
        options: [{ value: '', label: tr.chooseProgramme }, ...programmes.map((p) => ({ value: `${p.code} — ${p.label}`, label: p.label })), { value: tr.programmeOther, label: tr.programmeOther }],
      }),
      textField({ name: 'email', label: tr.email, type: 'email', value: dossier?.steps.identity.email, autocomplete: 'email', spellcheck: false }),
      textArea({ name: 'message', label: tr.message, hint: tr.messageHint }),
      h('div', { class: 'actions' }, button(tr.send)),
    );
    const body = () => ({
      identifier: value(form, 'identifier'),
      lastName: value(form, 'lastName'),
      firstName: value(form, 'firstName'),
      programme: value(form, 'programme'),
      email: value(form, 'email'),
      message: value(form, 'message'),
    });
    onSubmit(form, {
      check: () => check(SupportBody, body()),
      async send() {
        try {
          const { requestId } = await api<SupportAccepted>('POST', '/support', body());
          const done = h('div', { class: 'panel panel--success', role: 'status' }, h('h2', {}, tr.supportSent), h('p', {}, tr.supportReference(requestId)));
          form.replaceWith(done);
        } catch (err) {
          if (err instanceof ApiError && err.code === 'SUPPORT_CLOSED') showErrors(form, {}, err.message);
          else throw err;
        }
      },
    });
    return [...intro, form];
  },
};

export const notFound: Page = {
  title: (tr) => tr.notFoundTitle,
  render: ({ t: tr }) => [heading(tr.notFoundTitle), h('p', {}, tr.notFoundText), h('p', {}, link('/', tr.home))],
};

/** What the student sees when a page could not load (the API unreachable, an unexpected refusal). */
export function errorPage(err: unknown): Page {
  const message = err instanceof ApiError ? err.message : (err as Error)?.message;
  return {
    title: (tr) => tr.errorPrefix,
    render: ({ t: tr }) => [
      heading(tr.errorSummaryTitle),
      notice('error', h('p', {}, message || tr.networkError)),
      h('p', {}, link(location.pathname + location.search, tr.checkAgain), ' · ', link('/', tr.home)),
    ],
  };
}
