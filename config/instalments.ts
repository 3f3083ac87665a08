/**
 * Paying in three parts (SPEC "Instalments", arrêté du 19 avril 2019): the numbers the rule in
 * functions/domain/dossier/instalments.ts reads. Nothing else restates them.
 */
export const instalmentsConfig = {
  /** National-rate fees from this amount (cents) may be paid in parts. */
  minimumCents: 10_000,
  /** How many parts: the first at enrollment, one a month after. */
  parts: 3,
  /** The later parts fall due on this day of the following months. */
  dueDay: 5,
  /** A declined part is charged once more this many days after the decline, then `overdue`. */
  retryAfterDays: 3,
  /** Due dates and "today" are read in this time zone. */
  timeZone: 'Europe/Paris',
  /** When the daily InstalmentsDue job runs (wall-clock time in `timeZone`). */
  dailyRunAt: { hour: 8, minute: 0 },
} as const;

export type InstalmentsConfig = {
  minimumCents: number;
  parts: number;
  dueDay: number;
  retryAfterDays: number;
  timeZone: string;
  dailyRunAt: { hour: number; minute: number };
};
