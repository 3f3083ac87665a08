import * as z from 'zod/mini';
import { getDossiers } from '../adapters/dynamo/dossiers';
import { listPaymentAnomalies } from '../adapters/dynamo/stripe-events';
import { validate } from '../domain/validate';
import { validationFailed } from '../shared/errors';
import type { PaymentAnomaliesPage } from '../shared/contracts';
import { pageQuery } from '../shared/page-query';
import { httpHandler, type HttpResult } from '../shared/http';
import { operatorAccess } from '../shared/operator-auth';

const AnomaliesQuery = z.object({
  ...pageQuery(50),
});

/**
 * GET /api/admin/payment-anomalies?limit=&cursor= — every payment the service could not accept
 * (another amount, a cancelled or already paid dossier, an unknown dossier) and every refund owed
 * (a scholarship confirmed after a card payment), newest first: each one, not the last per dossier,
 * with whose dossier it is (`dossier`: null when the payment names no dossier of ours).
 */
export const handler = httpHandler({ auth: operatorAccess }, async ({ query }): Promise<HttpResult<PaymentAnomaliesPage>> => {
  const parsed = validate(AnomaliesQuery, query);
  if (!parsed.ok) throw validationFailed(parsed.fields);
  const page = await listPaymentAnomalies(parsed.data);
  const ids = page.items.map((i) => i.dossierId).filter(Boolean);
  const found = ids.length > 0 ? await getDossiers(ids) : new Map();
  const items = page.items.map((i) => {
    const d = found.get(i.dossierId)?.dossier;
    return {
      ...i,
      dossier: d ? { identifier: d.identifier, lastName: d.student.usageName ?? d.student.lastName, firstName: d.student.firstName, programmeCode: d.programmeCode, status: d.status } : null,
    };
  });
  return { statusCode: 200, body: { ...page, items } };
});
