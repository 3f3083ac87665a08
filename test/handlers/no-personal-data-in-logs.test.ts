import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { putCvecFixture } from '../../functions/adapters/dynamo/dev-fixtures';
import { logger } from '../../functions/shared/logger';
import { handler as cvec } from '../../functions/steps/cvec';
import { handler as identity } from '../../functions/steps/identity';
import { handler as ine } from '../../functions/steps/ine';
import { handler as programme } from '../../functions/steps/programme';
import { handler as situation } from '../../functions/steps/situation';
import { handler as submit } from '../../functions/steps/submit';
import { httpEvent, invoke } from '../support/events';
import { admitStudent, login } from '../support/students';

/** Runs a whole journey (and its refusals) at DEBUG level and reads every line written. */
const PERSONAL = {
  identifier: 'P265550123',
  birthDate: '2007-09-23',
  lastName: 'Zébulonnière',
  email: 'zebulon.secret@example.org',
  phone: '+33699887766',
  line1: '77 rue des Secrets',
  ine: '1234567890V',
  cvec: 'AMU6777888',
};

let output = '';
const writes: ReturnType<typeof vi.spyOn>[] = [];

beforeAll(() => {
  vi.useFakeTimers({ now: new Date('2026-07-01T10:00:00Z'), toFake: ['Date'] });
  logger.setLogLevel('DEBUG');
  for (const stream of [process.stdout, process.stderr]) {
    const original = stream.write.bind(stream);
    writes.push(
      vi.spyOn(stream, 'write').mockImplementation(((chunk: string | Uint8Array, ...rest: unknown[]) => {
        output += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
        return (original as (...a: unknown[]) => boolean)(chunk, ...rest);
      }) as typeof stream.write),
    );
  }
});
afterAll(() => {
  writes.forEach((w) => w.mockRestore());
  logger.setLogLevel('ERROR');
  vi.useRealTimers();
});

describe('logs', () => {
  it('carry no birth date, INE, address, e-mail, phone, name or identifier', async () => {
    await admitStudent({ identifier: PERSONAL.identifier, birthDate: PERSONAL.birthDate, birthName: PERSONAL.lastName, email: PERSONAL.email });
    expect((await login(PERSONAL.identifier, '2000-01-01')).statusCode).toBe(401);
    const session = await login(PERSONAL.identifier, PERSONAL.birthDate);
    const token = session.body.token as string;
    const put = (h: typeof identity, body: unknown) => invoke(h, httpEvent({ method: 'PUT', token, body }));
    expect((await put(identity, { email: 'broken', phone: PERSONAL.phone, address: { line1: PERSONAL.line1, postalCode: '1', city: 'X', country: 'FR' } })).statusCode).toBe(422);
    expect((await put(identity, { email: PERSONAL.email, phone: PERSONAL.phone, address: { line1: PERSONAL.line1, postalCode: '13003', city: 'Marseille', country: 'FR' } })).statusCode).toBe(200);
    expect((await put(ine, { ine: '1234567890A' })).statusCode).toBe(422);
    expect((await put(ine, { ine: PERSONAL.ine })).statusCode).toBe(200);
    expect((await put(situation, { regime: 'formation_initiale', scholarship: 'none' })).statusCode).toBe(200);
    await putCvecFixture({ certificateNumber: PERSONAL.cvec, lastName: PERSONAL.lastName, firstName: 'Zoé', birthDate: PERSONAL.birthDate, state: 75 });
    expect((await put(cvec, { certificateNumber: PERSONAL.cvec })).statusCode).toBe(200);
    expect((await put(programme, { programmeCode: 'L1-INFO' })).statusCode).toBe(200);
    expect((await invoke(submit, httpEvent({ method: 'POST', token }))).statusCode).toBe(200);

    expect(output).toContain('Dossier submitted'); // the capture works
    for (const [what, value] of Object.entries(PERSONAL)) {
      expect(output.includes(value), `${what} found in logs`).toBe(false);
    }
    expect(output).not.toMatch(/2007-09-23|Zébulonnière/i);
  });
});
