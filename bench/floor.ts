/**
 * The physical floor of a function (issue 16, "Cold starts"): a minimal handler importing only
 * the clients its route's `access` needs — the DynamoDB client for its table, SQS for the mail
 * queue, SESv2, Secrets Manager for its secrets, the Stripe SDK where it reads the Stripe secret,
 * the S3 client where it declares the documents bucket (`documents`, `certificates`) —
 * and making one call with each. bench/bundles.ts bundles it with the very construct that
 * bundles the function, so the two differ only by what the function's own code adds.
 *
 * Pure: the handler's source and the ratios; no file system, no process.
 */
import type { Access } from '../functions/routes';
import type { NA } from './report';

/**
 * The S3 client appears in one of four uses, each its smallest call: `s3Get` reads an object,
 * `s3Put` writes one, `s3Post` signs a browser upload (presigned POST), `s3Url` signs a
 * download URL (the request presigner).
 */
export type FloorClient = 'dynamodb' | 'sqs' | 'sesv2' | 'secretsmanager' | 'stripe' | 's3Get' | 's3Put' | 's3Post' | 's3Url';

/**
 * The clients a function with `access` cannot do without, in a stable order. `http`: the
 * function answers HTTP requests; with `documents: 'read'` it hands out signed download URLs
 * (functions/routes.ts `Access.documents`), which a job (nobody to hand them to) does not.
 *
 * The floor names "the AWS SDK clients for its table, queue, SES and secrets": a
 * function whose declared access includes the bucket cannot do without the S3 client either
 * (issue 16, "Cold starts"), so its floor has it, and the presigner only where it signs.
 */
export function floorClients(access: Access, o: { http?: boolean } = {}): FloorClient[] {
  const secrets = new Set(access.secrets ?? []);
  const clients: FloorClient[] = [];
  if (access.table) clients.push('dynamodb');
  if (access.mailQueue) clients.push('sqs');
  if (access.ses) clients.push('sesv2');
  if (secrets.size > 0) clients.push('secretsmanager');
  if (secrets.has('stripe')) clients.push('stripe');
  const s3 = new Set<FloorClient>();
  if (access.documents === 'presign') s3.add('s3Post');
  if (access.documents === 'read') s3.add(o.http ? 's3Url' : 's3Get');
  if (access.certificates === 'read') s3.add('s3Get');
  if (access.certificates === 'write') s3.add('s3Put');
  clients.push(...(['s3Get', 's3Put', 's3Post', 's3Url'] as const).filter((c) => s3.has(c)));
  return clients;
}

/** A construct id for the floor shared by every function needing the same clients. */
export function floorId(clients: readonly FloorClient[]): string {
  return `Floor${clients.map((c) => c[0]!.toUpperCase() + c.slice(1)).join('') || 'None'}`;
}

/** One import per name, so clients sharing a package (S3's four uses) merge without duplicates. */
const S3_CLIENT = ["import { S3Client } from '@aws-sdk/client-s3';"];
const S3_INIT = 'const s3 = new S3Client({});';
const S3_OBJECT = "{ Bucket: process.env.DOCUMENTS_BUCKET, Key: 'floor' }";

const CALLS: Record<FloorClient, { imports: string | string[]; init: string; call: string }> = {
  dynamodb: {
    imports: "import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';",
    init: 'const dynamodb = new DynamoDBClient({});',
    call: "dynamodb.send(new GetItemCommand({ TableName: process.env.TABLE_NAME, Key: { pk: { S: 'floor' }, sk: { S: 'floor' } } }))",
  },
  sqs: {
    imports: "import { SQSClient, SendMessageCommand } from '@aws-sdk/client-sqs';",
    init: 'const sqs = new SQSClient({});',
    call: "sqs.send(new SendMessageCommand({ QueueUrl: process.env.MAIL_QUEUE_URL, MessageBody: 'floor' }))",
  },
  sesv2: {
    imports: "import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';",
    init: 'const ses = new SESv2Client({});',
    call: "ses.send(new SendEmailCommand({ FromEmailAddress: process.env.MAIL_FROM, Destination: { ToAddresses: [process.env.MAIL_FROM] }, Content: { Simple: { Subject: { Data: 'floor' }, Body: { Text: { Data: 'floor' } } } } }))",
  },
  secretsmanager: {
    imports: "import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';",
    init: 'const secrets = new SecretsManagerClient({});',
    call: 'secrets.send(new GetSecretValueCommand({ SecretId: process.env.SESSION_SECRET_ARN ?? process.env.STRIPE_SECRET_ARN }))',
  },
  stripe: {
    imports: "import Stripe from 'stripe';",
    init: "const stripe = new Stripe(process.env.STRIPE_SECRET_ARN ?? 'sk_floor');",
    call: "stripe.checkout.sessions.retrieve('cs_floor')",
  },
  s3Get: { imports: [...S3_CLIENT, "import { GetObjectCommand } from '@aws-sdk/client-s3';"], init: S3_INIT, call: `s3.send(new GetObjectCommand(${S3_OBJECT}))` },
  s3Put: { imports: [...S3_CLIENT, "import { PutObjectCommand } from '@aws-sdk/client-s3';"], init: S3_INIT, call: `s3.send(new PutObjectCommand({ ...${S3_OBJECT}, Body: 'floor' }))` },
  s3Post: {
    imports: [...S3_CLIENT, "import { createPresignedPost } from '@aws-sdk/s3-presigned-post';"],
    init: S3_INIT,
    call: `createPresignedPost(s3, ${S3_OBJECT})`,
  },
  s3Url: {
    imports: [...S3_CLIENT, "import { GetObjectCommand } from '@aws-sdk/client-s3';", "import { getSignedUrl } from '@aws-sdk/s3-request-presigner';"],
    init: S3_INIT,
    call: `getSignedUrl(s3, new GetObjectCommand(${S3_OBJECT}), { expiresIn: 60 })`,
  },
};

/** The floor handler's TypeScript source. */
export function floorSource(clients: readonly FloorClient[]): string {
  const parts = clients.map((c) => CALLS[c]);
  return [
    '// Generated by bench/floor.ts: the smallest handler that can make the calls this function makes.',
    ...new Set(parts.flatMap((p) => p.imports)),
    ...new Set(parts.map((p) => p.init)),
    `export const handler = async () => Promise.all([${parts.map((p) => p.call).join(', ')}]);`,
    '',
  ].join('\n');
}

/** `value / floor`, or why it cannot be computed. */
export function toFloor(value: number | NA, floor: number | NA): number | NA {
  if (typeof value !== 'number') return value;
  if (typeof floor !== 'number') return floor;
  if (!(floor > 0)) return { na: 'floor figure is zero' };
  return value / floor;
}

/** The targets. */
export const FLOOR_TARGET = {
  /** bytesToFloor and initToFloor, for every function with AWS access. */
  ratio: 1.3,
  /** Bundle size of a function with no AWS access (its floor is an empty handler). */
  noAccessBytes: 60 * 1024,
} as const;

/** Whether a function meets the target: ratios for functions with clients, the size for those without. */
export function meetsFloorTarget(f: { clients: readonly FloorClient[]; bytes: number | NA; bytesToFloor: number | NA; initToFloor: number | NA }): boolean {
  if (f.clients.length === 0) return typeof f.bytes === 'number' && f.bytes <= FLOOR_TARGET.noAccessBytes;
  return typeof f.bytesToFloor === 'number' && typeof f.initToFloor === 'number' && f.bytesToFloor <= FLOOR_TARGET.ratio && f.initToFloor <= FLOOR_TARGET.ratio;
}
