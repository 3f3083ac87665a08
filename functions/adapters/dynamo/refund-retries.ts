import { refundRetryConfig } from '../../../config/refunds';
import { type Dossier, nextRefundRetryAt } from '../../domain/dossier';
import { indexedDossierIds, tableName } from './client';

/**
 * Where the RefundRetry job finds the refunds Stripe never accepted, without a scan: one small
 * item in the dossier's partition (`DOSSIER#<id>`, `REFUNDS_UNSENT`), kept by `mutateDossier` in the
 * same transaction as every change (`refundRetryIndexItems`). While a refund waits for a retry it
 * carries the index keys (gsi1 `REFUNDS_UNSENT`, sorted by the time the next retry is due); once
 * none waits it is written again without them (a sparse index), never deleted: the student's
 * functions, which record refunds, may not delete (functions/routes.ts access).
 */
const QUEUE = 'REFUNDS_UNSENT';

type Item = { Put: { TableName: string; Item: Record<string, unknown> } };

/** The index item to write with a change from `before` to `after` (none when its place is unchanged). */
export function refundRetryIndexItems(pk: string, before: Dossier, after: Dossier): Item[] {
  const dueBefore = nextRefundRetryAt(before, refundRetryConfig)?.toISOString();
  const dueAfter = nextRefundRetryAt(after, refundRetryConfig)?.toISOString();
  if (dueBefore === dueAfter) return [];
  const item = { pk, sk: QUEUE, type: 'refund_retry_index', dossierId: after.id };
  return [{ Put: { TableName: tableName(), Item: dueAfter ? { ...item, gsi1pk: QUEUE, gsi1sk: `${dueAfter}#${after.id}` } : item } }];
}

/** The dossiers with a refund retry due at `at` or before, the longest waiting first. */
export const dossiersWithRefundRetriesDue = (at: Date): AsyncGenerator<string> => indexedDossierIds(QUEUE, at.toISOString());
