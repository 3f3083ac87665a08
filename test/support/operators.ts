import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { expect } from 'vitest';
import { ddb, tableName } from '../../functions/adapters/dynamo/client';
import { putCvecFixture } from '../../functions/adapters/dynamo/dev-fixtures';
import { outboxKey } from '../../functions/adapters/dynamo/outbox';
import type { Admission } from '../../functions/adapters/dynamo/admissions';
import { routes } from '../../functions/routes';
import { handler as cvec } from '../../functions/steps/cvec';
import { handler as identity } from '../../functions/steps/identity';
import { handler as ine } from '../../functions/steps/ine';
import { handler as programme } from '../../functions/steps/programme';
import { handler as situation } from '../../functions/steps/situation';
import { handler as submit } from '../../functions/steps/submit';
import { httpEvent, invoke } from './events';
import { loggedInStudent } from './students';

/** The username of the operator the tests act as (a supervisor unless told otherwise). */
export const OPERATOR = 'operatrice-scolarite';

type Handler = Parameters<typeof invoke>[0];

/**
 * Calls an admin handler as API Gateway's JWT authorizer lets an operator through
 * (`principal: null`: no token). `route`: the route id, whose method and path the event
 * carries (the role is the handler's own: functions/shared/operator-auth.ts).
 */
export function asOperator(
  handler: Handler,
  o: {
    method?: string;
    path?: string;
    id?: string;
    body?: unknown;
    rawBody?: string;
    /** `rawBody` is base64, as API Gateway passes bodies it does not take for text. */
    base64?: boolean;
    headers?: Record<string, string>;
    query?: Record<string, string>;
    lang?: 'fr' | 'en';
    principal?: string | null;
    /** @default ['supervisor'] */
    groups?: string[];
    claims?: Record<string, string>;
    route?: string;
  } = {},
) {
  const route = o.route ? routes.find((r) => r.id === o.route) : undefined;
  if (o.route && !route) throw new Error(`no route ${o.route}`);
  const event = httpEvent({
    method: route?.method ?? o.method ?? 'GET',
    path: route?.path ?? o.path ?? '/api/admin/x',
    body: o.body,
    rawBody: o.rawBody,
    headers: o.headers,
    query: o.query,
    lang: o.lang,
    pathParameters: o.id !== undefined ? { id: o.id } : undefined,
    adminPrincipal: o.principal === null ? undefined : (o.principal ?? OPERATOR),
    adminGroups: o.groups,
    adminClaims: o.claims,
  });
  return invoke(handler, { ...event, isBase64Encoded: o.base64 ?? false });
}

const step = (handler: Handler, token: string, body: unknown) => invoke(handler, httpEvent({ method: 'PUT', path: '/api/dossier/x', body, token }));

/**
 * A student who logged in and completed every step (the service must be open: run inside a
 * window); `submit: true` also submits, so a `pending` scholarship gives a pay-at-office dossier.
 */
export async function studentThroughWizard(o: { scholarship?: 'none' | 'granted' | 'pending'; submit?: boolean; admission?: Partial<Admission>; cvecState?: number } = {}) {
  const student = await loggedInStudent(o.admission);
  const { token } = student;
  expect(
    (await step(identity, token, { email: 'lea.martin@example.org', phone: '06 12 34 56 78', address: { line1: '3 place Victor Hugo', postalCode: '13003', city: 'Marseille', country: 'FR' } }))
      .statusCode,
  ).toBe(200);
  expect((await step(ine, token, { ine: '1234567890V' })).statusCode).toBe(200);
  expect((await step(situation, token, { regime: 'formation_initiale', scholarship: o.scholarship ?? 'none' })).statusCode).toBe(200);
  const number = `AMU6${String(Math.floor(Math.random() * 1e6)).padStart(6, '0')}`;
  await putCvecFixture({
    certificateNumber: number,
    lastName: student.admission.birthName.toUpperCase(),
    firstName: 'Léa',
    birthDate: student.admission.birthDate,
    state: o.cvecState ?? (o.scholarship === 'granted' ? 71 : 75),
  });
  expect((await step(cvec, token, { certificateNumber: number })).statusCode).toBe(200);
  const last = await step(programme, token, { programmeCode: student.admission.programmeCode });
  expect(last.statusCode).toBe(200);
  if (!o.submit) return { ...student, dossier: last.body };
  const submitted = await invoke(submit, httpEvent({ method: 'POST', path: '/api/dossier/submit', token }));
  expect(submitted.statusCode).toBe(200);
  return { ...student, dossier: submitted.body };
}

/** The mail job recorded in the outbox under `jobId`, if any. */
export async function outboxJob(jobId: string) {
  const out = await ddb.send(new GetCommand({ TableName: tableName(), Key: outboxKey(jobId), ConsistentRead: true }));
  return out.Item ? (JSON.parse(out.Item.body as string) as { jobId: string; template: string; to: string[]; summary?: Record<string, unknown> }) : undefined;
}
