import { randomBytes } from 'node:crypto';
import * as z from 'zod/mini';
import { mutateDossier } from '../adapters/dynamo/dossiers';
import { presignUpload } from '../adapters/s3';
import { text } from '../domain/text';
import { documentKind, objectKey, uploadRefusals, withKeyToken } from '../domain/documents';
import { assertNotCancelled } from '../domain/dossier';
import { requiredOr } from '../domain/schema-parts';
import { validationFailed } from '../shared/errors';
import type { UploadView } from '../shared/contracts';
import { httpHandler, type HttpResult } from '../shared/http';
import { jsonBody } from '../shared/json-body';
import { studentSession } from '../shared/student-session';
import { documentRules, ownDossier, unknownDocument } from './shared';
import type { FieldCode } from '../domain/messages/fields';

export const UploadBody = z.object({
  fileName: text(200),
  contentType: z.string({ error: requiredOr('invalid_type') }).check(z.trim(), z.toLowerCase(), z.maxLength(100, { error: 'too_long' satisfies FieldCode })),
  size: z.number({ error: requiredOr('invalid_type') }).check(z.int({ error: 'invalid' satisfies FieldCode }), z.gte(1, { error: 'too_small' satisfies FieldCode })),
});

/**
 * POST /api/dossier/documents/{kind}/uploads — a presigned POST for the browser to upload the
 * file straight to S3: the policy fixes the key (unguessable, the same for every upload of this
 * kind, so a new upload replaces the last), the declared type and the size range. No file
 * passes through here.
 */
export const handler = httpHandler({ auth: studentSession, body: jsonBody(UploadBody) }, async ({ student, body, pathParameters, now }): Promise<HttpResult<UploadView>> => {
  const kind = pathParameters.kind ?? '';
  const current = await ownDossier(student.dossierId);
  assertNotCancelled(current);
  const def = documentKind(current, kind, documentRules);
  if (!def) throw unknownDocument();
  const refusal = uploadRefusals(def, body, documentRules);
  if (refusal) throw validationFailed(refusal.fields, refusal.code, 422);
  const d = await mutateDossier(
    current.id,
    (x) => {
      assertNotCancelled(x);
      return withKeyToken(x, kind, randomBytes(18).toString('base64url'));
    },
    now,
  );
  const upload = await presignUpload({
    key: objectKey(d.id, kind, d.documents![kind]!.keyToken),
    contentType: body.contentType,
    fileName: body.fileName,
    maxBytes: documentRules.maxBytes,
    expiresSeconds: documentRules.uploadExpirySeconds,
    now,
  });
  return { statusCode: 201, body: { ...upload, maxBytes: documentRules.maxBytes } };
});
