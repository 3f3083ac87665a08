/**
 * The local stand-in for API Gateway (HTTP API, payload format 2.0): turns HTTP requests into
 * the same events API Gateway builds, runs the route's handler, and turns its result back.
 * Admin routes are checked as API Gateway's JWT authorizer checks them on AWS
 * (./jwt-authorizer.ts); the local admin token is also let through, as a supervisor.
 */
import { randomUUID, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2, Context } from 'aws-lambda';
import { matchPath, type RouteDef, timeoutSecondsOf } from '../../functions/routes';
import { refuseStudentToken } from '../../functions/shared/student-token-refusal';
import { createJwtAuthorizer, type JwtAuthorizerConfig } from './jwt-authorizer';
import { lambdaContext } from './lambda-context';

export type LambdaHttpHandler = (event: APIGatewayProxyEventV2, context: Context) => Promise<APIGatewayProxyResultV2>;

/**
 * The smaller of API Gateway's payload limit (10 MB) and Lambda's synchronous invocation limit
 * (6 MB, which the base64 encoding of a binary body also counts against).
 */
const MAX_PAYLOAD_BYTES = 6 * 1024 * 1024;
const TEXT_TYPES = /^(text\/|application\/(json|.*\+json|xml|.*\+xml|javascript|x-www-form-urlencoded))/i;
/** Who the local admin token (INSCRIRE_ADMIN_TOKEN) signs in as, in the audit: a supervisor. */
export const LOCAL_ADMIN_USERNAME = 'admin-local';

export interface GatewayOptions {
  routes: RouteDef[];
  loadHandler(route: RouteDef): Promise<LambdaHttpHandler>;
  adminToken: string;
  /** The JWT authorizer of admin routes: the user pool's issuer and the client ids. */
  jwt: JwtAuthorizerConfig;
  log?(line: string): void;
}

async function readBody(req: IncomingMessage): Promise<Buffer | 'too_large'> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_PAYLOAD_BYTES) return 'too_large';
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
  res.end(JSON.stringify(body));
}

export function buildEvent(req: IncomingMessage, url: URL, route: RouteDef, params: Record<string, string>, body: Buffer): APIGatewayProxyEventV2 {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined || name === 'cookie') continue;
    headers[name.toLowerCase()] = Array.isArray(value) ? value.join(',') : value;
  }
  const cookies = req.headers.cookie ? req.headers.cookie.split(/;\s*/).filter(Boolean) : undefined;
  const query: Record<string, string> = {};
  for (const key of new Set(url.searchParams.keys())) query[key] = url.searchParams.getAll(key).join(',');
  const contentType = headers['content-type'] ?? '';
  const hasBody = body.length > 0;
  const isBase64Encoded = hasBody && !TEXT_TYPES.test(contentType);
  const now = new Date();
  const routeKey = `${route.method} ${route.path}`;
  return {
    version: '2.0',
    routeKey,
    rawPath: url.pathname,
    rawQueryString: url.search.startsWith('?') ? url.search.slice(1) : url.search,
    cookies,
    headers,
    queryStringParameters: Object.keys(query).length ? query : undefined,
    pathParameters: Object.keys(params).length ? params : undefined,
    requestContext: {
      accountId: '000000000000',
      apiId: 'local',
      domainName: headers.host ?? 'localhost',
      domainPrefix: 'local',
      http: {
        method: req.method ?? 'GET',
        path: url.pathname,
        protocol: `HTTP/${req.httpVersion}`,
        sourceIp: req.socket.remoteAddress ?? '127.0.0.1',
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: randomUUID(),
      routeKey,
      stage: '$default',
      time: now.toUTCString(),
      timeEpoch: now.getTime(),
    },
    body: hasBody ? (isBase64Encoded ? body.toString('base64') : body.toString('utf8')) : undefined,
    isBase64Encoded,
  };
}

export function writeResult(res: ServerResponse, result: APIGatewayProxyResultV2) {
  // API Gateway's rules for payload 2.0: a bare value is a 200 JSON body.
  if (typeof result === 'string' || result === null || typeof result !== 'object' || !('statusCode' in result)) {
    json(res, 200, result);
    return;
  }
  const headers: Record<string, string | string[]> = { ...(result.headers as Record<string, string>) };
  if (result.cookies?.length) headers['set-cookie'] = result.cookies;
  res.writeHead(result.statusCode ?? 200, headers);
  const body = result.body ?? '';
  res.end(result.isBase64Encoded ? Buffer.from(body, 'base64') : body);
}

/** @returns true when the request was for an API route (answered), false to let others try. */
export function createGateway(options: GatewayOptions) {
  const handlers = new Map<string, Promise<LambdaHttpHandler>>();
  const authorize = createJwtAuthorizer(options.jwt);
  const handlerFor = (route: RouteDef) => {
    let h = handlers.get(route.id);
    if (!h) {
      h = options.loadHandler(route);
      handlers.set(route.id, h);
    }
    return h;
  };

  return async function handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<boolean> {
    let candidates: { route: RouteDef; params: Record<string, string> | undefined }[];
    try {
      candidates = options.routes.map((route) => ({ route, params: matchPath(route.path, url.pathname) })).filter((c) => c.params);
    } catch {
      // A malformed percent-encoding in a path parameter (decodeURIComponent throws).
      json(res, 400, { message: 'Bad Request' });
      return true;
    }
    if (candidates.length === 0) return false;
    const hit = candidates.find((c) => c.route.method === req.method);
    if (!hit) {
      // What an HTTP API answers for a path it has no route for with that method.
      json(res, 404, { message: 'Not Found' });
      return true;
    }
    const { route, params } = hit as { route: RouteDef; params: Record<string, string> };

    const body = await readBody(req);
    if (body === 'too_large') {
      json(res, 413, { message: 'Request Entity Too Large' });
      return true;
    }
    const event = buildEvent(req, url, route, params, body);

    if (route.auth === 'admin') {
      const header = event.headers.authorization;
      // CloudFront's function in front of /api/admin/* on AWS: a student's token gets 403, not 401.
      const edge = refuseStudentToken({ request: { uri: url.pathname, headers: Object.fromEntries(Object.entries(event.headers).map(([k, v]) => [k, { value: v ?? '' }])) } });
      if ('statusCode' in edge) {
        res.writeHead(edge.statusCode, Object.fromEntries(Object.entries(edge.headers).map(([k, v]) => [k, v.value])));
        res.end(edge.body.data);
        options.log?.(`${req.method} ${url.pathname} → ${edge.statusCode} (a student token)`);
        return true;
      }
      const bearer = /^Bearer\s+(\S+)$/i.exec(header ?? '')?.[1];
      let claims: Record<string, string>;
      if (bearer && sameSecret(bearer, options.adminToken)) {
        claims = { iss: options.jwt.issuer, client_id: 'local-admin-token', token_use: 'access', username: LOCAL_ADMIN_USERNAME, 'cognito:groups': '[supervisor]' };
      } else {
        const result = await authorize(header);
        if (!result.ok) {
          // API Gateway's answer, whatever the reason.
          json(res, 401, { message: 'Unauthorized' }, { 'www-authenticate': `Bearer error="invalid_token"` });
          options.log?.(`${req.method} ${url.pathname} → 401 (${result.reason})`);
          return true;
        }
        claims = result.claims;
      }
      (event.requestContext as unknown as { authorizer: unknown }).authorizer = { jwt: { claims, scopes: null } };
    }

    const started = Date.now();
    try {
      const handler = await handlerFor(route);
      const result = await handler(event, lambdaContext(route.id, timeoutSecondsOf(route)));
      writeResult(res, result);
    } catch (err) {
      // What API Gateway answers when the function itself fails.
      options.log?.(`! ${route.id} crashed: ${(err as Error).message}`);
      json(res, 500, { message: 'Internal Server Error' });
    }
    options.log?.(`${req.method} ${url.pathname} → ${res.statusCode} (${Date.now() - started} ms)`);
    return true;
  };
}
