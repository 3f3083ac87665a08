/**
 * Reading an admissions import (POST /api/admin/admissions): CSV as French spreadsheets export
 * it, or JSON `{admissions:[...]}`; each line validated on its own so that one bad line never
 * blocks the others. Shared by the handler and the `ops` CLI (which splits big files).
 *
 * CSV: UTF-8 with or without BOM (Windows-1252, what Excel's "CSV (point-virgule)" writes, is
 * recognised too), `;` `,` or tab separators (detected from the header row), quoted fields with
 * embedded separators, quotes and line breaks, CRLF or LF. The header row names the columns
 * with API.md's field names or their usual French labels, in any case and with or without
 * accents. A line number is the row as a spreadsheet shows it: the header is row 1.
 * JSON: a line number is the position in `admissions`, from 1.
 *
 * Pure: no I/O.
 */
import { parse } from 'csv-parse/sync';
import { ADMISSION_FIELDS, type AdmissionField } from './admission';
import { errorMessage, fieldMessage, type Lang } from './messages/catalogue';
import { statusLabel } from './labels';
import { admissionRecord, type AdmissionRecord } from './schemas';
import { validate, type FieldErrors } from './validate';

/** Lines one call may carry: what one function run writes well within API Gateway's 30 s. */
export const MAX_IMPORT_LINES = 10_000;

const OPTIONAL: ReadonlySet<AdmissionField> = new Set(['usageName', 'exchangeStudent']);

/** Header label → field, compared by `headerKey`. */
const FRENCH_LABELS: Record<AdmissionField, string[]> = {
  identifier: ['identifiant', 'identifiant de connexion', 'numero etudiant', 'numéro candidat'],
  source: ['origine', 'provenance', 'plateforme'],
  birthName: ['nom de naissance', 'nom', 'nom patronymique'],
  usageName: ["nom d'usage", 'nom usage', 'nom marital'],
  firstNames: ['prénoms', 'prénom', 'prenoms'],
  sex: ['sexe', 'genre'],
  birthDate: ['date de naissance', 'né le', 'date naissance'],
  birthPlace: ['lieu de naissance', 'ville de naissance', 'commune de naissance'],
  birthCountry: ['pays de naissance'],
  nationality: ['nationalité'],
  email: ['courriel', 'e-mail', 'mail', 'adresse électronique', 'adresse mail'],
  programmeCode: ['code formation', 'formation', 'code de la formation', 'code étape'],
  academicYear: ['année universitaire', 'année', 'annee universitaire'],
  exchangeStudent: ['étudiant en échange', 'échange accueil', 'echange', 'étudiant échange accueil'],
};

/** Case, accents, spaces and punctuation ignored. */
export function headerKey(label: string): string {
  return label
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '');
}

const FIELD_BY_HEADER: ReadonlyMap<string, AdmissionField> = new Map(ADMISSION_FIELDS.flatMap((f) => [f, ...FRENCH_LABELS[f]].map((label) => [headerKey(label), f] as const)));

/**
 * Windows-1252's characters at 0x80–0x9F (the rest is Latin-1). Spelled out because Node's
 * TextDecoder decodes the `windows-1252` label as plain Latin-1 (œ would become U+009C).
 */
const CP1252_HIGH = '€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008DŽ\u008F\u0090‘’“”•–—˜™š›œ\u009DžŸ';

/** UTF-8 (a BOM is dropped), or Windows-1252 when the bytes are not valid UTF-8. */
export function decodeText(bytes: Uint8Array): { text: string; encoding: 'utf-8' | 'windows-1252' } {
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes), encoding: 'utf-8' };
  } catch {
    const text = Array.from(bytes, (b) => (b >= 0x80 && b <= 0x9f ? CP1252_HIGH[b - 0x80]! : String.fromCharCode(b))).join('');
    return { text, encoding: 'windows-1252' };
  }
}

/** The separator used most often in the header row, quoted parts aside. */
export function detectDelimiter(text: string): ';' | ',' | '\t' {
  const counts = { ';': 0, ',': 0, '\t': 0 };
  let quoted = false;
  for (const ch of text) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && (ch === '\n' || ch === '\r')) break;
    else if (!quoted && ch in counts) counts[ch as keyof typeof counts]++;
  }
  const best = (Object.keys(counts) as (keyof typeof counts)[]).sort((a, b) => counts[b] - counts[a])[0]!;
  return counts[best] > 0 ? best : ';';
}

/** One line to import, before validation. */
export interface RawLine {
  line: number;
  values: unknown;
  /** A line-level problem found while reading (the line is rejected with it). */
  problem?: LineProblem;
}

export type LineProblem =
  | { code: 'IMPORT_TOO_MANY_VALUES'; params: { expected: number; found: number } }
  | { code: 'VALIDATION_FAILED'; fields: FieldErrors }
  | { code: 'IMPORT_DUPLICATE_LINE'; params: { first: number } }
  | { code: 'IMPORT_DUPLICATE_CONFLICT'; params: { lines: string } }
  | { code: 'IMPORT_DOSSIER_LOCKED'; params: { status: string } }
  | { code: 'IMPORT_NOT_PROCESSED' };

export interface ReadImport {
  lines: RawLine[];
  /** How each field is called in the file (CSV headers), for messages. */
  labels: Partial<Record<AdmissionField, string>>;
  /** CSV columns that are no admission field: not imported. */
  ignoredColumns: string[];
}

export type ReadRefusal =
  | { code: 'IMPORT_CSV_INVALID'; params: { line: number | string } }
  | { code: 'IMPORT_COLUMNS_INVALID'; params: { missing: string; duplicated: string }; details: { missing: string[]; duplicated: string[] } }
  | { code: 'IMPORT_EMPTY' }
  | { code: 'IMPORT_TOO_MANY_LINES'; params: { max: number; found: number } };

export type ReadResult = ({ ok: true } & ReadImport) | ({ ok: false } & ReadRefusal);

const blank = (v: string | undefined) => v === undefined || v.trim() === '';

/** Reads a CSV export: header row, then one admission per row. */
export function readCsv(text: string): ReadResult {
  const body = text.startsWith('\uFEFF') ? text.slice(1) : text;
  let records: string[][];
  try {
    records = parse(body, { delimiter: detectDelimiter(body), relax_column_count: true, relax_quotes: true, skip_empty_lines: false });
  } catch (err) {
    return { ok: false, code: 'IMPORT_CSV_INVALID', params: { line: (err as { lines?: number }).lines ?? '?' } };
  }
  const [header, ...rows] = records;
  if (!header || header.every((h) => blank(h))) return { ok: false, code: 'IMPORT_EMPTY' };

  const columns: (AdmissionField | undefined)[] = header.map((h) => FIELD_BY_HEADER.get(headerKey(h)));
  const labels: Partial<Record<AdmissionField, string>> = {};
  const duplicated: string[] = [];
  columns.forEach((f, i) => {
    if (!f) return;
    if (labels[f] !== undefined) duplicated.push(header[i]!.trim());
    else labels[f] = header[i]!.trim();
  });
  const missing = ADMISSION_FIELDS.filter((f) => !OPTIONAL.has(f) && labels[f] === undefined);
  if (missing.length || duplicated.length) {
    return {
      ok: false,
      code: 'IMPORT_COLUMNS_INVALID',
      params: { missing: missing.join(', ') || '–', duplicated: duplicated.join(', ') || '–' },
      details: { missing, duplicated },
    };
  }

  const lines: RawLine[] = [];
  rows.forEach((cells, i) => {
    // Spreadsheets export trailing empty rows as bare separators: not lines to import.
    if (cells.every((c) => blank(c))) return;
    const line = i + 2;
    const values: Record<string, string> = {};
    columns.forEach((f, c) => {
      const v = cells[c];
      // Every admission field is one line: a line break typed in a cell (Alt+Entrée) is a space.
      if (f && !blank(v)) values[f] = v!.replace(/\s+/g, ' ').trim();
    });
    const extra = cells.slice(header.length);
    // A separator typed inside an unquoted cell shifts every later cell: never guess.
    const problem: LineProblem | undefined = extra.some((c) => !blank(c)) ? { code: 'IMPORT_TOO_MANY_VALUES', params: { expected: header.length, found: cells.length } } : undefined;
    lines.push({ line, values, ...(problem ? { problem } : {}) });
  });
  if (lines.length === 0) return { ok: false, code: 'IMPORT_EMPTY' };
  if (lines.length > MAX_IMPORT_LINES) return { ok: false, code: 'IMPORT_TOO_MANY_LINES', params: { max: MAX_IMPORT_LINES, found: lines.length } };
  return {
    ok: true,
    lines,
    labels,
    ignoredColumns: header.filter((h, i) => !columns[i] && !blank(h)).map((h) => h.trim()),
  };
}

/** Reads `{admissions:[...]}` (already JSON-parsed). `undefined` when the shape is wrong. */
export function readJson(body: unknown): ReadResult | undefined {
  const list = (body as { admissions?: unknown } | null)?.admissions;
  if (typeof body !== 'object' || body === null || !Array.isArray(list)) return undefined;
  if (list.length === 0) return { ok: false, code: 'IMPORT_EMPTY' };
  if (list.length > MAX_IMPORT_LINES) return { ok: false, code: 'IMPORT_TOO_MANY_LINES', params: { max: MAX_IMPORT_LINES, found: list.length } };
  return { ok: true, lines: list.map((values, i) => ({ line: i + 1, values })), labels: {}, ignoredColumns: [] };
}

export interface Catalogue {
  hasProgramme(code: string): boolean;
  /** An academic year with national fee rates (a dossier can be priced). */
  hasYear(academicYear: string): boolean;
}

export interface ValidLine {
  line: number;
  admission: AdmissionRecord;
}

export interface RejectedLine {
  line: number;
  problem: LineProblem;
  /** The identifier as written, to help find the line. */
  identifier?: string;
}

/** Same student and year, whatever the identifier's spelling (CAND… = M3…). */
const admissionId = (a: AdmissionRecord) => `${a.identifier}#${a.academicYear}`;

const sameAdmission = (a: AdmissionRecord, b: AdmissionRecord) => ADMISSION_FIELDS.every((f) => (a[f] ?? undefined) === (b[f] ?? undefined));

/**
 * Validates every line (API.md's admission, a programme of the catalogue, a year with fee
 * rates) and resolves students listed more than once: identical copies are dropped (the first
 * is imported), conflicting ones are all rejected, since picking one could give a student the
 * wrong civil status or programme.
 */
export function validateLines(lines: RawLine[], now: Date, catalogue: Catalogue): { valid: ValidLine[]; rejected: RejectedLine[] } {
  const schema = admissionRecord(() => now);
  const rejected: RejectedLine[] = [];
  const candidates: ValidLine[] = [];
  for (const raw of lines) {
    const identifier = typeof (raw.values as { identifier?: unknown })?.identifier === 'string' ? (raw.values as { identifier: string }).identifier : undefined;
    if (raw.problem) {
      rejected.push({ line: raw.line, problem: raw.problem, identifier });
      continue;
    }
    const result = validate(schema, raw.values);
    const fields: FieldErrors = result.ok ? {} : { ...result.fields };
    if (result.ok) {
      if (!catalogue.hasProgramme(result.data.programmeCode)) fields.programmeCode = 'programme_unknown';
      if (!catalogue.hasYear(result.data.academicYear)) fields.academicYear = 'academic_year_unknown';
    }
    if (!result.ok || Object.keys(fields).length) {
      rejected.push({ line: raw.line, problem: { code: 'VALIDATION_FAILED', fields }, identifier });
      continue;
    }
    candidates.push({ line: raw.line, admission: result.data });
  }

  const groups = new Map<string, ValidLine[]>();
  for (const c of candidates) {
    const key = admissionId(c.admission);
    groups.set(key, [...(groups.get(key) ?? []), c]);
  }
  const valid: ValidLine[] = [];
  for (const group of groups.values()) {
    const [first, ...others] = group as [ValidLine, ...ValidLine[]];
    if (others.every((o) => sameAdmission(o.admission, first.admission))) {
      valid.push(first);
      for (const o of others) rejected.push({ line: o.line, problem: { code: 'IMPORT_DUPLICATE_LINE', params: { first: first.line } }, identifier: o.admission.identifier });
    } else {
      for (const g of group) {
        const lines = group
          .filter((o) => o !== g)
          .map((o) => o.line)
          .join(', ');
        rejected.push({ line: g.line, problem: { code: 'IMPORT_DUPLICATE_CONFLICT', params: { lines } }, identifier: g.admission.identifier });
      }
    }
  }
  valid.sort((a, b) => a.line - b.line);
  return { valid, rejected };
}

/** A rejection as the API reports it: `{line, error}` plus the code and, per field, why. */
export function rejectionView(r: RejectedLine, lang: Lang, labels: Partial<Record<AdmissionField, string>>) {
  const p = r.problem;
  const base = { line: r.line, ...(r.identifier !== undefined ? { identifier: r.identifier } : {}), code: p.code };
  if (p.code === 'VALIDATION_FAILED') {
    const fields = Object.fromEntries(Object.entries(p.fields).map(([f, code]) => [f, fieldMessage(code, lang)]));
    const sep = lang === 'fr' ? '\u00A0: ' : ': ';
    const error = Object.entries(fields)
      .map(([f, message]) => `${labels[f as AdmissionField] ?? f}${sep}${message}`)
      .join(lang === 'fr' ? ' ; ' : '; ');
    return { ...base, error, fields, reasons: p.fields };
  }
  const params: Record<string, string | number> = p.code === 'IMPORT_DOSSIER_LOCKED' ? { status: statusLabel(p.params.status, lang) } : 'params' in p ? p.params : {};
  return { ...base, error: errorMessage(p.code, lang, params) };
}
