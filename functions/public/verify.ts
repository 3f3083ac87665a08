import { getCertificate, takeVerificationSlot } from '../adapters/dynamo/certificates';
import { normalizeCode } from '../domain/certificates/code';
import { verificationView } from '../domain/certificates/model';
import { AppError } from '../shared/errors';
import { clientAddress } from '../shared/client-address';
import type { VerificationView } from '../shared/contracts';
import { httpHandler, type HttpResult } from '../shared/http';

/**
 * GET /api/verify/{code} — anyone holding a certificate's code learns whether it is valid or
 * revoked, its kind, year and programme, the holder as "L. MARTIN" and the issue date; never
 * the birth date, the INE or the identifier (`verificationView`). Rate-limited per client address (functions/shared/client-address.ts);
 * answers are cached briefly (a revocation shows within `CACHE_SECONDS`). A string that cannot
 * be a code is answered like an unknown code.
 */
const CACHE_SECONDS = 60;
const notFound = () => new AppError(404, 'CERTIFICATE_NOT_FOUND', { headers: { 'cache-control': `public, max-age=${CACHE_SECONDS}` } });

export const handler = httpHandler({ auth: 'public' }, async ({ pathParameters, lang, now, event }): Promise<HttpResult<VerificationView>> => {
  const slot = await takeVerificationSlot(await clientAddress(event), now);
  if (!slot.allowed) {
    throw new AppError(429, 'TOO_MANY_REQUESTS', { params: { seconds: slot.retryAfterSeconds }, headers: { 'retry-after': String(slot.retryAfterSeconds) } });
  }
  const code = normalizeCode(pathParameters.code ?? '');
  const record = code ? await getCertificate(code) : undefined;
  if (!record) throw notFound();
  return {
    statusCode: 200,
    body: verificationView(record, lang),
    headers: { 'cache-control': `public, max-age=${CACHE_SECONDS}`, vary: 'accept-language' },
  };
});
