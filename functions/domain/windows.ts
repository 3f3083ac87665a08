/**
 * The enrollment windows: which window is open at an instant, the next opening, and the
 * effective service state once an operator override is applied. Pure: the calendar and
 * "now" are arguments.
 */
import type { Calendar, LocalMoment, WindowDef } from '../../config/stage-runtime';
import { toZonedIso, zonedToInstant } from './zoned-time';

export interface WindowInstance {
  id: string;
  /** First open instant. */
  opensAt: Date;
  /** Last open instant (inclusive). */
  closesAt: Date;
}

export type OverrideMode = 'open' | 'closed';

export interface Override {
  mode: OverrideMode;
  reason: string;
  by: string;
  at: string;
}

export type StateReason = 'window_open' | 'between_windows' | 'forced_open' | 'forced_closed';

export interface ServiceState {
  open: boolean;
  reason: StateReason;
  /** The calendar window containing now, if any (even when forced closed). */
  window: WindowInstance | null;
  /** The next calendar opening after now (null while open by the calendar). */
  nextOpening: Date | null;
  /**
   * Support requests are accepted while a calendar window is open or an operator forced the
   * service open; a forced close inside a window keeps the form open (blocked students need it most).
   */
  supportOpen: boolean;
  /** Next instant at which the calendar part of this state changes. */
  nextTransitionAt: Date;
  academicYear: string;
}

function instantOf(year: number, m: LocalMoment, timeZone: string): Date {
  return zonedToInstant({ year, month: m.month, day: m.day, hour: m.hour, minute: m.minute, second: m.second }, timeZone);
}

export function windowInstance(def: WindowDef, year: number, timeZone: string): WindowInstance {
  return { id: def.id, opensAt: instantOf(year, def.opens, timeZone), closesAt: instantOf(year, def.closes, timeZone) };
}

/** Every window instance of `year`, in chronological order. */
export function windowsOfYear(calendar: Calendar, year: number): WindowInstance[] {
  return calendar.windows.map((w) => windowInstance(w, year, calendar.timeZone)).sort((a, b) => a.opensAt.getTime() - b.opensAt.getTime());
}

function candidates(calendar: Calendar, now: Date): WindowInstance[] {
  const y = now.getUTCFullYear();
  return [...windowsOfYear(calendar, y - 1), ...windowsOfYear(calendar, y), ...windowsOfYear(calendar, y + 1)];
}

export function currentWindow(calendar: Calendar, now: Date): WindowInstance | null {
  const t = now.getTime();
  return candidates(calendar, now).find((w) => w.opensAt.getTime() <= t && t <= w.closesAt.getTime()) ?? null;
}

export function nextWindow(calendar: Calendar, now: Date): WindowInstance {
  const t = now.getTime();
  const next = candidates(calendar, now).find((w) => w.opensAt.getTime() > t);
  if (!next) throw new Error('calendar has no window');
  return next;
}

/** The month (June) from whose first day the campaign serves the academic year starting that year. */
export const CAMPAIGN_TURNS_MONTH = 6;

/**
 * The academic year a campaign serves: enrollment for "2026-2027" happens in summer 2026.
 * The campaign year turns on the first of CAMPAIGN_TURNS_MONTH (stage time), before the first window opens.
 */
export function academicYearAt(now: Date, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: 'numeric' }).formatToParts(now);
  const year = Number(parts.find((p) => p.type === 'year')!.value);
  const month = Number(parts.find((p) => p.type === 'month')!.value);
  const start = month >= CAMPAIGN_TURNS_MONTH ? year : year - 1;
  return `${start}-${start + 1}`;
}

export function computeServiceState(calendar: Calendar, override: Override | null | undefined, now: Date): ServiceState {
  const window = currentWindow(calendar, now);
  const next = nextWindow(calendar, now);
  const calendarOpen = window !== null;
  // The calendar part changes at the end of the current window (the second after its last
  // instant), or at the next opening.
  const nextTransitionAt = window ? new Date(window.closesAt.getTime() + 1000) : next.opensAt;
  let open = calendarOpen;
  let reason: StateReason = calendarOpen ? 'window_open' : 'between_windows';
  if (override?.mode === 'open') {
    open = true;
    reason = 'forced_open';
  } else if (override?.mode === 'closed') {
    open = false;
    reason = 'forced_closed';
  }
  return {
    open,
    reason,
    window,
    nextOpening: calendarOpen ? null : next.opensAt,
    supportOpen: calendarOpen || override?.mode === 'open',
    nextTransitionAt,
    academicYear: academicYearAt(now, calendar.timeZone),
  };
}

/** The next opening to announce to a student who finds the service closed. */
export function announcedOpening(calendar: Calendar, state: ServiceState, now: Date): Date | null {
  if (state.open) return null;
  return state.nextOpening ?? nextWindow(calendar, now).opensAt;
}

export function windowJson(w: WindowInstance, timeZone: string): { id: string; opensAt: string; closesAt: string };
export function windowJson(w: WindowInstance | null, timeZone: string): { id: string; opensAt: string; closesAt: string } | null;
export function windowJson(w: WindowInstance | null, timeZone: string) {
  return w ? { id: w.id, opensAt: toZonedIso(w.opensAt, timeZone), closesAt: toZonedIso(w.closesAt, timeZone) } : null;
}

export interface ScheduleSpec {
  /** e.g. `juin-juillet-open`. */
  name: string;
  action: 'open' | 'close';
  windowId: string;
  /** EventBridge Scheduler cron expression, to be evaluated in `timeZone`. */
  expression: string;
  timeZone: string;
}

/**
 * EventBridge Scheduler schedules for a calendar: one at each opening, one at the second
 * after each closing (a window's last second is 23:59:59, so it closes at 00:00:00 the next
 * day). Cron has minute granularity; the calendar's times are on whole minutes after that shift.
 */
export function scheduleSpecs(calendar: Calendar): ScheduleSpec[] {
  const specs: ScheduleSpec[] = [];
  for (const w of calendar.windows) {
    specs.push({ name: `${w.id}-open`, action: 'open', windowId: w.id, expression: cronAt(w.opens), timeZone: calendar.timeZone });
    specs.push({ name: `${w.id}-close`, action: 'close', windowId: w.id, expression: cronAt(plusOneSecond(w.closes)), timeZone: calendar.timeZone });
  }
  return specs;
}

function cronAt(m: LocalMoment): string {
  if (m.second !== 0) throw new Error(`schedule times must be on a whole minute (got ${m.second}s)`);
  return `cron(${m.minute} ${m.hour} ${m.day} ${m.month} ? *)`;
}

function plusOneSecond(m: LocalMoment): LocalMoment {
  // Wall-clock arithmetic in a non-leap reference year: calendar windows never close on 28/29 Feb.
  const d = new Date(Date.UTC(2001, m.month - 1, m.day, m.hour, m.minute, m.second + 1));
  return { month: d.getUTCMonth() + 1, day: d.getUTCDate(), hour: d.getUTCHours(), minute: d.getUTCMinutes(), second: d.getUTCSeconds() };
}

export { toZonedIso };
