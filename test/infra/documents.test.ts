/**
 * The documents bucket and its wiring: private, encrypted, TLS only, versioned, CORS for the
 * public origin only, deleted after the retention period; uploads notify the check job; each
 * function reaches the documents with exactly the one action its route entry declares.
 */
import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { documents as documentRules, withdrawalRules } from '../../config/catalogue';
import { academicYearAt } from '../../functions/domain/windows';
import { jobs, routes } from '../../functions/routes';
import { documentsExpirationDays } from '../../lib/constructs/documents-bucket';
import { functionLogicalId, roleStatements, synthStage, type Synthesised } from './synth';

let s: Synthesised;
beforeAll(() => {
  s = synthStage('dev');
});

const bucketId = () => s.stack.getLogicalId(s.stack.documents.bucket.node.defaultChild as never);

describe('documents bucket', () => {
  it('is private, encrypted, versioned, logged, with CORS for the public origin and the retention lifecycle', () => {
    const bucket = s.template.toJSON().Resources[bucketId()];
    expect(bucket.Properties.PublicAccessBlockConfiguration).toEqual({ BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true });
    expect(bucket.Properties.BucketEncryption.ServerSideEncryptionConfiguration[0].ServerSideEncryptionByDefault.SSEAlgorithm).toBe('AES256');
    expect(bucket.Properties.VersioningConfiguration).toEqual({ Status: 'Enabled' });
    expect(bucket.Properties.LoggingConfiguration).toBeDefined();
    expect(bucket.Properties.CorsConfiguration.CorsRules).toEqual([expect.objectContaining({ AllowedOrigins: [s.config.publicOrigin], AllowedMethods: ['POST', 'GET'] })]);
    const retention = bucket.Properties.LifecycleConfiguration.Rules.find((r: { Id: string }) => r.Id === 'retention');
    expect(retention).toMatchObject({ Status: 'Enabled', ExpirationInDays: documentsExpirationDays(documentRules.retentionMonthsAfterYear), NoncurrentVersionExpiration: { NoncurrentDays: 30 } });
    // A file uploaded on the first day of a campaign (academicYearAt turns to the new year) still
    // exists when the retention after that academic year's end is over.
    const firstDay = new Date('2026-01-01T00:00:00Z');
    while (academicYearAt(firstDay, 'UTC') !== '2026-2027') firstDay.setUTCDate(firstDay.getUTCDate() + 1);
    const yearEnd = Date.UTC(2027, withdrawalRules.academicYearStart.month - 1, withdrawalRules.academicYearStart.day);
    const retentionEnd = new Date(yearEnd);
    retentionEnd.setUTCMonth(retentionEnd.getUTCMonth() + documentRules.retentionMonthsAfterYear);
    expect(firstDay.getTime() + retention.ExpirationInDays * 86_400_000).toBeGreaterThanOrEqual(retentionEnd.getTime());
  });

  it('refuses requests without TLS', () => {
    s.template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: bucketId() },
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Action: 's3:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) },
    });
  });

  it('notifies the check job of every object created under documents/', () => {
    const check = jobs.find((j) => j.trigger.kind === 'documentUploads')!;
    s.template.hasResourceProperties('Custom::S3BucketNotifications', {
      NotificationConfiguration: {
        LambdaFunctionConfigurations: [
          {
            Events: ['s3:ObjectCreated:*'],
            Filter: { Key: { FilterRules: [{ Name: 'prefix', Value: 'documents/' }] } },
            LambdaFunctionArn: { 'Fn::GetAtt': [functionLogicalId(s.template, check.id), 'Arn'] },
          },
        ],
      },
    });
  });

  it('grants each function the one S3 action its access declares, on documents/* only', () => {
    for (const def of [...routes, ...jobs]) {
      // Grants on the certificates/ prefix of the same bucket (certificate job and download) are not this test's concern.
      const s3 = roleStatements(s.template, def.id).filter((st) => [st.Action].flat().some((a) => String(a).startsWith('s3:')) && !JSON.stringify(st.Resource).includes('/certificates/'));
      if (!def.access.documents) {
        expect(s3, def.id).toEqual([]);
        continue;
      }
      expect(s3, def.id).toHaveLength(1);
      expect([s3[0]!.Action].flat(), def.id).toEqual([def.access.documents === 'read' ? 's3:GetObject' : 's3:PutObject']);
      expect(JSON.stringify(s3[0]!.Resource), def.id).toContain('/documents/*');
    }
  });

  it("lets the pages' CSP upload to the bucket's regional endpoint (connect-src and form-action) and fetch the operators' tokens from the sign-in domain, nowhere else", () => {
    const policies = Object.values(s.template.findResources('AWS::CloudFront::ResponseHeadersPolicy'));
    expect(policies).toHaveLength(1);
    const csp = policies[0]!.Properties.ResponseHeadersPolicyConfig.SecurityHeadersConfig.ContentSecurityPolicy.ContentSecurityPolicy;
    // A token joined into the policy: render the bucket's attribute as a placeholder to read the directives.
    const parts = (csp['Fn::Join'] as [string, unknown[]])[1];
    const text = parts
      .map((p) =>
        typeof p === 'string'
          ? p
          : JSON.stringify(p) === JSON.stringify({ 'Fn::GetAtt': [bucketId(), 'RegionalDomainName'] })
            ? '<bucket>.s3.<region>.amazonaws.com'
            : /^\{"Ref":"OperatorSignIn\w*HostedSignIn\w*"\}$/.test(JSON.stringify(p))
              ? '<sign-in-domain>'
              : `<other ${JSON.stringify(p)}>`,
      )
      .join('');
    const directives = Object.fromEntries(text.split('; ').map((d: string) => [d.split(' ')[0], d.split(' ').slice(1)]));
    // The console's code-for-token exchange (PKCE) goes to Cognito's hosted sign-in domain.
    expect(directives['connect-src']).toEqual(["'self'", 'https://<bucket>.s3.<region>.amazonaws.com', expect.stringMatching(/^https:\/\/<sign-in-domain>\.auth\.[a-z0-9-]+\.amazoncognito\.com$/)]);
    expect(directives['form-action']).toEqual(["'self'", 'https://<bucket>.s3.<region>.amazonaws.com']);
    expect(directives['default-src']).toEqual(["'self'"]);
    expect(directives['script-src']).toEqual(["'self'"]);
    expect(text).not.toContain('<other');
  });
});
