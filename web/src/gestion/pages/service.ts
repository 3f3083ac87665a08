import { REASON_LENGTH } from '../../../../functions/domain/schemas';
import { formatInstant } from '../../../../functions/domain/labels';
import type { ServiceView } from '../../../../functions/shared/contracts';
import { api } from '../api';
import { h } from '../dom';
import { lang, t } from '../i18n';
import type { Page } from '../router';
import { labelled, resultLine, select, table } from '../ui';

/** An instant in the university's time zone, whatever the operator's computer is set to. */
const when = (iso: string, timeZone: string) => formatInstant(iso, lang(), timeZone, 'medium');

/** The service switch (supervisors): the state, the calendar, an override with its reason. */
export const service: Page = async () => {
  const root = h('div', { id: 'service' });
  const render = async () => {
    const s = await api<ServiceView>('GET', '/api/admin/service');
    const mode = select(
      'mode',
      [
        ['calendar', t('modeCalendar')],
        ['open', t('modeOpen')],
        ['closed', t('modeClosed')],
      ],
      s.override?.mode ?? 'calendar',
    );
    const reason = h('input', { name: 'reason', required: true, minlength: REASON_LENGTH.min, maxlength: REASON_LENGTH.max });
    const result = resultLine();
    root.replaceChildren(
      ...[
        h('h2', {}, t('serviceNow')),
        h('p', { 'data-testid': 'service-state' }, `${s.open ? t('open2') : t('closed')} — ${s.message}`),
        s.nextOpening ? h('p', {}, t('nextOpening', { at: when(s.nextOpening, s.calendar.timeZone) })) : null,
        s.override ? h('p', {}, t('override', { mode: s.override.mode, by: s.override.by, reason: s.override.reason })) : null,
        h(
          'form',
          {
            class: 'action',
            onsubmit: (async (e: Event) => {
              e.preventDefault();
              try {
                await api('PUT', '/api/admin/service', { mode: mode.value, reason: reason.value });
                await render();
                document.getElementById('service-result')!.textContent = t('done2');
              } catch (err) {
                result.fail(err);
              }
            }) as unknown as EventListener,
          },
          h('fieldset', {}, h('legend', {}, t('service')), labelled(t('mode'), mode), labelled(t('reason'), reason), h('button', { type: 'submit', id: 'service-apply' }, t('apply')), result.el),
        ),
        h('p', { id: 'service-result', role: 'status' }),
        h('h2', {}, t('calendar')),
        table(
          `${t('calendar')} (${s.calendar.timeZone})`,
          ['#', t('opensAt'), t('closesAt')],
          s.calendar.windows.map((w) => [w.id, when(w.opensAt, s.calendar.timeZone), when(w.closesAt, s.calendar.timeZone)]),
        ),
      ].filter((n): n is HTMLElement => n !== null),
    );
  };
  await render();
  return { title: t('service'), body: [root] };
};
