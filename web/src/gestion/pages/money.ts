/**
 * The money views of the console: a dossier's movements, instalment plan, withdrawal and refund
 * (with the supervisor's refund decision), and the two lists the dashboard links to, payment
 * anomalies and overdue instalments. Amounts come from the API in cents; rules (what may be
 * refunded) come from the API too (`refundableCents`), never restated here.
 */
import {
  anomalyReasonLabel,
  formatEuros,
  formatInstant,
  instalmentStatusLabel,
  movementKindLabel,
  movementStatusLabel,
  paymentMethodLabel,
  refundStatusLabel,
} from '../../../../functions/domain/labels';
import { REASON_LENGTH } from '../../../../functions/domain/schemas';
import type { AdminDossierView, OverdueInstalmentsView, PaymentAnomaliesPage } from '../../../../functions/shared/contracts';
import { ApiError, api } from '../api';
import { isSupervisor } from '../auth';
import { h } from '../dom';
import { lang, t } from '../i18n';
import type { Page } from '../router';
import { fieldId, formatDay, labelled, resultLine, table, timeZone } from '../ui';

const euros = (cents: number) => formatEuros(cents, lang());
const dossierHref = (id: string) => `/gestion/dossiers/${encodeURIComponent(id)}`;

/**
 * "155", "155,5", "1 234,56" or "155.50" → cents, without floating point; undefined for anything
 * else (a negative, more than two decimals, letters).
 */
export function eurosToCents(text: string): number | undefined {
  const m = /^(\d{1,7})(?:[.,](\d{1,2}))?$/.exec(text.replace(/[\s\u00a0\u202f€]/g, ''));
  if (!m) return undefined;
  return Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
}

/** The dossier's money: movements, the instalment plan, the withdrawal and its refund; then `decision` (the refund form), next to what it decides on. */
export async function moneySection(d: AdminDossierView, decision: HTMLElement | null = null): Promise<HTMLElement> {
  const zone = await timeZone();
  const at = (iso: string) => h('time', { datetime: iso }, formatInstant(iso, lang(), zone, 'short'));
  const movements = d.movements;
  const parts = d.payment.plan === 'instalments' ? (d.payment.instalments ?? []) : [];
  const section = h(
    'section',
    { id: 'money', 'aria-labelledby': 'money-title' },
    h('h2', { id: 'money-title' }, t('money')),
    movements.length === 0
      ? h('p', {}, t('noMovement'))
      : table(
          t('movements'),
          [t('movementKind'), t('amount'), t('date'), t('status'), t('referenceOf')],
          movements.map((m) => [
            `${m.kind === 'instalment' && m.n ? t('partN', { n: m.n }) : movementKindLabel(m.kind, lang())}${m.method ? ` ${paymentMethodLabel(m.method, lang())}` : ''}`,
            euros(m.amountCents),
            at(m.at),
            `${movementStatusLabel(m.status, lang())}${m.reason ? ` (${m.reason})` : ''}`,
            m.reference,
          ]),
        ),
  );
  if (parts.length > 0) {
    section.append(
      h('h3', {}, t('plan', { parts: parts.length })),
      table(
        t('plan', { parts: parts.length }),
        [t('part'), t('amount'), t('dueOn'), t('status'), t('paidAt')],
        parts.map((i) => [
          t('partN', { n: i.n }),
          euros(i.amountCents),
          formatDay(i.dueOn),
          `${instalmentStatusLabel(i.status, lang())}${i.failureCode ? ` (${i.failureCode})` : ''}`,
          i.paidAt ? at(i.paidAt) : '—',
        ]),
      ),
    );
  }
  if (d.withdrawal || d.refund) {
    const w = d.withdrawal;
    const decision = w?.decision === 'automatic' ? t('decisionAutomatic') : w?.decision === 'supervisor' ? t('decisionSupervisor') : t('decisionAwaited');
    section.append(
      h('h3', {}, w ? t('withdrawal') : t('refundState')),
      h(
        'dl',
        { class: 'summary', 'data-testid': 'withdrawal' },
        ...(w
          ? [
              h('dt', {}, t('withdrawalAsked')),
              h('dd', {}, at(w.requestedAt)),
              h('dt', {}, t('reason')),
              h('dd', {}, w.reason),
              h('dt', {}, t('withdrawalDecision')),
              h('dd', {}, decision),
              ...(w.decidedAt ? [h('dt', {}, t('decidedAt')), h('dd', {}, at(w.decidedAt))] : []),
            ]
          : []),
        ...(d.refund ? [h('dt', {}, t('refundState')), h('dd', { 'data-testid': 'refund' }, `${euros(d.refund.amountCents)} — ${refundStatusLabel(d.refund.status, lang())}`)] : []),
      ),
    );
  }
  if (decision) section.append(h('div', { class: 'actions' }, decision));
  return section;
}

/**
 * The refund decision (`POST …/refund`, supervisors only; the API refuses others, 403): the amount
 * in euros, sent in cents, and a reason. A refusal naming the amount is shown next to it.
 * @returns null for an operator, or when no decision is awaited.
 */
export function refundForm(d: AdminDossierView, path: string, rerender: () => Promise<void>, announce: (text: string) => void): HTMLElement | null {
  if (!isSupervisor() || d.status !== 'withdrawal_requested') return null;
  const title = t('refundDecision');
  const amount = h('input', { name: 'amount', required: true, inputmode: 'decimal', autocomplete: 'off', size: 12 });
  const amountError = h('p', { id: fieldId('amount-error'), class: 'result error' });
  const hint = d.refundableCents === null ? null : h('p', { id: fieldId('amount-hint'), class: 'hint', 'data-testid': 'refund-max' }, t('refundMax', { max: euros(d.refundableCents) }));
  amount.setAttribute('aria-describedby', [hint?.id, amountError.id].filter(Boolean).join(' '));
  const reason = h('input', { name: 'reason', required: true, minlength: REASON_LENGTH.min, maxlength: REASON_LENGTH.max });
  const result = resultLine();
  const button = h('button', { type: 'submit' }, title);
  const fieldError = (text: string) => {
    amountError.textContent = text;
    amount.setAttribute('aria-invalid', 'true');
    amount.focus();
  };
  const submit = async (e: Event) => {
    e.preventDefault();
    amountError.textContent = '';
    amount.removeAttribute('aria-invalid');
    const cents = eurosToCents(amount.value);
    if (cents === undefined) return fieldError(t('amountInvalid'));
    button.disabled = true;
    try {
      await api('POST', `${path}/refund`, { amountCents: cents, reason: reason.value });
      await rerender();
      announce(`${title} : ${t('done2')}`);
    } catch (err) {
      if (err instanceof ApiError && err.fields.amountCents) fieldError(err.fields.amountCents);
      else result.fail(err);
    } finally {
      button.disabled = false;
    }
  };
  return h(
    'form',
    { class: 'action', id: 'refund', onsubmit: submit as unknown as EventListener },
    h('fieldset', {}, h('legend', {}, title), labelled(t('refundAmount'), amount), hint, amountError, labelled(t('reason'), reason), button, result.el),
  );
}

/** The API query for the page the URL names: 50 items from its `cursor`, with `query`'s other parameters. */
function pageQuery(ctx: Parameters<Page>[0], query: Record<string, string> = {}): URLSearchParams {
  const cursor = ctx.query.get('cursor');
  return new URLSearchParams({ limit: '50', ...query, ...(cursor ? { cursor } : {}) });
}

/** Pagination as the API gives it: a link to the next page while `next` is set. */
function nextLink(base: string, next: string | null, query: Record<string, string> = {}): HTMLElement | null {
  return next ? h('p', {}, h('a', { href: `${base}?${new URLSearchParams({ ...query, cursor: next })}`, rel: 'next' }, t('more'))) : null;
}

/** GET /api/admin/payment-anomalies: each anomaly, newest first, opening its dossier. */
export const anomaliesPage: Page = async (ctx) => {
  const params = pageQuery(ctx);
  const [page, zone] = await Promise.all([api<PaymentAnomaliesPage>('GET', `/api/admin/payment-anomalies?${params}`), timeZone()]);
  const title = t('anomalies');
  return {
    title,
    body: [
      page.items.length === 0
        ? h('p', {}, t('noneWaiting'))
        : table(
            title,
            [t('date'), t('anomalyReason'), t('amount'), t('referenceOf'), t('dossier')],
            page.items.map(({ dossierId, anomaly: a, dossier: d }) => [
              h('time', { datetime: a.at }, formatInstant(a.at, lang(), zone, 'short')),
              anomalyReasonLabel(a.reason, lang()),
              a.amountCents === null ? '—' : a.currency && a.currency.toUpperCase() !== 'EUR' ? `${a.amountCents / 100} ${a.currency.toUpperCase()}` : euros(a.amountCents),
              a.reference,
              d ? h('a', { href: dossierHref(dossierId) }, `${d.lastName} ${d.firstName} — ${d.identifier}`) : '—',
            ]),
          ),
      nextLink('/gestion/anomalies', page.next),
    ].filter((n): n is HTMLElement => n !== null),
  };
};

/** GET /api/admin/instalments/overdue: the year's dossiers with an overdue part, oldest due day first, a page at a time. */
export const overduePage: Page = async (ctx) => {
  const year = ctx.query.get('year');
  const params = pageQuery(ctx, year ? { year } : {});
  const list = await api<OverdueInstalmentsView>('GET', `/api/admin/instalments/overdue?${params}`);
  const title = t('instalmentsOverdue');
  return {
    title,
    body: [
      h('p', {}, t('overdueYear', { year: list.academicYear })),
      list.items.length === 0
        ? h('p', {}, t('noneWaiting'))
        : table(
            title,
            [t('name'), t('identifier'), t('programme'), t('overdueParts'), t('overdueTotal')],
            list.items.map((i) => [
              h('a', { href: dossierHref(i.dossierId) }, `${i.lastName} ${i.firstName}`),
              i.identifier,
              i.programmeCode,
              h(
                'ul',
                { class: 'plain' },
                ...i.overdue.map((p) => h('li', {}, `${t('partN', { n: p.n })} — ${euros(p.amountCents)} — ${t('dueOn')} ${formatDay(p.dueOn)}${p.failureCode ? ` (${p.failureCode})` : ''}`)),
              ),
              euros(i.overdueCents),
            ]),
          ),
      // The year the first page was for, so that the next page stays in it (a cursor belongs to one year).
      nextLink('/gestion/echeances', list.next, { year: list.academicYear }),
    ].filter((n): n is HTMLElement => n !== null),
  };
};
