/**
 * `npx tsx scripts/backfill-ine-lookups.ts <academic year>`: writes the INE lookup item
 * (functions/adapters/dynamo/ine-lookup.ts) of each dossier of the year that holds an INE, for
 * the dossiers saved before the operators' search could find dossiers by INE. Dossiers are read
 * through the status index, one Query page at a time per status, never by a Scan.
 *
 * Idempotent: a second run puts the same items again. Safe while students enroll: an item written
 * from a dossier read just before its INE changed is ignored by the search, which keeps only
 * dossiers whose INE still is the one searched.
 *
 * Needs `TABLE_NAME` (the stack's `TableName` output), `AWS_REGION`, and credentials that may
 * query the index gsi1, BatchGetItem `DOSSIER#` items and PutItem `INE#` items (locally:
 * `AWS_ENDPOINT_URL_DYNAMODB` for DynamoDB Local). Prints counts only, never an INE.
 */
import { pathToFileURL } from 'node:url';
import * as z from 'zod/mini';
import { listDossiersByStatus } from '../functions/adapters/dynamo/dossiers';
import { linkIne } from '../functions/adapters/dynamo/ine-lookup';
import { DossierStatus } from '../functions/domain/dossier';
import { AcademicYear } from '../functions/domain/schemas';

export async function backfillIneLookups(academicYear: string): Promise<{ read: number; linked: number }> {
  let read = 0;
  let linked = 0;
  for (const status of DossierStatus.options) {
    let cursor: string | undefined;
    do {
      const page = await listDossiersByStatus(academicYear, status, 100, cursor);
      for (const { dossier } of page.items) {
        read++;
        if (await linkIne(dossier)) linked++;
      }
      cursor = page.next ?? undefined;
    } while (cursor);
  }
  return { read, linked };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const year = process.argv[2] ?? '';
  if (!z.safeParse(AcademicYear, year).success) {
    console.error('Usage : npx tsx scripts/backfill-ine-lookups.ts <année universitaire, par exemple 2026-2027>');
    process.exitCode = 2;
  } else {
    const { read, linked } = await backfillIneLookups(year);
    console.log(`${read} dossier(s) lu(s) pour ${year}, ${linked} INE indexé(s).`);
  }
}
