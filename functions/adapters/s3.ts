/**
 * The documents bucket (DOCUMENTS_BUCKET): presigned POSTs for the browser's uploads, the
 * check job's read, short-lived download URLs. Locally `AWS_ENDPOINT_URL_S3` points the same
 * SDK at the loopback S3 (scripts/local/s3-policy-proxy.ts), path-style.
 */
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { createPresignedPost } from '@aws-sdk/s3-presigned-post';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { optionalEnv, requireEnv } from '../shared/env';

export const DOCUMENTS_BUCKET_ENV = 'DOCUMENTS_BUCKET';

let client: S3Client | undefined;
function s3(): S3Client {
  client ??= new S3Client({ forcePathStyle: optionalEnv('AWS_ENDPOINT_URL_S3') !== undefined });
  return client;
}

const bucket = () => requireEnv(DOCUMENTS_BUCKET_ENV);

/** The metadata field carrying the student's file name (URI-encoded: headers are ASCII). */
const FILE_NAME_FIELD = 'x-amz-meta-filename';

export interface PresignedUpload {
  url: string;
  fields: Record<string, string>;
  expiresAt: string;
}

/**
 * A presigned POST whose policy fixes the key, the content type, the file name's metadata and
 * the size range (1 byte to `maxBytes`): S3 refuses any other upload with it.
 */
export async function presignUpload(o: { key: string; contentType: string; fileName: string; maxBytes: number; expiresSeconds: number; now: Date }): Promise<PresignedUpload> {
  const fileName = encodeURIComponent(o.fileName);
  const { url, fields } = await createPresignedPost(s3(), {
    Bucket: bucket(),
    Key: o.key,
    Conditions: [
      ['content-length-range', 1, o.maxBytes],
      ['eq', '$Content-Type', o.contentType],
      ['eq', `$${FILE_NAME_FIELD}`, fileName],
    ],
    Fields: { 'Content-Type': o.contentType, [FILE_NAME_FIELD]: fileName },
    Expires: o.expiresSeconds,
  });
  return { url, fields, expiresAt: new Date(o.now.getTime() + o.expiresSeconds * 1000).toISOString() };
}

export interface StoredObject {
  bytes: Uint8Array;
  eTag: string;
  contentType?: string;
  fileName?: string;
}

/** The object as it is now (the caller compares its ETag with the event's). */
export async function readObject(key: string): Promise<StoredObject | undefined> {
  try {
    const out = await s3().send(new GetObjectCommand({ Bucket: bucket(), Key: key }));
    const bytes = await out.Body!.transformToByteArray();
    const encoded = out.Metadata?.filename;
    let fileName: string | undefined;
    try {
      fileName = encoded ? decodeURIComponent(encoded) : undefined;
    } catch {
      fileName = undefined;
    }
    return { bytes, eTag: (out.ETag ?? '').replace(/"/g, ''), contentType: out.ContentType, fileName };
  } catch (err) {
    if ((err as { name?: string }).name === 'NoSuchKey') return undefined;
    throw err;
  }
}

/** A short-lived URL of the object, downloaded under `fileName`. */
export async function downloadUrl(key: string, fileName: string | undefined, expiresSeconds: number, disposition: 'attachment' | 'inline' = 'attachment'): Promise<string> {
  const safe = (fileName ?? 'document').replace(/["\\\r\n]/g, '_');
  return getSignedUrl(
    s3(),
    new GetObjectCommand({ Bucket: bucket(), Key: key, ResponseContentDisposition: `${disposition}; filename*=UTF-8''${encodeURIComponent(safe)}`, ResponseCacheControl: 'no-store' }),
    { expiresIn: expiresSeconds },
  );
}
