/**
 * Demo data for the local runtime: admissions covering each kind of student the SPEC names,
 * CVEC certificates and an INES registered in the local stand-ins. Idempotent: re-running
 * it refreshes admissions without touching dossiers already started.
 */
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { admissionToItem, type Admission } from '../../functions/adapters/dynamo/admissions';
import { ddb, tableName } from '../../functions/adapters/dynamo/client';
import { putCvecFixture, putInesFixture } from '../../functions/adapters/dynamo/dev-fixtures';

export interface DemoStudent {
  who: string;
  login: string;
  birthDate: string;
  hints: string;
}

function campaignDigit(academicYear: string): string {
  return academicYear.slice(3, 4);
}

export function demoAdmissions(academicYear: string): Admission[] {
  const base = { academicYear, birthCountry: 'FR', nationality: 'française' };
  return [
    {
      ...base,
      identifier: 'P261234567',
      source: 'parcoursup',
      birthName: 'Martin',
      firstNames: 'Léa Anne',
      sex: 'F',
      birthDate: '2008-03-14',
      birthPlace: 'Marseille',
      email: 'lea.martin@example.org',
      programmeCode: 'L1-INFO',
    },
    {
      ...base,
      identifier: 'M312345678',
      source: 'monmaster',
      birthName: "N'Diaye",
      usageName: 'Lefèvre',
      firstNames: 'Élodie',
      sex: 'F',
      birthDate: '2002-11-02',
      birthPlace: 'Dakar',
      birthCountry: 'SN',
      nationality: 'sénégalaise',
      email: 'elodie.ndiaye@example.org',
      programmeCode: 'M1-INFO',
    },
    {
      ...base,
      identifier: '21904567',
      source: 'reinscription',
      birthName: 'Garcia',
      firstNames: 'Hugo',
      sex: 'M',
      birthDate: '2004-07-21',
      birthPlace: 'Aix-en-Provence',
      email: 'hugo.garcia@example.org',
      programmeCode: 'L3-ECO',
    },
    {
      ...base,
      identifier: 'P267654321',
      source: 'parcoursup',
      birthName: 'Benali',
      firstNames: 'Yasmine',
      sex: 'F',
      birthDate: '2007-12-05',
      birthPlace: 'Toulon',
      email: 'yasmine.benali@example.org',
      programmeCode: 'L1-LLCER-ANG',
    },
    {
      ...base,
      identifier: '21800042',
      source: 'ecandidat',
      birthName: 'Rousseau',
      firstNames: 'Claire',
      sex: 'F',
      birthDate: '1985-05-30',
      birthPlace: 'Lyon',
      email: 'claire.rousseau@example.org',
      programmeCode: 'M2-MIAGE',
    },
  ] satisfies Admission[];
}

export async function seedDemo(academicYear: string): Promise<DemoStudent[]> {
  const now = new Date().toISOString();
  const d = campaignDigit(academicYear);
  for (const a of demoAdmissions(academicYear)) {
    // Only create or refresh the admission; never overwrite the link to a started dossier.
    await ddb.send(new PutCommand({ TableName: tableName(), Item: admissionToItem(a, now), ConditionExpression: 'attribute_not_exists(dossierId)' })).catch((err: { name?: string }) => {
      if (err.name !== 'ConditionalCheckFailedException') throw err;
    });
  }
  await putCvecFixture({ certificateNumber: `AMU${d}123456`, lastName: 'MARTIN', firstName: 'Léa', birthDate: '2008-03-14', state: 75 });
  await putCvecFixture({ certificateNumber: `AMU${d}234567`, lastName: 'NDIAYE', firstName: 'Élodie', birthDate: '2002-11-02', state: 73 });
  await putCvecFixture({ certificateNumber: `AMU${d}345678`, lastName: 'GARCIA', firstName: 'Hugo', birthDate: '2004-07-21', state: 75 });
  await putCvecFixture({ certificateNumber: `NIC${d}456789`, lastName: 'BENALI', firstName: 'Yasmine', birthDate: '2007-12-05', state: 71 });
  await putCvecFixture({ certificateNumber: `AMU${d}999999`, lastName: 'DUPONT', firstName: 'Jean', birthDate: '2001-01-01', state: 75 });
  await putCvecFixture({ certificateNumber: `AMU${d}980000`, lastName: 'GARCIA', firstName: 'Hugo', birthDate: '2004-07-21', state: 98 });
  await putInesFixture({ ine: '123456789AB', birthDate: '2004-07-21' });

  return [
    { who: 'Parcoursup, pays online (licence 178 €)', login: 'P261234567', birthDate: '2008-03-14', hints: `INE 1234567890V, CVEC AMU${d}123456` },
    { who: 'Mon Master (log in as CAND12345678 or M312345678)', login: 'CAND12345678', birthDate: '2002-11-02', hints: `no INE (foreign bac), CVEC AMU${d}234567` },
    { who: 'Re-enrolling student', login: '21904567', birthDate: '2004-07-21', hints: `INES 123456789AB, CVEC AMU${d}345678 (AMU${d}980000 is refunded; AMU${d}999999 is someone else's)` },
    { who: 'Scholarship pending → pays at the scolarité desk', login: 'P267654321', birthDate: '2007-12-05', hints: `situation "pending", CVEC NIC${d}456789` },
    { who: 'Formation continue (no CVEC asked)', login: '21800042', birthDate: '1985-05-30', hints: 'regime formation_continue' },
  ];
}
