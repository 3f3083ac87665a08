import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { nameSearchKey } from '../../domain/admission';
import { auditKeyPrefix, fromAuditItem, type AuditEntry } from './audit';
import { ddb, gsi1Page, itemsOf, tableName } from './client';
import type { Page } from './cursor';
import { KEY_PREFIXES } from './key-prefixes';

/**
 * Admissions (imported by operators): one item per identifier and academic year. The key
 * uses the normalised identifier, so both spellings of a Mon Master login reach one item.
 */
export interface Admission {
  identifier: string;
  source: 'parcoursup' | 'monmaster' | 'ecandidat' | 'reinscription';
  birthName: string;
  usageName?: string;
  firstNames: string;
  sex: 'F' | 'M' | 'X';
  birthDate: string;
  birthPlace: string;
  birthCountry: string;
  nationality: string;
  email: string;
  programmeCode: string;
  academicYear: string;
  /** An incoming exchange student (regime `echange_accueil` allowed). */
  exchangeStudent?: boolean;
  /** Set once the student's dossier exists. */
  dossierId?: string;
  /** The operator whose import last wrote it, when, and in which import (absent for seeded data). */
  importedBy?: string;
  importedAt?: string;
  importId?: string;
  /** Last write: a dossier is created only from the admission as last read (see `ensureDossier`). */
  updatedAt?: string;
}

export const admissionKey = (identifier: string, academicYear: string) => ({ pk: `${KEY_PREFIXES.admission}${identifier}`, sk: `YEAR#${academicYear}` });

/** Changes to one year's admission are audited apart from other years' (re-enrolling students keep their number). */
export const admissionAuditPk = (identifier: string, academicYear: string) => `${KEY_PREFIXES.admission}${identifier}#${academicYear}`;

/**
 * Operators find admissions by name on gsi1: `ADMISSIONS#<year>#<initial>` / `<NAME><FIRSTNAMES>#<identifier>`
 * (`nameSearchKey`: accents, case and punctuation ignored), so a prefix of "name first names"
 * is one query. Split by initial so that a large import (up to MAX_IMPORT_LINES) spreads over
 * many index partitions.
 */
const nameIndexPk = (academicYear: string, key: string) => `ADMISSIONS#${academicYear}#${Array.from(key)[0] ?? '_'}`;

function nameIndex(a: Pick<Admission, 'birthName' | 'firstNames' | 'identifier' | 'academicYear'>) {
  const key = nameSearchKey(a.birthName) + nameSearchKey(a.firstNames);
  return { gsi1pk: nameIndexPk(a.academicYear, key), gsi1sk: `${key}#${a.identifier}` };
}

export function admissionToItem(a: Admission, now: string) {
  return { ...admissionKey(a.identifier, a.academicYear), type: 'admission', ...a, ...nameIndex(a), updatedAt: now };
}

/**
 * A condition that holds while the admission item is still the version `a` was read from:
 * same last write (`updatedAt`) by the same import (`importId`, unique per import call, so two
 * writes in one millisecond still differ). For conditional writes that must not act on stale data.
 */
export function unchangedSince(a: Pick<Admission, 'updatedAt' | 'importId'>): { condition: string; values: Record<string, string> } {
  const parts = [
    a.updatedAt !== undefined ? 'updatedAt = :readUpdatedAt' : 'attribute_not_exists(updatedAt)',
    a.importId !== undefined ? 'importId = :readImportId' : 'attribute_not_exists(importId)',
  ];
  return {
    condition: `attribute_exists(pk) AND ${parts.join(' AND ')}`,
    values: { ...(a.updatedAt !== undefined ? { ':readUpdatedAt': a.updatedAt } : {}), ...(a.importId !== undefined ? { ':readImportId': a.importId } : {}) },
  };
}

export function admissionFromItem(item: Record<string, unknown>): Admission {
  const { pk: _pk, sk: _sk, type: _type, gsi1pk: _g1, gsi1sk: _g2, ...rest } = item;
  return rest as unknown as Admission;
}

/** Admissions whose "name first names" starts with `name` (at least one letter), by name. */
export async function searchAdmissionsByName(academicYear: string, name: string, limit: number, cursor?: string): Promise<Page<Admission>> {
  const prefix = nameSearchKey(name);
  const page = await gsi1Page(nameIndexPk(academicYear, prefix), { limit, cursor, skPrefix: prefix });
  return { items: (await itemsOf(page.items)).map(admissionFromItem), next: page.next };
}

export async function getAdmission(identifier: string, academicYear: string): Promise<Admission | undefined> {
  const out = await ddb.send(new GetCommand({ TableName: tableName(), Key: admissionKey(identifier, academicYear), ConsistentRead: true }));
  return out.Item ? admissionFromItem(out.Item) : undefined;
}

/** Operators' changes to the admission, oldest first. */
export async function admissionAuditTrail(identifier: string, academicYear: string): Promise<AuditEntry[]> {
  const out = await ddb.send(
    new QueryCommand({
      TableName: tableName(),
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': admissionAuditPk(identifier, academicYear), ':prefix': auditKeyPrefix },
    }),
  );
  return (out.Items ?? []).map(fromAuditItem);
}
