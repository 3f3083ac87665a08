/**
 * The campaign's figures for the operators' dashboard (API.md `GET /api/admin/stats`), kept as
 * counters rather than counted: every write that changes a figure records, on the item it
 * writes, the change it makes to the counters (a `StatsDelta`), and the stats job
 * (functions/events/stats.ts) adds those deltas up from the table's stream.
 *
 * What a dossier counts for is decided here only (`dossierContribution`): its status, its
 * programme and status, the hour it was enrolled in, the money it paid, its documents to review,
 * its overdue instalments and its payment anomalies. A write's delta is the difference between
 * the dossier's contribution after and before it, so however a dossier moves, the counters
 * follow. Pure: no AWS import.
 */
import type { Dossier } from './dossier';
import { overdueInstalments } from './dossier/instalments';
import { amountPaidCents, movementsOf } from './dossier/money';

/** Refunds that left (not those merely asked or recorded for the accounting office). */
const refundedCents = (d: Dossier) =>
  movementsOf(d)
    .filter((m) => m.kind === 'refund' && m.status === 'succeeded')
    .reduce((sum, m) => sum + m.amountCents, 0);

/** Counter groups (one stored item each) and the names inside them. */
export type StatsGroup = 'status' | `programme#${string}` | `hour#${string}` | 'money' | 'queues';

export const QUEUE_NAMES = ['documentsToReview', 'correctionsPending', 'instalmentsOverdue', 'anomalies', 'supportRequests'] as const;
export type QueueName = (typeof QUEUE_NAMES)[number];

/** `{group: {counter: n}}`: what to add to each counter (zero entries left out). */
export type StatsDelta = Record<string, Record<string, number>>;

/** The hour bucket of an instant: `2026-07-01T10` (UTC; the console shows it in local time). */
export const hourOf = (iso: string) => iso.slice(0, 13);

/** Money kept for the dossier, in cents: what it paid less what went back (functions/domain/dossier/money.ts). */
const collectedCents = (d: Dossier) => amountPaidCents(d) - refundedCents(d);

/** What one dossier counts for, as a delta from nothing. */
export function dossierContribution(d: Dossier): StatsDelta {
  const out: StatsDelta = {
    status: { [d.status]: 1 },
    [`programme#${d.programmeCode}`]: { [d.status]: 1 },
    queues: {
      documentsToReview: Object.values(d.documents ?? {}).filter((doc) => doc.status === 'to_review').length,
      instalmentsOverdue: d.status === 'cancelled' ? 0 : overdueInstalments(d).length,
      anomalies: d.payment.anomalies?.length ?? 0,
    },
    money: { collectedCents: collectedCents(d) },
  };
  // Enrollments per hour: each dossier once, in the hour it became enrolled (kept after a withdrawal).
  if (d.enrolledAt) out[`hour#${hourOf(d.enrolledAt)}`] = { enrolled: 1 };
  return out;
}

/** `a + sign × b`, zero entries dropped. */
export function addDelta(a: StatsDelta, b: StatsDelta, sign = 1): StatsDelta {
  const out: StatsDelta = {};
  for (const src of [a, b]) {
    const k = src === a ? 1 : sign;
    for (const [group, counters] of Object.entries(src)) {
      const target = out[group] ?? {};
      for (const [name, n] of Object.entries(counters)) target[name] = (target[name] ?? 0) + k * n;
      out[group] = target;
    }
  }
  return pruneDelta(out);
}

export function pruneDelta(d: StatsDelta): StatsDelta {
  const out: StatsDelta = {};
  for (const [group, counters] of Object.entries(d)) {
    const kept = Object.entries(counters).filter(([, n]) => n !== 0);
    if (kept.length) out[group] = Object.fromEntries(kept);
  }
  return out;
}

/** What a write from `before` (undefined: a new dossier) to `after` changes in the counters. */
export function dossierDelta(before: Dossier | undefined, after: Dossier): StatsDelta {
  return addDelta(dossierContribution(after), before ? dossierContribution(before) : {}, -1);
}

export const isEmptyDelta = (d: StatsDelta) => Object.keys(d).length === 0;

/** One queue counter moved by `n` (a correction asked or decided, a support request received or handled). */
export const queueDelta = (queue: QueueName, n: number): StatsDelta => ({ queues: { [queue]: n } });

/** API.md `GET /api/admin/stats`. */
export interface StatsView {
  academicYear: string;
  byStatus: Record<string, number>;
  byProgramme: { code: string; counts: Record<string, number> }[];
  perHour: { hour: string; enrolled: number }[];
  collectedCents: number;
  queues: Record<QueueName, number>;
}

/** The answer from the summed counter groups. */
export function statsView(academicYear: string, totals: StatsDelta): StatsView {
  const positive = (c: Record<string, number> | undefined) => Object.fromEntries(Object.entries(c ?? {}).filter(([, n]) => n !== 0));
  const groups = Object.entries(totals);
  return {
    academicYear,
    byStatus: positive(totals.status),
    byProgramme: groups
      .filter(([g, c]) => g.startsWith('programme#') && Object.values(c).some((n) => n !== 0))
      .map(([g, c]) => ({ code: g.slice('programme#'.length), counts: positive(c) }))
      .sort((a, b) => a.code.localeCompare(b.code)),
    perHour: groups
      .filter(([g]) => g.startsWith('hour#'))
      .map(([g, c]) => ({ hour: `${g.slice('hour#'.length)}:00:00Z`, enrolled: c.enrolled ?? 0 }))
      .filter((h) => h.enrolled !== 0)
      .sort((a, b) => a.hour.localeCompare(b.hour)),
    collectedCents: totals.money?.collectedCents ?? 0,
    queues: Object.fromEntries(QUEUE_NAMES.map((q) => [q, totals.queues?.[q] ?? 0])) as Record<QueueName, number>,
  };
}
