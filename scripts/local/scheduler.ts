/**
 * EventBridge Scheduler, locally: fires the window switch at each opening and closing of the
 * calendar (Europe/Paris), and the `rate` jobs every few minutes, with the payloads the real
 * schedules send.
 */
import type { Calendar } from '../../config/stages';
import { windowsOfYear } from '../../functions/domain/windows';
import { wallClock, zonedToInstant } from '../../functions/domain/zoned-time';

export interface ScheduledFire {
  at: Date;
  payload: { action: 'open' | 'close'; windowId: string; scheduledFor: string };
}

/** The next schedule firing strictly after `now`. */
export function nextFire(calendar: Calendar, now: Date): ScheduledFire {
  const year = now.getUTCFullYear();
  const fires: ScheduledFire[] = [];
  for (const y of [year - 1, year, year + 1]) {
    for (const w of windowsOfYear(calendar, y)) {
      const close = new Date(w.closesAt.getTime() + 1000);
      fires.push({ at: w.opensAt, payload: { action: 'open', windowId: w.id, scheduledFor: w.opensAt.toISOString() } });
      fires.push({ at: close, payload: { action: 'close', windowId: w.id, scheduledFor: close.toISOString() } });
    }
  }
  return fires.filter((f) => f.at.getTime() > now.getTime()).sort((a, b) => a.at.getTime() - b.at.getTime())[0]!;
}

const MAX_TIMER_MS = 2 ** 31 - 1;

export function startScheduler(calendar: Calendar, fire: (payload: ScheduledFire['payload']) => Promise<void>, log?: (line: string) => void) {
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const arm = () => {
    if (stopped) return;
    const next = nextFire(calendar, new Date());
    const wait = next.at.getTime() - Date.now();
    // Timers cannot wait longer than ~24.8 days: wake up and re-arm.
    timer = setTimeout(
      async () => {
        if (wait <= MAX_TIMER_MS) {
          try {
            await fire(next.payload);
          } catch (err) {
            log?.(`! window switch failed: ${(err as Error).message}`);
          }
        }
        arm();
      },
      Math.min(Math.max(wait, 0), MAX_TIMER_MS),
    );
    timer.unref();
  };
  arm();
  return {
    stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
    },
  };
}

/** What a `rate` job receives, as from its EventBridge Scheduler schedule (lib/constructs/schedules.ts). */
export interface RatePayload {
  scheduledFor: string;
}

/**
 * A `rate(n minutes)` schedule, locally: `fire` every `minutes`. A tick that comes while the
 * previous run is still going is skipped (on AWS the job's timeout is shorter than its rate).
 * The timer does not keep the process alive; `stop()` waits for a run in progress.
 */
export function startRateSchedule(minutes: number, fire: (payload: RatePayload) => Promise<void>, log?: (line: string) => void) {
  let running: Promise<void> | undefined;
  const timer = setInterval(() => {
    if (running) return;
    running = fire({ scheduledFor: new Date().toISOString() })
      .catch((err: Error) => log?.(`! scheduled run failed: ${err.message}`))
      .finally(() => {
        running = undefined;
      });
  }, minutes * 60_000);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}

/** The next time strictly after `now` at which the wall clock in `timeZone` reads `hour`:`minute`. */
export function nextDailyRun(at: { hour: number; minute: number; timeZone: string }, now: Date): Date {
  const today = wallClock(now, at.timeZone);
  for (let days = 0; days <= 2; days++) {
    const day = new Date(Date.UTC(today.year, today.month - 1, today.day + days));
    const candidate = zonedToInstant({ year: day.getUTCFullYear(), month: day.getUTCMonth() + 1, day: day.getUTCDate(), hour: at.hour, minute: at.minute, second: 0 }, at.timeZone);
    if (candidate.getTime() > now.getTime()) return candidate;
  }
  throw new Error('unreachable: a day always has the time');
}

/**
 * A daily schedule (cron in a time zone), locally: `fire` at each run time with the payload the
 * real schedule sends. The timer does not keep the process alive; `stop()` waits for a run.
 */
export function startDailySchedule(at: { hour: number; minute: number; timeZone: string }, fire: (payload: RatePayload) => Promise<void>, log?: (line: string) => void) {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let stopped = false;
  const arm = () => {
    if (stopped) return;
    const next = nextDailyRun(at, new Date());
    timer = setTimeout(() => {
      running = fire({ scheduledFor: next.toISOString() })
        .catch((err: Error) => log?.(`! scheduled run failed: ${err.message}`))
        .finally(() => {
          running = undefined;
          arm();
        });
    }, next.getTime() - Date.now());
    timer.unref();
  };
  arm();
  return {
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}
