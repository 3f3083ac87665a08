/** Enrollments per hour as an inline SVG bar chart (no library: the console's budget). */
import { h, s } from './dom';
import { locale, t } from './i18n';

export interface HourCount {
  hour: string;
  enrolled: number;
}

const W = 640;
const H = 200;
const PAD = { left: 36, right: 8, top: 10, bottom: 28 };

/**
 * The campaign hour by hour, from its first enrollment (or a day back, at least) to the current
 * hour, at most `maxHours` bars (the most recent), gaps filled with zeros.
 */
export function hourSeries(perHour: HourCount[], now = Date.now(), maxHours = 14 * 24): HourCount[] {
  if (perHour.length === 0) return [];
  const byHour = new Map(perHour.map((p) => [p.hour, p.enrolled]));
  const last = Math.max(Date.parse(perHour[perHour.length - 1]!.hour), Math.floor(now / 3600_000) * 3600_000);
  const first = Math.max(Math.min(Date.parse(perHour[0]!.hour), last - 23 * 3600_000), last - (maxHours - 1) * 3600_000);
  const out: HourCount[] = [];
  for (let at = first; at <= last; at += 3600_000) {
    const hour = `${new Date(at).toISOString().slice(0, 13)}:00:00Z`;
    out.push({ hour, enrolled: byHour.get(hour) ?? 0 });
  }
  return out;
}

/** `timeZone`: the university's, in which the hours are labelled. */
export function perHourChart(perHour: HourCount[], timeZone: string): HTMLElement {
  const series = hourSeries(perHour);
  if (series.length === 0) return h('p', {}, t('noEnrollment'));
  const max = Math.max(1, ...series.map((p) => p.enrolled));
  const total = series.reduce((sum, p) => sum + p.enrolled, 0);
  const plotW = W - PAD.left - PAD.right;
  const plotH = H - PAD.top - PAD.bottom;
  const bw = plotW / series.length;
  const fmt = new Intl.DateTimeFormat(locale(), { hour: '2-digit', minute: '2-digit', day: 'numeric', month: 'short', timeZone });
  const label = t('perHourSummary', { total, hours: series.length, max });
  const bars = series.map((p, i) => {
    const bh = (p.enrolled / max) * plotH;
    return s(
      'rect',
      { x: PAD.left + i * bw + bw * 0.1, y: PAD.top + plotH - bh, width: Math.max(1, bw * 0.8), height: bh, class: 'bar' },
      s('title', {}, `${fmt.format(new Date(p.hour))} : ${p.enrolled}`),
    );
  });
  const ticks = [0, Math.round(max / 2), max].map((v) => {
    const y = PAD.top + plotH - (v / max) * plotH;
    return [s('line', { x1: PAD.left, x2: W - PAD.right, y1: y, y2: y, class: 'grid' }), s('text', { x: PAD.left - 4, y: y + 4, 'text-anchor': 'end' }, String(v))];
  });
  const step = Math.max(1, Math.ceil(series.length / 6));
  const xLabels = series.flatMap((p, i) => (i % step === 0 ? [s('text', { x: PAD.left + i * bw + bw / 2, y: H - 8, 'text-anchor': 'middle' }, fmt.format(new Date(p.hour)))] : []));
  const svg = s('svg', { viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-label': `${t('perHour')} : ${label}`, class: 'chart' }, ...ticks.flat(), ...bars, ...xLabels);
  return h('figure', { class: 'chart-figure' }, svg as unknown as Node, h('figcaption', {}, label));
}
