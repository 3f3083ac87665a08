import type { StatusView } from '../shared/contracts';
import { httpHandler, type HttpResult } from '../shared/http';
import { effectiveServiceState } from '../shared/service-state';
import { statusView } from '../shared/status-view';

/** GET /api/status — always available, even while the service is closed. */
export const handler = httpHandler(
  { auth: 'public' },
  async ({ lang, now }): Promise<HttpResult<StatusView>> => ({
    statusCode: 200,
    body: statusView(await effectiveServiceState(now), lang),
    headers: { 'cache-control': 'no-cache' },
  }),
);
