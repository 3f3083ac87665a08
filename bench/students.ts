/**
 * Admitted students for the benchmark, written straight into the table (as an operator's
 * import would leave them), each with a CVEC certificate in the local stand-in. Identifiers
 * start at P<yy>9000000 so they never meet the demo admissions.
 */
import { BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import { admissionToItem, type Admission } from '../functions/adapters/dynamo/admissions';
import { ddb, tableName } from '../functions/adapters/dynamo/client';
import { putCvecFixture } from '../functions/adapters/dynamo/dev-fixtures';
import { campaignFirstYear } from '../functions/domain/cvec';
import { beaKey } from '../functions/domain/ine';

export interface BenchStudent {
  admission: Admission;
  /** A valid INE-BEA of the student's own. */
  ine: string;
  cvecNumber: string;
}

const BIRTH = { lastName: 'Martin', firstNames: 'Léa Anne', firstName: 'Léa', birthDate: '2008-03-14' };

export const IDENTITY = {
  email: 'lea.martin@example.org',
  phone: '06 12 34 56 78',
  address: { line1: '3 place Victor Hugo', postalCode: '13003', city: 'Marseille', country: 'FR' },
};

export function benchStudents(count: number, academicYear: string, first = 0): BenchStudent[] {
  const yy = academicYear.slice(2, 4);
  const campaignDigit = String(campaignFirstYear(academicYear) % 10);
  return Array.from({ length: count }, (_, k) => {
    const n = first + k;
    const digits = `70${String(n).padStart(8, '0')}`;
    return {
      admission: {
        identifier: `P${yy}${9_000_000 + n}`,
        source: 'parcoursup',
        birthName: BIRTH.lastName,
        firstNames: BIRTH.firstNames,
        sex: 'F',
        birthDate: BIRTH.birthDate,
        birthPlace: 'Marseille',
        birthCountry: 'FR',
        nationality: 'française',
        email: 'lea.martin@example.org',
        programmeCode: 'L1-INFO',
        academicYear,
      },
      ine: `${digits}${beaKey(digits)}`,
      cvecNumber: `BEN${campaignDigit}${String(n).padStart(7, '0')}`,
    };
  });
}

/** Puts items in batches of 25 (DynamoDB's limit), retrying what comes back unprocessed. */
export async function batchWrite(items: Record<string, unknown>[]): Promise<void> {
  for (let i = 0; i < items.length; i += 25) {
    let requests: { PutRequest: { Item: Record<string, unknown> } }[] | undefined = items.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } }));
    for (let attempt = 0; requests?.length; attempt++) {
      if (attempt === 10) throw new Error('BatchWrite kept returning unprocessed items');
      const out = await ddb.send(new BatchWriteCommand({ RequestItems: { [tableName()]: requests } }));
      requests = out.UnprocessedItems?.[tableName()] as typeof requests;
    }
  }
}

/** Writes the admissions and registers each student's CVEC certificate (state 75: paid). */
export async function admit(students: readonly BenchStudent[]): Promise<void> {
  const now = new Date().toISOString();
  await batchWrite(students.map((s) => admissionToItem(s.admission, now)));
  for (let i = 0; i < students.length; i += 25) {
    await Promise.all(
      students
        .slice(i, i + 25)
        .map((s) => putCvecFixture({ certificateNumber: s.cvecNumber, lastName: BIRTH.lastName.toUpperCase(), firstName: BIRTH.firstName, birthDate: BIRTH.birthDate, state: 75 })),
    );
  }
}
