import { CORRECTION_FIELD_LABELS } from '../../../../functions/domain/corrections';
import { REASON_LENGTH } from '../../../../functions/domain/schemas';
import { formatInstant } from '../../../../functions/domain/labels';
import type { AdminCorrectionsPage, DocumentsQueuePage, SupportPage } from '../../../../functions/shared/contracts';
import { api } from '../api';
import { h } from '../dom';
import { lang, t } from '../i18n';
import type { Page } from '../router';
import { resultLine, table, timeZone } from '../ui';

/** The support inbox: newest first, each request marked handled once dealt with. */
export const supportInbox: Page = async () => {
  const root = h('div', { id: 'support' });
  const render = async () => {
    const [page, zone] = await Promise.all([api<SupportPage>('GET', '/api/admin/support-requests?limit=100'), timeZone()]);
    root.replaceChildren(
      page.items.length === 0
        ? h('p', {}, t('noneWaiting'))
        : h(
            'ul',
            { class: 'inbox' },
            ...page.items.map((r) => {
              const result = resultLine();
              return h(
                'li',
                { class: r.handledAt ? 'handled' : 'waiting' },
                h('h2', {}, `${r.lastName} ${r.firstName} — ${r.identifier}`),
                h('p', {}, `${t('received')} ${formatInstant(r.receivedAt, lang(), zone, 'short')} — ${r.programme} — ${r.email}`),
                h('blockquote', {}, r.message),
                r.handledAt
                  ? h('p', {}, `${t('handled')} (${r.handledBy}, ${formatInstant(r.handledAt, lang(), zone, 'short')})`)
                  : h(
                      'button',
                      {
                        type: 'button',
                        onclick: (async () => {
                          try {
                            await api('POST', `/api/admin/support-requests/${encodeURIComponent(r.id)}/handled`);
                            await render();
                          } catch (err) {
                            result.fail(err);
                          }
                        }) as unknown as EventListener,
                      },
                      `${t('markHandled')} (${r.lastName} ${r.firstName})`,
                    ),
                result.el,
              );
            }),
          ),
    );
  };
  await render();
  return { title: t('support'), body: [root] };
};

/** Corrections waiting for a decision. */
export const correctionsQueue: Page = async () => {
  const root = h('div', { id: 'corrections' });
  const render = async () => {
    const page = await api<AdminCorrectionsPage>('GET', '/api/admin/corrections?status=pending&limit=100');
    root.replaceChildren(
      page.items.length === 0
        ? h('p', {}, t('noneWaiting'))
        : table(
            t('corrections'),
            [t('dossier'), t('field'), t('proposed'), t('message'), t('actions')],
            page.items.map((c) => {
              const result = resultLine();
              const reason = h('input', { name: 'reason', 'aria-label': `${t('reason')} (${c.identifier})`, maxlength: REASON_LENGTH.max });
              const decide = (decision: 'accept' | 'reject') => async () => {
                try {
                  await api('POST', `/api/admin/corrections/${encodeURIComponent(c.id)}`, { decision, ...(reason.value ? { reason: reason.value } : {}) });
                  await render();
                } catch (err) {
                  result.fail(err);
                }
              };
              return [
                h('a', { href: `/gestion/dossiers/${encodeURIComponent(c.dossierId)}` }, c.identifier),
                CORRECTION_FIELD_LABELS[c.field][lang()],
                `${c.currentValue ?? '—'} → ${c.proposedValue}`,
                c.message,
                h(
                  'div',
                  {},
                  reason,
                  h('button', { type: 'button', onclick: decide('accept') as unknown as EventListener }, t('accept')),
                  h('button', { type: 'button', onclick: decide('reject') as unknown as EventListener }, t('reject')),
                  result.el,
                ),
              ];
            }),
          ),
    );
  };
  await render();
  return { title: t('corrections'), body: [root] };
};

/** Documents waiting for a review, oldest first: each opens its dossier, where it is previewed and decided. */
export const documentsQueue: Page = async () => {
  const [page, zone] = await Promise.all([api<DocumentsQueuePage>('GET', '/api/admin/documents?limit=100'), timeZone()]);
  const items = [...page.items].sort((a, b) => (a.since ?? '').localeCompare(b.since ?? ''));
  return {
    title: t('documents'),
    body: [
      items.length === 0
        ? h('p', {}, t('noneWaiting'))
        : table(
            t('documents'),
            [t('name'), t('identifier'), t('programme'), t('docs'), t('received')],
            items.map((d) => [
              h('a', { href: `/gestion/dossiers/${encodeURIComponent(d.dossierId)}` }, `${d.lastName} ${d.firstName}`),
              d.identifier,
              d.programmeCode,
              `${d.kind}${d.fileName ? ` — ${d.fileName}` : ''}`,
              d.since ? formatInstant(d.since, lang(), zone, 'short') : '—',
            ]),
          ),
    ],
  };
};
