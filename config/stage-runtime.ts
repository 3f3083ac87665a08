/**
 * The part of each stage's configuration (config/stages.ts) the functions read: imported by
 * functions/shared/stage.ts instead of the whole of it, so that a bundle carries the calendar,
 * not the stages' accounts, certificates and domains. The other settings a function needs reach
 * it through the environment the stack gives it (lib/constructs/service-function.ts).
 */

export type StageName = 'dev' | 'prod';

/** A calendar day and wall-clock time in the calendar's time zone. */
export interface LocalMoment {
  month: number; // 1-12
  day: number;
  hour: number;
  minute: number;
  second: number;
}

/** One enrollment window, recurring every year (dates in `Calendar.timeZone`). */
export interface WindowDef {
  id: string;
  opens: LocalMoment;
  /** Last instant of the window, inclusive (e.g. 23:59:59). */
  closes: LocalMoment;
}

export interface Calendar {
  timeZone: string;
  windows: WindowDef[];
}

export interface StageRuntime {
  calendar: Calendar;
  /** Seconds the gate may serve a cached service state. */
  serviceStateCacheSeconds: number;
}

const calendar: Calendar = {
  timeZone: 'Europe/Paris',
  windows: [
    {
      id: 'juin-juillet',
      opens: { month: 6, day: 24, hour: 9, minute: 0, second: 0 },
      closes: { month: 7, day: 16, hour: 23, minute: 59, second: 59 },
    },
    {
      id: 'aout-septembre',
      opens: { month: 8, day: 25, hour: 9, minute: 0, second: 0 },
      closes: { month: 9, day: 15, hour: 23, minute: 59, second: 59 },
    },
  ],
};

/**
 * The university's time zone, which every stage's calendar is in: what a tool that does not
 * know which stage it talks to (the ops CLI) shows instants in. test/unit/windows.test.ts holds
 * every stage to it, so a stage elsewhere has to teach that tool its zone first.
 */
export const UNIVERSITY_TIME_ZONE = calendar.timeZone;

export const stageRuntimes: Record<StageName, StageRuntime> = {
  dev: { calendar, serviceStateCacheSeconds: 5 },
  prod: { calendar, serviceStateCacheSeconds: 5 },
};

export function isStageName(value: unknown): value is StageName {
  return value === 'dev' || value === 'prod';
}

/** The stage named, or an error listing the known ones: what both stageRuntime and config/stages.ts stageConfig check. */
export function knownStage(stage: string | undefined): StageName {
  if (!isStageName(stage)) throw new Error(`Unknown stage "${String(stage)}": expected one of ${Object.keys(stageRuntimes).join(', ')}`);
  return stage;
}

export function stageRuntime(stage: string | undefined): StageRuntime {
  return stageRuntimes[knownStage(stage)];
}
