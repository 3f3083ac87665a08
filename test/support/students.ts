import { randomInt } from 'node:crypto';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { admissionToItem, type Admission } from '../../functions/adapters/dynamo/admissions';
import { ddb, tableName } from '../../functions/adapters/dynamo/client';
import { handler as session } from '../../functions/public/session';
import { httpEvent, invoke } from './events';
import { LEA } from './fixtures';

export const ACADEMIC_YEAR = '2026-2027';

/** A fresh admitted student (unique Parcoursup login) in the current test table. */
export async function admitStudent(overrides: Partial<Admission> = {}): Promise<Admission> {
  const admission: Admission = {
    ...LEA,
    identifier: `P26${String(randomInt(0, 10_000_000)).padStart(7, '0')}`,
    academicYear: ACADEMIC_YEAR,
    ...overrides,
  };
  await ddb.send(new PutCommand({ TableName: tableName(), Item: admissionToItem(admission, new Date().toISOString()) }));
  return admission;
}

export async function login(identifier: string, birthDate: string) {
  return invoke(session, httpEvent({ method: 'POST', path: '/api/session', body: { identifier, birthDate } }));
}

/** Admits a student and logs in: the token and the new dossier. */
export async function loggedInStudent(overrides: Partial<Admission> = {}) {
  const admission = await admitStudent(overrides);
  const res = await login(admission.identifier, admission.birthDate);
  if (res.statusCode !== 201) throw new Error(`login failed: ${res.statusCode} ${JSON.stringify(res.body)}`);
  return { admission, token: res.body.token as string, dossier: res.body.dossier };
}
