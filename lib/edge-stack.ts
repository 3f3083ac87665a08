/**
 * The stage's edge protection: an AWS WAF web ACL of scope CLOUDFRONT, which AWS requires in
 * us-east-1 — hence its own small stack there (`Inscrire-<stage>-edge`), deployed before the
 * stage's stack, whose distribution attaches it (`cdk deploy -c stage=prod -c webAclArn=<WebAclArn
 * output>`). WAF cannot attach to an HTTP API, so it guards the only public way in: CloudFront.
 * Rate-based rules, per viewer address, on the two routes an attacker would hammer: login
 * (`/api/session`) and the support form (`/api/support`). The service's own limits
 * (functions/domain/rate-limits.ts) stay the finer line behind them.
 */
import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import { CfnWebACL } from 'aws-cdk-lib/aws-wafv2';
import type { Construct } from 'constructs';

/** Requests per viewer address in WAF's 5-minute window before WAF blocks it. */
export const EDGE_RATE_LIMITS = { '/api/session': 100, '/api/support': 100 } as const;

export class EdgeStack extends Stack {
  readonly webAcl: CfnWebACL;

  constructor(scope: Construct, id: string, props: StackProps & { stage: string }) {
    super(scope, id, { ...props, env: { ...props.env, region: 'us-east-1' } });
    const rules = Object.entries(EDGE_RATE_LIMITS).map(([path, limit], i): CfnWebACL.RuleProperty => {
      const name = `RateLimit${path.replace(/[^A-Za-z]/g, '')}`;
      return {
        name,
        priority: i,
        action: { block: {} },
        statement: {
          rateBasedStatement: {
            limit,
            aggregateKeyType: 'IP',
            scopeDownStatement: {
              byteMatchStatement: {
                fieldToMatch: { uriPath: {} },
                positionalConstraint: 'STARTS_WITH',
                searchString: path,
                textTransformations: [{ priority: 0, type: 'NONE' }],
              },
            },
          },
        },
        visibilityConfig: { cloudWatchMetricsEnabled: true, metricName: `${props.stage}-${name}`, sampledRequestsEnabled: true },
      };
    });
    this.webAcl = new CfnWebACL(this, 'WebAcl', {
      scope: 'CLOUDFRONT',
      defaultAction: { allow: {} },
      description: `Inscrire ${props.stage}: rate limits per viewer address on login and support`,
      rules,
      visibilityConfig: { cloudWatchMetricsEnabled: true, metricName: `inscrire-${props.stage}-edge`, sampledRequestsEnabled: true },
    });
    new CfnOutput(this, 'WebAclArn', { description: 'Pass to the stage stack: -c webAclArn=<this>', value: this.webAcl.attrArn });
  }
}
