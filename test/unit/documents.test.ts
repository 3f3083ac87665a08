import { describe, expect, it } from 'vitest';
import { documents as rules } from '../../config/catalogue';
import { beginCheck, compareSequencers, completeCheck, parseObjectKey, objectKey, withKeyToken } from '../../functions/domain/documents';
import { inspectFile } from '../../functions/domain/file-check';
import { newDossier } from '../../functions/domain/dossier';
import { pdf, png } from '../support/files';

const dossier = () =>
  newDossier({
    id: '0b5c1d8e-1111-4222-8333-944455556666',
    identifier: 'P261234567',
    academicYear: '2026-2027',
    student: { lastName: 'MARTIN', firstName: 'Léa', birthDate: '2008-03-14' },
    programmeCode: 'L1-INFO',
    level: 'licence',
    now: '2026-07-01T10:00:00Z',
    feesByYear: { '2026-2027': { licence: 17800, master: 0, doctorat: 0, ingenieur: 0 } },
  });

describe('inspectFile', () => {
  it('accepts complete files whose bytes match the declared type', () => {
    expect(inspectFile(pdf(), 'application/pdf', 'identity', rules)).toEqual({ ok: true });
    expect(inspectFile(png(300, 400), 'image/png', 'photo', rules)).toEqual({ ok: true });
  });
  it('rejects empty, mismatched, truncated and small files with their reason', () => {
    expect(inspectFile(new Uint8Array(0), 'application/pdf', 'identity', rules)).toEqual({ ok: false, reason: 'file_empty' });
    expect(inspectFile(Buffer.from('<html>'), 'application/pdf', 'identity', rules)).toEqual({ ok: false, reason: 'file_type_mismatch' });
    expect(inspectFile(pdf(), 'image/png', 'identity', rules)).toEqual({ ok: false, reason: 'file_type_mismatch' });
    expect(inspectFile(png(400, 400).subarray(0, 60), 'image/png', 'identity', rules)).toEqual({ ok: false, reason: 'file_truncated' });
    expect(inspectFile(Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0]), 'image/jpeg', 'photo', rules)).toEqual({ ok: false, reason: 'file_truncated' });
    expect(inspectFile(png(400, 399), 'image/png', 'photo', rules)).toEqual({ ok: false, reason: 'photo_too_small' });
  });
});

describe('uploads racing', () => {
  it('compares sequencers as S3 says (right-padded hexadecimal)', () => {
    expect(compareSequencers('0A', '0B')).toBeLessThan(0);
    expect(compareSequencers('0A1', '0A')).toBeGreaterThan(0);
    expect(compareSequencers('0a', '0A')).toBe(0);
  });
  it('records only an upload later than the known one, and its check only while it is current', () => {
    const d = withKeyToken(dossier(), 'identity', 'tokentokentokentoken');
    const e = (sequencer: string) => ({ kind: 'identity', token: 'tokentokentokentoken', sequencer, eTag: sequencer, size: 10, at: '2026-07-01T10:00:00Z' });
    const later = beginCheck(d, e('0002'));
    expect(beginCheck(later, e('0001'))).toBe(later);
    expect(completeCheck(later, 'identity', '0001', { ok: true }, 'x')).toBe(later);
    expect(completeCheck(later, 'identity', '0002', { ok: true }, 'x').documents!.identity!.status).toBe('to_review');
    expect(beginCheck(d, { ...e('0003'), token: 'another-token-xxxxxxx' })).toBe(d);
  });
  it('keys name the dossier and kind, then an unguessable token', () => {
    const key = objectKey('0b5c1d8e-1111-4222-8333-944455556666', 'photo', 'A'.repeat(24));
    expect(parseObjectKey(key)).toEqual({ dossierId: '0b5c1d8e-1111-4222-8333-944455556666', kind: 'photo', token: 'A'.repeat(24) });
    expect(parseObjectKey('documents/../x')).toBeUndefined();
  });
});
