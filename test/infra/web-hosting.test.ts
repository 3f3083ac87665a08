/**
 * The student pages' hosting, in a minimal stack around the construct: private bucket read
 * through OAC, `/api/*` to the HTTP API uncached with every viewer header but Host, the
 * security headers (the same values the local runtime sends), the page-path rewrite, the two
 * deployments and their cache rules, logging, and cdk-nag's AwsSolutions checks.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { App, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import { Certificate } from 'aws-cdk-lib/aws-certificatemanager';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { describe, expect, it } from 'vitest';
import { HSTS_MAX_AGE_SECONDS, SECURITY_HEADERS, consolePage, isPagePath } from '../../config/web';
import { REVALIDATED_FILES, SPA_REWRITE_CODE, WebHosting, type WebHostingProps } from '../../lib/constructs/web-hosting';
import { NAG_PACK } from '../../lib/nag';
import { STUDENT_TOKEN_AUDIENCE, STUDENT_TOKEN_ISSUER, STUDENT_TOKEN_REFUSAL_CODE, refuseStudentToken } from '../../functions/shared/student-token-refusal';
import type { ValidationReport } from './synth';

interface Built {
  stack: Stack;
  web: WebHosting;
  template: Template;
  report: ValidationReport;
  assemblyDir: string;
}

function build(o: { bundle?: boolean; props?: Partial<WebHostingProps> } = {}): Built {
  const app = new App({
    context: {
      '@aws-cdk/core:failSynthOnValidationErrors': false,
      ...(o.bundle ? {} : { 'aws:cdk:bundling-stacks': [] }),
    },
  });
  // Environment-agnostic, as the service's stacks are.
  const stack = new Stack(app, 'WebTest');
  const api = new HttpApi(stack, 'Api');
  const web = new WebHosting(stack, 'Web', { api, siteConfig: { assistanceEmail: 'assistance@example.org' }, ...o.props });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  const assembly = app.synth();
  const report = JSON.parse(readFileSync(join(assembly.directory, 'validation-report.json'), 'utf8')) as ValidationReport;
  return { stack, web, template: Template.fromStack(stack), report, assemblyDir: assembly.directory };
}

const distributionConfig = (t: Template) => Object.values(t.findResources('AWS::CloudFront::Distribution'))[0]!.Properties.DistributionConfig;

describe('web hosting', () => {
  const { template, report, assemblyDir } = build();

  it('keeps the pages bucket private, encrypted, TLS-only, logged, and readable by the distribution only (OAC)', () => {
    template.hasResourceProperties('AWS::S3::Bucket', {
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
      LoggingConfiguration: { LogFilePrefix: 's3-pages/' },
    });
    template.resourceCountIs('AWS::CloudFront::OriginAccessControl', 1);
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          Match.objectLike({
            Effect: 'Allow',
            Principal: { Service: 'cloudfront.amazonaws.com' },
            Action: 's3:GetObject',
            Condition: { StringEquals: { 'AWS:SourceArn': Match.anyValue() } },
          }),
        ]),
      },
    });
  });

  it('routes /api/* to the HTTP API: nothing stored, all methods, the headers the API reads but never Host, HTTPS only', () => {
    const config = distributionConfig(template);
    const api = config.CacheBehaviors.find((b: { PathPattern: string }) => b.PathPattern === '/api/*');
    expect(api).toMatchObject({
      AllowedMethods: ['GET', 'HEAD', 'OPTIONS', 'PUT', 'PATCH', 'POST', 'DELETE'],
      // Own policies (test/infra/edge.test.ts): Authorization in a no-store cache policy, the viewer's address forwarded.
      CachePolicyId: { Ref: expect.any(String) },
      OriginRequestPolicyId: { Ref: expect.any(String) },
      ViewerProtocolPolicy: 'https-only',
    });
    const origin = config.Origins.find((x: { Id: string }) => x.Id === api.TargetOriginId);
    expect(origin.CustomOriginConfig).toMatchObject({ OriginProtocolPolicy: 'https-only', OriginSSLProtocols: ['TLSv1.2'] });
    // The API's host name, taken from its endpoint URL.
    expect(JSON.stringify(origin.DomainName)).toContain('Fn::Split');
    expect(config.CustomErrorResponses).toBeUndefined();
  });

  it('serves the pages with caching, HTTPS and the page-path rewrite on the default behaviour only', () => {
    const config = distributionConfig(template);
    expect(config).toMatchObject({ DefaultRootObject: 'index.html', HttpVersion: 'http2and3', PriceClass: 'PriceClass_100', Logging: { Prefix: 'cloudfront/' } });
    expect(config.DefaultCacheBehavior).toMatchObject({ ViewerProtocolPolicy: 'redirect-to-https', Compress: true, AllowedMethods: ['GET', 'HEAD'] });
    expect(config.DefaultCacheBehavior.FunctionAssociations).toEqual([expect.objectContaining({ EventType: 'viewer-request' })]);
    expect(config.CacheBehaviors.find((b: { PathPattern: string }) => b.PathPattern === '/api/*').FunctionAssociations).toBeUndefined();
    template.hasResourceProperties('AWS::CloudFront::Function', { FunctionCode: SPA_REWRITE_CODE, FunctionConfig: Match.objectLike({ Runtime: 'cloudfront-js-2.0' }) });
  });

  it('answers a student session token on /api/admin/* with 403 at the edge, before the JWT authorizer (listed before /api/*)', () => {
    const config = distributionConfig(template);
    const patterns = config.CacheBehaviors.map((b: { PathPattern: string }) => b.PathPattern);
    expect(patterns.indexOf('/api/admin/*')).toBeLessThan(patterns.indexOf('/api/*'));
    const admin = config.CacheBehaviors.find((b: { PathPattern: string }) => b.PathPattern === '/api/admin/*');
    expect(admin.FunctionAssociations).toEqual([expect.objectContaining({ EventType: 'viewer-request' })]);
    template.hasResourceProperties('AWS::CloudFront::Function', { FunctionCode: STUDENT_TOKEN_REFUSAL_CODE, FunctionConfig: Match.objectLike({ Runtime: 'cloudfront-js-2.0' }) });
    const jwt = (claims: object) => `Bearer eyJhbGciOiJIUzI1NiJ9.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.c2ln`;
    const edge = (authorization?: string) => refuseStudentToken({ request: { uri: '/api/admin/stats', headers: authorization ? { authorization: { value: authorization } } : {} } });
    expect(edge(jwt({ iss: STUDENT_TOKEN_ISSUER, aud: STUDENT_TOKEN_AUDIENCE, sub: 'x' }))).toMatchObject({ statusCode: 403, body: { data: expect.stringContaining('"FORBIDDEN"') } });
    for (const passed of [undefined, 'Bearer nope', jwt({ iss: 'https://cognito-idp.eu-west-3.amazonaws.com/pool', token_use: 'access' }), jwt({ iss: STUDENT_TOKEN_ISSUER, aud: 'other' })]) {
      expect(edge(passed)).not.toHaveProperty('statusCode');
    }
  });

  it('rewrites exactly the page paths the local runtime treats as pages', () => {
    const handler = new Function(`${SPA_REWRITE_CODE}; return handler;`)() as (e: { request: { uri: string } }) => { uri: string };
    for (const uri of ['/', '/connexion', '/etapes/ine', '/paiement/retour', '/main-6FCEY5BP.js', '/styles-QLYKV2VQ.css', '/favicon.svg', '/config.json', '/a.b/c']) {
      const rewritten = handler({ request: { uri } }).uri === '/index.html';
      expect(rewritten, uri).toBe(isPagePath(uri));
    }
    // The console's pages share its own index.html; its hashed files are served as they are.
    for (const uri of ['/gestion', '/gestion/', '/gestion/dossiers/abc', '/gestion/callback']) {
      expect(handler({ request: { uri } }).uri, uri).toBe(consolePage(uri) && isPagePath(uri) ? '/gestion/index.html' : uri);
    }
    expect(handler({ request: { uri: '/gestion/console-TFG2MW4S.js' } }).uri).toBe('/gestion/console-TFG2MW4S.js');
    expect(handler({ request: { uri: '/gestionnaire' } }).uri).toBe('/index.html');
  });

  it('sends the security headers the local runtime sends, plus HSTS', () => {
    const policy = Object.values(template.findResources('AWS::CloudFront::ResponseHeadersPolicy'))[0]!.Properties.ResponseHeadersPolicyConfig;
    const security = policy.SecurityHeadersConfig;
    expect(security.ContentSecurityPolicy).toEqual({ ContentSecurityPolicy: SECURITY_HEADERS['content-security-policy'], Override: true });
    expect(security.ContentTypeOptions).toEqual({ Override: true });
    expect(security.FrameOptions).toEqual({ FrameOption: SECURITY_HEADERS['x-frame-options'], Override: true });
    expect(security.ReferrerPolicy).toEqual({ ReferrerPolicy: SECURITY_HEADERS['referrer-policy'], Override: true });
    expect(security.StrictTransportSecurity).toEqual({ AccessControlMaxAgeSec: HSTS_MAX_AGE_SECONDS, IncludeSubdomains: true, Override: true });
    const custom = Object.fromEntries(policy.CustomHeadersConfig.Items.map((i: { Header: string; Value: string }) => [i.Header.toLowerCase(), i.Value]));
    expect(custom).toEqual({ 'permissions-policy': SECURITY_HEADERS['permissions-policy'], 'cross-origin-opener-policy': SECURITY_HEADERS['cross-origin-opener-policy'] });
    expect(SECURITY_HEADERS['content-security-policy']).toMatch(/script-src 'self'(;|$)/);
    expect(SECURITY_HEADERS['content-security-policy']).toContain("frame-ancestors 'none'");
    const config = distributionConfig(template);
    const policyIds = [config.DefaultCacheBehavior, ...config.CacheBehaviors].map((b: { ResponseHeadersPolicyId: unknown }) => JSON.stringify(b.ResponseHeadersPolicyId));
    expect(new Set(policyIds).size).toBe(1);
  });

  it('deploys hashed files for a year and the entry files revalidated, after them, with an invalidation', () => {
    const deployments = template.findResources('Custom::CDKBucketDeployment');
    const byMetadata = (cache: string) => Object.entries(deployments).find(([, r]) => r.Properties.SystemMetadata?.['cache-control'] === cache)!;
    const [, hashed] = byMetadata('public, max-age=31536000, immutable');
    const [entryId, entry] = byMetadata('no-cache');
    expect(hashed.Properties).toMatchObject({ Prune: false, Exclude: [...REVALIDATED_FILES] });
    expect(hashed.Properties.DistributionId).toBeUndefined();
    expect(entry.Properties).toMatchObject({ Prune: false, Exclude: ['*'], Include: [...REVALIDATED_FILES], DistributionPaths: REVALIDATED_FILES.map((f) => `/${f}`) });
    expect(entry.DependsOn).toEqual(expect.arrayContaining([Object.keys(deployments).find((id) => id !== entryId)]));
    expect(hashed.Properties.SourceObjectKeys).toHaveLength(1);
    expect(entry.Properties.SourceObjectKeys).toHaveLength(2);
  });

  it('deploys the stage settings as config.json', () => {
    const configs = readdirSync(assemblyDir)
      .map((name) => join(assemblyDir, name, 'config.json'))
      .filter((file) => existsSync(file));
    expect(configs.map((file) => JSON.parse(readFileSync(file, 'utf8')))).toEqual([{ assistanceEmail: 'assistance@example.org' }]);
  });

  it('keeps access logs in a log bucket that expires them', () => {
    template.hasResourceProperties('AWS::S3::Bucket', {
      OwnershipControls: { Rules: [{ ObjectOwnership: 'ObjectWriter' }] },
      LifecycleConfiguration: { Rules: [Match.objectLike({ ExpirationInDays: 90, Status: 'Enabled' })] },
    });
  });

  it('has no unacknowledged AwsSolutions finding, and says why for each acknowledgement', () => {
    const nag = report.pluginReports.find((r) => r.pluginName === NAG_PACK)!;
    // The minimal stack's bare HttpApi is not this construct's concern.
    const mine = (path: string) => !path.startsWith('WebTest/Api/');
    const open = nag.violations.flatMap((v) => v.violatingConstructs.filter((c) => mine(c.constructPath)).map((c) => `${v.ruleName} at ${c.constructPath}`));
    expect(open).toEqual([]);
    const suppressed = (nag.suppressedViolations ?? []).filter((f) => f.violatingConstructs.some((c) => mine(c.constructPath)));
    expect(suppressed.map((f) => f.ruleName)).toEqual(expect.arrayContaining(['AwsSolutions-CFR1', 'AwsSolutions-CFR2', 'AwsSolutions-CFR4', 'AwsSolutions-L1']));
    for (const f of suppressed) {
      expect(f.reason.length, f.ruleName).toBeGreaterThan(60);
      // IAM findings one by one, never a whole rule.
      if (/-IAM[45]/.test(f.ruleName)) expect(f.ruleName).toMatch(/^AwsSolutions-IAM[45]\[.+\]$/);
    }
  });
});

describe('web hosting options', () => {
  it('requires TLS 1.2 with a custom domain, and then needs no CFR4 acknowledgement', () => {
    const { template, report, web, stack } = build({
      props: {
        domain: { names: ['inscription.example.org'], certificate: Certificate.fromCertificateArn(new Stack(), 'Cert', 'arn:aws:acm:us-east-1:123456789012:certificate/abc') },
      },
    });
    expect(distributionConfig(template)).toMatchObject({ Aliases: ['inscription.example.org'], ViewerCertificate: { MinimumProtocolVersion: 'TLSv1.2_2021', SslSupportMethod: 'sni-only' } });
    expect(stack.resolve(web.url)).toBe('https://inscription.example.org');
    const nag = report.pluginReports.find((r) => r.pluginName === NAG_PACK)!;
    expect((nag.suppressedViolations ?? []).map((f) => f.ruleName)).not.toContain('AwsSolutions-CFR4');
    expect(nag.violations.map((v) => v.ruleName)).not.toContain('AwsSolutions-CFR4');
  });

  it('empties and deletes its buckets with the stack when asked to (development stages)', () => {
    const { template, report } = build({ props: { removalPolicy: RemovalPolicy.DESTROY } });
    const buckets = Object.values(template.findResources('AWS::S3::Bucket'));
    expect(buckets.map((b) => b.DeletionPolicy)).toEqual(['Delete', 'Delete']);
    template.resourceCountIs('Custom::S3AutoDeleteObjects', 2);
    const nag = report.pluginReports.find((r) => r.pluginName === NAG_PACK)!;
    expect(nag.violations.flatMap((v) => v.violatingConstructs.map((c) => c.constructPath)).filter((path) => !path.startsWith('WebTest/Api/'))).toEqual([]);
  });

  it('retains its buckets by default', () => {
    const { template } = build();
    expect(Object.values(template.findResources('AWS::S3::Bucket')).map((b) => b.DeletionPolicy)).toEqual(['Retain', 'Retain']);
  });

  it('builds the pages from web/src into the deployed asset when synthesising', () => {
    const { assemblyDir } = build({ bundle: true });
    const assetDirs = readdirSync(assemblyDir).filter((name) => name.startsWith('asset.') && existsSync(join(assemblyDir, name, 'index.html')));
    expect(assetDirs).toHaveLength(1);
    const files = readdirSync(join(assemblyDir, assetDirs[0]!));
    expect(files).toEqual(expect.arrayContaining(['index.html', 'favicon.svg']));
    expect(files.some((f) => /^main-[A-Z0-9]+\.js$/.test(f))).toBe(true);
    const html = readFileSync(join(assemblyDir, assetDirs[0]!, 'index.html'), 'utf8');
    expect(html).toMatch(/<script type="module" src="\/main-[A-Z0-9]+\.js"><\/script>/);
  });
});
