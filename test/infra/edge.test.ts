/**
 * Issue 11 point 6 on the synthesized templates: CloudFront forwards the viewer's address with
 * the origin-verify secret (never its value in the template) and Authorization; the WAF web
 * ACL is in us-east-1 with rate-based rules on /api/session and /api/support.
 */
import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import type { EdgeStack } from '../../lib/edge-stack';
import { functionProperties, synthStage, type Synthesised } from './synth';

let dev: Synthesised;
beforeAll(() => {
  dev = synthStage('dev');
});

describe('CloudFront → API', () => {
  it('forwards CloudFront-Viewer-Address (and Authorization, through the cache policy), and the origin-verify secret header', () => {
    const t = dev.template.toJSON();
    const dist = Object.values(t.Resources).find((r: any) => r.Type === 'AWS::CloudFront::Distribution') as any;
    const api = dist.Properties.DistributionConfig.CacheBehaviors.find((b: any) => b.PathPattern === '/api/*');
    const policy = t.Resources[api.OriginRequestPolicyId.Ref].Properties.OriginRequestPolicyConfig;
    expect(policy.HeadersConfig).toMatchObject({ HeaderBehavior: 'whitelist', Headers: expect.arrayContaining(['CloudFront-Viewer-Address']) });
    expect(policy.HeadersConfig.Headers.map((h: string) => h.toLowerCase())).not.toContain('host');
    const cache = t.Resources[api.CachePolicyId.Ref].Properties.CachePolicyConfig;
    expect(cache.ParametersInCacheKeyAndForwardedToOrigin.HeadersConfig).toEqual({ HeaderBehavior: 'whitelist', Headers: ['Authorization'] });
    expect(cache.DefaultTTL).toBe(0);

    const origin = dist.Properties.DistributionConfig.Origins.find((o: any) => o.Id === api.TargetOriginId);
    const header = origin.OriginCustomHeaders.find((h: any) => h.HeaderName === 'x-origin-verify');
    expect(JSON.stringify(header.HeaderValue)).toMatch(/resolve:secretsmanager/);
  });

  it('gives the login and support functions the origin-verify secret, and no other function', () => {
    for (const id of ['Session', 'Support']) expect(Object.keys(functionProperties(dev.template, id).Environment.Variables)).toContain('ORIGIN_VERIFY_SECRET_ARN');
    expect(Object.keys(functionProperties(dev.template, 'GetDossier').Environment.Variables)).not.toContain('ORIGIN_VERIFY_SECRET_ARN');
  });
});

describe('WAF', () => {
  it('is a CLOUDFRONT web ACL in us-east-1 with rate-based rules per address on /api/session and /api/support', () => {
    const edge = dev.stack.node.root.node.findChild('Inscrire-dev-edge') as EdgeStack;
    expect(Stack.of(edge).region).toBe('us-east-1');
    const t = Template.fromStack(edge);
    for (const path of ['/api/session', '/api/support']) {
      t.hasResourceProperties('AWS::WAFv2::WebACL', {
        Scope: 'CLOUDFRONT',
        Rules: Match.arrayWith([
          Match.objectLike({
            Action: { Block: {} },
            Statement: {
              RateBasedStatement: Match.objectLike({
                AggregateKeyType: 'IP',
                ScopeDownStatement: { ByteMatchStatement: Match.objectLike({ SearchString: path, PositionalConstraint: 'STARTS_WITH' }) },
              }),
            },
          }),
        ]),
      });
    }
  });
});
