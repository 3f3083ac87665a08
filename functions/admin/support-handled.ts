import { markSupportRequestHandled } from '../adapters/dynamo/support-requests';
import { AppError } from '../shared/errors';
import { operatorAccess } from '../shared/operator-auth';
import { httpHandler } from '../shared/http';

/**
 * POST /api/admin/support-requests/{id}/handled — the request leaves the inbox's waiting queue
 * (once: marking it again answers 200 and changes nothing).
 */
export const handler = httpHandler({ auth: operatorAccess }, async ({ pathParameters, admin, now }) => {
  const id = pathParameters.id ?? '';
  const result = await markSupportRequestHandled(id, admin.principal, now);
  if (result === 'not_found') throw new AppError(404, 'SUPPORT_REQUEST_NOT_FOUND');
  return { statusCode: 200, body: { id, handled: true } };
});
