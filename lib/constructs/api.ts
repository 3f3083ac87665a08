/**
 * The HTTP API: one route and one Lambda integration per route entry, throttled at the stage,
 * with access logs. No CORS: the student pages are served from the same origin. Reached only
 * through its custom domain (CloudFront's `/api/*` origin): the execute-api endpoint is
 * disabled. Admin routes are behind a JWT authorizer trusting the operators' user pool.
 */
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import { ApiMapping, DomainName, HttpApi, HttpMethod, HttpRoute, HttpRouteKey, HttpStage, LogGroupLogDestination, type IHttpRouteAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpUserPoolAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import type { ICertificate } from 'aws-cdk-lib/aws-certificatemanager';
import type { IUserPool, IUserPoolClient } from 'aws-cdk-lib/aws-cognito';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { AuthKind, RouteDef } from '../../functions/routes';
import { acknowledge } from '../nag';

/** API Gateway gives up on an integration after 30 s; a handler must answer before. */
const MAX_INTEGRATION_SECONDS = 29;

/** A route entry and the function serving it. */
export interface ApiRoute {
  readonly def: RouteDef;
  readonly handler: LambdaFunction;
}

export interface ApiProps {
  /**
   * Name of the API, and prefix of the operators' policy name: distinct per stage, so stages
   * sharing an account are told apart (console, CLI, IAM).
   */
  readonly name: string;
  /** The routes; ids and `METHOD path` keys must be unique. */
  readonly routes: ApiRoute[];
  /** Steady-state requests per second and burst for every route of the stage. */
  readonly throttling: { readonly rateLimit: number; readonly burstLimit: number };
  /** Who may call admin routes: access tokens of this user pool, issued to these clients (the JWT's audience). */
  readonly operators: { readonly userPool: IUserPool; readonly clients: IUserPoolClient[] };
  /** The custom domain the API is served at (a regional certificate of the stack's region). */
  readonly domain: { readonly name: string; readonly certificate: ICertificate };
  /**
   * How long access logs are kept.
   * @default RetentionDays.ONE_MONTH
   */
  readonly logRetention?: RetentionDays;
  /**
   * What happens to the access log group when the stack is deleted.
   * @default RemovalPolicy.RETAIN
   */
  readonly logRemovalPolicy?: RemovalPolicy;
}

/**
 * Access log line: what operators need to trace a request or an abuse pattern, no request
 * or response body, and no header that could carry a token.
 */
const ACCESS_LOG_FORMAT = AccessLogFormat.custom(
  JSON.stringify({
    requestId: '$context.requestId',
    requestTime: '$context.requestTime',
    sourceIp: '$context.identity.sourceIp',
    routeKey: '$context.routeKey',
    status: '$context.status',
    protocol: '$context.protocol',
    responseLength: '$context.responseLength',
    latencyMs: '$context.responseLatency',
    integrationLatencyMs: '$context.integrationLatency',
    integrationError: '$context.integrationErrorMessage',
    // The operator's opaque id (no name in the logs); empty on other routes.
    operatorSub: '$context.authorizer.claims.sub',
  }),
);

export class Api extends Construct {
  readonly httpApi: HttpApi;
  /** The `$default` stage, throttled and access-logged. */
  readonly stage: HttpStage;
  readonly accessLogGroup: LogGroup;
  /** The custom domain: point DNS at its `regionalDomainName`. */
  readonly domainName: DomainName;
  private readonly customDomain: string;
  /** The routes, by route entry id. */
  readonly routes: Readonly<Record<string, HttpRoute>>;

  constructor(scope: Construct, id: string, props: ApiProps) {
    super(scope, id);
    validateProps(this, props);

    this.httpApi = new HttpApi(this, 'HttpApi', {
      apiName: props.name,
      description: 'Inscrire: online administrative enrollment API',
      // The default stage is created below, with throttling and access logs.
      createDefaultStage: false,
      // Only through the custom domain, behind CloudFront: no way around its headers and WAF.
      disableExecuteApiEndpoint: true,
    });

    this.accessLogGroup = new LogGroup(this, 'AccessLogs', {
      retention: props.logRetention ?? RetentionDays.ONE_MONTH,
      removalPolicy: props.logRemovalPolicy ?? RemovalPolicy.RETAIN,
    });

    this.stage = new HttpStage(this, 'DefaultStage', {
      httpApi: this.httpApi,
      stageName: '$default',
      autoDeploy: true,
      throttle: { rateLimit: props.throttling.rateLimit, burstLimit: props.throttling.burstLimit },
      accessLogSettings: {
        destination: new LogGroupLogDestination(this.accessLogGroup),
        format: ACCESS_LOG_FORMAT,
      },
    });

    this.customDomain = props.domain.name;
    this.domainName = new DomainName(this, 'Domain', { domainName: props.domain.name, certificate: props.domain.certificate });
    new ApiMapping(this, 'DomainMapping', { api: this.httpApi, domainName: this.domainName, stage: this.stage });

    // API Gateway checks the token's issuer (the pool), audience (`aud`, else `client_id`: the
    // clients), signature and expiry; the handlers check the role (functions/shared/operator-auth.ts).
    const jwtAuthorizer = new HttpUserPoolAuthorizer('Operators', props.operators.userPool, {
      userPoolClients: props.operators.clients,
      identitySource: ['$request.header.Authorization'],
    });
    const routes: Record<string, HttpRoute> = {};
    for (const { def, handler } of props.routes) {
      const route = new HttpRoute(this, def.id, {
        httpApi: this.httpApi,
        routeKey: HttpRouteKey.with(def.path, HttpMethod[def.method]),
        integration: new HttpLambdaIntegration('Integration', handler),
        authorizer: authorizerFor(def.auth, jwtAuthorizer),
      });
      acknowledgeAuthorization(route, def.auth);
      routes[def.id] = route;
    }
    this.routes = routes;
  }

  /** The API's base URL: its custom domain (the execute-api endpoint is disabled). */
  get url(): string {
    return `https://${this.customDomain}/`;
  }
}

/**
 * Operators sign in to the user pool: API Gateway's JWT authorizer checks their access token.
 * Public routes have no caller identity. Student routes carry the session token the service
 * itself signs (POST /api/session), and the handler middleware verifies it rather than a
 * Lambda authorizer: the token's key, expiry and idle rule (functions/shared/tokens.ts) live with the sessions;
 * an authorizer would either cache its answer (accepting a token past its idle expiry) or
 * double the invocations; and the same check must run in the local runtime and in tests,
 * where there is no API Gateway.
 */
function authorizerFor(auth: AuthKind, jwt: HttpUserPoolAuthorizer): IHttpRouteAuthorizer | undefined {
  return auth === 'admin' ? jwt : undefined;
}

/**
 * AwsSolutions-APIG4 flags routes without an API Gateway authorizer. (COG4, the Cognito
 * authorizer rule, only inspects REST API methods, so HTTP API routes need no
 * acknowledgement for it.)
 */
function acknowledgeAuthorization(route: HttpRoute, auth: AuthKind): void {
  if (auth === 'public') {
    acknowledge(route, 'APIG4', "Public by design (auth: 'public' in functions/routes.ts): status, catalogue, login, support form, and the Stripe webhook, whose handler verifies Stripe's signature.");
  } else if (auth === 'student') {
    acknowledge(
      route,
      'APIG4',
      "Authorised by the service's own signed, expiring session token, verified by the handler middleware on every request (the same check runs in the local runtime and tests, where there is no API Gateway).",
    );
  }
}

function validateProps(scope: Construct, props: ApiProps): void {
  const where = scope.node.path;
  const { rateLimit, burstLimit } = props.throttling;
  if (!(rateLimit > 0) || !Number.isInteger(burstLimit) || burstLimit < 1) {
    throw new Error(`${where}: throttling needs rateLimit > 0 and an integer burstLimit >= 1 (got ${rateLimit}/${burstLimit})`);
  }
  const ids = new Set<string>();
  const keys = new Set<string>();
  for (const { def, handler } of props.routes) {
    const key = `${def.method} ${def.path}`;
    if (ids.has(def.id)) throw new Error(`${where}: duplicate route id ${def.id}`);
    if (keys.has(key)) throw new Error(`${where}: duplicate route ${key}`);
    ids.add(def.id);
    keys.add(key);
    if (!def.path.startsWith('/api/')) throw new Error(`${where}: route ${def.id} path must start with /api/ (got ${def.path})`);
    const timeout = (handler.timeout ?? Duration.seconds(3)).toSeconds();
    if (timeout > MAX_INTEGRATION_SECONDS) {
      throw new Error(`${where}: route ${def.id} times out after ${timeout} s, beyond the API's ${MAX_INTEGRATION_SECONDS} s integration limit`);
    }
  }
}
