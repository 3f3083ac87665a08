/**
 * What the prod stage changes: data kept and protected, longer log retention, production
 * throttling and alarm address. Everything else is shared with dev (stack.test.ts).
 */
import { type CfnElement, Stack } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import { beforeAll, describe, expect, it } from 'vitest';
import { jobs, routes } from '../../functions/routes';
import { functionProperties, synthStage, type Synthesised } from './synth';

let s: Synthesised;
beforeAll(() => {
  s = synthStage('prod');
});

function resourceOf(construct: IConstruct): Record<string, any> {
  const id = Stack.of(construct).getLogicalId((construct.node.defaultChild ?? construct) as CfnElement);
  return s.template.toJSON().Resources[id];
}

describe('prod stage', () => {
  it('protects the table from deletion and retains it with the stack', () => {
    expect(resourceOf(s.stack.table.table)).toMatchObject({
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: { DeletionProtectionEnabled: true, BillingMode: 'PAY_PER_REQUEST' },
    });
  });

  it('retains the secrets (the Stripe keys cannot be regenerated)', () => {
    expect(resourceOf(s.stack.secrets.stripe)).toMatchObject({ DeletionPolicy: 'Retain' });
    expect(resourceOf(s.stack.secrets.session)).toMatchObject({ DeletionPolicy: 'Retain' });
    expect(resourceOf(s.stack.secrets.national)).toMatchObject({ DeletionPolicy: 'Retain' });
  });

  it.each([...routes, ...jobs])('keeps $id logs for the configured retention, beyond the stack', ({ id }) => {
    const logGroup = s.template.toJSON().Resources[functionProperties(s.template, id).LoggingConfig.LogGroup.Ref];
    expect(s.config.logRetentionDays).toBe(365);
    expect(logGroup).toMatchObject({ Properties: { RetentionInDays: 365 }, DeletionPolicy: 'Retain' });
  });

  it('throttles the API at the production rate', () => {
    expect(resourceOf(s.stack.api.stage).Properties.DefaultRouteSettings).toEqual({
      ThrottlingRateLimit: s.config.throttling.rateLimit,
      ThrottlingBurstLimit: s.config.throttling.burstLimit,
    });
    expect(s.config.throttling.rateLimit).toBeGreaterThan(50);
  });

  it('alerts the production address and names the schedule group after the stage', () => {
    s.template.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'inscrire-alerts@example.org' });
    s.template.hasResourceProperties('AWS::Scheduler::ScheduleGroup', { Name: 'inscrire-prod' });
  });

  it('tells the functions they run in prod', () => {
    expect(functionProperties(s.template, 'Status').Environment.Variables).toMatchObject({ STAGE: 'prod', PUBLIC_ORIGIN: 'https://inscrire.example.org' });
  });
});
