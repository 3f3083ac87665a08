/** Registration fees of a dossier: the one place that decides what is due. */
import type { Regime, Scholarship } from '../cvec';
import { DomainError } from './errors';
import type { Dossier, Fees, FeesByYear, Level } from './model';

/**
 * Registration fees. Granted scholarship → exempt (`scholarship_granted`); pending → the
 * amount is due but paid at the scolarité desk (`scholarship_pending`); incoming exchange
 * students (regime `echange_accueil`, when given) pay their home institution → exempt
 * (`exchange_programme`). Throws DomainError `fee_rate_missing` when the year/level has no rate.
 */
export function computeFees(input: { level: Level; academicYear: string; scholarship: Scholarship; feesByYear: FeesByYear; regime?: Regime }): Fees {
  const { level, academicYear, scholarship, feesByYear, regime } = input;
  const rates = Object.hasOwn(feesByYear, academicYear) ? feesByYear[academicYear] : undefined;
  const rate = rates && Object.hasOwn(rates, level) ? rates[level] : undefined;
  if (typeof rate !== 'number' || !Number.isInteger(rate) || rate < 0) {
    throw new DomainError('fee_rate_missing', { academicYear, level });
  }
  if (scholarship === 'granted') return { amountCents: 0, currency: 'EUR', exempt: true, reason: 'scholarship_granted' };
  if (regime === 'echange_accueil') return { amountCents: 0, currency: 'EUR', exempt: true, reason: 'exchange_programme' };
  if (scholarship === 'pending') return { amountCents: rate, currency: 'EUR', exempt: false, reason: 'scholarship_pending' };
  return { amountCents: rate, currency: 'EUR', exempt: false, reason: 'standard' };
}

/** The dossier's fees from its level, year and situation (scholarship `none` until given). */
export function dossierFees(d: Dossier, feesByYear: FeesByYear): Fees {
  return computeFees({
    level: d.level,
    academicYear: d.academicYear,
    scholarship: d.steps.situation.scholarship ?? 'none',
    regime: d.steps.situation.regime,
    feesByYear,
  });
}
