import { spawn } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { DossierStatus } from '../../functions/domain/dossier';
import { academicYearAt } from '../../functions/domain/windows';
import { routes } from '../../functions/routes';
import { LOCAL_ADMIN_USERNAME } from '../../scripts/local/gateway';
import { completeSignIn } from '../../scripts/local/oidc';
import { repoRoot, startLocal, type LocalRuntime } from '../../scripts/local/runtime';
import { run } from '../../scripts/ops';
import { eventually } from '../support/eventually';

let rt: LocalRuntime;
let dir: string;
const ADMIN = 'ops-cli-admin-token-0123456789abcdef';
const YEAR = academicYearAt(new Date(), 'Europe/Paris');

beforeAll(async () => {
  // Operators sign in to the provider the tests' global setup started.
  rt = await startLocal({ port: 0, adminToken: ADMIN, oidc: inject('oidc') });
  dir = mkdtempSync(join(tmpdir(), 'inscrire-ops-'));
});
afterAll(async () => {
  await rt?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Runs `npm run ops -- …` in this process, against the local runtime. */
async function ops(...argv: string[]) {
  let out = '';
  let err = '';
  const code = await run(argv, {
    stdout: { write: (s: string) => (out += s) },
    stderr: { write: (s: string) => (err += s), isTTY: false },
    env: { INSCRIRE_URL: rt.url, INSCRIRE_ADMIN_TOKEN: ADMIN },
  });
  return { code, out, err };
}

const api = (path: string, init: { method?: string; token?: string; body?: unknown } = {}) =>
  fetch(`${rt.url}${path}`, {
    method: init.method ?? 'GET',
    headers: { 'content-type': 'application/json', ...(init.token ? { authorization: `Bearer ${init.token}` } : {}) },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });

const newIdentifier = () => `P26${String(randomInt(0, 10_000_000)).padStart(7, '0')}`;

/** What a French spreadsheet writes: BOM, French headers, semicolons, CRLF. */
function csvFile(name: string, rows: { identifier: string; birthName: string; firstNames: string; birthDate: string; email: string; programme?: string }[]) {
  const header = 'Identifiant;Origine;Nom de naissance;Nom d’usage;Prénoms;Sexe;Date de naissance;Lieu de naissance;Pays de naissance;Nationalité;Courriel;Code formation;Année universitaire';
  const lines = rows.map((r) => [r.identifier, 'parcoursup', r.birthName, '', r.firstNames, 'F', r.birthDate, 'Toulon', 'FR', 'française', r.email, r.programme ?? 'L1-INFO', YEAR].join(';'));
  const file = join(dir, name);
  writeFileSync(file, `\uFEFF${[header, ...lines].join('\r\n')}\r\n`);
  return file;
}

describe('admin routes on the local gateway', () => {
  const adminRoutes = routes.filter((r) => r.auth === 'admin');

  it('covers every admin route of API.md', () => {
    expect(adminRoutes.map((r) => `${r.method} ${r.path}`).sort()).toEqual(
      [
        'GET /api/admin/service',
        'PUT /api/admin/service',
        'POST /api/admin/admissions',
        'GET /api/admin/dossiers',
        'GET /api/admin/dossiers/{id}',
        'POST /api/admin/dossiers/{id}/provisional-ine',
        'POST /api/admin/dossiers/{id}/office-payment',
        'POST /api/admin/dossiers/{id}/cancel',
        'POST /api/admin/dossiers/{id}/resend-mail',
        'GET /api/admin/support-requests',
        'POST /api/admin/support-requests/{id}/handled',
        'GET /api/admin/stats',
        'GET /api/admin/documents',
        'POST /api/admin/dossiers/{id}/certificates/reissue',
        'GET /api/admin/dossiers/{id}/documents/{kind}/file',
        'POST /api/admin/dossiers/{id}/documents/{kind}/review',
        'GET /api/admin/corrections',
        'POST /api/admin/corrections/{id}',
        'POST /api/admin/dossiers/{id}/scholarship',
        'GET /api/admin/payment-anomalies',
        'POST /api/admin/dossiers/{id}/refund',
        'GET /api/admin/instalments/overdue',
      ].sort(),
    );
  });

  it.each(adminRoutes.map((r) => [`${r.method} ${r.path}`, r] as const))('%s: 401 without a token or with one the authorizer refuses (as API Gateway)', async (_name, route) => {
    const path = route.path.replace('{id}', '00000000-0000-4000-8000-000000000000');
    const none = await api(path, { method: route.method, body: route.method === 'GET' ? undefined : {} });
    expect(none.status).toBe(401);
    expect(await none.json()).toEqual({ message: 'Unauthorized' });
    const wrong = await api(path, { method: route.method, token: 'not-the-admin-token', body: route.method === 'GET' ? undefined : {} });
    expect(wrong.status).toBe(401);
  });
});

describe('npm run ops, against the local runtime', () => {
  it('imports a CSV, closes and reopens the service, finds the scholarship-pending student, records the office payment: enrolled, mailed, audited', async () => {
    const student = { identifier: newIdentifier(), birthName: 'Benali', firstNames: 'Yasmine', birthDate: '05/12/2007', email: `yasmine.${randomInt(1e6)}@example.org` };
    const file = csvFile('admissions.csv', [student, { identifier: newIdentifier(), birthName: 'Rousseau', firstNames: 'Claire', birthDate: '30/05/1985', email: 'claire@example.org' }]);

    // 1. Import.
    const imported = await ops('import', file);
    expect(imported).toMatchObject({ code: 0 });
    expect(imported.out).toContain('2 ligne(s) : 2 importée(s), 0 mise(s) à jour');
    expect(imported.err).toMatch(/Import \[█+\] 2\/2 lignes/);

    // 2. Force closed, then open again: students get 503, then can log in.
    const login = () => api('/api/session', { method: 'POST', body: { identifier: student.identifier, birthDate: '2007-12-05' } });
    expect((await ops('close', '--reason', 'Maintenance de la base')).code).toBe(0);
    expect((await eventually(login, (r) => r.status === 503)).status).toBe(503);
    const opened = await ops('open', '--reason', 'Fin de la maintenance');
    expect(opened).toMatchObject({ code: 0, out: expect.stringContaining('OUVERT') });
    const session = await eventually(login, (r) => r.status === 201);
    expect(session.status).toBe(201);

    // 3. The student declares a pending scholarship and submits: to pay at the scolarité desk.
    const { token } = (await session.json()) as { token: string };
    const step = async (path: string, body: unknown) => {
      const res = await api(path, { method: 'PUT', token, body });
      expect(res.status, `${path}: ${await res.clone().text()}`).toBe(200);
    };
    await step('/api/dossier/identity', { email: student.email, phone: '06 12 34 56 78', address: { line1: '1 rue de la République', postalCode: '83000', city: 'Toulon', country: 'FR' } });
    await step('/api/dossier/ine', { ine: '1234567890V' });
    await step('/api/dossier/situation', { regime: 'formation_initiale', scholarship: 'pending' });
    const certificate = `NIC${YEAR.slice(3, 4)}${String(randomInt(1e6)).padStart(6, '0')}`;
    expect((await api('/dev/cvec', { method: 'POST', body: { certificateNumber: certificate, lastName: 'BENALI', firstName: 'Yasmine', birthDate: '2007-12-05', state: 71 } })).status).toBe(201);
    await step('/api/dossier/cvec', { certificateNumber: certificate });
    await step('/api/dossier/programme', { programmeCode: 'L1-INFO' });
    const submitted = await api('/api/dossier/submit', { method: 'POST', token });
    expect(((await submitted.json()) as { status: string }).status).toBe('pay_at_office');

    // 4. The operator finds the students waiting at the desk.
    const found = await ops('find', '--status', 'pay_at_office');
    expect(found.code).toBe(0);
    expect(found.out).toMatch(new RegExp(`${student.identifier}\\s+Benali\\s+Yasmine\\s+L1-INFO\\s+à payer en scolarité\\s+pending`));

    // 5. Office payment, by the student's identifier.
    const paid = await ops('office-payment', student.identifier, '--reference', 'QUITTANCE-2026-0007');
    expect(paid).toMatchObject({ code: 0, out: expect.stringContaining(': inscrit (paiement en scolarité, réf. QUITTANCE-2026-0007)') });

    // 6. Enrolled, with the office payment in the trail.
    const shown = await ops('show', student.identifier, '--json');
    const dossier = JSON.parse(shown.out);
    expect(dossier).toMatchObject({ status: 'enrolled', payment: { status: 'paid', method: 'office', reference: 'QUITTANCE-2026-0007' }, admission: { importedBy: LOCAL_ADMIN_USERNAME } });
    expect(dossier.audit).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          subject: 'dossier',
          actor: LOCAL_ADMIN_USERNAME,
          action: 'dossier.office_payment',
          before: expect.objectContaining({ status: 'pay_at_office' }),
          after: expect.objectContaining({ status: 'enrolled' }),
        }),
        // The money movement, audited in the same write.
        expect.objectContaining({ actor: LOCAL_ADMIN_USERNAME, action: 'money.payment.succeeded', after: expect.objectContaining({ reference: 'QUITTANCE-2026-0007', method: 'office' }) }),
      ]),
    );
    expect(dossier.audit).toHaveLength(2);
    const human = await ops('show', student.identifier);
    expect(human.out).toContain('Statut        inscrit');
    expect(human.out).toMatch(/dossier\.office_payment \(à payer en scolarité → inscrit\)\s+par admin-local — « paid QUITTANCE-2026-0007 »/);
    expect(human.out).toContain('importée le');

    // 7. The synthesis mail reached the local mail capture.
    const mails = await eventually(
      async () => ((await (await api('/dev/mail?format=json')).json()) as { items: { to: string[]; subject: string }[] }).items.filter((m) => m.to.includes(student.email)),
      (m) => m.some((x) => x.subject.startsWith(`Votre inscription administrative ${YEAR} est validée`)),
      30_000,
    );
    expect(mails.map((m) => m.subject)).toEqual(expect.arrayContaining([expect.stringMatching(/^Votre inscription administrative .* est validée — Licence 1 Informatique$/)]));

    // 8. The service's trail holds the closing and the reopening, by the operator, with their reasons.
    const status = JSON.parse((await ops('status', '--json')).out);
    expect(status.audit).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ actor: LOCAL_ADMIN_USERNAME, action: 'service.closed', reason: 'Maintenance de la base' }),
        expect.objectContaining({ actor: LOCAL_ADMIN_USERNAME, action: 'service.open', reason: 'Fin de la maintenance' }),
      ]),
    );
    expect((await ops('status')).out).toMatch(/Service\s+OUVERT \(forcé ouvert par admin-local/);
  }, 120_000);

  it('imports in parts with a progress bar, and lists rejected lines numbered as in the whole file (exit 1)', async () => {
    const ok = () => ({ identifier: newIdentifier(), birthName: 'Martin', firstNames: 'Léa', birthDate: '14/03/2008', email: 'lea@example.org' });
    const file = csvFile('with-errors.csv', [ok(), ok(), ok(), { ...ok(), birthDate: '31/02/2008' }, ok(), { ...ok(), programme: 'L1-ASTRO' }]);

    const res = await ops('import', file, '--batch', '2');

    expect(res.code).toBe(1);
    expect(res.err.trim().split('\n')).toHaveLength(3);
    expect(res.out).toContain('6 ligne(s) : 4 importée(s), 0 mise(s) à jour (dont 0 inchangée(s)), 2 rejetée(s).');
    expect(res.out).toMatch(/ligne +5 +P26\d{7} +Date de naissance\s: Cette date n’existe pas/);
    expect(res.out).toMatch(/ligne +7 +P26\d{7} +Code formation\s: Ce code de formation n’existe pas/);
  });

  it('provisional INE, cancel and resend, by identifier; refusals exit 1 with the API’s reason', async () => {
    const identifier = newIdentifier();
    expect((await ops('import', csvFile('one.csv', [{ identifier, birthName: 'Garcia', firstNames: 'Hugo', birthDate: '21/07/2004', email: 'hugo@example.org' }]))).code).toBe(0);
    const notYet = await ops('ine', identifier);
    expect(notYet).toMatchObject({ code: 1, err: expect.stringContaining('jamais connecté') });

    expect((await api('/api/session', { method: 'POST', body: { identifier, birthDate: '2004-07-21' } })).status).toBe(201);
    const ine = await ops('ine', identifier);
    expect(ine).toMatchObject({ code: 0, out: expect.stringMatching(/INE provisoire du dossier [0-9a-f-]{36} : \d{4}D\d{5}[A-Z]\./) });
    // The operator finds the dossier by that INE, typed in lower case.
    const provisional = /(\d{4}D\d{5}[A-Z])\./.exec(ine.out)![1]!;
    expect((await ops('find', provisional.toLowerCase())).out).toContain(identifier);
    const resend = await ops('resend', identifier);
    expect(resend).toMatchObject({ code: 1, err: expect.stringContaining("Le mail de synthèse n'existe que pour un dossier inscrit (statut actuel : brouillon). [MAIL_NOT_AVAILABLE]") });
    expect((await ops('cancel', identifier, '--reason', 'Doublon')).code).toBe(0);
    expect(await ops('cancel', identifier, '--reason', 'Encore')).toMatchObject({ code: 1, err: expect.stringContaining('déjà annulé') });
    expect((await ops('find', identifier)).out).toContain('annulé');
  });

  it('lists every dossier status in its help, as the API knows them', async () => {
    const help = await ops('--help');
    expect(help.code).toBe(0);
    const listed = help.out.slice(help.out.indexOf('Statuts (--status)')).split('\n\n')[0]!;
    for (const status of DossierStatus.options) expect(listed).toMatch(new RegExp(`\\b${status}\\b`));
  });

  it('answers usage errors with 2 and access problems with 3, in French', async () => {
    expect(await ops('open')).toMatchObject({ code: 2, err: expect.stringContaining('Indiquez la raison') });
    expect(await ops('frobnicate')).toMatchObject({ code: 2, err: expect.stringContaining('Commande inconnue') });
    expect(await ops('find', '--limit', '0', 'x')).toMatchObject({ code: 2 });
    expect(await ops('status', '--token', 'not-the-admin-token')).toMatchObject({ code: 3, err: expect.stringContaining('Accès refusé (401)') });
    expect(await ops('status', '--url', 'http://127.0.0.1:9')).toMatchObject({ code: 3, err: expect.stringContaining('Impossible de joindre') });
  });

  it('ends the process with its exit code', async () => {
    const exit = await new Promise<number | null>((resolve) => {
      const child = spawn(process.execPath, ['--import', 'tsx', join(repoRoot, 'scripts/ops.ts'), 'status', '--url', rt.url, '--token', 'wrong-token'], { cwd: repoRoot, stdio: 'ignore' });
      child.on('exit', resolve);
    });
    expect(exit).toBe(3);
  }, 60_000);
});

describe('npm run ops -- login, against the local OpenID Connect provider', () => {
  let config: string;
  beforeAll(() => {
    config = mkdtempSync(join(tmpdir(), 'inscrire-ops-config-'));
  });
  afterAll(() => rmSync(config, { recursive: true, force: true }));

  /** The CLI as an operator runs it: no admin token, tokens cached under XDG_CONFIG_HOME. */
  async function signedInOps(env: Record<string, string>, ...argv: string[]) {
    let out = '';
    let err = '';
    const code = await run(argv, {
      stdout: { write: (s: string) => (out += s) },
      stderr: { write: (s: string) => (err += s), isTTY: false },
      env: { INSCRIRE_URL: rt.url, XDG_CONFIG_HOME: config, ...env },
      // What the person does in the browser: the provider's login form, then the redirect to the CLI's loopback.
      openUrl: (url) => void signInAs(url),
    });
    return { code, out, err };
  }
  let account = { username: 'agent', password: 'agent-demo' };
  let browser: Promise<void> = Promise.resolve();
  const signInAs = (url: string) => {
    browser = (async () => {
      const back = await completeSignIn(url, account.username, account.password);
      expect(back.hostname).toBe('localhost');
      expect((await fetch(back)).status).toBe(200);
    })();
    return browser;
  };
  const cacheFile = () => join(config, 'inscrire', 'tokens.json');
  const cached = () => Object.values(JSON.parse(readFileSync(cacheFile(), 'utf8')) as Record<string, { accessToken: string; refreshToken?: string; expiresAt: number }>)[0]!;

  it('signs an agent in (authorization code + PKCE, loopback redirect), caches the tokens 0600, and an agent may read but not switch the service', async () => {
    account = { username: 'agent', password: 'agent-demo' };
    const login = await signedInOps({}, 'login', '--port', '0');
    await browser;
    expect(login).toMatchObject({ code: 0, out: expect.stringContaining('Connecté(e) : agent (rôles : operator)') });
    expect(login.err).toContain('/auth?');
    expect(login.err).toContain('code_challenge_method=S256');
    expect(statSync(cacheFile()).mode & 0o777).toBe(0o600);
    expect(cached()).toMatchObject({ accessToken: expect.any(String), refreshToken: expect.any(String) });

    expect(await signedInOps({}, 'status')).toMatchObject({ code: 0 });
    const close = await signedInOps({}, 'close', '--reason', 'Essai agent');
    expect(close).toMatchObject({ code: 3, err: expect.stringContaining('Accès refusé (403)') });
    expect(close.err).toContain('« supervisor »');
  });

  it('refreshes an access token near its expiry with the refresh token', async () => {
    const before = cached();
    writeFileSync(cacheFile(), JSON.stringify({ [`${rt.oidc.issuer} ${rt.oidc.consoleClientId}`]: { ...before, expiresAt: Math.floor(Date.now() / 1000) - 1 } }), { mode: 0o600 });
    expect(await signedInOps({}, 'status')).toMatchObject({ code: 0 });
    const after = cached();
    expect(after.accessToken).not.toBe(before.accessToken);
    expect(after.expiresAt).toBeGreaterThan(Date.now() / 1000);
  });

  it('a supervisor signed in switches the service; the audit names them', async () => {
    account = { username: 'responsable', password: 'responsable-demo' };
    expect(await signedInOps({}, 'login', '--port', '0')).toMatchObject({ code: 0, out: expect.stringContaining('responsable (rôles : supervisor)') });
    await browser;
    expect((await signedInOps({}, 'close', '--reason', 'Essai responsable')).code).toBe(0);
    expect((await signedInOps({}, 'calendar')).code).toBe(0);
    const status = await signedInOps({}, 'status', '--json');
    expect(status.out).toContain('responsable');
  });

  it('logout forgets the tokens; a wrong password never reaches the CLI', async () => {
    expect((await signedInOps({}, 'logout')).code).toBe(0);
    expect(JSON.parse(readFileSync(cacheFile(), 'utf8'))).toEqual({});
    await expect(
      completeSignIn(
        `${rt.oidc.issuer}/auth?client_id=${rt.oidc.consoleClientId}&response_type=code&redirect_uri=http%3A%2F%2Flocalhost%3A1%2Fcallback&scope=openid&code_challenge=${'a'.repeat(43)}&code_challenge_method=S256`,
        'agent',
        'wrong',
      ),
    ).rejects.toThrow(/401/);
  });

  it('automation signs in with the machine client (client credentials) and is audited by its client id', async () => {
    const machine = { INSCRIRE_CLIENT_ID: rt.oidc.machineClient.id, INSCRIRE_CLIENT_SECRET: rt.oidc.machineClient.secret };
    expect(await signedInOps({ ...machine, INSCRIRE_CLIENT_SCOPE: 'inscrire-api/operator' }, 'close', '--reason', 'Automate')).toMatchObject({ code: 3, err: expect.stringContaining('403') });
    expect((await signedInOps(machine, 'close', '--reason', 'Automate de nuit')).code).toBe(0);
    expect((await signedInOps(machine, 'calendar')).code).toBe(0);
    expect((await signedInOps(machine, 'status')).out).toContain(`client:${rt.oidc.machineClient.id}`);
    expect(await signedInOps({ ...machine, INSCRIRE_CLIENT_SECRET: 'wrong' }, 'status')).toMatchObject({ code: 3, err: expect.stringContaining('Client machine refusé') });
  });
});
