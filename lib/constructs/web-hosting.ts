/**
 * The student pages on AWS: a private S3 bucket read by CloudFront through Origin Access
 * Control, and `/api/*` routed by the same distribution to the HTTP API, so the pages and the
 * API share one origin (no CORS, the session token never crosses origins).
 *
 * - Page paths (no file extension) are rewritten to /index.html by a CloudFront Function on the
 *   default behaviour only. Distribution-wide error responses would also turn the API's own
 *   403/404 answers into the HTML page.
 * - `/api/*`: no caching; every viewer header but Host goes to the API (Authorization,
 *   Accept-Language, Stripe-Signature…); HTTPS only (a redirect would turn a POST into a GET).
 * - One response headers policy for both: the pages' CSP and the other security headers, the
 *   very values the local runtime sends (config/web.ts), plus HSTS.
 * - The pages are built at synth from web/src (the asset's local bundling runs
 *   scripts/build-web.ts), so a deployment never ships a stale or missing web/dist.
 *   Content-hashed files are cached for a year; index.html, config.json (the stage's runtime
 *   settings) and the favicon are revalidated, deployed after the hashed files, and invalidated.
 * - Access logs of the distribution and of the bucket go to a log bucket with an expiry.
 */
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { AssetHashType, DefaultStackSynthesizer, DockerImage, Duration, Fn, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import type { IHttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import type { ICertificate } from 'aws-cdk-lib/aws-certificatemanager';
import {
  AllowedMethods,
  CachePolicy,
  Distribution,
  Function as CloudFrontFunction,
  FunctionCode,
  FunctionEventType,
  FunctionRuntime,
  HeadersFrameOption,
  HeadersReferrerPolicy,
  HttpVersion,
  OriginProtocolPolicy,
  CacheCookieBehavior,
  CacheHeaderBehavior,
  CacheQueryStringBehavior,
  OriginRequestCookieBehavior,
  OriginRequestHeaderBehavior,
  OriginRequestPolicy,
  OriginRequestQueryStringBehavior,
  OriginSslPolicy,
  PriceClass,
  ResponseHeadersPolicy,
  SecurityPolicyProtocol,
  ViewerProtocolPolicy,
} from 'aws-cdk-lib/aws-cloudfront';
import { HttpOrigin, S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import { BucketDeployment, CacheControl, Source, type ISource } from 'aws-cdk-lib/aws-s3-deployment';
import { Construct } from 'constructs';
import { contentSecurityPolicy, HSTS_MAX_AGE_SECONDS, IMMUTABLE_CACHE, PERMISSIONS_POLICY, SECURITY_HEADERS, type SiteConfig } from '../../config/web';
import { ORIGIN_VERIFY_HEADER } from '../../functions/shared/client-address';
import { STUDENT_TOKEN_REFUSAL_CODE } from '../../functions/shared/student-token-refusal';
import { PROJECT_ROOT } from '../config';
import { acknowledge, nagArnOf } from '../nag';

/** The pages' files that are not content-hashed: always revalidated, invalidated at each deployment. */
export const REVALIDATED_FILES = ['index.html', 'favicon.svg', 'config.json', 'gestion/index.html'] as const;

/**
 * CloudFront Function (viewer request, default behaviour): a page path — its last segment has
 * no dot, as in config/web.ts `isPagePath` — is served /index.html, the client-side router;
 * under /gestion (config/web.ts `consolePage`), the console's /gestion/index.html.
 */
export const SPA_REWRITE_CODE = `function handler(event) {
  var request = event.request;
  var last = request.uri.substring(request.uri.lastIndexOf('/') + 1);
  if (last.indexOf('.') === -1) {
    var console = request.uri === '/gestion' || request.uri.indexOf('/gestion/') === 0;
    request.uri = console ? '/gestion/index.html' : '/index.html';
  }
  return request;
}`;

/** Viewer headers the API reads (besides Authorization, forwarded by the cache policy). */
export const API_FORWARDED_HEADERS = ['Accept-Language', 'Content-Type', 'Stripe-Signature', 'User-Agent', 'CloudFront-Viewer-Address'] as const;

export interface WebHostingProps {
  /** The HTTP API that `/api/*` is routed to. */
  readonly api: IHttpApi;
  /**
   * The value CloudFront sends to the API in `x-origin-verify`, with the viewer's address in
   * `CloudFront-Viewer-Address` (functions/shared/client-address.ts trusts one with the other).
   * The template holds a dynamic reference to the secret, never its value.
   * @default - no origin-verify header: the API never trusts a forwarded address
   */
  readonly originVerifySecret?: ISecret;
  /**
   * The host name CloudFront reaches the API at: its custom domain, required once the API's
   * execute-api endpoint is disabled.
   * @default - the execute-api host name
   */
  readonly apiOriginDomain?: string;
  /** The stage's runtime settings for the pages, deployed as `/config.json`. */
  readonly siteConfig: SiteConfig;
  /**
   * Origin the documents page uploads to with a presigned POST (the documents bucket's regional
   * endpoint, https://<bucket>.s3.<region>.amazonaws.com), allowed by the CSP's connect-src and
   * form-action.
   * @default - uploads to another origin are blocked
   */
  readonly uploadOrigin?: string;
  /**
   * Other origins the pages fetch: the console's token endpoint (Cognito's hosted sign-in
   * domain), allowed by the CSP's connect-src.
   * @default - none
   */
  readonly connectOrigins?: string[];
  /**
   * Custom domain names and their ACM certificate (in us-east-1, CloudFront's region). With
   * them the distribution requires TLS 1.2 at least (TLSv1.2_2021).
   * @default - the distribution's own *.cloudfront.net name and certificate
   */
  readonly domain?: { readonly names: string[]; readonly certificate: ICertificate };
  /**
   * ARN of an AWS WAF web ACL (scope CLOUDFRONT, created in us-east-1) to attach.
   * @default - none
   */
  readonly webAclId?: string;
  /**
   * Edge locations served.
   * @default PriceClass.PRICE_CLASS_100 (Europe and North America: the students are mostly in France)
   */
  readonly priceClass?: PriceClass;
  /**
   * How long access logs are kept.
   * @default Duration.days(90)
   */
  readonly logRetention?: Duration;
  /**
   * How long the deployment handler's logs are kept (CDK's BucketDeployment function would
   * otherwise log to a group that never expires).
   * @default RetentionDays.ONE_MONTH
   */
  readonly deploymentLogRetention?: RetentionDays;
  /**
   * What happens to the buckets when the stack is deleted. With DESTROY, their objects are
   * deleted first (the pages are rebuilt from source; the logs go with the stage).
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
  /**
   * Repository root: the pages are built from `web/src` with `scripts/build-web.ts`.
   * @default - the directory above lib/
   */
  readonly projectRoot?: string;
}

export class WebHosting extends Construct {
  readonly bucket: Bucket;
  readonly logBucket: Bucket;
  readonly distribution: Distribution;
  readonly responseHeadersPolicy: ResponseHeadersPolicy;
  /** What CloudFront forwards to the API: all viewer headers but Host, and the viewer's address. */
  readonly apiRequestPolicy: OriginRequestPolicy;
  /** The API's cache policy: nothing stored, Authorization forwarded. */
  readonly apiCachePolicy: CachePolicy;
  /** The deployment of index.html and config.json (after the hashed files). */
  readonly pageDeployment: BucketDeployment;
  /** Log group of the deployments' handler (one function shared by both). */
  readonly deploymentLogGroup: LogGroup;
  private readonly domainNames?: string[];

  constructor(scope: Construct, id: string, props: WebHostingProps) {
    super(scope, id);
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    const autoDeleteObjects = removalPolicy === RemovalPolicy.DESTROY;
    const projectRoot = props.projectRoot ?? PROJECT_ROOT;
    if (props.domain && props.domain.names.length === 0) throw new Error(`${this.node.path}: domain.names must name at least one domain`);
    this.domainNames = props.domain?.names;

    this.logBucket = new Bucket(this, 'AccessLogs', {
      // CloudFront standard logging writes with an ACL.
      objectOwnership: ObjectOwnership.OBJECT_WRITER,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      lifecycleRules: [{ expiration: props.logRetention ?? Duration.days(90) }],
      removalPolicy,
      autoDeleteObjects,
    });

    this.bucket = new Bucket(this, 'Pages', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      serverAccessLogsBucket: this.logBucket,
      serverAccessLogsPrefix: 's3-pages/',
      removalPolicy,
      autoDeleteObjects,
    });

    this.responseHeadersPolicy = new ResponseHeadersPolicy(this, 'SecurityHeaders', {
      comment: 'Inscrire student pages and API: CSP, HSTS and the other security headers (config/web.ts)',
      securityHeadersBehavior: {
        contentSecurityPolicy: { contentSecurityPolicy: contentSecurityPolicy(props.uploadOrigin, props.connectOrigins), override: true },
        contentTypeOptions: { override: true },
        frameOptions: { frameOption: HeadersFrameOption.DENY, override: true },
        referrerPolicy: { referrerPolicy: HeadersReferrerPolicy.SAME_ORIGIN, override: true },
        strictTransportSecurity: { accessControlMaxAge: Duration.seconds(HSTS_MAX_AGE_SECONDS), includeSubdomains: true, override: true },
      },
      customHeadersBehavior: {
        customHeaders: [
          { header: 'Permissions-Policy', value: PERMISSIONS_POLICY, override: true },
          { header: 'Cross-Origin-Opener-Policy', value: SECURITY_HEADERS['cross-origin-opener-policy']!, override: true },
        ],
      },
    });

    const spaRewrite = new CloudFrontFunction(this, 'SpaRewrite', {
      comment: 'Page paths (no file extension) are served /index.html',
      code: FunctionCode.fromInline(SPA_REWRITE_CODE),
      runtime: FunctionRuntime.JS_2_0,
    });

    // The viewer's address goes to the API only when a policy asks for it, and Host must not
    // (API Gateway answers its own name only), so the managed all-but-Host policy will not do:
    // the headers the API reads are listed, and Authorization — which CloudFront forwards only
    // as part of a cache key — rides in an API cache policy that never stores anything (the API
    // answers `cache-control: no-store`; the TTLs are zero by default).
    this.apiRequestPolicy = new OriginRequestPolicy(this, 'ApiRequests', {
      comment: 'Inscrire /api: the headers the API reads, and CloudFront-Viewer-Address',
      headerBehavior: OriginRequestHeaderBehavior.allowList(...API_FORWARDED_HEADERS),
      queryStringBehavior: OriginRequestQueryStringBehavior.all(),
      cookieBehavior: OriginRequestCookieBehavior.none(),
    });
    this.apiCachePolicy = new CachePolicy(this, 'ApiNoStore', {
      comment: 'Inscrire /api: nothing stored; Authorization forwarded (cache key)',
      defaultTtl: Duration.seconds(0),
      minTtl: Duration.seconds(0),
      maxTtl: Duration.seconds(1),
      headerBehavior: CacheHeaderBehavior.allowList('Authorization'),
      queryStringBehavior: CacheQueryStringBehavior.all(),
      cookieBehavior: CacheCookieBehavior.none(),
    });

    // The custom domain, else `https://<id>.execute-api.<region>.amazonaws.com` → its host name.
    const apiDomain = props.apiOriginDomain ?? Fn.select(2, Fn.split('/', props.api.apiEndpoint));

    const apiBehavior = {
      origin: new HttpOrigin(apiDomain, {
        protocolPolicy: OriginProtocolPolicy.HTTPS_ONLY,
        originSslProtocols: [OriginSslPolicy.TLS_V1_2],
        customHeaders: props.originVerifySecret ? { [ORIGIN_VERIFY_HEADER]: props.originVerifySecret.secretValue.unsafeUnwrap() } : undefined,
      }),
      viewerProtocolPolicy: ViewerProtocolPolicy.HTTPS_ONLY,
      allowedMethods: AllowedMethods.ALLOW_ALL,
      cachePolicy: this.apiCachePolicy,
      originRequestPolicy: this.apiRequestPolicy,
      responseHeadersPolicy: this.responseHeadersPolicy,
      compress: true,
    };
    const studentTokenRefusal = new CloudFrontFunction(this, 'StudentTokenRefusal', {
      comment: 'A student session token on /api/admin/* is answered 403 (functions/shared/student-token-refusal.ts)',
      code: FunctionCode.fromInline(STUDENT_TOKEN_REFUSAL_CODE),
      runtime: FunctionRuntime.JS_2_0,
    });

    this.distribution = new Distribution(this, 'Distribution', {
      comment: 'Inscrire: student pages and /api',
      defaultRootObject: 'index.html',
      httpVersion: HttpVersion.HTTP2_AND_3,
      priceClass: props.priceClass ?? PriceClass.PRICE_CLASS_100,
      domainNames: props.domain?.names,
      certificate: props.domain?.certificate,
      minimumProtocolVersion: props.domain ? SecurityPolicyProtocol.TLS_V1_2_2021 : undefined,
      webAclId: props.webAclId,
      enableLogging: true,
      logBucket: this.logBucket,
      logFilePrefix: 'cloudfront/',
      defaultBehavior: {
        origin: S3BucketOrigin.withOriginAccessControl(this.bucket),
        viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        allowedMethods: AllowedMethods.ALLOW_GET_HEAD,
        cachePolicy: CachePolicy.CACHING_OPTIMIZED,
        responseHeadersPolicy: this.responseHeadersPolicy,
        compress: true,
        functionAssociations: [{ function: spaRewrite, eventType: FunctionEventType.VIEWER_REQUEST }],
      },
      additionalBehaviors: {
        // A student's token on the operators' API: 403 before the JWT authorizer's 401 (API.md
        // "Operators"). Listed first: CloudFront takes the first behaviour whose pattern matches.
        '/api/admin/*': { ...apiBehavior, functionAssociations: [{ function: studentTokenRefusal, eventType: FunctionEventType.VIEWER_REQUEST }] },
        '/api/*': apiBehavior,
      },
    });
    acknowledgeDistribution(this.distribution, props);

    const pages = builtPages(projectRoot);
    this.deploymentLogGroup = new LogGroup(this, 'DeploymentLogs', {
      retention: props.deploymentLogRetention ?? RetentionDays.ONE_MONTH,
      removalPolicy,
    });
    const hashed = new BucketDeployment(this, 'HashedFiles', {
      sources: [pages],
      destinationBucket: this.bucket,
      exclude: [...REVALIDATED_FILES],
      cacheControl: [CacheControl.fromString(IMMUTABLE_CACHE)],
      // Tabs opened before a deployment keep loading the files their index.html names.
      prune: false,
      memoryLimit: 512,
      logGroup: this.deploymentLogGroup,
    });
    this.pageDeployment = new BucketDeployment(this, 'EntryFiles', {
      sources: [pages, Source.jsonData('config.json', props.siteConfig)],
      destinationBucket: this.bucket,
      exclude: ['*'],
      include: [...REVALIDATED_FILES],
      cacheControl: [CacheControl.noCache()],
      prune: false,
      memoryLimit: 512,
      logGroup: this.deploymentLogGroup,
      distribution: this.distribution,
      distributionPaths: REVALIDATED_FILES.map((f) => `/${f}`),
    });
    // A new index.html must never name files not uploaded yet.
    this.pageDeployment.node.addDependency(hashed);
    acknowledgeDeploymentHandler(hashed, this.bucket);
  }

  /** The pages' address (`https://<distribution>.cloudfront.net`, or the first custom domain). */
  get url(): string {
    return `https://${this.domainNames?.[0] ?? this.distribution.distributionDomainName}`;
  }
}

/**
 * The pages built from web/src into the asset's output directory, at synth. The hash is the
 * output's, so a change to the shared schemas the pages bundle (functions/domain) redeploys
 * them too. The build runs locally (esbuild is a dev dependency); the Docker image is only
 * CDK's required fallback and is never used: a failed local build fails the synth.
 */
function builtPages(projectRoot: string): ISource {
  const tsxCli = createRequire(join(projectRoot, 'package.json')).resolve('tsx/cli');
  const script = join(projectRoot, 'scripts', 'build-web.ts');
  return Source.asset(join(projectRoot, 'web', 'src'), {
    assetHashType: AssetHashType.OUTPUT,
    bundling: {
      image: DockerImage.fromRegistry('public.ecr.aws/docker/library/node:22-slim'),
      local: {
        tryBundle(outputDir) {
          try {
            execFileSync(process.execPath, [tsxCli, script, '--out', outputDir], { cwd: projectRoot, stdio: ['ignore', 'inherit', 'inherit'] });
          } catch (err) {
            throw new Error(`Building the student pages failed (npx tsx scripts/build-web.ts): ${(err as Error).message}`);
          }
          return true;
        },
      },
    },
  });
}

/**
 * CDK's BucketDeployment handler (one function per stack, shared by both deployments): its
 * role and runtime are CDK's. Each finding is acknowledged on its own.
 */
function acknowledgeDeploymentHandler(deployment: BucketDeployment, pages: Bucket): void {
  const handler = deployment.handlerRole.node.scope!;
  const stack = Stack.of(deployment);
  const qualifier = (stack.synthesizer as DefaultStackSynthesizer).bootstrapQualifier ?? DefaultStackSynthesizer.DEFAULT_QUALIFIER;
  const account = Token.isUnresolved(stack.account) ? '<AWS::AccountId>' : stack.account;
  const region = Token.isUnresolved(stack.region) ? '<AWS::Region>' : stack.region;
  const copies = 'The BucketDeployment handler copies the built pages from the CDK assets bucket into the pages bucket';
  acknowledge(
    handler,
    'IAM4',
    `${copies}; this AWS managed policy only lets it write its own CloudWatch logs.`,
    'Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole',
  );
  for (const action of ['s3:GetObject*', 's3:GetBucket*', 's3:List*']) {
    acknowledge(handler, 'IAM5', `${copies}: CDK's grantRead() action group, limited to the CDK assets bucket and the pages bucket.`, `Action::${action}`);
  }
  for (const action of ['s3:DeleteObject*', 's3:Abort*']) {
    acknowledge(handler, 'IAM5', `${copies}: CDK's grantReadWrite() action group, limited to the pages bucket (prune is off, so nothing is deleted in practice).`, `Action::${action}`);
  }
  acknowledge(
    handler,
    'IAM5',
    `${copies}: it reads the deployment's asset objects (zip files) from the CDK bootstrap assets bucket.`,
    `Resource::arn:<AWS::Partition>:s3:::cdk-${qualifier}-assets-${account}-${region}/*`,
  );
  acknowledge(handler, 'IAM5', `${copies}: it writes any object of the pages bucket, the deployment's destination and nothing else.`, `Resource::${nagArnOf(pages)}/*`);
  acknowledge(
    handler,
    'IAM5',
    'CDK grants the BucketDeployment handler cloudfront:CreateInvalidation and cloudfront:GetInvalidation on "*"; the handler only invalidates the distribution it is given (DistributionId), after each deployment of index.html.',
    'Resource::*',
  );
  acknowledge(
    handler,
    'L1',
    'The BucketDeployment handler is CDK-provided code whose runtime (Python with the AWS CLI layer) is chosen and kept up to date by aws-cdk-lib releases, not by this project.',
  );
}

function acknowledgeDistribution(distribution: Distribution, props: WebHostingProps): void {
  acknowledge(distribution, 'CFR1', 'No geo restriction by design: admitted students enroll from anywhere in the world (international students, students abroad over the summer).');
  if (!props.webAclId) {
    acknowledge(
      distribution,
      'CFR2',
      'No WAF web ACL given: a CLOUDFRONT-scope web ACL must live in us-east-1, outside this regional stack; pass webAclId to attach one. The API is throttled per stage and login attempts are rate limited.',
    );
  }
  if (!props.domain) {
    acknowledge(
      distribution,
      'CFR4',
      'Without a custom domain the distribution uses the default *.cloudfront.net certificate, whose minimum TLS version CloudFront does not let us set; passing domain (certificate) enforces TLSv1.2_2021.',
    );
  }
}
