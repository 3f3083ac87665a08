import { z } from 'zod';
import { listPaymentAnomalies } from '../adapters/dynamo/stripe-events';
import { validate } from '../domain/validate';
import { validationFailed } from '../shared/errors';
import { httpHandler } from '../shared/http';

const AnomaliesQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(50),
  cursor: z.string().max(2048).optional(),
});

/**
 * GET /api/admin/payment-anomalies?limit=&cursor= — every payment the service could not accept
 * (another amount, a cancelled or already paid dossier, an unknown dossier) and every refund owed
 * (a scholarship confirmed after a card payment), newest first: each one, not the last per dossier.
 */
export const handler = httpHandler({ auth: 'admin' }, async ({ query }) => {
  const parsed = validate(AnomaliesQuery, query);
  if (!parsed.ok) throw validationFailed(parsed.fields);
  return { statusCode: 200, body: await listPaymentAnomalies(parsed.data) };
});
