import { randomBytes } from 'node:crypto';
import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { Correction, CorrectionStatus } from '../../domain/corrections';
import { queueDelta } from '../../domain/stats';
import { admissionKey, unchangedSince, type Admission } from './admissions';
import { ddb, gsi1Page, itemsOf, tableName } from './client';
import type { Page } from './cursor';
import { dossierPk, type TransactItem } from './dossiers';
import { statsStamp } from './stats';

/**
 * Corrections (keys owned here): one item per request in its dossier's partition
 * (`CORRECTION#<n>`), so a student lists theirs with one query; the operators list them by
 * year and status through gsi1 (`CORRECTIONS#<year>#<status>`, `<createdAt>#<id>`). The id
 * names both (`<dossierId>.<n>`).
 */
const SK_PREFIX = 'CORRECTION#';
const listPk = (academicYear: string, status: CorrectionStatus) => `CORRECTIONS#${academicYear}#${status}`;

export const newCorrectionId = (dossierId: string) => `${dossierId}.${randomBytes(9).toString('base64url')}`;

function keyOf(id: string): { pk: string; sk: string } | undefined {
  const m = /^([0-9a-f-]{36})\.([A-Za-z0-9_-]{12})$/.exec(id);
  return m ? { pk: dossierPk(m[1]!), sk: `${SK_PREFIX}${m[2]}` } : undefined;
}

const toItem = (c: Correction) => ({
  ...keyOf(c.id)!,
  type: 'correction',
  gsi1pk: listPk(c.academicYear, c.status),
  gsi1sk: `${c.createdAt}#${c.id}`,
  correction: c,
  // The dashboard's queue: one more pending at creation, one less at the decision (written once each).
  ...statsStamp(`CORRECTION#${c.id}#${c.status}`, c.academicYear, queueDelta('correctionsPending', c.status === 'pending' ? 1 : -1)),
});

/** The new request, to write in the dossier's transaction. */
export function correctionPut(c: Correction): TransactItem {
  return { Put: { TableName: tableName(), Item: toItem(c), ConditionExpression: 'attribute_not_exists(pk)' } };
}

/** The decided request, written only while it is still pending (one decision wins). */
export function correctionDecidedPut(c: Correction): TransactItem {
  return {
    Put: {
      TableName: tableName(),
      Item: toItem(c),
      ConditionExpression: 'correction.#s = :pending',
      ExpressionAttributeNames: { '#s': 'status' },
      ExpressionAttributeValues: { ':pending': 'pending' },
    },
  };
}

/** The admission's corrected copy, written only if no import changed it since it was read. */
export function admissionCorrectedPut(a: Admission, now: string): TransactItem {
  const guard = unchangedSince(a);
  const { dossierId: _d, ...rest } = a;
  return {
    Update: {
      TableName: tableName(),
      Key: admissionKey(a.identifier, a.academicYear),
      UpdateExpression:
        'SET birthName = :bn, firstNames = :fn, birthDate = :bd, birthPlace = :bp, sex = :sx, nationality = :na, updatedAt = :now' + (rest.usageName ? ', usageName = :un' : ' REMOVE usageName'),
      ConditionExpression: guard.condition,
      ExpressionAttributeValues: {
        ...guard.values,
        ':bn': a.birthName,
        ':fn': a.firstNames,
        ':bd': a.birthDate,
        ':bp': a.birthPlace,
        ':sx': a.sex,
        ':na': a.nationality,
        ':now': now,
        ...(rest.usageName ? { ':un': rest.usageName } : {}),
      },
    },
  };
}

export async function getCorrection(id: string): Promise<Correction | undefined> {
  const key = keyOf(id);
  if (!key) return undefined;
  const out = await ddb.send(new GetCommand({ TableName: tableName(), Key: key, ConsistentRead: true }));
  return out.Item?.correction as Correction | undefined;
}

/** A dossier's requests, oldest first. */
export async function dossierCorrections(dossierId: string): Promise<Correction[]> {
  const out = await ddb.send(
    new QueryCommand({
      TableName: tableName(),
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :p)',
      ExpressionAttributeValues: { ':pk': dossierPk(dossierId), ':p': SK_PREFIX },
      ConsistentRead: true,
    }),
  );
  return (out.Items ?? []).map((i) => i.correction as Correction).sort((a, b) => a.createdAt.localeCompare(b.createdAt));
}

/** A year's requests in one status, oldest first (the operators' queue). */
export async function listCorrections(o: { academicYear: string; status: CorrectionStatus; limit: number; cursor?: string }): Promise<Page<Correction>> {
  const page = await gsi1Page(listPk(o.academicYear, o.status), { limit: o.limit, cursor: o.cursor });
  return { items: (await itemsOf(page.items)).map((i) => i.correction as Correction), next: page.next };
}
