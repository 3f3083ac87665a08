import { auditPut } from '../adapters/dynamo/audit';
import { dossierPk, getDossier, mutateDossier, type Mutation } from '../adapters/dynamo/dossiers';
import type { Dossier } from '../domain/dossier';
import type { Lang } from '../domain/messages/errors';
import { operatorRefusal } from './operator-refusals';
import { NotFoundError } from './failures';

/**
 * What every operator action on a dossier shares: the dossier named by the path (404 when
 * there is none), the audit entry (who, when, what, why, before and after) written in the same
 * transaction as the change, and refusals worded for the scolarité staff rather than students.
 */

/** Dossier ids are UUIDs (lower case); anything else names no dossier. */
export const isDossierId = (s: string) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(s);

/** The dossier of `/api/admin/dossiers/{id}`. */
export async function pathDossier(pathParameters: Record<string, string>): Promise<Dossier> {
  const id = pathParameters.id ?? '';
  const dossier = isDossierId(id) ? await getDossier(id) : undefined;
  if (!dossier) throw new NotFoundError('dossier');
  return dossier;
}

/** Runs a domain check (e.g. `assertEditable`) on `d`, its refusal worded for operators. */
export function operatorCheck(d: Dossier, lang: Lang, check: (d: Dossier) => void): void {
  try {
    check(d);
  } catch (err) {
    throw operatorRefusal(err, d, lang);
  }
}

/** What an audit entry keeps of a dossier: what operator actions change. */
export function auditSnapshot(d: Dossier) {
  return {
    status: d.status,
    version: d.version,
    ine: d.steps.ine,
    scholarship: d.steps.situation.scholarship ?? null,
    fees: d.fees,
    payment: d.payment,
    ...(d.cancelReason ? { cancelReason: d.cancelReason } : {}),
  };
}

export interface OperatorAction {
  dossierId: string;
  /** e.g. `dossier.office_payment`. */
  action: string;
  actor: string;
  lang: Lang;
  now: Date;
  reason?: string;
}

/**
 * Applies `change` to the dossier, guarded by its version, with the audit entry in the same
 * transaction. A change that returns the dossier as it is writes nothing (repeated clicks).
 */
export async function operatorChange(a: OperatorAction, change: (d: Dossier) => Mutation | Dossier | Promise<Mutation | Dossier>): Promise<Dossier> {
  return mutateDossier(
    a.dossierId,
    async (current) => {
      let result: Mutation | Dossier;
      try {
        result = await change(current);
      } catch (err) {
        throw operatorRefusal(err, current, a.lang);
      }
      const m: Mutation = 'dossier' in result ? result : { dossier: result };
      if (m.dossier === current) return current;
      const audit = auditPut(dossierPk(a.dossierId), {
        actor: a.actor,
        action: a.action,
        at: a.now.toISOString(),
        ...(a.reason ? { reason: a.reason } : {}),
        before: auditSnapshot(current),
        after: auditSnapshot({ ...m.dossier, version: current.version + 1 }),
      });
      return { dossier: m.dossier, extra: [...(m.extra ?? []), audit], actor: m.actor ?? a.actor };
    },
    a.now,
  );
}
