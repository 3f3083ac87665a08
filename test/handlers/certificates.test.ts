import { login } from '../support/students';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { dossierAuditTrail, getDossier } from '../../functions/adapters/dynamo/dossiers';
import { VERIFY_POLICY } from '../../functions/domain/rate-limits';
import { handler as cancel } from '../../functions/admin/cancel-dossier';
import { handler as decideCorrection } from '../../functions/corrections/admin-decide';
import { handler as createCorrection } from '../../functions/corrections/create';
import { handler as officePayment } from '../../functions/admin/office-payment';
import { handler as reissue } from '../../functions/admin/reissue-certificates';
import { handler as verify } from '../../functions/public/verify';
import { handler as certificateJob } from '../../functions/events/certificates';
import { handler as list } from '../../functions/steps/certificates';
import { deliverCertificateEvents, downloadCertificate as download, enrollmentEventId, pdfText, reissueEventId, revocationEventId } from '../support/certificates';
import { httpEvent, invoke } from '../support/events';
import { asOperator, outboxJob, studentThroughWizard } from '../support/operators';

// Inside the June–July 2026 window (academic year 2026-2027).
const IN_WINDOW = new Date('2026-07-01T10:00:00Z');
beforeEach(() => {
  vi.useFakeTimers({ now: IN_WINDOW, toFake: ['Date'] });
});
afterEach(() => {
  vi.useRealTimers();
});

const ARTIFACTS = join(process.cwd(), 'test-artifacts');

/** An enrolled student (office payment) with an accented name, and the job run once. */
async function enrolledStudent() {
  const student = await studentThroughWizard({ scholarship: 'pending', submit: true, admission: { birthName: 'Lefèvre', firstNames: 'Éloïse Noëlle', programmeCode: 'L1-INFO' } });
  const paid = await asOperator(officePayment, { method: 'POST', id: student.dossier.id, body: { kind: 'paid', reference: 'QUITTANCE-2026-0042' } });
  expect(paid.body.status).toBe('enrolled');
  return student;
}

const listOf = (token: string) => invoke(list, httpEvent({ path: '/api/dossier/certificates', token }));

const verifyEvent = (code: string, sourceIp = '198.51.100.7', lang?: 'fr' | 'en') => {
  const e = httpEvent({ path: `/api/verify/${code}`, pathParameters: { code }, lang });
  return { ...e, requestContext: { ...e.requestContext, http: { ...e.requestContext.http, sourceIp } } };
};

describe('certificates of an enrolled student', () => {
  it('are issued once on enrollment, in FR and EN, as PDFs that say who, what, how much and the code', async () => {
    const { token, dossier } = await enrolledStudent();
    // Nothing until the job ran.
    expect((await listOf(token)).body.items).toEqual([]);

    expect(await deliverCertificateEvents([enrollmentEventId(dossier.id)])).toEqual({ batchItemFailures: [] });
    const first = await listOf(token);
    expect(first.statusCode).toBe(200);
    expect(first.body.items.map((i: { kind: string }) => i.kind).sort()).toEqual(['enrollment', 'payment']);
    const codes = Object.fromEntries(first.body.items.map((i: { kind: string; verificationCode: string }) => [i.kind, i.verificationCode]));
    expect(codes.enrollment).not.toBe(codes.payment);

    // A replayed stream record, and five concurrent deliveries, issue nothing new.
    await deliverCertificateEvents([enrollmentEventId(dossier.id)]);
    await Promise.all(Array.from({ length: 5 }, () => deliverCertificateEvents([enrollmentEventId(dossier.id)])));
    expect((await listOf(token)).body.items).toEqual(first.body.items);

    mkdirSync(ARTIFACTS, { recursive: true });
    const receipt = await download(token, 'payment', 'fr');
    expect(receipt.statusCode).toBe(200);
    expect(receipt.headers['content-type']).toBe('application/pdf');
    expect(receipt.headers['content-disposition']).toContain('attestation-de-paiement-2026-2027.pdf');
    expect(receipt.pdf!.subarray(0, 5).toString()).toBe('%PDF-');
    expect(receipt.pdf!.length).toBeLessThanOrEqual(200 * 1024);
    // Page 1 as an image, for a person to look at.
    writeFileSync(join(ARTIFACTS, 'certificate-payment-fr.pdf'), receipt.pdf!);
    execFileSync('pdftoppm', ['-png', '-r', '80', '-f', '1', '-l', '1', '-singlefile', join(ARTIFACTS, 'certificate-payment-fr.pdf'), join(ARTIFACTS, 'certificate-payment-fr')]);
    expect(readFileSync(join(ARTIFACTS, 'certificate-payment-fr.png')).subarray(1, 4).toString()).toBe('PNG');

    const text = pdfText(receipt.pdf!);
    // The dossier keeps the first given name (functions/domain/admission.ts).
    expect(text).toContain('Éloïse');
    expect(text).toContain('LEFÈVRE');
    expect(text).toContain('Licence 1 Informatique');
    expect(text).toContain('178,00 €');
    expect(text).toContain('QUITTANCE-2026-0042');
    expect(text).toContain(codes.payment);
    expect(text).toContain(`/verifier/${codes.payment}`);

    const enrollmentEn = await download(token, 'enrollment', 'en');
    expect(enrollmentEn.pdf!.length).toBeLessThanOrEqual(200 * 1024);
    const en = pdfText(enrollmentEn.pdf!);
    expect(en).toContain('Certificate of enrollment');
    expect(en).toContain('Bachelor year 1, Computer Science');
    expect(en).toContain('14 March 2008');
    expect(en).toContain(codes.enrollment);

    // Verification: the holder as "É. LEFÈVRE", never the birth date nor the INE; cached briefly.
    const verified = await invoke(verify, verifyEvent(codes.payment.toLowerCase().replace(/-/g, '')));
    expect(verified.statusCode).toBe(200);
    expect(verified.body).toEqual({
      valid: true,
      kind: 'payment',
      academicYear: '2026-2027',
      programme: 'Licence 1 Informatique',
      programmeCode: 'L1-INFO',
      holder: 'É. LEFÈVRE',
      issuedAt: expect.any(String),
      revokedAt: null,
    });
    expect(verified.headers['cache-control']).toMatch(/^public, max-age=\d+$/);
    const body = JSON.stringify(verified.body);
    expect(body).not.toContain('2008-03-14');
    expect(body).not.toContain('1234567890V');
  });

  it('the synthesis mail links to the page offering the downloads', async () => {
    const { dossier } = await enrolledStudent();
    const job = (await outboxJob(`synthesis#${dossier.id}`)) as { certificatesUrl?: string } | undefined;
    expect(job?.certificatesUrl).toBe('http://localhost:3000/termine');
  });

  it('are revoked when the enrollment is cancelled: the verification says so, the student cannot download them', async () => {
    const { token, dossier, admission } = await enrolledStudent();
    await deliverCertificateEvents([enrollmentEventId(dossier.id)]);
    const [one] = (await listOf(token)).body.items as { verificationCode: string }[];

    const cancelled = await asOperator(cancel, { method: 'POST', id: dossier.id, body: { reason: 'Inscription en double' } });
    expect(cancelled.body.status).toBe('cancelled');
    await deliverCertificateEvents([revocationEventId(dossier.id)]);

    const verified = await invoke(verify, verifyEvent(one!.verificationCode, '198.51.100.8', 'en'));
    expect(verified.statusCode).toBe(200);
    expect(verified.body).toMatchObject({ valid: false, revokedAt: expect.any(String), programme: 'Bachelor year 1, Computer Science' });
    // The cancellation ended the student's session; signed in again, they cannot download them.
    expect((await download(token, 'enrollment', 'fr')).statusCode).toBe(401);
    const again = (await login(admission.identifier, admission.birthDate)).body.token as string;
    expect((await download(again, 'enrollment', 'fr')).statusCode).toBe(404);
    // An issue arriving after the cancellation issues nothing.
    await deliverCertificateEvents([enrollmentEventId(dossier.id)]);
    expect((await listOf(again)).body.items.every((i: { revokedAt?: string }) => i.revokedAt)).toBe(true);
  });

  it('an operator re-issue gives new codes, revokes the old ones, and is audited', async () => {
    const { token, dossier } = await enrolledStudent();
    await deliverCertificateEvents([enrollmentEventId(dossier.id)]);
    const before = (await listOf(token)).body.items as { kind: string; verificationCode: string }[];

    const version = (await getDossier(dossier.id))!.version;
    const res = await asOperator(reissue, { method: 'POST', id: dossier.id, body: { reason: 'Certificat perdu' } });
    expect(res.statusCode).toBe(202);
    // The version moves on: a payment in flight retries, and its receipt's issue comes after this one.
    expect((await getDossier(dossier.id))!.version).toBe(version + 1);
    await deliverCertificateEvents([res.body.eventId]);
    const after = (await listOf(token)).body.items as { kind: string; verificationCode: string; revokedAt?: string }[];
    expect(after).toHaveLength(2);
    for (const old of before) {
      expect(after.map((a) => a.verificationCode)).not.toContain(old.verificationCode);
      expect((await invoke(verify, verifyEvent(old.verificationCode, '198.51.100.9'))).body).toMatchObject({ valid: false });
    }
    expect(after.every((a) => !a.revokedAt)).toBe(true);
    expect((await dossierAuditTrail(dossier.id)).find((e) => e.action === 'certificates.reissue')).toMatchObject({ reason: 'Certificat perdu' });
  });

  it('an accepted civil-status correction re-issues them with new codes under the corrected name', async () => {
    const { token, dossier } = await enrolledStudent();
    await deliverCertificateEvents([enrollmentEventId(dossier.id)]);
    const [old] = (await listOf(token)).body.items as { verificationCode: string }[];
    const asked = await invoke(
      createCorrection,
      httpEvent({ method: 'POST', path: '/api/dossier/corrections', token, body: { field: 'birthName', proposedValue: 'Lefèvre-Durand', message: 'Nom composé oublié' } }),
    );
    expect(asked.statusCode).toBe(201);
    const accepted = await asOperator(decideCorrection, { method: 'POST', id: asked.body.id, body: { decision: 'accept' } });
    expect(accepted.statusCode).toBe(200);

    await deliverCertificateEvents([reissueEventId(dossier.id, 1)]);
    const items = (await listOf(token)).body.items as { kind: string; verificationCode: string }[];
    expect(items.map((i) => i.verificationCode)).not.toContain(old!.verificationCode);
    expect((await invoke(verify, verifyEvent(old!.verificationCode, '198.51.100.10'))).body).toMatchObject({ valid: false });
    const fresh = await invoke(verify, verifyEvent(items[0]!.verificationCode, '198.51.100.10'));
    expect(fresh.body).toMatchObject({ valid: true, holder: 'É. LEFÈVRE-DURAND' });
    expect(pdfText((await download(token, 'enrollment', 'fr')).pdf!)).toContain('LEFÈVRE-DURAND');
  });

  it('a certificate event the job cannot read is reported for a retry, never skipped; other items pass by', async () => {
    const image = (type: string, body: unknown) => ({ type: { S: type }, body: { S: JSON.stringify(body) } });
    const record = (n: number, newImage: ReturnType<typeof image>) => ({ eventName: 'INSERT' as const, dynamodb: { SequenceNumber: String(n), NewImage: newImage } });
    const unknownCause = { eventId: 'certificates#x#issue#9', action: 'issue', dossierId: 'x', sequence: 9, cause: 'from_a_newer_version' };
    expect(await certificateJob({ Records: [record(1, image('outbox', {})), record(2, image('certificate_event', unknownCause)), record(3, image('outbox', {}))] })).toEqual({
      batchItemFailures: [{ itemIdentifier: '2' }],
    });
    expect(await certificateJob({ Records: [record(4, image('outbox', {}))] })).toEqual({ batchItemFailures: [] });
  });

  it('no re-issue for a dossier that is not enrolled', async () => {
    const { dossier } = await studentThroughWizard({ scholarship: 'pending', submit: true });
    const res = await asOperator(reissue, { method: 'POST', id: dossier.id, body: { reason: 'Certificat perdu' } });
    expect(res.statusCode).toBe(409);
    expect(res.body.error.code).toBe('CERTIFICATES_NOT_AVAILABLE');
  });

  it('a download names a bad kind or language', async () => {
    const { token } = await enrolledStudent();
    const res = await download(token, 'diploma', 'de');
    expect(res.statusCode).toBe(422);
    expect(Object.keys(JSON.parse(res.body).error.fields).sort()).toEqual(['kind', 'lang']);
  });
});

describe('GET /api/verify/{code}', () => {
  it('an unknown code → 404 CERTIFICATE_NOT_FOUND, in the caller’s language', async () => {
    const res = await invoke(verify, verifyEvent('ABCDE-FGHJK-MNPQR-STUVW', '203.0.113.1', 'en'));
    expect(res.statusCode).toBe(404);
    expect(res.body.error.code).toBe('CERTIFICATE_NOT_FOUND');
    expect(res.body.error.message).toMatch(/No certificate/);
  });

  it('fuzzed codes never get a 5xx', async () => {
    let n = 0;
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.string({ maxLength: 80 }), fc.stringMatching(/^[2-9A-Z-]{0,30}$/), fc.string({ unit: 'grapheme', maxLength: 40 })), async (code) => {
        const res = await invoke(verify, verifyEvent(code, `203.0.113.${(n++ % 200) + 2}`));
        expect([404]).toContain(res.statusCode);
      }),
      { numRuns: 150 },
    );
  });

  it('is rate-limited per address (429 with Retry-After), other addresses unaffected', async () => {
    const ip = '192.0.2.44';
    // The cap is per calendar minute: start early in one, so that every request falls in it.
    const intoMinute = Date.now() % 60_000;
    if (intoMinute > 45_000) await new Promise((r) => setTimeout(r, 60_000 - intoMinute + 100));
    const statuses: number[] = [];
    for (let i = 0; i < VERIFY_POLICY.perAddressPerMinute; i++) statuses.push((await invoke(verify, verifyEvent('ABCDE-FGHJK-MNPQR-STUVW', ip))).statusCode);
    expect(statuses.every((s) => s === 404)).toBe(true);
    const limited = await invoke(verify, verifyEvent('ABCDE-FGHJK-MNPQR-STUVW', ip));
    expect(limited.statusCode).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect((await invoke(verify, verifyEvent('ABCDE-FGHJK-MNPQR-STUVW', '192.0.2.45'))).statusCode).toBe(404);
  });
});
