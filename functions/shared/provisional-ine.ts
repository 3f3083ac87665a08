import { academieCode } from '../../config/catalogue';
import { nextSequence } from '../adapters/dynamo/counters';
import { PROVISIONAL_INE_MAX_SEQUENCE, provisionalIne } from '../domain/ine';
import { AppError } from './errors';
import { logger } from './logger';

/**
 * A provisional INE for the campaign: académie code + 2-digit year + D + 5-digit sequence
 * (an atomic counter per year: unique under any concurrency) + key letter. One generator for
 * the student's "I have no INE" path and the operators' manual assignment, so both draw from
 * the same sequence and never hand out the same number twice. Once the year's 99,999 numbers
 * are out: 503 PROVISIONAL_INE_EXHAUSTED, logged as an error for the operators.
 */
export async function newProvisionalIne(academicYear: string): Promise<string> {
  const year2 = academicYear.slice(2, 4);
  const sequence = await nextSequence(`PROVISIONAL_INE#${year2}`);
  if (sequence > PROVISIONAL_INE_MAX_SEQUENCE) {
    logger.error('Provisional INE numbers exhausted for the academic year', { academicYear });
    throw new AppError(503, 'PROVISIONAL_INE_EXHAUSTED');
  }
  return provisionalIne(academieCode, year2, sequence);
}
