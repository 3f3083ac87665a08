import { academieCode } from '../../config/catalogue';
import { nextSequence } from '../adapters/dynamo/counters';
import { provisionalIne } from '../domain/ine';

/**
 * A provisional INE for the campaign: académie code + 2-digit year + D + 5-digit sequence
 * (an atomic counter per year: unique under any concurrency) + key letter. One generator for
 * the student's "I have no INE" path and the operators' manual assignment, so both draw from
 * the same sequence and never hand out the same number twice.
 */
export async function newProvisionalIne(academicYear: string): Promise<string> {
  const year2 = academicYear.slice(2, 4);
  return provisionalIne(academieCode, year2, await nextSequence(`PROVISIONAL_INE#${year2}`));
}
