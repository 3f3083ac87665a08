/**
 * Issue 11 point 11, with `npm start`'s process (bin/local.ts) as a newcomer runs it, data kept
 * in a folder across restarts: its mail queue lives in memory, so a job relayed to it just
 * before a crash would be lost. At start the runtime queues again every relayed job the mailer
 * never completed; the mailer's idempotency keeps each job to one mail across restarts.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, describe, expect, it } from 'vitest';
import { outboxPut } from '../../functions/adapters/dynamo/outbox';
import type { MailJob } from '../../functions/domain/mail-job';
import type { CapturedMail } from '../../scripts/local/dev-routes';
import { startDynamoDbLocal } from '../../scripts/local/emulators';
import { freePort } from '../../scripts/local/ports';
import { ensureTable } from '../../scripts/local/provision';
import { repoRoot } from '../../scripts/local/runtime';
import { eventually } from '../support/eventually';

const dir = mkdtempSync(join(tmpdir(), 'inscrire-outbox-recovery-'));
const children: ChildProcess[] = [];
afterAll(async () => {
  for (const c of children) if (c.exitCode === null) await stop(c);
  rmSync(dir, { recursive: true, force: true });
});

/** The table's name in the local runtime (scripts/local/runtime.ts). */
const LOCAL_TABLE = 'inscrire-local';

async function start(port: number): Promise<{ child: ChildProcess; output: () => string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'bin/local.ts'], {
    cwd: repoRoot,
    env: { ...process.env, PORT: String(port), INSCRIRE_DATA_DIR: dir, INSCRIRE_ADMIN_TOKEN: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let out = '';
  child.stdout!.on('data', (d) => (out += String(d)));
  child.stderr!.on('data', (d) => (out += String(d)));
  const deadline = Date.now() + 120_000;
  while (!out.includes('Inscrire is running locally')) {
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`local runtime did not start:\n${out}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return { child, output: () => out };
}

function stop(child: ChildProcess): Promise<unknown> {
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGINT');
  return exited;
}

const mailsTo = async (port: number, to: string) => ((await (await fetch(`http://localhost:${port}/dev/mail?format=json&to=${encodeURIComponent(to)}`)).json()) as { items: CapturedMail[] }).items;

describe('point 11: mail relayed to the in-memory queue before a crash', () => {
  it('is sent once at the next start, and not queued again at the one after', { timeout: 300_000 }, async () => {
    const run = randomUUID().slice(0, 8);
    const to = `recovery-${run}@example.org`;
    const job: MailJob = { jobId: `support_ack#recovery-${run}`, template: 'support_ack', lang: 'fr', to: [to], request: { requestId: `recovery-${run}`, receivedAt: new Date().toISOString() } };

    // The state a crash leaves: the job reached the queue (marked relayed, out of the pending
    // index), the process died before the mailer sent it. Written in the runtime's own data.
    const dynamo = await startDynamoDbLocal({ dataDir: join(dir, 'dynamodb') });
    const client = new DynamoDBClient({ endpoint: dynamo.endpoint, region: 'eu-west-3', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
    try {
      await ensureTable(client, LOCAL_TABLE);
      const previousTable = process.env.TABLE_NAME;
      process.env.TABLE_NAME = LOCAL_TABLE;
      const { Put } = outboxPut(job, new Date()) as { Put: { Item: Record<string, unknown> } };
      process.env.TABLE_NAME = previousTable;
      const { gsi1pk: _pk, gsi1sk: _sk, ...item } = Put.Item;
      await DynamoDBDocumentClient.from(client).send(new PutCommand({ TableName: LOCAL_TABLE, Item: { ...item, relayedAt: new Date().toISOString() } }));
    } finally {
      client.destroy();
      await dynamo.stop();
    }

    const port = await freePort();
    const first = await start(port);
    expect(first.output()).toMatch(/Mail\s+1 mail job\(s\) queued before the last stop but never sent: queued again/);
    await eventually(
      () => mailsTo(port, to),
      (mails) => mails.length > 0,
      60_000,
    );
    expect(await mailsTo(port, to)).toHaveLength(1);
    await stop(first.child);

    // Sent and completed: the next start queues nothing again.
    const second = await start(port);
    expect(second.output()).not.toMatch(/queued again/);
    expect(await mailsTo(port, to)).toHaveLength(0);
    await stop(second.child);
  });
});
