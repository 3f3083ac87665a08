/**
 * `ops import <file>`: sends a CSV (or JSON) admissions file in parts of `batch` lines, so the
 * operator sees real progress and no call comes near the API's limits, then sums up the
 * answers with the rejected lines numbered as in the whole file.
 */
import type { ImportRejection, ImportResult } from '../../functions/shared/contracts';
import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { decodeText, detectDelimiter } from '../../functions/domain/admission-import';
import { EXIT, OpsError, type AdminApi } from './client';

export interface ImportSummary {
  lines: number;
  imported: number;
  updated: number;
  unchanged: number;
  rejected: ImportRejection[];
  ignoredColumns: string[];
  importIds: string[];
}

interface Part {
  /** What to add to a line number of this part's answer to get the line in the file. */
  offset: number;
  lines: number;
  contentType: string;
  data: string;
}

const quote = (cell: string) => `"${cell.replace(/"/g, '""')}"`;

/** CSV parts: the header row, then `batch` rows each, re-quoted; blank rows kept so rows keep their numbers. */
function csvParts(text: string, batch: number): Part[] {
  const body = text.startsWith('\uFEFF') ? text.slice(1) : text;
  const delimiter = detectDelimiter(body);
  let records: string[][];
  try {
    records = parse(body, { delimiter, relax_column_count: true, relax_quotes: true, skip_empty_lines: false });
  } catch (err) {
    throw new OpsError(`Fichier CSV illisible vers la ligne ${(err as { lines?: number }).lines ?? '?'} (guillemet non refermé ?) : rien n'a été envoyé.`, EXIT.refused);
  }
  const [header, ...rows] = records;
  if (!header) throw new OpsError('Le fichier est vide.', EXIT.refused);
  const row = (r: string[]) => r.map(quote).join(';');
  const parts: Part[] = [];
  for (let i = 0; i < rows.length; i += batch) {
    const slice = rows.slice(i, i + batch);
    const lines = slice.filter((r) => r.some((c) => c.trim() !== '')).length;
    if (lines > 0) parts.push({ offset: i, lines, contentType: 'text/csv; charset=utf-8', data: [row(header), ...slice.map(row)].join('\r\n') });
  }
  return parts;
}

function jsonParts(text: string, batch: number): Part[] {
  let list: unknown;
  try {
    list = (JSON.parse(text.replace(/^\uFEFF/, '')) as { admissions?: unknown }).admissions;
  } catch {
    throw new OpsError('Fichier JSON illisible : rien n’a été envoyé.', EXIT.refused);
  }
  if (!Array.isArray(list)) throw new OpsError('Le fichier JSON doit contenir {"admissions": […]}.', EXIT.refused);
  const parts: Part[] = [];
  for (let i = 0; i < list.length; i += batch) {
    const slice = list.slice(i, i + batch);
    parts.push({ offset: i, lines: slice.length, contentType: 'application/json', data: JSON.stringify({ admissions: slice }) });
  }
  return parts;
}

export function readParts(file: string, batch: number): Part[] {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (err) {
    throw new OpsError(`Impossible de lire ${file} : ${(err as Error).message}`, EXIT.usage);
  }
  const { text } = decodeText(bytes);
  const parts = /\.json$/i.test(file) || /^\uFEFF?\s*\{/.test(text) ? jsonParts(text, batch) : csvParts(text, batch);
  if (parts.length === 0) throw new OpsError('Le fichier ne contient aucune admission.', EXIT.refused);
  return parts;
}

/** Sends the parts one after the other, calling `progress(linesDone, total, summary)` after each. */
export async function importFile(api: AdminApi, parts: Part[], progress: (done: number, total: number, s: ImportSummary) => void): Promise<ImportSummary> {
  const total = parts.reduce((n, p) => n + p.lines, 0);
  const summary: ImportSummary = { lines: 0, imported: 0, updated: 0, unchanged: 0, rejected: [], ignoredColumns: [], importIds: [] };
  for (const part of parts) {
    let body: ImportResult;
    try {
      ({ body } = await api.request<ImportResult>('POST', '/api/admin/admissions', { contentType: part.contentType, data: part.data }));
    } catch (err) {
      if (!(err instanceof OpsError) || summary.lines === 0) throw err;
      const sent = `${summary.lines} ligne(s) sur ${total} déjà traitée(s) ; relancez l'import : les lignes déjà importées seront mises à jour, sans doublon.`;
      throw new OpsError(`${err.message}\n${sent}`, err.exitCode, err.body);
    }
    summary.lines += body.lines;
    summary.imported += body.imported;
    summary.updated += body.updated;
    summary.unchanged += body.unchanged;
    summary.importIds.push(body.importId);
    summary.ignoredColumns = body.ignoredColumns ?? [];
    summary.rejected.push(...body.rejected.map((r) => ({ ...r, line: r.line + part.offset })));
    progress(summary.lines, total, summary);
  }
  return summary;
}
