import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { ddb, tableName } from './client';

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
  /** Set once the student's dossier exists. */
  dossierId?: string;
}

export const admissionKey = (identifier: string, academicYear: string) => ({ pk: `ADMISSION#${identifier}`, sk: `YEAR#${academicYear}` });

export function admissionToItem(a: Admission, now: string) {
  return { ...admissionKey(a.identifier, a.academicYear), type: 'admission', ...a, updatedAt: now };
}

export function admissionFromItem(item: Record<string, unknown>): Admission {
  const { pk: _pk, sk: _sk, type: _type, updatedAt: _u, ...rest } = item;
  return rest as unknown as Admission;
}

export async function getAdmission(identifier: string, academicYear: string): Promise<Admission | undefined> {
  const out = await ddb.send(new GetCommand({ TableName: tableName(), Key: admissionKey(identifier, academicYear), ConsistentRead: true }));
  return out.Item ? admissionFromItem(out.Item) : undefined;
}
