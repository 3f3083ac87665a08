import { feesByYear } from '../../config/catalogue';
import { mutateDossier, type Mutation } from '../adapters/dynamo/dossiers';
import { dossierView, type Dossier } from '../domain/dossier';
import type { DossierView } from './contracts';
import type { HttpResult } from './http';

export { feesByYear };

/** The dossier as every student route returns it (API.md "The dossier"). */
export const dossierResponse = (d: Dossier, statusCode = 200): HttpResult<DossierView> => ({ statusCode, body: dossierView(d) });

/** Applies a step to the caller's own dossier (the token's), guarded by its version. */
export async function updateOwnDossier(dossierId: string, change: (d: Dossier) => Promise<Mutation | Dossier> | Mutation | Dossier, now: Date): Promise<HttpResult<DossierView>> {
  return dossierResponse(await mutateDossier(dossierId, change, now));
}
