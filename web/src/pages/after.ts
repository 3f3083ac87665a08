/** Summary and submit, payment (redirect, return, cancel), done, and pay-at-office pages. */
import { api, ApiError, getDossier, getProgrammes, getStatus, type CheckoutView, type Dossier, type InstalmentCheckoutView, type Programme } from '../api';
import { button, heading, notice, progress, stepNumber, summaryList, type Row } from '../components';
import { h, link } from '../dom';
import { check, onSubmit, radios, showErrors, textArea, value } from '../forms';
import { countryName, currentLang, formatDay, formatInstantDay, formatMoney, formatPhone, type Dict } from '../i18n';
import type { Page, PageContext } from '../router';
import { destinationFor, STEP_PATHS } from '../wizard';
import { instalmentsConfig } from '../../../config/instalments';
import { instalmentSchedule, instalmentsAllowed, isUncharged } from '../../../functions/domain/dossier/instalments';
import { instalmentStatusLabel, movementKindLabel, movementStatusLabel } from '../../../functions/domain/labels';
import { WithdrawalBody } from '../../../functions/domain/schemas';
import { certificatesBlock } from './certificates';
import { feesText, FROM_SUMMARY, scolariteBlock } from './steps';

type Address = NonNullable<Dossier['steps']['identity']['address']>;

function addressText(a: Address | undefined): string | null {
  if (!a) return null;
  return [a.line1, a.line2, `${a.postalCode} ${a.city}`.trim(), countryName(a.country)].filter(Boolean).join(', ');
}

function ineText(d: Dossier, tr: Dict): string | null {
  const s = d.steps.ine;
  if (!s.ine) return null;
  return s.format === 'provisional' ? `${s.ine} (${tr.provisional})` : s.ine;
}

function dossierSections(d: Dossier, p: Programme | undefined, tr: Dict, editable: boolean): HTMLElement[] {
  // "Modifier" opens the step, which comes back here once saved.
  const change = (path: string) => (editable ? `${path}?${FROM_SUMMARY}` : undefined);
  const s = d.steps;
  const section = (title: string, rows: Row[]) => [h('h2', {}, title), summaryList(rows)];
  return [
    ...section(tr.stepNames.identity, [
      { key: tr.birthName, value: d.student.lastName, report: 'birthName' },
      ...(d.student.usageName ? [{ key: tr.usageName, value: d.student.usageName, report: 'usageName' }] : []),
      { key: tr.firstNames, value: d.student.firstName, report: 'firstNames' },
      { key: tr.birthDate, value: formatDay(d.student.birthDate), report: 'birthDate' },
      { key: tr.email, value: s.identity.email ?? null, change: change(STEP_PATHS.identity) },
      { key: tr.phone, value: s.identity.phone ? formatPhone(s.identity.phone) : null, change: change(STEP_PATHS.identity) },
      { key: tr.address, value: addressText(s.identity.address), change: change(STEP_PATHS.identity) },
      ...(s.identity.termAddress ? [{ key: tr.termAddress, value: addressText(s.identity.termAddress), change: change(STEP_PATHS.identity) }] : []),
    ]),
    ...section(tr.stepNames.ine, [{ key: tr.ineLabel, value: ineText(d, tr), change: change(STEP_PATHS.ine) }]),
    ...section(tr.stepNames.situation, [
      { key: tr.regime, value: s.situation.regime ? (tr.regimes[s.situation.regime] ?? s.situation.regime) : null, change: change(STEP_PATHS.situation) },
      { key: tr.scholarship, value: s.situation.scholarship ? (tr.scholarships[s.situation.scholarship] ?? null) : null, change: change(STEP_PATHS.situation) },
    ]),
    ...section(tr.stepNames.cvec, [
      { key: tr.cvecNumber, value: s.cvec.required === false ? tr.cvecNotRequired : (s.cvec.certificateNumber ?? null), change: s.cvec.required === false ? undefined : change(STEP_PATHS.cvec) },
    ]),
    ...section(tr.stepNames.programme, [
      { key: tr.programme, value: p?.label ?? d.programmeCode, change: change(STEP_PATHS.programme) },
      { key: tr.fees, value: feesText(d, tr) },
    ]),
  ];
}

/** Only Stripe Checkout or this origin (the local checkout stand-in) are followed. */
function trustedCheckoutUrl(raw: string): string | null {
  try {
    const url = new URL(raw, location.origin);
    return url.origin === location.origin || url.origin === 'https://checkout.stripe.com' ? url.href : null;
  } catch {
    return null;
  }
}

export const summary: Page = {
  title: (tr) => tr.stepNames.summary,
  student: true,
  async render(ctx) {
    const tr = ctx.t;
    const d = await getDossier();
    if (d.status === 'enrolled' || d.status === 'pay_at_office' || d.status === 'scholarship_to_verify') ctx.redirect(destinationFor(d));
    if (d.status === 'draft' && d.nextStep !== 'summary') ctx.redirect(destinationFor(d));
    const p = (await getProgrammes()).find((x) => x.code === d.programmeCode);

    if (d.status === 'draft') {
      const form = h('form', { class: 'form', method: 'post', action: location.pathname }, notice('warning', h('p', {}, tr.submitWarning)), h('div', { class: 'actions' }, button(tr.submit)));
      onSubmit(form, {
        async send() {
          const submitted = await api<Dossier>('POST', '/dossier/submit');
          ctx.navigate(destinationFor(submitted), { replace: true });
        },
      });
      const { n, total } = stepNumber('summary');
      return [progress('summary', d), heading(tr.stepNames.summary, tr.stepOf(n, total)), h('p', {}, tr.summaryIntro), ...dossierSections(d, p, tr, true), form];
    }

    if (d.status === 'withdrawn' || d.status === 'withdrawal_requested') {
      ctx.setTitle(tr.withdrawalTitle);
      const refund = d.refund
        ? [
            summaryList([
              { key: tr.refundAmount, value: formatMoney(d.refund.amountCents) },
              { key: tr.refundStatusLabel, value: tr.refundStatus[d.refund.status] ?? d.refund.status },
            ]),
          ]
        : [];
      const ledger = movementsBlock(d, tr, (await getStatus()).timeZone);
      return [
        heading(tr.withdrawalTitle),
        notice('info', h('p', {}, d.status === 'withdrawn' ? tr.withdrawnDossier : tr.withdrawalRequested)),
        ...refund,
        ...(ledger ? [ledger] : []),
        ...dossierSections(d, p, tr, false),
      ];
    }

    if (d.status === 'cancelled') {
      ctx.setTitle(tr.paymentTitle);
      return [heading(tr.paymentTitle), notice('error', h('p', {}, tr.cancelledDossier)), ...dossierSections(d, p, tr, false)];
    }

    // Submitted, awaiting the online payment: in full, or in three parts when allowed (the schedule shown before choosing).
    ctx.setTitle(tr.paymentTitle);
    const amount = formatMoney(d.fees.amountCents);
    const parts = instalmentsAllowed(d, instalmentsConfig) ? instalmentSchedule(d.fees.amountCents, new Date(), instalmentsConfig) : null;
    const choice = parts
      ? radios({
          name: 'plan',
          label: tr.planQuestion,
          value: d.payment.plan ?? 'full',
          options: [
            { value: 'full', label: tr.planFull(amount) },
            {
              value: 'instalments',
              label: tr.planInstalments(parts.length),
              hint: tr.planInstalmentsHint,
              reveal: h('ol', { class: 'schedule' }, ...parts.map((x) => h('li', {}, tr.planPart(x.n, formatMoney(x.amountCents), formatDay(x.dueOn), x.n === 1)))),
            },
          ],
        })
      : null;
    const form = h(
      'form',
      { class: 'form', method: 'post', action: location.pathname },
      choice,
      h('p', { class: 'hint' }, tr.payRedirectNote),
      h('div', { class: 'actions' }, button(parts ? tr.payChosen : tr.pay(amount))),
    );
    onSubmit(form, {
      async send() {
        try {
          const plan = parts && value(form, 'plan') === 'instalments' ? 'instalments' : 'full';
          const { checkoutUrl } = await api<CheckoutView>('POST', '/dossier/payment', { plan });
          const target = trustedCheckoutUrl(checkoutUrl);
          if (!target) throw new ApiError(502, 'CHECKOUT_URL', tr.paymentUnavailable);
          window.location.assign(target);
        } catch (err) {
          // No payment route (404/405) or the provider unreachable: say so plainly.
          if (err instanceof ApiError && (err.status === 404 || err.status === 405 || err.status >= 500)) showErrors(form, {}, tr.paymentUnavailable);
          else throw err;
        }
      },
    });
    return [heading(tr.paymentTitle), notice('info', h('p', {}, tr.submittedAwaiting)), summaryList([{ key: tr.amountDue, value: amount }]), form, ...dossierSections(d, p, tr, false)];
  },
};

const POLL_FIRST_MS = 1000;
const POLL_MAX_MS = 4000;
/** How long to wait for the webhook before saying it is slow (polling stops; a button checks again). */
const POLL_PATIENCE_MS = 45_000;

export const paymentReturn: Page = {
  title: (tr) => tr.returnTitle,
  student: true,
  render(ctx) {
    const tr = ctx.t;
    const message = h('p', {}, tr.returnWaiting);
    const again = h('button', { class: 'button button--secondary', type: 'button', hidden: true }, tr.checkAgain);
    const box = h('div', { class: 'notice notice--info', role: 'status', 'aria-live': 'polite' }, message);
    let timer: ReturnType<typeof setTimeout> | undefined;
    let started = Date.now();
    let delay = POLL_FIRST_MS;
    ctx.onLeave(() => clearTimeout(timer));

    const poll = async () => {
      if (!ctx.isCurrent()) return;
      let d: Dossier;
      try {
        d = await getDossier();
      } catch (err) {
        if (!(err instanceof ApiError)) return; // redirected (session expired, service closed)
        d = { status: 'awaiting_payment' } as Dossier;
      }
      if (!ctx.isCurrent()) return;
      if (d.status !== 'awaiting_payment' && d.status !== 'submitted') {
        ctx.navigate(destinationFor(d), { replace: true });
        return;
      }
      if (Date.now() - started > POLL_PATIENCE_MS) {
        message.textContent = tr.returnSlow;
        again.hidden = false;
        return;
      }
      delay = Math.min(delay * 1.5, POLL_MAX_MS);
      timer = setTimeout(() => void poll(), delay);
    };
    again.addEventListener('click', () => {
      again.hidden = true;
      message.textContent = tr.returnWaiting;
      started = Date.now();
      delay = POLL_FIRST_MS;
      void poll();
    });
    timer = setTimeout(() => void poll(), 0);
    return [heading(tr.returnTitle), box, again];
  },
};

export const paymentCancel: Page = {
  title: (tr) => tr.cancelTitle,
  render: ({ t: tr }) => [heading(tr.cancelTitle), notice('warning', h('p', {}, tr.cancelText)), h('p', {}, h('a', { class: 'button', href: '/recapitulatif' }, tr.retryPayment))],
};

function paymentText(d: Dossier, tr: Dict): string {
  // What was paid so far (the API's `paidCents`, from the ledger: every part of a plan paid).
  const amount = formatMoney(d.paidCents);
  if (d.payment.status === 'paid') return d.payment.method === 'office' ? tr.paidAtOffice(amount) : tr.paid(amount);
  return tr.feesExempt[d.fees.reason] ?? tr.exemptNothing;
}

/** The parts of an instalment plan, each with its state; a part not paid (and not being charged) can be paid now. */
function instalmentsBlock(d: Dossier, tr: Dict): HTMLElement | null {
  const parts = d.payment.plan === 'instalments' ? d.payment.instalments : undefined;
  if (!parts) return null;
  const asked = Number(new URLSearchParams(location.search).get('echeance'));
  const items = parts.map((x) => {
    const payable = isUncharged(x);
    const pay = payable ? h('button', { class: x.n === asked ? 'button' : 'button button--secondary', type: 'button' }, tr.payPartNow) : null;
    pay?.addEventListener('click', async () => {
      pay.setAttribute('disabled', '');
      try {
        const { checkoutUrl } = await api<InstalmentCheckoutView>('POST', `/dossier/payment/instalments/${x.n}`);
        const target = trustedCheckoutUrl(checkoutUrl);
        if (target) window.location.assign(target);
      } finally {
        pay.removeAttribute('disabled');
      }
    });
    return h('li', {}, tr.planPartState(x.n, formatMoney(x.amountCents), formatDay(x.dueOn), instalmentStatusLabel(x.status, currentLang())), pay ? ' ' : null, pay);
  });
  return h('section', {}, h('h2', {}, tr.scheduleHeading), h('ol', { class: 'schedule' }, ...items));
}

/** "Was I charged?": every payment, instalment attempt and refund, with date, amount, reference and outcome. */
function movementsBlock(d: Dossier, tr: Dict, timeZone: string): HTMLElement | null {
  if (d.movements.length === 0) return null;
  const rows: Row[] = d.movements.map((m) => ({
    key: `${formatInstantDay(m.at, timeZone)} — ${movementKindLabel(m.kind, currentLang())}${m.n ? ` ${m.n}` : ''}`,
    value: `${m.kind === 'refund' ? '−' : ''}${formatMoney(m.amountCents)} · ${movementStatusLabel(m.status, currentLang())} · ${m.reference}`,
  }));
  return h('section', {}, h('h2', {}, tr.movementsHeading), summaryList(rows));
}

/**
 * Withdrawing (SPEC "Withdrawal and refunds"): a button, then a confirmation saying what it means
 * — the refund at once, or a supervisor's decision, with the amount — as the API's
 * `withdrawalTerms` tells (the rule that decides is functions/domain/dossier/withdrawal.ts), and
 * the reason. Confirmed, the page the dossier now belongs on shows the outcome.
 */
function withdrawBlock(d: Dossier, tr: Dict, ctx: PageContext): HTMLElement | null {
  const terms = d.withdrawalTerms;
  if (!terms) return null;
  const amount = formatMoney(terms.refundCents);
  const retention = formatMoney(terms.retentionCents);
  const refundLine = !terms.immediate
    ? tr.withdrawRefundDecided(amount, formatDay(terms.academicYearStartsOn))
    : terms.refundCents === 0
      ? tr.withdrawNoRefund
      : d.payment.method === 'office'
        ? tr.withdrawRefundOffice(amount, retention)
        : tr.withdrawRefundNow(amount, retention);
  const unchargedParts = (d.payment.instalments ?? []).some(isUncharged);
  const start = h('button', { class: 'button button--secondary', type: 'button', 'aria-expanded': 'false', 'aria-controls': 'withdraw-confirm' }, tr.withdrawStart);
  const keep = h('button', { class: 'button button--secondary', type: 'button' }, tr.withdrawKeep);
  const title = h('h3', { id: 'withdraw-confirm-title', tabindex: '-1' }, tr.withdrawConfirmHeading);
  const form = h(
    'form',
    { class: 'form', method: 'post', action: location.pathname, id: 'withdraw-confirm', hidden: true, 'aria-labelledby': 'withdraw-confirm-title' },
    title,
    h('p', {}, tr.withdrawIfYouConfirm),
    h('ul', {}, h('li', {}, tr.withdrawEnds), h('li', {}, refundLine), unchargedParts ? h('li', {}, tr.withdrawInstalments) : null),
    notice('warning', h('p', {}, h('strong', {}, tr.withdrawFinal))),
    textArea({ name: 'reason', label: tr.withdrawReason, hint: tr.withdrawReasonHint, rows: 3 }),
    h('div', { class: 'actions' }, button(tr.withdrawConfirm), keep),
  );
  const open = (yes: boolean) => {
    form.hidden = !yes;
    start.hidden = yes;
    start.setAttribute('aria-expanded', String(yes));
    (yes ? title : start).focus();
  };
  start.addEventListener('click', () => open(true));
  keep.addEventListener('click', () => open(false));
  onSubmit(form, {
    check: () => check(WithdrawalBody, { reason: value(form, 'reason') }),
    async send() {
      const after = await api<Dossier>('POST', '/dossier/withdrawal', { reason: value(form, 'reason') });
      ctx.navigate(destinationFor(after), { replace: true });
    },
  });
  return h('section', { class: 'withdraw' }, h('h2', {}, tr.withdrawHeading), h('p', {}, tr.withdrawIntro), start, form);
}

export const done: Page = {
  title: (tr) => tr.doneTitle,
  student: true,
  async render(ctx) {
    const tr = ctx.t;
    const d = await getDossier();
    if (d.status !== 'enrolled') ctx.redirect(destinationFor(d));
    // The service's time zone, for the days of payments and certificates.
    const [programmes, { timeZone }] = await Promise.all([getProgrammes(), getStatus()]);
    const p = programmes.find((x) => x.code === d.programmeCode);
    const email = d.steps.identity.email;
    return [
      h('div', { class: 'panel panel--success' }, heading(tr.doneHeading)),
      h('p', {}, email ? tr.doneMail(email) : tr.doneMailNoAddress),
      summaryList([
        { key: tr.programme, value: p?.label ?? d.programmeCode },
        { key: tr.ineLabel, value: ineText(d, tr) },
        { key: tr.fees, value: paymentText(d, tr) },
      ]),
      instalmentsBlock(d, tr),
      movementsBlock(d, tr, timeZone),
      await certificatesBlock(tr, timeZone),
      scolariteBlock(p, tr),
      withdrawBlock(d, tr, ctx),
    ].filter((x): x is HTMLElement => x !== null);
  },
};

export const payAtOffice: Page = {
  title: (tr) => tr.officeTitle,
  student: true,
  async render(ctx) {
    const tr = ctx.t;
    const d = await getDossier();
    if (d.status !== 'pay_at_office' && d.status !== 'scholarship_to_verify') ctx.redirect(destinationFor(d));
    const p = (await getProgrammes()).find((x) => x.code === d.programmeCode);
    const verify = d.status === 'scholarship_to_verify';
    return [
      heading(verify ? tr.verifyHeading : tr.officeHeading),
      notice('warning', h('p', {}, h('strong', {}, tr.officeWarning))),
      h('p', {}, verify ? tr.verifyText : tr.officeText),
      summaryList([
        { key: tr.programme, value: p?.label ?? d.programmeCode },
        { key: tr.officeAmount, value: formatMoney(d.fees.amountCents) },
      ]),
      scolariteBlock(p, tr),
      h('p', {}, link('/aide', tr.help)),
    ].filter((x): x is HTMLElement => x !== null);
  },
};
