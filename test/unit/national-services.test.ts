import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { httpCvecPort, httpInesPort } from '../../functions/adapters/national-services';
import { toKnownError } from '../../functions/shared/domain-errors';

/** The production adapters of the national CVEC and INES services, against a loopback server. */
interface Seen {
  method?: string;
  url?: string;
  apiKey?: string | string[];
}
let seen: Seen[] = [];
let answer: (req: IncomingMessage) => { status: number; body?: string } = () => ({ status: 500 });
let server: Server;
let base: string;

beforeAll(async () => {
  server = createServer((req, res) => {
    seen.push({ method: req.method, url: req.url, apiKey: req.headers['x-api-key'] });
    const { status, body } = answer(req);
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(body ?? '');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1`;
  process.env.NATIONAL_API_KEY = 'key-for-tests';
});
afterAll(async () => {
  delete process.env.NATIONAL_API_KEY;
  await new Promise<void>((r) => server.close(() => r()));
});
beforeEach(() => {
  seen = [];
});

async function codeOf(p: Promise<unknown>): Promise<string | undefined> {
  try {
    await p;
    return undefined;
  } catch (err) {
    // As the HTTP edge answers it.
    return toKnownError(err)?.code ?? `unexpected ${String(err)}`;
  }
}

describe('CVEC control API adapter', () => {
  it('asks by certificate number and surname key, with the API key, and reads the certificate', async () => {
    answer = () => ({ status: 200, body: JSON.stringify({ etat: 75, nom: 'MARTIN', prenom: 'Léa', dateNaissance: '2008-03-14' }) });
    const cert = await httpCvecPort(base).lookup('AMU6123456', 'MARTI');
    expect(cert).toEqual({ state: 75, lastName: 'MARTIN', firstName: 'Léa', birthDate: '2008-03-14' });
    expect(seen).toEqual([{ method: 'GET', url: '/api/v1/certificats/AMU6123456?nom=MARTI', apiKey: 'key-for-tests' }]);
  });

  it('an unknown certificate is "not found", not an error', async () => {
    answer = () => ({ status: 404 });
    expect(await httpCvecPort(base).lookup('AMU6000000', 'MARTI')).toBeUndefined();
  });

  it.each([
    ['a server error', () => ({ status: 503 })],
    ['an answer that is not JSON', () => ({ status: 200, body: '<html>maintenance</html>' })],
    ['an answer without a state', () => ({ status: 200, body: JSON.stringify({ nom: 'MARTIN' }) })],
  ])('%s is "unavailable, retry later", never a pass', async (_what, reply) => {
    answer = reply;
    expect(await codeOf(httpCvecPort(base).lookup('AMU6123456', 'MARTI'))).toBe('CVEC_UNAVAILABLE');
  });

  it('an unreachable service is "unavailable"', async () => {
    expect(await codeOf(httpCvecPort('http://127.0.0.1:9/').lookup('AMU6123456', 'MARTI'))).toBe('CVEC_UNAVAILABLE');
  });
});

describe('INES verification adapter', () => {
  it('confirms an INES for a birth date only when the service says valid', async () => {
    answer = (req) => ({ status: 200, body: JSON.stringify({ valide: req.url!.includes('dateNaissance=2004-07-21') }) });
    expect(await httpInesPort(base).verify('123456789AB', '2004-07-21')).toBe(true);
    expect(await httpInesPort(base).verify('123456789AB', '2004-07-22')).toBe(false);
    expect(seen[0]).toEqual({ method: 'GET', url: '/api/v1/ines/123456789AB?dateNaissance=2004-07-21', apiKey: 'key-for-tests' });
  });

  it('an unknown INES is not confirmed; a failing service is "unavailable"', async () => {
    answer = () => ({ status: 404 });
    expect(await httpInesPort(base).verify('123456789AB', '2004-07-21')).toBe(false);
    answer = () => ({ status: 500 });
    expect(await codeOf(httpInesPort(base).verify('123456789AB', '2004-07-21'))).toBe('INES_UNAVAILABLE');
  });
});
