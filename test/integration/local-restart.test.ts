import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '../../scripts/local/ports';
import { repoRoot } from '../../scripts/local/runtime';

/**
 * `npm start`'s process (bin/local.ts) as a newcomer runs it: it prints where to go, keeps its
 * data across a restart, and Ctrl-C (SIGINT) leaves no process behind — DynamoDB Local included.
 */
const dir = mkdtempSync(join(tmpdir(), 'inscrire-restart-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function start(port: number): Promise<{ child: ChildProcess; output: () => string }> {
  // What `npm start` runs (package.json): node itself, with tsx as a loader, not tsx's CLI.
  const child = spawn(process.execPath, ['--import', 'tsx', 'bin/local.ts'], {
    cwd: repoRoot,
    env: { ...process.env, PORT: String(port), INSCRIRE_DATA_DIR: dir, INSCRIRE_ADMIN_TOKEN: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d) => (out += String(d)));
  child.stderr!.on('data', (d) => (out += String(d)));
  const deadline = Date.now() + 60_000;
  while (!out.includes('Inscrire is running locally')) {
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`local runtime did not start:\n${out}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return { child, output: () => out };
}

/**
 * Ctrl-C. With `busy`, the process is paused (SIGSTOP) when the signal arrives and resumed a
 * moment later, as a loaded machine can keep it from running: the shutdown must not depend on
 * answering quickly (tsx's CLI SIGKILLs a child that has not acknowledged a signal within 30 ms,
 * and DynamoDB Local's java then outlives it).
 */
async function interrupt(child: ChildProcess, busy = false): Promise<number | null> {
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  if (busy) child.kill('SIGSTOP');
  child.kill('SIGINT');
  if (busy) {
    await new Promise((r) => setTimeout(r, 500));
    child.kill('SIGCONT');
  }
  return exited;
}

/** Processes whose command line mentions the data folder (DynamoDB Local's -dbPath). */
function processesUsing(folder: string): string[] {
  return execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' })
    .split('\n')
    .filter((line) => line.includes(folder) && !line.includes('ps -eo'));
}

describe('npm start across a restart', () => {
  it('keeps data, admin token and sessions; Ctrl-C leaves no process', async () => {
    const port = await freePort();
    const first = await start(port);
    const url = `http://localhost:${port}`;
    expect(first.output()).toContain(`${url}/`);
    expect(first.output()).toMatch(/CAND12345678\s+2002-11-02/);
    const adminToken = /Admin token\s+(\S+)/.exec(first.output())![1];

    const login = await fetch(`${url}/api/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ identifier: 'P261234567', birthDate: '2008-03-14' }),
    });
    expect(login.status).toBe(201);
    const { token, dossier } = (await login.json()) as { token: string; dossier: { id: string } };
    const saved = await fetch(`${url}/api/dossier/situation`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ regime: 'formation_continue', scholarship: 'none' }),
    });
    expect(saved.status).toBe(200);

    expect(await interrupt(first.child, true)).toBe(0);
    expect(processesUsing(dir)).toEqual([]);

    const second = await start(port);
    try {
      expect(/Admin token\s+(\S+)/.exec(second.output())![1]).toBe(adminToken);
      const again = await fetch(`${url}/api/dossier`, { headers: { authorization: `Bearer ${token}` } });
      expect(again.status).toBe(200);
      const body = (await again.json()) as { id: string; steps: { situation: { status: string; regime: string } } };
      expect(body.id).toBe(dossier.id);
      expect(body.steps.situation).toMatchObject({ status: 'done', regime: 'formation_continue' });
    } finally {
      expect(await interrupt(second.child)).toBe(0);
    }
    expect(processesUsing(dir)).toEqual([]);
  }, 180_000); // two full starts of the runtime
});
