import { documentStatusLabel, formatEuros, formatInstant, paymentMethodLabel, paymentStatusLabel, rejectionReasonLabel } from '../../../../functions/domain/labels';
import { isReviewable } from '../../../../functions/domain/documents';
import { OFFICE_REFERENCE_MAX, REASON_LENGTH } from '../../../../functions/domain/schemas';
import { STEP_ORDER, type StepName } from '../../../../functions/domain/dossier/step-order';
import type { AdminDossierView, DocumentFileView, DocumentItem } from '../../../../functions/shared/contracts';
import { api } from '../api';
import { h } from '../dom';
import { lang, t } from '../i18n';
import type { Page } from '../router';
import { labelled, resultLine, select, timeZone } from '../ui';
import { statusName } from './dossiers';
import { moneySection, refundForm } from './money';

/** Each step's name in the console's words, in the wizard's order (STEP_ORDER). */
const STEP_KEYS: Readonly<Record<StepName, 'stepIdentity' | 'stepIne' | 'stepSituation' | 'stepCvec' | 'stepProgramme'>> = {
  identity: 'stepIdentity',
  ine: 'stepIne',
  situation: 'stepSituation',
  cvec: 'stepCvec',
  programme: 'stepProgramme',
};

/**
 * After an action the page is drawn again and the button pressed is gone: the outcome is written
 * in the status line at the top of the dossier and focus moves there, so keyboard and screen-reader
 * users land on it.
 */
function announce(text: string): void {
  const line = h('p', { id: 'action-result', role: 'status', class: 'result ok', tabindex: -1 }, text);
  document.getElementById('action-result')?.replaceWith(line);
  line.focus();
}

/** A form for one admin action: its fields, a submit button, the result line; re-renders on success. */
function actionForm(title: string, fields: HTMLElement[], run: () => Promise<unknown>, rerender: () => Promise<void>, o: { id?: string } = {}): HTMLElement {
  const result = resultLine();
  const button = h('button', { type: 'submit' }, title);
  const form = h(
    'form',
    {
      class: 'action',
      id: o.id,
      onsubmit: (async (e: Event) => {
        e.preventDefault();
        button.disabled = true;
        try {
          await run();
          await rerender();
          result.ok();
          announce(`${title} : ${t('done2')}`);
        } catch (err) {
          result.fail(err);
        } finally {
          button.disabled = false;
        }
      }) as unknown as EventListener,
    },
    h('fieldset', {}, h('legend', {}, title), ...fields, button, result.el),
  );
  return form;
}

/** A reason: required, of REASON_LENGTH, for the actions; optional, with no minimum, for a document's refusal (DecisionBody). */
const reasonField = (required = true) => {
  const input = h('input', { name: 'reason', required, ...(required ? { minlength: REASON_LENGTH.min } : {}), maxlength: REASON_LENGTH.max });
  return { input, el: labelled(t('reason'), input) };
};

function stepSummary(step: Record<string, unknown>): string {
  const { status, ...data } = step;
  const parts = Object.entries(data)
    .filter(([, v]) => v !== undefined && typeof v !== 'object')
    .map(([k, v]) => `${k} : ${String(v)}`);
  return `${status === 'done' ? t('done') : t('todo')}${parts.length ? ` — ${parts.join(', ')}` : ''}`;
}

export const dossier: Page = async (ctx) => {
  const id = ctx.params.id!;
  const root = h('div', { id: 'dossier' });
  let title = t('dossier');
  const path = `/api/admin/dossiers/${encodeURIComponent(id)}`;
  const post = (suffix: string, body?: unknown) => api('POST', `${path}${suffix}`, body);

  const render = async () => {
    const [d, zone] = await Promise.all([api<AdminDossierView>('GET', path), timeZone()]);
    const name = `${d.student.usageName ?? d.student.lastName} ${d.student.firstName}`;
    title = `${t('dossier')} — ${name}`;
    const docs = d.documents;
    const audit = d.audit;

    const preview = h('div', { class: 'preview', 'aria-live': 'polite' });
    const showPreview = async (doc: DocumentItem) => {
      const { url, contentType } = await api<DocumentFileView>('GET', `${path}/documents/${encodeURIComponent(doc.kind)}/file?view=inline`);
      const label = t('preview', { kind: doc.kind });
      preview.replaceChildren(h('h3', {}, label), contentType === 'application/pdf' ? h('iframe', { src: url, title: label, class: 'pdf' }) : h('img', { src: url, alt: label, class: 'doc-image' }));
    };

    const officeRef = h('input', { name: 'reference', required: true, maxlength: OFFICE_REFERENCE_MAX });
    const officeKind = select('kind', [
      ['paid', t('kindPaid')],
      ['scholarship_granted', t('kindScholarship')],
    ]);
    const cancelReason = reasonField();
    const scholarshipReason = reasonField();
    const scholarshipDecision = select('decision', [
      ['confirmed', t('confirmed')],
      ['refused', t('refused')],
    ]);

    root.replaceChildren(
      h('p', {}, h('a', { href: '/gestion/dossiers' }, t('back'))),
      h(
        'dl',
        { class: 'summary' },
        h('dt', {}, t('identifier')),
        h('dd', {}, d.identifier),
        h('dt', {}, t('status')),
        h('dd', { 'data-testid': 'status' }, statusName(d.status)),
        h('dt', {}, t('programme')),
        h('dd', {}, d.programmeCode ?? d.steps?.programme?.programmeCode ?? ''),
        h('dt', {}, t('fees')),
        h('dd', {}, formatEuros(d.fees.amountCents, lang())),
        h('dt', {}, t('payment')),
        h(
          'dd',
          {},
          `${paymentStatusLabel(d.payment.status, lang())}${d.payment.method ? ` (${paymentMethodLabel(d.payment.method, lang())})` : ''}${d.payment.reference ? ` — ${d.payment.reference}` : ''}`,
        ),
      ),
      h('p', { id: 'action-result', role: 'status' }),
      h('h2', {}, t('steps')),
      h('ul', { class: 'steps' }, ...STEP_ORDER.map((k) => h('li', {}, h('strong', {}, t(STEP_KEYS[k])), ' : ', stepSummary(d.steps[k] ?? {})))),
      h('h2', {}, t('docs')),
      docs.length === 0
        ? h('p', {}, '—')
        : h(
            'ul',
            { class: 'docs' },
            ...docs.map((doc) => {
              const reason = reasonField(false);
              const canSee = doc.status !== 'missing';
              return h(
                'li',
                { 'data-kind': doc.kind },
                h(
                  'p',
                  {},
                  h('strong', {}, doc.label[lang()]),
                  ` — ${documentStatusLabel(doc.status, lang())}${doc.reason ? ` (${rejectionReasonLabel(doc.reason, lang())})` : ''}${doc.fileName ? ` — ${doc.fileName}` : ''}`,
                ),
                canSee ? h('button', { type: 'button', onclick: (() => void showPreview(doc)) as EventListener }, `${t('showPreview')} (${doc.kind})`) : null,
                isReviewable(doc.status)
                  ? h(
                      'div',
                      { class: 'review' },
                      actionForm(`${t('accept')} (${doc.kind})`, [], () => post(`/documents/${encodeURIComponent(doc.kind)}/review`, { decision: 'accept' }), render),
                      actionForm(
                        `${t('reject')} (${doc.kind})`,
                        [reason.el],
                        () => post(`/documents/${encodeURIComponent(doc.kind)}/review`, { decision: 'reject', reason: reason.input.value }),
                        render,
                      ),
                    )
                  : null,
              );
            }),
          ),
      preview,
      await moneySection(d, refundForm(d, path, render, announce)),
      h('h2', {}, t('actions')),
      h(
        'div',
        { class: 'actions' },
        actionForm(
          t('officePayment'),
          [labelled(t('reference'), officeRef), labelled(t('payment'), officeKind)],
          () => post('/office-payment', { reference: officeRef.value, kind: officeKind.value }),
          render,
          { id: 'office-payment' },
        ),
        actionForm(
          t('scholarship'),
          [labelled(t('scholarship'), scholarshipDecision), scholarshipReason.el],
          () => post('/scholarship', { decision: scholarshipDecision.value, reason: scholarshipReason.input.value }),
          render,
        ),
        actionForm(t('provisionalIne'), [], () => post('/provisional-ine'), render),
        actionForm(t('resend'), [], () => post('/resend-mail'), render),
        actionForm(t('cancel'), [cancelReason.el], () => post('/cancel', { reason: cancelReason.input.value }), render),
        // The refund decision (supervisors) sits in the money section, next to the withdrawal it decides.
      ),
      h('h2', {}, t('audit')),
      audit.length === 0
        ? h('p', {}, t('noAudit'))
        : h(
            'ol',
            { class: 'timeline' },
            ...audit.map((a) => h('li', {}, h('time', { datetime: a.at }, formatInstant(a.at, lang(), zone, 'short')), ` — ${a.action} — ${a.actor}${a.reason ? ` — ${a.reason}` : ''}`)),
          ),
    );
  };
  await render();
  return { title, body: [root] };
};
