import type { ImportResult } from '../../../../functions/shared/contracts';
import { api } from '../api';
import { h } from '../dom';
import { t } from '../i18n';
import type { Page } from '../router';
import { labelled, table } from '../ui';

/** Lines per request: each answers well within the route's time limit. */
const CHUNK_LINES = 500;

/** CSV records (a quoted cell may hold a line break), header first. */
export function csvRecords(text: string): string[] {
  const out: string[] = [];
  let start = 0;
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') quoted = !quoted;
    else if (c === '\n' && !quoted) {
      out.push(text.slice(start, i).replace(/\r$/, ''));
      start = i + 1;
    }
  }
  if (start < text.length) out.push(text.slice(start).replace(/\r$/, ''));
  return out.filter((l) => l.trim() !== '');
}

/** Admissions import (supervisors): the file sent in parts, a progress bar, every refused line listed. */
export const importPage: Page = async () => {
  const file = h('input', { name: 'file', type: 'file', accept: '.csv,text/csv', required: true });
  const progress = h('progress', { max: 1, value: 0, 'aria-label': t('importing'), hidden: true });
  const status = h('p', { role: 'status' });
  const report = h('div', {});
  const form = h(
    'form',
    {
      class: 'action',
      onsubmit: (async (e: Event) => {
        e.preventDefault();
        const f = file.files?.[0];
        if (!f) return;
        const [header, ...lines] = csvRecords(await f.text());
        const chunks = Math.max(1, Math.ceil(lines.length / CHUNK_LINES));
        progress.hidden = false;
        progress.max = chunks;
        progress.value = 0;
        status.textContent = t('importing');
        report.replaceChildren();
        const total: Pick<ImportResult, 'imported' | 'updated' | 'rejected'> = { imported: 0, updated: 0, rejected: [] };
        try {
          for (let i = 0; i < chunks; i++) {
            const part = lines.slice(i * CHUNK_LINES, (i + 1) * CHUNK_LINES);
            const r = await api<ImportResult>('POST', '/api/admin/admissions', [header, ...part].join('\n'), 'text/csv');
            total.imported += r.imported;
            total.updated += r.updated;
            // The API numbers lines within what it was sent: back to the file's numbering.
            total.rejected.push(...r.rejected.map((x) => ({ ...x, line: x.line + i * CHUNK_LINES })));
            progress.value = i + 1;
          }
          status.textContent = t('importDone', { imported: total.imported, updated: total.updated, rejected: total.rejected.length });
        } catch (err) {
          status.textContent = t('failed', { message: (err as Error).message });
        }
        if (total.rejected.length)
          report.replaceChildren(
            table(
              t('error'),
              [t('line'), t('identifier'), t('error')],
              total.rejected.map((r) => [String(r.line), r.identifier ?? '', r.error]),
            ),
          );
      }) as unknown as EventListener,
    },
    h('fieldset', {}, h('legend', {}, t('importTitle')), labelled(t('file'), file), h('button', { type: 'submit' }, t('import'))),
  );
  return { title: t('import'), body: [form, progress, status, report] };
};
