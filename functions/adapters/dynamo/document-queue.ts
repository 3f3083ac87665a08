import type { Dossier } from '../../domain/dossier';
import { gsi1Page, itemsOf, tableName } from './client';
import type { Page } from './cursor';
import type { TransactItem } from './dossiers';
import { KEY_PREFIXES } from './key-prefixes';

/**
 * The operators' queue of documents to review (keys owned here): one small item per document in
 * its dossier's partition (`DOSSIER#<id>`, `DOCREVIEW#<kind>`), written in the same transaction
 * as the dossier (functions/adapters/dynamo/dossiers.ts `saveDossier`). While the document is
 * `to_review` the item carries the index keys (`DOCREVIEW#<year>` on gsi1), so listing the queue
 * is one index query; when it leaves that state the item is written again without them (a sparse
 * index), never deleted: the student's functions may not delete (functions/routes.ts access).
 */
const indexPk = (academicYear: string) => `DOCREVIEW#${academicYear}`;
const itemSk = (kind: string) => `DOCREVIEW#${kind}`;
const dossierPk = (id: string) => `${KEY_PREFIXES.dossier}${id}`;

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
    const key = { pk: dossierPk(after.id), sk: itemSk(kind) };
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
      if (!toReview(before, kind) || before!.documents![kind]!.sequencer !== doc.sequencer) {
        items.push({ Put: { TableName: tableName(), Item: { ...key, type: 'document_review', gsi1pk: indexPk(after.academicYear), gsi1sk: `${entry.since ?? ''}#${after.id}#${kind}`, entry } } });
      }
    } else if (toReview(before, kind)) {
      items.push({ Put: { TableName: tableName(), Item: { ...key, type: 'document_review' } } });
    }
  }
  return items;
}

/** The year's documents waiting for an operator, oldest first. */
export async function listDocumentsToReview(academicYear: string, limit: number, cursor?: string): Promise<Page<QueuedDocument>> {
  const page = await gsi1Page(indexPk(academicYear), { limit, cursor });
  // An item that left the queue between the index query and the read has no entry any more.
  const items = (await itemsOf(page.items)).flatMap((i) => (i.entry ? [i.entry as QueuedDocument] : []));
  return { items, next: page.next };
}
