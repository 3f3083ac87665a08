import { describe, expect, it } from 'vitest';
import { stages } from '../../config/stages';
import { stageRuntimes, UNIVERSITY_TIME_ZONE } from '../../config/stage-runtime';
import { when } from '../../scripts/ops/render';
import { academicYearAt, computeServiceState, currentWindow, nextWindow, scheduleSpecs, type Override } from '../../functions/domain/windows';
import { offsetMinutes, toZonedIso, zonedToInstant } from '../../functions/domain/zoned-time';

const calendar = stages.prod.calendar;
const at = (iso: string) => new Date(iso);
const forced = (mode: Override['mode']): Override => ({ mode, reason: 'test', by: 'tester', at: '2026-07-01T00:00:00Z' });

describe('zoned time (Europe/Paris)', () => {
  it.each([
    ['2026-01-15T12:00:00Z', 60],
    ['2026-07-15T12:00:00Z', 120],
    // Spring forward: Sunday 29 March 2026, 02:00 → 03:00 (01:00Z).
    ['2026-03-29T00:59:59Z', 60],
    ['2026-03-29T01:00:00Z', 120],
    // Fall back: Sunday 25 October 2026, 03:00 → 02:00 (01:00Z).
    ['2026-10-25T00:59:59Z', 120],
    ['2026-10-25T01:00:00Z', 60],
  ])('offset at %s is %i minutes', (iso, expected) => {
    expect(offsetMinutes(at(iso), 'Europe/Paris')).toBe(expected);
  });

  it('converts Paris wall-clock times to instants on both sides of DST', () => {
    expect(zonedToInstant({ year: 2026, month: 6, day: 24, hour: 9, minute: 0, second: 0 }, 'Europe/Paris').toISOString()).toBe('2026-06-24T07:00:00.000Z');
    expect(zonedToInstant({ year: 2026, month: 12, day: 24, hour: 9, minute: 0, second: 0 }, 'Europe/Paris').toISOString()).toBe('2026-12-24T08:00:00.000Z');
    expect(zonedToInstant({ year: 2026, month: 3, day: 29, hour: 3, minute: 30, second: 0 }, 'Europe/Paris').toISOString()).toBe('2026-03-29T01:30:00.000Z');
    expect(zonedToInstant({ year: 2026, month: 10, day: 25, hour: 4, minute: 0, second: 0 }, 'Europe/Paris').toISOString()).toBe('2026-10-25T03:00:00.000Z');
  });

  it('formats ISO 8601 with the offset', () => {
    expect(toZonedIso(at('2026-06-24T07:00:00Z'), 'Europe/Paris')).toBe('2026-06-24T09:00:00+02:00');
    expect(toZonedIso(at('2027-01-01T00:00:00Z'), 'Europe/Paris')).toBe('2027-01-01T01:00:00+01:00');
  });
});

describe('enrollment windows', () => {
  it('opens at 09:00:00 sharp, Paris time, and not a second before', () => {
    expect(currentWindow(calendar, at('2026-06-24T06:59:59Z'))).toBeNull();
    expect(currentWindow(calendar, at('2026-06-24T07:00:00Z'))?.id).toBe('juin-juillet');
    expect(currentWindow(calendar, at('2026-08-25T07:00:00Z'))?.id).toBe('aout-septembre');
  });

  it('stays open through 23:59:59 on the closing day and closes at midnight', () => {
    expect(currentWindow(calendar, at('2026-07-16T21:59:59Z'))?.id).toBe('juin-juillet');
    expect(currentWindow(calendar, at('2026-07-16T22:00:00Z'))).toBeNull();
    expect(currentWindow(calendar, at('2026-09-15T21:59:59Z'))?.id).toBe('aout-septembre');
    expect(currentWindow(calendar, at('2026-09-15T22:00:00Z'))).toBeNull();
  });

  it('between the windows announces the August opening', () => {
    const state = computeServiceState(calendar, null, at('2026-08-01T10:00:00Z'));
    expect(state).toMatchObject({ open: false, reason: 'between_windows', window: null, supportOpen: false });
    expect(state.nextOpening?.toISOString()).toBe('2026-08-25T07:00:00.000Z');
    expect(state.nextTransitionAt.toISOString()).toBe('2026-08-25T07:00:00.000Z');
  });

  it.each([
    ['spring-forward Sunday', '2026-03-29T01:30:00Z'],
    ['fall-back Sunday (first 02:30)', '2026-10-25T00:30:00Z'],
    ['fall-back Sunday (second 02:30)', '2026-10-25T01:30:00Z'],
  ])('on the %s the service is closed and announces 24 June 09:00 +02:00', (_label, iso) => {
    const state = computeServiceState(calendar, null, at(iso));
    expect(state.open).toBe(false);
    expect(toZonedIso(state.nextOpening!, 'Europe/Paris')).toBe(iso.startsWith('2026-03') ? '2026-06-24T09:00:00+02:00' : '2027-06-24T09:00:00+02:00');
  });

  it('at the year end the next opening is next June', () => {
    const state = computeServiceState(calendar, null, at('2026-12-31T22:59:59Z'));
    expect(state.open).toBe(false);
    expect(state.nextOpening?.toISOString()).toBe('2027-06-24T07:00:00.000Z');
    expect(nextWindow(calendar, at('2027-01-01T00:00:00Z')).opensAt.toISOString()).toBe('2027-06-24T07:00:00.000Z');
  });

  it('while open, the next transition is the second after the window closes', () => {
    const state = computeServiceState(calendar, null, at('2026-07-01T10:00:00Z'));
    expect(state).toMatchObject({ open: true, reason: 'window_open', nextOpening: null, supportOpen: true });
    expect(state.nextTransitionAt.toISOString()).toBe('2026-07-16T22:00:00.000Z');
  });

  it('an operator override wins over the calendar; support is open in a window or when forced open', () => {
    const inWindow = at('2026-07-01T10:00:00Z');
    const outside = at('2026-11-01T10:00:00Z');
    expect(computeServiceState(calendar, forced('closed'), inWindow)).toMatchObject({ open: false, reason: 'forced_closed', supportOpen: true });
    expect(computeServiceState(calendar, forced('open'), outside)).toMatchObject({ open: true, reason: 'forced_open', supportOpen: true });
  });

  it.each([
    ['2026-05-31T21:59:59Z', '2025-2026'],
    ['2026-05-31T22:00:00Z', '2026-2027'],
    ['2026-11-28T12:00:00Z', '2026-2027'],
    ['2027-01-01T00:00:00Z', '2026-2027'],
  ])('the academic year at %s is %s', (iso, year) => {
    expect(academicYearAt(at(iso), 'Europe/Paris')).toBe(year);
  });
});

describe('schedule expressions', () => {
  it('open at 09:00 and close at the midnight that follows the last second, in Europe/Paris', () => {
    expect(scheduleSpecs(calendar)).toEqual([
      { name: 'juin-juillet-open', action: 'open', windowId: 'juin-juillet', expression: 'cron(0 9 24 6 ? *)', timeZone: 'Europe/Paris' },
      { name: 'juin-juillet-close', action: 'close', windowId: 'juin-juillet', expression: 'cron(0 0 17 7 ? *)', timeZone: 'Europe/Paris' },
      { name: 'aout-septembre-open', action: 'open', windowId: 'aout-septembre', expression: 'cron(0 9 25 8 ? *)', timeZone: 'Europe/Paris' },
      { name: 'aout-septembre-close', action: 'close', windowId: 'aout-septembre', expression: 'cron(0 0 16 9 ? *)', timeZone: 'Europe/Paris' },
    ]);
  });

  it('refuses a schedule time that is not on a whole minute', () => {
    const bad = { ...calendar, windows: [{ ...calendar.windows[0]!, opens: { month: 6, day: 24, hour: 9, minute: 0, second: 30 } }] };
    expect(() => scheduleSpecs(bad)).toThrow(/whole minute/);
  });
});

describe('the university’s time zone', () => {
  it('is every stage’s, since the ops CLI (scripts/ops/render.ts) shows instants in it without knowing its stage', () => {
    for (const [stage, runtime] of Object.entries(stageRuntimes)) expect([stage, runtime.calendar.timeZone]).toEqual([stage, UNIVERSITY_TIME_ZONE]);
    expect(when('2026-06-24T07:00:00Z')).toContain('09:00');
  });
});
