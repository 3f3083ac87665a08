import { randomUUID } from 'node:crypto';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { routes, type RouteDef } from '../../functions/routes';
import { asEntry } from '../../scripts/local/table-access';
import { ROUTE_ENTRY } from './route-entry-tag';

/** Fresh API Gateway v2 events for handler tests. */
export function httpEvent(o: {
  method?: string;
  path?: string;
  body?: unknown;
  rawBody?: string;
  headers?: Record<string, string>;
  token?: string;
  lang?: 'fr' | 'en';
  pathParameters?: Record<string, string>;
  query?: Record<string, string>;
  /** An operator's username: the claims API Gateway's JWT authorizer passes for their access token. */
  adminPrincipal?: string;
  /** Their user-pool groups. @default ['supervisor'] */
  adminGroups?: string[];
  /** The verified claims as they are, instead (payload 2.0 strings). */
  adminClaims?: Record<string, string>;
}): APIGatewayProxyEventV2 {
  const headers: Record<string, string> = { ...(o.headers ?? {}) };
  if (o.body !== undefined) headers['content-type'] ??= 'application/json';
  if (o.token) headers.authorization = `Bearer ${o.token}`;
  if (o.lang) headers['accept-language'] = o.lang;
  const method = o.method ?? 'GET';
  const path = o.path ?? '/';
  const claims =
    o.adminClaims ??
    (o.adminPrincipal ? { token_use: 'access', username: o.adminPrincipal, client_id: 'test-console-client', 'cognito:groups': `[${(o.adminGroups ?? ['supervisor']).join(' ')}]` } : undefined);
  return {
    version: '2.0',
    routeKey: `${method} ${path}`,
    rawPath: path,
    rawQueryString: '',
    headers,
    queryStringParameters: o.query,
    pathParameters: o.pathParameters,
    requestContext: {
      accountId: '000000000000',
      apiId: 'test',
      domainName: 'test.local',
      domainPrefix: 'test',
      http: { method, path, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'vitest' },
      requestId: randomUUID(),
      routeKey: `${method} ${path}`,
      stage: '$default',
      time: new Date().toUTCString(),
      timeEpoch: Date.now(),
      ...(claims ? { authorizer: { jwt: { claims, scopes: null } } } : {}),
    } as APIGatewayProxyEventV2['requestContext'],
    body: o.rawBody ?? (o.body === undefined ? undefined : JSON.stringify(o.body)),
    isBase64Encoded: false,
  };
}

export const context = { functionName: 'test', awsRequestId: randomUUID(), getRemainingTimeInMillis: () => 10_000 } as unknown as Context;

export interface Parsed {
  statusCode: number;
  headers: Record<string, string>;
  body: any;
}

type HttpHandler = (e: APIGatewayProxyEventV2, c: Context) => Promise<unknown>;
const routeOfEntry = new Map(routes.map((r) => [r.entry, r]));

/** The route whose module exports `handler`, from the entry test/support/route-entry-tag.ts tags it with. */
export function routeOf(handler: HttpHandler): RouteDef | undefined {
  const entry = (handler as unknown as Record<symbol, string | undefined>)[ROUTE_ENTRY];
  return entry === undefined ? undefined : routeOfEntry.get(entry);
}

/**
 * Invokes a middy HTTP handler and parses its JSON answer. The handler's table calls are
 * checked against its route's declared access (scripts/local/table-access.ts), as IAM would.
 */
export async function invoke(handler: HttpHandler, event: APIGatewayProxyEventV2): Promise<Parsed> {
  const route = routeOf(handler);
  const res = (await (route ? asEntry(route, () => handler(event, context)) : handler(event, context))) as APIGatewayProxyStructuredResultV2;
  const text = res.body ?? '';
  return { statusCode: res.statusCode ?? 200, headers: (res.headers ?? {}) as Record<string, string>, body: text ? JSON.parse(text) : undefined };
}
