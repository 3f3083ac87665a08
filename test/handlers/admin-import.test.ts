import { randomInt } from 'node:crypto';
import { QueryCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { admissionAuditTrail, getAdmission } from '../../functions/adapters/dynamo/admissions';
import { ddb, tableName } from '../../functions/adapters/dynamo/client';
import { dossierAuditTrail, ensureDossier, getDossier } from '../../functions/adapters/dynamo/dossiers';
import { handler as importAdmissions } from '../../functions/admin/import-admissions';
import { handler as search } from '../../functions/admin/search-dossiers';
import { ADMISSION_FIELDS } from '../../functions/domain/admission';
import { logger } from '../../functions/shared/logger';
import { context, httpEvent } from '../support/events';
import { asOperator, OPERATOR, studentThroughWizard } from '../support/operators';
import { login } from '../support/students';
import { LEA } from '../support/fixtures';

// Inside the June–July 2026 window: imported students can log in.
const IN_WINDOW = new Date('2026-07-01T10:00:00Z');
beforeEach(() => {
  vi.useFakeTimers({ now: IN_WINDOW, toFake: ['Date'] });
});
afterEach(() => {
  vi.useRealTimers();
});

type Row = Partial<Record<(typeof ADMISSION_FIELDS)[number], string>>;

/** A fresh Parcoursup login, unique in this file's table. */
const newIdentifier = () => `P26${String(randomInt(0, 10_000_000)).padStart(7, '0')}`;

function admission(o: Row = {}): Record<string, string> {
  return {
    ...LEA,
    identifier: newIdentifier(),
    usageName: '',
    birthDate: '14/03/2008',
    ...o,
  };
}

const csvOf = (rows: Record<string, string>[], sep = ';') => [ADMISSION_FIELDS.join(sep), ...rows.map((r) => ADMISSION_FIELDS.map((f) => r[f] ?? '').join(sep))].join('\r\n') + '\r\n';

const postCsv = (csv: string, o: { lang?: 'fr' | 'en'; base64?: Buffer } = {}) =>
  asOperator(importAdmissions, {
    method: 'POST',
    path: '/api/admin/admissions',
    rawBody: o.base64 ? o.base64.toString('base64') : csv,
    base64: o.base64 !== undefined,
    headers: { 'content-type': 'text/csv; charset=utf-8' },
    lang: o.lang,
  });

describe('POST /api/admin/admissions (CSV)', () => {
  it('imports the valid lines, reports the others with line and reason, and the imported students can log in', async () => {
    const good = admission({ birthName: 'Lefèvre', usageName: "N'Diaye" });
    const other = admission({ identifier: `cand${String(randomInt(0, 1e8)).padStart(8, '0')}`, source: 'monmaster', programmeCode: 'm1-info' });
    const csv = csvOf([good, admission({ birthDate: '31/02/2008' }), other, admission({ programmeCode: 'L1-ASTRO' })]);

    const res = await postCsv(`\uFEFF${csv}`);

    expect(res.statusCode).toBe(200);
    expect(res.body).toMatchObject({ lines: 4, imported: 2, updated: 0, unchanged: 0, rejectedCount: 2 });
    expect(res.body.rejected).toEqual([
      expect.objectContaining({ line: 3, code: 'VALIDATION_FAILED', reasons: { birthDate: 'date_invalid' }, error: expect.stringMatching(/^birthDate\u00A0: Cette date n’existe pas/) }),
      expect.objectContaining({ line: 5, code: 'VALIDATION_FAILED', reasons: { programmeCode: 'programme_unknown' } }),
    ]);
    const stored = await getAdmission(good.identifier!, '2026-2027');
    expect(stored).toMatchObject({ birthName: 'Lefèvre', usageName: "N'Diaye", birthDate: '2008-03-14', importedBy: OPERATOR, importId: res.body.importId });
    expect(await getAdmission(`M3${other.identifier!.slice(4)}`, '2026-2027')).toMatchObject({ programmeCode: 'M1-INFO' });
    expect((await login(good.identifier!, '2008-03-14')).statusCode).toBe(201);
  });

  it('re-importing updates, never duplicates; identical lines are left alone; changes are audited', async () => {
    const rows = [admission(), admission(), admission()];
    expect((await postCsv(csvOf(rows))).body).toMatchObject({ imported: 3, updated: 0 });

    const again = await postCsv(csvOf([rows[0]!, rows[1]!, { ...rows[2]!, email: 'nouvelle.adresse@example.org' }]));

    expect(again.body).toMatchObject({ imported: 0, updated: 3, unchanged: 2, rejected: [] });
    const items = await ddb.send(new QueryCommand({ TableName: tableName(), KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': `ADMISSION#${rows[2]!.identifier}` } }));
    expect(items.Items).toHaveLength(1);
    expect(items.Items![0]).toMatchObject({ email: 'nouvelle.adresse@example.org', importId: again.body.importId });
    expect(await admissionAuditTrail(rows[2]!.identifier!, '2026-2027')).toEqual([
      expect.objectContaining({ actor: OPERATOR, action: 'admission.update', before: { email: 'lea.martin@example.org' }, after: { email: 'nouvelle.adresse@example.org' } }),
    ]);
  });

  it('updates a logged-in student’s draft with the new admission, and freezes a submitted one', async () => {
    const draft = await studentThroughWizard();
    const submitted = await studentThroughWizard({ scholarship: 'pending', submit: true });
    const asRow = (a: typeof draft.admission, o: Row) => ({ ...admission(), ...Object.fromEntries(Object.entries(a).map(([k, v]) => [k, String(v)])), usageName: '', ...o });

    const res = await postCsv(csvOf([asRow(draft.admission, { programmeCode: 'L3-ECO' }), asRow(submitted.admission, { birthName: 'Dupont' }), admission()]));

    expect(res.body).toMatchObject({ imported: 1, updated: 1 });
    expect(res.body.rejected).toEqual([expect.objectContaining({ line: 3, code: 'IMPORT_DOSSIER_LOCKED', error: expect.stringContaining('(à payer en scolarité)') })]);
    expect(await getDossier(draft.dossier.id)).toMatchObject({ programmeCode: 'L3-ECO', steps: { programme: { status: 'todo' } } });
    expect(await dossierAuditTrail(draft.dossier.id)).toEqual([expect.objectContaining({ actor: OPERATOR, action: 'dossier.admission_update' })]);
    expect(await getAdmission(submitted.admission.identifier, '2026-2027')).toMatchObject({ birthName: submitted.admission.birthName });
    expect((await getDossier(submitted.dossier.id))?.student.lastName).toBe(submitted.admission.birthName);

    // The same line again, unchanged, is not a rejection: a daily re-import of the whole list stays quiet.
    const quiet = await postCsv(csvOf([asRow(submitted.admission, {})]));
    expect(quiet.body).toMatchObject({ updated: 1, unchanged: 1, rejected: [] });
  });

  it('a student logging in while their admission is re-imported gets a dossier made from the new admission', async () => {
    const row = admission();
    await postCsv(csvOf([row]));
    const read = (await getAdmission(row.identifier!, '2026-2027'))!; // what the login read…
    await postCsv(csvOf([{ ...row, programmeCode: 'L3-ECO' }])); // …before the operator's re-import landed

    const dossier = await ensureDossier(read, IN_WINDOW);

    expect(dossier.programmeCode).toBe('L3-ECO');
    expect(await getAdmission(row.identifier!, '2026-2027')).toMatchObject({ programmeCode: 'L3-ECO', dossierId: dossier.id });
  });

  it('reads what API Gateway hands over base64-encoded, Windows-1252 included, with comma separators', async () => {
    const row = admission({ birthName: 'Cœur', firstNames: 'Hélène' });
    // Excel's "CSV (séparateur: virgule)": Latin-1 where it can, 0x9C for œ.
    const cp1252 = Buffer.from(csvOf([row], ',').replace('œ', '\u0000'), 'latin1');
    cp1252[cp1252.indexOf(0)] = 0x9c;

    const res = await postCsv('', { base64: cp1252 });

    expect(res.body).toMatchObject({ imported: 1, rejected: [] });
    expect(await getAdmission(row.identifier!, '2026-2027')).toMatchObject({ birthName: 'Cœur', firstNames: 'Hélène' });
  });

  it('refuses a file it cannot read as a whole: missing columns, unclosed quote, wrong type', async () => {
    const missing = await postCsv('identifiant;nom\r\nP261234567;Martin\r\n');
    expect(missing.statusCode).toBe(422);
    expect(missing.body.error).toMatchObject({ code: 'IMPORT_COLUMNS_INVALID', missing: expect.arrayContaining(['source', 'firstNames', 'birthDate']) });
    expect(missing.body.error.message).toMatch(/colonnes manquantes/);

    const unclosed = await postCsv(csvOf([admission({ birthPlace: '"Marseille' })]));
    expect(unclosed.statusCode).toBe(422);
    expect(unclosed.body.error.code).toBe('IMPORT_CSV_INVALID');

    const xml = await asOperator(importAdmissions, { method: 'POST', rawBody: '<admissions/>', headers: { 'content-type': 'application/xml' } });
    expect(xml.statusCode).toBe(415);
    expect(xml.body.error.message).toMatch(/text\/csv/);
  });

  it('refuses more than 10,000 lines in one call, and a caller the IAM authorizer did not identify', async () => {
    const rows = Array.from({ length: 10_001 }, (_, i) => admission({ identifier: `P27${String(i).padStart(7, '0')}` }));
    const tooMany = await postCsv(csvOf(rows));
    expect(tooMany.statusCode).toBe(413);
    expect(tooMany.body.error).toMatchObject({ code: 'IMPORT_TOO_MANY_LINES' });

    const anonymous = await asOperator(importAdmissions, { method: 'POST', rawBody: csvOf([admission()]), headers: { 'content-type': 'text/csv' }, principal: null });
    expect(anonymous.statusCode).toBe(401);
  });
});

describe('the time limit', () => {
  it('reports the lines it had no time to write (never drops them), and sending the file again finishes the job', async () => {
    const rows = [admission(), admission(), admission()];
    const send = (remainingMs: number) =>
      importAdmissions(httpEvent({ method: 'POST', path: '/api/admin/admissions', rawBody: csvOf(rows), headers: { 'content-type': 'text/csv' }, adminPrincipal: OPERATOR }), {
        ...context,
        getRemainingTimeInMillis: () => remainingMs,
      }).then((r) => JSON.parse((r as { body: string }).body));

    // Only the margin kept to answer is left: nothing may start.
    const late = await send(5_000);
    expect(late).toMatchObject({ imported: 0, rejectedCount: 3 });
    expect(late.rejected.map((r: { line: number; code: string }) => [r.line, r.code])).toEqual([
      [2, 'IMPORT_NOT_PROCESSED'],
      [3, 'IMPORT_NOT_PROCESSED'],
      [4, 'IMPORT_NOT_PROCESSED'],
    ]);
    expect(await getAdmission(rows[0]!.identifier!, '2026-2027')).toBeUndefined();

    expect(await send(29_000)).toMatchObject({ imported: 3, rejectedCount: 0 });
  });
});

describe('POST /api/admin/admissions (JSON)', () => {
  it('imports {admissions:[...]} and reports lines by position', async () => {
    const a = { ...admission(), birthDate: '2008-03-14' };
    const res = await asOperator(importAdmissions, { method: 'POST', body: { admissions: [a, { ...a, identifier: 'X' }] }, lang: 'en' });
    expect(res.statusCode).toBe(200);
    expect(res.body).toMatchObject({
      imported: 1,
      rejected: [expect.objectContaining({ line: 2, reasons: { identifier: 'identifier_format' }, error: expect.stringMatching(/^identifier: Identifier not recognised/) })],
    });
  });

  it('answers 400 to malformed JSON and 422 without an admissions list', async () => {
    expect((await asOperator(importAdmissions, { method: 'POST', rawBody: '{"admissions": [', headers: { 'content-type': 'application/json' } })).statusCode).toBe(400);
    const none = await asOperator(importAdmissions, { method: 'POST', body: { items: [] } });
    expect(none.statusCode).toBe(422);
    expect(Object.keys(none.body.error.fields)).toEqual(['admissions']);
  });
});

describe('a 10,000-line import', () => {
  it('goes through in one call, and the students are then found by name', async () => {
    const names = [
      'Martin',
      'Bernard',
      'Dubois',
      'Thomas',
      'Robert',
      'Richard',
      'Petit',
      'Durand',
      'Leroy',
      'Moreau',
      'Simon',
      'Laurent',
      'Lefèvre',
      'Michel',
      'Garcia',
      'David',
      'Bertrand',
      'Roux',
      'Vincent',
      'Fournier',
    ];
    const rows = Array.from({ length: 10_000 }, (_, i) =>
      admission({ identifier: `P25${String(i).padStart(7, '0')}`, birthName: names[i % names.length]!, firstNames: `Prénom${String.fromCharCode(65 + (i % 26))}` }),
    );
    const csv = csvOf(rows);
    expect(Buffer.byteLength(csv)).toBeLessThan(4 * 1024 * 1024);

    // DynamoDB Local on a shared test machine is far slower than DynamoDB: more time than the route's 29 s.
    const event = httpEvent({ method: 'POST', path: '/api/admin/admissions', rawBody: csv, headers: { 'content-type': 'text/csv' }, adminPrincipal: OPERATOR });
    const raw = (await importAdmissions(event, { ...context, getRemainingTimeInMillis: () => 150_000 })) as { statusCode: number; body: string };
    const res = { statusCode: raw.statusCode, body: JSON.parse(raw.body) };

    expect(res.statusCode).toBe(200);
    expect(res.body).toMatchObject({ lines: 10_000, imported: 10_000, updated: 0, rejectedCount: 0, rejected: [] });
    const count = await ddb.send(
      new ScanCommand({
        TableName: tableName(),
        Select: 'COUNT',
        FilterExpression: 'begins_with(pk, :p) AND importId = :id',
        ExpressionAttributeValues: { ':p': 'ADMISSION#P25', ':id': res.body.importId },
      }),
    );
    let total = count.Count ?? 0;
    for (let key = count.LastEvaluatedKey; key; ) {
      const page = await ddb.send(
        new ScanCommand({
          TableName: tableName(),
          Select: 'COUNT',
          ExclusiveStartKey: key,
          FilterExpression: 'begins_with(pk, :p) AND importId = :id',
          ExpressionAttributeValues: { ':p': 'ADMISSION#P25', ':id': res.body.importId },
        }),
      );
      total += page.Count ?? 0;
      key = page.LastEvaluatedKey;
    }
    expect(total).toBe(10_000);

    const found = await asOperator(search, { query: { q: 'lefevre prenomc', limit: '100' } });
    expect(found.statusCode).toBe(200);
    // i ≡ 12 (mod 20) and i ≡ 2 (mod 26): one in 260 of the 10,000 lines.
    expect(found.body.items).toHaveLength(38);
    expect(found.body.items.every((i: { lastName: string; status: string }) => i.lastName === 'Lefèvre' && i.status === 'no_dossier')).toBe(true);
  }, 200_000);
});

describe('logs of an import', () => {
  it('carry counts and ids, never the students’ identifiers, names, birth dates or e-mails', async () => {
    const personal = admission({ birthName: 'Zébulonnière', birthDate: '23/09/2007', email: 'zebulon.secret@example.org' });
    let output = '';
    const spies = [process.stdout, process.stderr].map((stream) =>
      vi.spyOn(stream, 'write').mockImplementation(((chunk: string | Uint8Array) => {
        output += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
        return true;
      }) as typeof stream.write),
    );
    logger.setLogLevel('DEBUG');
    try {
      const res = await postCsv(csvOf([personal, { ...personal, identifier: newIdentifier(), birthDate: '31/02/2007' }]));
      expect(res.body).toMatchObject({ imported: 1, rejectedCount: 1 });
    } finally {
      logger.setLogLevel('ERROR');
      spies.forEach((s) => s.mockRestore());
    }
    expect(output).toContain('Admissions imported');
    for (const secret of [personal.identifier!, 'Zébulonnière', 'ZEBULONNIERE', '2007-09-23', '23/09/2007', 'zebulon.secret']) expect(output).not.toContain(secret);
  });
});
