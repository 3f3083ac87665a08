import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { Dossier } from '../../domain/dossier';
import { ddb, tableName } from './client';
import type { Page } from './cursor';
import { InvalidCursorError } from '../../shared/failures';
import type { TransactItem } from './dossiers';

/**
 * The operators' queue of documents to review (keys owned here): one small item per document
 * in `to_review`, in the year's partition `DOCREVIEW#<year>`, put when a document enters the
 * state and deleted when it leaves, in the same transaction as the dossier's write
 * (functions/adapters/dynamo/dossiers.ts `saveDossier`). Listing the queue is one query.
 */
const queuePk = (academicYear: string) => `DOCREVIEW#${academicYear}`;
const queueSk = (dossierId: string, kind: string) => `${dossierId}#${kind}`;

export interface QueuedDocument {
  dossierId: string;
  identifier: string;
  lastName: string;
  firstName: string;
  programmeCode: string;
  kind: string;
  fileName: string | null;
  since: string | null;
}

const toReview = (d: Dossier | undefined, kind: string) => d?.documents?.[kind]?.status === 'to_review';

/** The queue's changes for a write from `before` to `after`. */
export function reviewQueueItems(before: Dossier | undefined, after: Dossier): TransactItem[] {
  const kinds = new Set([...Object.keys(before?.documents ?? {}), ...Object.keys(after.documents ?? {})]);
  const items: TransactItem[] = [];
  for (const kind of kinds) {
    const key = { pk: queuePk(after.academicYear), sk: queueSk(after.id, kind) };
    if (toReview(after, kind)) {
      const doc = after.documents![kind]!;
      const entry: QueuedDocument = {
        dossierId: after.id,
        identifier: after.identifier,
        lastName: after.student.usageName ?? after.student.lastName,
        firstName: after.student.firstName,
        programmeCode: after.programmeCode,
        kind,
        fileName: doc.fileName ?? null,
        since: doc.updatedAt ?? null,
      };
      // Written again only when the upload changed (a new file to review).
      if (!toReview(before, kind) || before!.documents![kind]!.sequencer !== doc.sequencer) items.push({ Put: { TableName: tableName(), Item: { ...key, type: 'document_review', entry } } });
    } else if (toReview(before, kind)) {
      items.push({ Delete: { TableName: tableName(), Key: key } });
    }
  }
  return items;
}

/** A cursor is the last sort key read (`<dossierId>#<kind>`), base64url. */
function skOfCursor(cursor: string): string {
  const sk = /^[A-Za-z0-9_-]{1,200}$/.test(cursor) ? Buffer.from(cursor, 'base64url').toString('utf8') : '';
  if (!/^[0-9a-f-]{36}#[a-z_]{1,40}$/.test(sk)) throw new InvalidCursorError();
  return sk;
}

/** The year's documents waiting for an operator. */
export async function listDocumentsToReview(academicYear: string, limit: number, cursor?: string): Promise<Page<QueuedDocument>> {
  const pk = queuePk(academicYear);
  const out = await ddb.send(
    new QueryCommand({
      TableName: tableName(),
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': pk },
      Limit: limit,
      ExclusiveStartKey: cursor === undefined ? undefined : { pk, sk: skOfCursor(cursor) },
    }),
  );
  const last = out.LastEvaluatedKey?.sk as string | undefined;
  return { items: (out.Items ?? []).map((i) => i.entry as QueuedDocument), next: last ? Buffer.from(last).toString('base64url') : null };
}
