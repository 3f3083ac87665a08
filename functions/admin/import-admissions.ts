import { randomUUID } from 'node:crypto';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { feesByYear, findProgramme } from '../../config/catalogue';
import { recordImport, writeAdmissions } from '../adapters/dynamo/admission-import';
import { decodeText, readCsv, readJson, rejectionView, validateLines, type ReadRefusal, type ReadResult, type RejectedLine } from '../domain/admission-import';
import { AppError, validationFailed } from '../shared/errors';
import type { ImportResult } from '../shared/contracts';
import { httpHandler, type HttpResult } from '../shared/http';
import { supervisorAccess } from '../shared/operator-auth';
import { logger } from '../shared/logger';

/**
 * Time kept, out of what the function has left (the route's timeout, functions/routes.ts,
 * under API Gateway's 30 s), to report what was not written and answer before the function is
 * stopped.
 */
const ANSWER_MARGIN_MS = 5_000;
/** Lambda's 6 MB synchronous payload holds this much even once API Gateway has base64-encoded it. */
const MAX_BODY_BYTES = 4 * 1024 * 1024;

const CSV_TYPES = new Set(['text/csv', 'application/csv', 'text/plain', 'application/vnd.ms-excel']);

function readBody(event: APIGatewayProxyEventV2): ReadResult {
  const type = (event.headers?.['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  const raw = event.body ?? '';
  const text = event.isBase64Encoded ? decodeText(Buffer.from(raw, 'base64')).text : raw;
  if (CSV_TYPES.has(type)) return readCsv(text);
  if (type === 'application/json' || type.endsWith('+json')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text.replace(/^\uFEFF/, ''));
    } catch {
      throw new AppError(400, 'MALFORMED_JSON');
    }
    const read = readJson(parsed);
    if (!read) throw validationFailed({ admissions: (parsed as { admissions?: unknown } | null)?.admissions === undefined ? 'required' : 'invalid_type' });
    return read;
  }
  throw new AppError(415, 'UNSUPPORTED_MEDIA_TYPE', { messageKey: 'IMPORT_MEDIA_TYPE' });
}

function refusal(r: ReadRefusal): AppError {
  const status = r.code === 'IMPORT_TOO_MANY_LINES' ? 413 : 422;
  return new AppError(status, r.code, { ...('params' in r ? { params: r.params } : {}), ...('details' in r ? { details: r.details } : {}) });
}

const catalogue = {
  hasProgramme: (code: string) => findProgramme(code) !== undefined,
  hasYear: (year: string) => Object.hasOwn(feesByYear, year),
};

/**
 * POST /api/admin/admissions — CSV or JSON; every line validated on its own, the valid ones
 * written (new, updated, or left alone when identical), the others reported with their line
 * number and why. See domain/admission-import.ts (reading) and the adapter (writing rules).
 */
export const handler = httpHandler({ auth: supervisorAccess, maxBodyBytes: MAX_BODY_BYTES }, async ({ event, lang, admin, now, context }): Promise<HttpResult<ImportResult>> => {
  const read = readBody(event);
  if (!read.ok) throw refusal(read);
  const { valid, rejected } = validateLines(read.lines, now, catalogue);
  const deadline = performance.now() + context.getRemainingTimeInMillis() - ANSWER_MARGIN_MS;
  const ctx = { actor: admin.principal, importId: randomUUID(), now, deadline };
  const outcomes = await writeAdmissions(valid, ctx);

  const identifierOf = new Map(valid.map((v) => [v.line, v.admission.identifier]));
  const refused: RejectedLine[] = [...rejected, ...outcomes.flatMap((o) => (o.outcome === 'rejected' ? [{ line: o.line, problem: o.problem, identifier: identifierOf.get(o.line) }] : []))].sort(
    (a, b) => a.line - b.line,
  );
  const count = (kind: string) => outcomes.filter((o) => o.outcome === kind).length;
  const unchanged = count('unchanged');
  const summary = { lines: read.lines.length, imported: count('imported'), updated: count('updated') + unchanged, unchanged, rejectedCount: refused.length };
  await recordImport(ctx, summary);
  logger.info('Admissions imported', { importId: ctx.importId, ...summary });
  return {
    statusCode: 200,
    body: { importId: ctx.importId, ...summary, rejected: refused.map((r) => rejectionView(r, lang, read.labels)), ignoredColumns: read.ignoredColumns },
  };
});
