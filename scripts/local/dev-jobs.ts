/**
 * `POST /dev/jobs/{jobId}` (API.md "Local runtime extras"; never deployed): runs a scheduled job
 * of the route list (a `daily` or `rate` trigger, e.g. `InstalmentsDue`) now, with the event its
 * schedule sends, as if at `at` (ISO 8601, default now). Answers 200 with what the job returned.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { type JobDef, timeoutSecondsOf } from '../../functions/routes';
import { lambdaContext } from './lambda-context';

type JobHandler = (event: unknown, context: unknown) => Promise<unknown>;

function send(res: ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}

export function createDevJobs(o: { jobs: JobDef[]; load: (job: JobDef) => Promise<JobHandler> }) {
  return async function handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<boolean> {
    const match = /^\/dev\/jobs\/([^/]+)$/.exec(url.pathname);
    if (!match) return false;
    if (req.method !== 'POST') return (send(res, 405, { error: { code: 'METHOD_NOT_ALLOWED', message: 'POST only.' } }), true);
    const job = o.jobs.find((j) => j.id === decodeURIComponent(match[1]!));
    if (!job || (job.trigger.kind !== 'daily' && job.trigger.kind !== 'rate')) {
      const known = o.jobs.filter((j) => j.trigger.kind === 'daily' || j.trigger.kind === 'rate').map((j) => j.id);
      return (send(res, 404, { error: { code: 'NOT_FOUND', message: `No scheduled job ${match[1]} (${known.join(', ')})` } }), true);
    }
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8').slice(0, 4096).trim();
    let at: unknown;
    try {
      at = raw ? (JSON.parse(raw) as { at?: unknown }).at : undefined;
    } catch {
      return (send(res, 400, { error: { code: 'MALFORMED_JSON', message: 'Malformed JSON body.' } }), true);
    }
    if (at !== undefined && (typeof at !== 'string' || Number.isNaN(Date.parse(at)))) {
      return (send(res, 422, { error: { code: 'VALIDATION_FAILED', message: 'at: an ISO 8601 instant', fields: { at: 'invalid_format' } } }), true);
    }
    const scheduledFor = at === undefined ? new Date().toISOString() : new Date(at).toISOString();
    const result = await (await o.load(job))({ scheduledFor }, lambdaContext(job.id, timeoutSecondsOf(job)));
    send(res, 200, { jobId: job.id, scheduledFor, result: result ?? null });
    return true;
  };
}
