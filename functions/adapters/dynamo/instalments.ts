import { type Dossier, nextChargeDay, overdueInstalments } from '../../domain/dossier';
import { indexedDossierIds, indexedDossierIdsPage, tableName } from './client';

/**
 * Where the InstalmentsDue job and the operators find dossiers on an instalment plan, without a
 * scan: two small index items in the dossier's partition, kept by `mutateDossier` in the same
 * transaction as every change (`instalmentIndexItems`), on gsi1 —
 *   `INSTALMENTS_DUE`, sorted by the next day the job has work for the dossier (a due part, a retry);
 *   `INSTALMENTS_OVERDUE#<academic year>`, sorted by the first overdue part's due day.
 * Each exists only while there is something to find.
 */
const DUE = 'INSTALMENTS_DUE';
const OVERDUE = 'INSTALMENTS_OVERDUE';
const overduePk = (academicYear: string) => `${OVERDUE}#${academicYear}`;

type Item = { Put: { TableName: string; Item: Record<string, unknown> } };

/** An index item with nothing to find: kept without its index keys (out of the sparse index), a Put rather than a Delete (least privilege). */
const cleared = (pk: string, sk: string, dossierId: string): Item => ({ Put: { TableName: tableName(), Item: { pk, sk, type: 'instalments_index', dossierId } } });

/** The index items to write with a change from `before` to `after` (none when unchanged). */
export function instalmentIndexItems(pk: string, before: Dossier, after: Dossier): Item[] {
  const items: Item[] = [];
  const dueBefore = nextChargeDay(before);
  const dueAfter = nextChargeDay(after);
  if (dueBefore !== dueAfter) {
    items.push(
      dueAfter
        ? { Put: { TableName: tableName(), Item: { pk, sk: DUE, type: 'instalments_index', dossierId: after.id, gsi1pk: DUE, gsi1sk: `${dueAfter}#${after.id}` } } }
        : cleared(pk, DUE, after.id),
    );
  }
  const overdueOn = (d: Dossier) => overdueInstalments(d)[0]?.dueOn;
  if (overdueOn(before) !== overdueOn(after)) {
    const first = overdueOn(after);
    items.push(
      first
        ? { Put: { TableName: tableName(), Item: { pk, sk: OVERDUE, type: 'instalments_index', dossierId: after.id, gsi1pk: overduePk(after.academicYear), gsi1sk: `${first}#${after.id}` } } }
        : cleared(pk, OVERDUE, after.id),
    );
  }
  return items;
}

/** The dossiers with a part to charge (or retry) on `day` (YYYY-MM-DD) or before. */
export const dossiersWithChargesDue = (day: string) => indexedDossierIds(DUE, day);

/** A page of the dossiers of `academicYear` with an overdue part, oldest first. */
export const dossiersWithOverdueInstalments = (academicYear: string, limit: number, cursor?: string) => indexedDossierIdsPage(overduePk(academicYear), limit, cursor);
