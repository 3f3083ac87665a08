import { describe, expect, it } from 'vitest';
import { feesByYear, findProgramme } from '../../config/catalogue';
import { ADMISSION_FIELDS, admissionChanges, nameSearchKey, refreshDossierFromAdmission } from '../../functions/domain/admission';
import { decodeText, detectDelimiter, readCsv, readJson, rejectionView, validateLines, type ReadResult } from '../../functions/domain/admission-import';
import { applyCvec, applyIne, applyProgramme, applySituation, newDossier, type Dossier } from '../../functions/domain/dossier';
import type { AdmissionRecord } from '../../functions/domain/schemas';
import { LEA } from '../support/fixtures';

const NOW = new Date('2026-07-01T10:00:00Z');
const catalogue = { hasProgramme: (c: string) => findProgramme(c) !== undefined, hasYear: (y: string) => Object.hasOwn(feesByYear, y) };
const HEADER = ADMISSION_FIELDS.join(';');

function row(o: Partial<Record<(typeof ADMISSION_FIELDS)[number], string>> = {}, sep = ';') {
  const v = {
    ...LEA,
    usageName: '',
    ...o,
  };
  return ADMISSION_FIELDS.map((f) => v[f]).join(sep);
}

function ok(r: ReadResult) {
  if (!r.ok) throw new Error(`refused: ${r.code}`);
  return r;
}

const importCsv = (csv: string) => {
  const read = ok(readCsv(csv));
  return { read, ...validateLines(read.lines, NOW, catalogue) };
};

describe('reading a CSV export', () => {
  it('reads what French spreadsheets write: BOM, semicolons, CRLF, accents, quoted cells with separators, quotes and line breaks', () => {
    const place = '"Saint-Étienne; ""Loire""\r\n(42)"';
    const csv = `\uFEFF${HEADER}\r\n${row({ birthName: "N'Diaye", usageName: 'Lefèvre', birthPlace: place })}\r\n${row({ identifier: 'P267654321', firstNames: 'Élodie' })}\r\n`;
    const { valid, rejected } = importCsv(csv);
    expect(rejected).toEqual([]);
    expect(valid.map((v) => v.line)).toEqual([2, 3]);
    expect(valid[0]!.admission).toMatchObject({ birthName: "N'Diaye", usageName: 'Lefèvre', birthPlace: 'Saint-Étienne; "Loire" (42)' });
    expect(valid[1]!.admission).toMatchObject({ identifier: 'P267654321', firstNames: 'Élodie', nationality: 'française' });
  });

  it('counts lines as a spreadsheet shows rows: a cell on two lines is still one row', () => {
    const csv = [HEADER, row({ birthPlace: '"Aix\nen-Provence"' }), row({ identifier: 'P260000001', birthDate: '2008-02-30' })].join('\n');
    const { rejected } = importCsv(csv);
    expect(rejected).toEqual([expect.objectContaining({ line: 3, problem: { code: 'VALIDATION_FAILED', fields: { birthDate: 'date_invalid' } } })]);
  });

  it('detects the separator from the header row, quoted parts aside', () => {
    expect(detectDelimiter('a;b;c\n1,2;3')).toBe(';');
    expect(detectDelimiter('"a;b",c,d\n')).toBe(',');
    expect(detectDelimiter('a\tb\tc')).toBe('\t');
    const { valid } = importCsv([ADMISSION_FIELDS.join(','), row({ birthPlace: '"Aix, Provence"' }, ',')].join('\r\n'));
    expect(valid[0]!.admission.birthPlace).toBe('Aix, Provence');
  });

  it('decodes UTF-8 with or without BOM, and Windows-1252 exports', () => {
    expect(decodeText(new Uint8Array([0xef, 0xbb, 0xbf, ...Buffer.from('Élodie')]))).toEqual({ text: 'Élodie', encoding: 'utf-8' });
    expect(decodeText(Buffer.from('Élodie'))).toEqual({ text: 'Élodie', encoding: 'utf-8' });
    expect(decodeText(new Uint8Array([0xc9, 0x6c, 0x6f, 0x64, 0x69, 0x65, 0x20, 0x9c]))).toEqual({ text: 'Élodie œ', encoding: 'windows-1252' });
  });

  it('accepts French column labels in any case, with or without accents, and DD/MM/YYYY dates', () => {
    const header =
      'Identifiant;Origine;Nom de naissance;Nom d’usage;PRENOMS;Sexe;Date de naissance;Lieu de naissance;Pays de naissance;Nationalite;Courriel;Code formation;Année universitaire;Remarque';
    const line = 'CAND12345678;monmaster;Ndiaye;;Élodie;f;02/11/2002;Dakar;SN;sénégalaise;E.Ndiaye@Example.ORG;m1-info;2026-2027;appel 2';
    const { read, valid, rejected } = importCsv(`${header}\n${line}`);
    expect(rejected).toEqual([]);
    expect(read.ignoredColumns).toEqual(['Remarque']);
    expect(valid[0]!.admission).toMatchObject({ identifier: 'M312345678', sex: 'F', birthDate: '2002-11-02', email: 'E.Ndiaye@example.org', programmeCode: 'M1-INFO' });
  });

  it('ignores the empty rows spreadsheets leave at the end, without shifting line numbers', () => {
    const csv = [HEADER, row(), ';;;;;;;;;;;;', '', row({ identifier: 'P260000002', sex: 'Z' }), ';;;;;;;;;;;;'].join('\r\n');
    const { valid, rejected } = importCsv(csv);
    expect(valid.map((v) => v.line)).toEqual([2]);
    expect(rejected.map((r) => r.line)).toEqual([5]);
  });

  it('refuses the whole file when a required column is missing or doubled, naming them', () => {
    const r = readCsv('identifier;birthName;nom;firstNames\nP261234567;A;B;C');
    expect(r).toMatchObject({ ok: false, code: 'IMPORT_COLUMNS_INVALID', details: { duplicated: ['nom'] } });
    expect((r as { details: { missing: string[] } }).details.missing).toEqual(['source', 'sex', 'birthDate', 'birthPlace', 'birthCountry', 'nationality', 'email', 'programmeCode', 'academicYear']);
  });

  it('refuses an unclosed quote with its line, and an empty file', () => {
    expect(readCsv(`${HEADER}\n${row()}\n${row({ birthName: '"Martin' })}\n`)).toMatchObject({ ok: false, code: 'IMPORT_CSV_INVALID', params: { line: 3 } });
    expect(readCsv('')).toMatchObject({ ok: false, code: 'IMPORT_EMPTY' });
    expect(readCsv(`${HEADER}\r\n`)).toMatchObject({ ok: false, code: 'IMPORT_EMPTY' });
  });

  it('rejects a row with more values than columns (an unquoted separator) rather than guess', () => {
    const { rejected } = importCsv(`${HEADER}\n${row({ birthPlace: 'Aix; Provence' })}`);
    expect(rejected).toEqual([{ line: 2, identifier: 'P261234567', problem: { code: 'IMPORT_TOO_MANY_VALUES', params: { expected: 13, found: 14 } } }]);
  });
});

describe('validating lines', () => {
  it('rejects bad dates, unknown programmes and years, naming the field; the other lines go through', () => {
    const csv = [
      HEADER,
      row({ identifier: 'P260000001', birthDate: '31/04/2008' }),
      row({ identifier: 'P260000002', birthDate: '2030-01-01' }),
      row({ identifier: 'P260000003', birthDate: '14-03-2008' }),
      row({ identifier: 'P260000004', programmeCode: 'L1-ASTROLOGIE' }),
      row({ identifier: 'P260000005', academicYear: '2040-2041' }),
      row({ identifier: 'P260000006' }),
    ].join('\r\n');
    const { valid, rejected } = importCsv(csv);
    expect(valid.map((v) => v.line)).toEqual([7]);
    expect(rejected.map((r) => [r.line, r.problem])).toEqual([
      [2, { code: 'VALIDATION_FAILED', fields: { birthDate: 'date_invalid' } }],
      [3, { code: 'VALIDATION_FAILED', fields: { birthDate: 'date_in_future' } }],
      [4, { code: 'VALIDATION_FAILED', fields: { birthDate: 'date_format' } }],
      [5, { code: 'VALIDATION_FAILED', fields: { programmeCode: 'programme_unknown' } }],
      [6, { code: 'VALIDATION_FAILED', fields: { academicYear: 'academic_year_unknown' } }],
    ]);
  });

  it('keeps the first of identical duplicate lines and rejects conflicting ones altogether, whatever the identifier spelling', () => {
    const csv = [
      HEADER,
      row({ identifier: 'M312345678', source: 'monmaster' }),
      row({ identifier: 'P260000001' }),
      row({ identifier: 'cand 1234 5678', source: 'monmaster' }),
      row({ identifier: 'P260000001', birthName: 'Dupont' }),
    ].join('\n');
    const { valid, rejected } = importCsv(csv);
    expect(valid.map((v) => v.line)).toEqual([2]);
    expect(rejected.map((r) => [r.line, r.problem]).sort()).toEqual([
      [3, { code: 'IMPORT_DUPLICATE_CONFLICT', params: { lines: '5' } }],
      [4, { code: 'IMPORT_DUPLICATE_LINE', params: { first: 2 } }],
      [5, { code: 'IMPORT_DUPLICATE_CONFLICT', params: { lines: '3' } }],
    ]);
  });

  it('reports each rejection with the column as the file calls it, in French by default and in English', () => {
    const { read, rejected } = importCsv(
      `Identifiant;Origine;Nom;Prénoms;Sexe;Date de naissance;Lieu de naissance;Pays de naissance;Nationalité;Courriel;Formation;Année\nP261234567;parcoursup;Martin;Léa;F;30/02/2008;Marseille;FR;française;pas-un-mail;L1-INFO;2026-2027`,
    );
    const fr = rejectionView(rejected[0]!, 'fr', read.labels);
    expect(fr).toMatchObject({ line: 2, code: 'VALIDATION_FAILED', reasons: { birthDate: 'date_invalid', email: 'email_format' } });
    expect(fr.error).toMatch(/^Date de naissance\u00A0: Cette date n’existe pas.* ; Courriel\u00A0: Cette adresse e-mail/);
    expect(rejectionView(rejected[0]!, 'en', read.labels).error).toMatch(/^Date de naissance: This date does not exist/);
    expect(rejectionView({ line: 9, problem: { code: 'IMPORT_DUPLICATE_LINE', params: { first: 4 } } }, 'fr', {}).error).toBe('Doublon exact de la ligne 4, qui seule est importée.');
  });

  it('reads JSON {admissions:[...]} with 1-based positions as line numbers', () => {
    const read = readJson({ admissions: [{ identifier: 'P261234567' }, 'nope'] });
    const { rejected } = validateLines(ok(read!).lines, NOW, catalogue);
    expect(rejected.map((r) => r.line)).toEqual([1, 2]);
    expect(readJson({ items: [] })).toBeUndefined();
    expect(readJson({ admissions: [] })).toMatchObject({ ok: false, code: 'IMPORT_EMPTY' });
  });
});

describe('admissions and their dossier', () => {
  const admission: AdmissionRecord = { ...LEA };
  const started = (): Dossier => {
    let d = newDossier({
      id: 'd1',
      identifier: admission.identifier,
      academicYear: '2026-2027',
      student: { lastName: 'Martin', firstName: 'Léa', birthDate: '2008-03-14' },
      programmeCode: 'L1-INFO',
      level: 'licence',
      now: NOW.toISOString(),
      feesByYear,
    });
    d = applyIne(d, { ine: '123456789AB', format: 'ines', verified: true });
    d = applySituation(d, { regime: 'formation_initiale', scholarship: 'none' }, feesByYear);
    d = applyCvec(d, { certificateNumber: 'AMU6123456', state: 75 });
    return applyProgramme(d, { programmeCode: 'L1-INFO' }, feesByYear);
  };

  it('makes names searchable whatever their accents, case, ligatures and punctuation', () => {
    expect(nameSearchKey("N'Diaye")).toBe('NDIAYE');
    expect(nameSearchKey('Lefèvre-Cœur')).toBe('LEFEVRECOEUR');
    expect(nameSearchKey(' le gall ')).toBe('LEGALL');
  });

  it('lists the fields that changed', () => {
    expect(admissionChanges(admission, admission)).toBeUndefined();
    expect(admissionChanges({ ...admission, usageName: 'Dupont' }, { ...admission, email: 'lea@example.org' })).toEqual({
      before: { usageName: 'Dupont', email: 'lea.martin@example.org' },
      after: { usageName: null, email: 'lea@example.org' },
    });
  });

  it('brings a draft up to date: a new programme must be confirmed again, with its fees', () => {
    const d = refreshDossierFromAdmission(started(), { ...admission, programmeCode: 'M1-INFO' }, 'master', feesByYear);
    expect(d).toMatchObject({ programmeCode: 'M1-INFO', level: 'master', fees: { amountCents: 25400 }, steps: { programme: { status: 'todo' }, cvec: { status: 'done' } } });
  });

  it('a new civil status sends the student back to the CVEC step (and the INES one for a new birth date)', () => {
    const d = refreshDossierFromAdmission(started(), { ...admission, birthName: 'Dupont', birthDate: '2008-03-15' }, 'licence', feesByYear);
    expect(d.student).toEqual({ lastName: 'Dupont', firstName: 'Léa', birthDate: '2008-03-15' });
    expect(d.steps.cvec).toEqual({ status: 'todo', required: true });
    expect(d.steps.ine).toEqual({ status: 'todo' });
    expect(d.steps.programme.status).toBe('done');
  });

  it('leaves an up-to-date draft as it is, and refuses any change once submitted', () => {
    const d = started();
    expect(refreshDossierFromAdmission(d, { ...admission, email: 'autre@example.org' }, 'licence', feesByYear)).toBe(d);
    expect(() => refreshDossierFromAdmission({ ...d, status: 'pay_at_office' }, admission, 'licence', feesByYear)).toThrow('step_locked');
  });
});
