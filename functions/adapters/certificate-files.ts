/**
 * The certificates' PDFs in the documents bucket (DOCUMENTS_BUCKET), under `certificates/`:
 * private (the bucket blocks public access), encrypted at rest by the bucket's default
 * encryption. Locally `AWS_ENDPOINT_URL_S3` points the same SDK at the loopback S3 server.
 */
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { CertificateKind, CertificateLang } from '../domain/certificates/model';
import { optionalEnv, requireEnv } from '../shared/env';
import { DOCUMENTS_BUCKET_ENV } from './s3';

export const CERTIFICATES_PREFIX = 'certificates/';

let client: S3Client | undefined;
function s3(): S3Client {
  client ??= new S3Client({ forcePathStyle: optionalEnv('AWS_ENDPOINT_URL_S3') !== undefined });
  return client;
}
const bucket = () => requireEnv(DOCUMENTS_BUCKET_ENV);

export const certificateObjectKey = (c: { dossierId: string; code: string; kind: CertificateKind }, lang: CertificateLang) => `${CERTIFICATES_PREFIX}${c.dossierId}/${c.code}/${c.kind}.${lang}.pdf`;

/** Writes (or rewrites, identically: a retried issue) one PDF. */
export async function putCertificatePdf(key: string, bytes: Uint8Array): Promise<void> {
  await s3().send(new PutObjectCommand({ Bucket: bucket(), Key: key, Body: bytes, ContentType: 'application/pdf', CacheControl: 'private, no-store' }));
}

export async function readCertificatePdf(key: string): Promise<Uint8Array | undefined> {
  try {
    const out = await s3().send(new GetObjectCommand({ Bucket: bucket(), Key: key }));
    return await out.Body!.transformToByteArray();
  } catch (err) {
    if ((err as { name?: string }).name === 'NoSuchKey') return undefined;
    throw err;
  }
}
