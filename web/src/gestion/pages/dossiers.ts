import { STATUS_LABELS } from '../../../../functions/domain/labels';
import type { ProgrammesView, SearchPage } from '../../../../functions/shared/contracts';
import { api } from '../api';
import { h } from '../dom';
import { lang, t } from '../i18n';
import { navigate, type Page } from '../router';
import { labelled, select, table } from '../ui';

export const statusName = (s: string) => (s === 'no_dossier' ? t('noDossier') : (STATUS_LABELS[s as keyof typeof STATUS_LABELS]?.[lang()] ?? s));

/** Search: by name, identifier, INE or dossier id (`q`, functions/admin/search-dossiers.ts), by status; the programme narrows the matches shown. */
export const dossiers: Page = async (ctx) => {
  const q = ctx.query.get('q') ?? '';
  const status = ctx.query.get('status') ?? '';
  const programme = ctx.query.get('programme') ?? '';
  const programmes = (await (await fetch('/api/programmes')).json()) as ProgrammesView;
  const qInput = h('input', { name: 'q', type: 'search', value: q, autocomplete: 'off' });
  const statusSelect = select('status', [['', t('anyStatus')], ...Object.keys(STATUS_LABELS).map((s): [string, string] => [s, statusName(s)])], status);
  const programmeSelect = select('programme', [['', t('anyProgramme')], ...programmes.items.map((p): [string, string] => [p.code, `${p.code} — ${p.label}`])], programme);
  const form = h(
    'form',
    {
      role: 'search',
      class: 'search',
      onsubmit: ((e: Event) => {
        e.preventDefault();
        const params = new URLSearchParams();
        if (qInput.value.trim()) params.set('q', qInput.value.trim());
        if (statusSelect.value) params.set('status', statusSelect.value);
        if (programmeSelect.value) params.set('programme', programmeSelect.value);
        navigate(`/gestion/dossiers?${params}`);
      }) as EventListener,
    },
    labelled(t('searchLabel'), qInput),
    labelled(t('status'), statusSelect),
    labelled(t('programme'), programmeSelect),
    h('button', { type: 'submit' }, t('search')),
  );
  const body: Node[] = [form];
  if (q || status || programme) {
    const params = new URLSearchParams({ limit: '100' });
    if (q) params.set('q', q);
    if (status) params.set('status', status);
    else if (!q) params.set('status', 'draft');
    if (programme) params.set('programme', programme);
    const page = await api<SearchPage>('GET', `/api/admin/dossiers?${params}`);
    const items = page.items;
    body.push(
      h('h2', {}, t('results')),
      items.length === 0
        ? h('p', {}, t('noResult'))
        : table(
            t('results'),
            [t('name'), t('identifier'), t('programme'), t('status')],
            items.map((i) => [
              i.id ? h('a', { href: `/gestion/dossiers/${encodeURIComponent(i.id)}` }, `${i.usageName ?? i.lastName} ${i.firstName}`) : `${i.usageName ?? i.lastName} ${i.firstName}`,
              i.identifier,
              i.programmeCode,
              statusName(i.status),
            ]),
          ),
    );
  }
  return { title: t('dossiers'), body };
};
