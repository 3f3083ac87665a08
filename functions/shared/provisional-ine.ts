import { randomUUID } from 'node:crypto';
import { academieCode } from '../../config/catalogue';
import { nextSequence } from '../adapters/dynamo/counters';
import { getDossier, reserveProvisionalIneDraw, settleProvisionalIneDraw } from '../adapters/dynamo/dossiers';
import { assertEditable, type Dossier } from '../domain/dossier';
import { PROVISIONAL_INE_MAX_SEQUENCE, provisionalIne } from '../domain/ine';
import { backoff } from './backoff';
import { AppError, ConcurrentUpdateError, unauthenticated } from './errors';
import { logger } from './logger';

/**
 * A provisional INE for the campaign: académie code + 2-digit year + D + 5-digit sequence
 * (an atomic counter per year: unique under any concurrency) + key letter. One generator for
 * the student's "I have no INE" path and the operators' manual assignment, so both draw from
 * the same sequence and never hand out the same number twice. Once the year's numbers are out
 * (PROVISIONAL_INE_MAX_SEQUENCE, domain/ine.ts): 503 PROVISIONAL_INE_EXHAUSTED, logged as an
 * error for the operators.
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

/** A draw older than this belongs to a caller that died (functions time out well before). */
const STALE_DRAW_MS = 60_000;
/** How long a caller waits for a concurrent caller's draw: polls, paced by `backoff`. */
const WAIT_POLLS = 40;

/**
 * The dossier's provisional INE, drawn at most once however many callers ask at once (two
 * tabs, the student and an operator): the dossier is first reserved for one draw by a
 * conditional write (functions/adapters/dynamo/dossiers.ts `reserveProvisionalIneDraw`), only
 * the caller holding the reservation draws a number and records it on the dossier; the others
 * wait for that number. A dossier that already holds one keeps it. The caller still checks the
 * dossier is editable first; a dossier no longer a draft draws nothing.
 */
export async function provisionalIneFor(dossier: Dossier, now: Date): Promise<string> {
  if (dossier.provisionalIne) return dossier.provisionalIne;
  const token = randomUUID();
  for (let poll = 0; poll < WAIT_POLLS; poll++) {
    if (await reserveProvisionalIneDraw(dossier.id, token, now, new Date(now.getTime() - STALE_DRAW_MS))) {
      let ine: string;
      try {
        ine = await newProvisionalIne(dossier.academicYear);
      } catch (err) {
        await settleProvisionalIneDraw(dossier.id, token, undefined);
        throw err;
      }
      if (await settleProvisionalIneDraw(dossier.id, token, ine)) return ine;
      logger.warn('A provisional INE was drawn after its reservation went stale; the number is unused', { dossierId: dossier.id });
    }
    const current = await getDossier(dossier.id);
    if (!current) throw unauthenticated();
    if (current.provisionalIne) return current.provisionalIne;
    // No longer a draft (submitted or cancelled meanwhile): refused, saying which.
    assertEditable(current);
    await backoff(poll + 1, { firstMs: 10, maxMs: 200 });
  }
  throw new ConcurrentUpdateError();
}
