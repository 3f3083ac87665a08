import { formatEuros, STATUS_LABELS } from '../../../../functions/domain/labels';
import type { StatsView as Stats } from '../../../../functions/shared/contracts';
import { api } from '../api';
import { perHourChart } from '../chart';
import { h } from '../dom';
import { lang, locale, t } from '../i18n';
import type { Page } from '../router';
import { table, timeZone } from '../ui';

/** Seconds between refreshes of the dashboard (polling GET /api/admin/stats). */
export const REFRESH_SECONDS = 5;

const statuses = Object.keys(STATUS_LABELS) as (keyof typeof STATUS_LABELS)[];
const statusName = (s: string) => STATUS_LABELS[s as keyof typeof STATUS_LABELS]?.[lang()] ?? s;

function view(stats: Stats, zone: string): Node[] {
  const q = stats.queues;
  const queueLinks: [keyof Stats['queues'], string | undefined][] = [
    ['documentsToReview', '/gestion/pieces'],
    ['correctionsPending', '/gestion/corrections'],
    ['supportRequests', '/gestion/assistance'],
    ['anomalies', '/gestion/anomalies'],
    ['instalmentsOverdue', '/gestion/echeances'],
  ];
  return [
    h(
      'section',
      { class: 'cards', 'aria-label': t('dashboard') },
      h('div', { class: 'card' }, h('p', { class: 'card-label' }, t('enrolled')), h('p', { class: 'card-value', 'data-testid': 'enrolled' }, String(stats.byStatus.enrolled ?? 0))),
      h('div', { class: 'card' }, h('p', { class: 'card-label' }, t('collected')), h('p', { class: 'card-value', 'data-testid': 'collected' }, formatEuros(stats.collectedCents, lang()))),
    ),
    h('h2', {}, t('toHandle')),
    h(
      'ul',
      { class: 'queues' },
      ...queueLinks.map(([k, href]) =>
        h('li', { 'data-queue': k }, href ? h('a', { href }, h('span', { class: 'n' }, String(q[k])), ' ', t(k)) : h('span', {}, h('span', { class: 'n' }, String(q[k])), ' ', t(k))),
      ),
    ),
    h('h2', {}, t('perHour')),
    perHourChart(stats.perHour, zone),
    h('h2', {}, t('byStatus')),
    table(
      t('byStatus'),
      [t('status'), t('count')],
      statuses.filter((s) => stats.byStatus[s]).map((s) => [statusName(s), String(stats.byStatus[s])]),
    ),
    h('h2', {}, t('byProgramme')),
    table(
      t('byProgramme'),
      [t('programme'), ...statuses.map(statusName), t('total')],
      stats.byProgramme.map((p) => [p.code, ...statuses.map((s) => String(p.counts[s] ?? 0)), String(Object.values(p.counts).reduce((a, b) => a + b, 0))]),
    ),
  ];
}

export const dashboard: Page = async (ctx) => {
  const content = h('div', { id: 'dashboard' });
  const stamp = h('p', { class: 'stamp' });
  const refresh = async () => {
    const [stats, zone] = await Promise.all([api<Stats>('GET', '/api/admin/stats'), timeZone()]);
    content.replaceChildren(...view(stats, zone));
    stamp.textContent = t('updatedAt', { time: new Intl.DateTimeFormat(locale(), { timeStyle: 'medium', timeZone: zone }).format(new Date()) });
  };
  await refresh();
  const timer = setInterval(() => {
    refresh().catch(() => {});
  }, REFRESH_SECONDS * 1000);
  ctx.onLeave(() => clearInterval(timer));
  return { title: t('dashboard'), body: [stamp, content] };
};
