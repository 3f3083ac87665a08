/**
 * Issue 11 point 10 (and the alarm of point 5), on the synthesized prod template: each
 * function's DynamoDB grant is exactly the actions its entry declares (functions/routes.ts
 * `access.table`), on its item kinds only (`dynamodb:LeadingKeys`), the index only where it
 * reads it; no public or student function can Scan or Delete; the dead operators' IAM policy
 * is gone; refusals by the cross-identifier and cross-address limits are alarmed.
 */
import { type CfnElement, Stack } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import { beforeAll, describe, expect, it } from 'vitest';
import { KEY_PREFIXES } from '../../functions/adapters/dynamo/key-prefixes';
import { jobs, routes } from '../../functions/routes';
import { METRIC, METRICS_NAMESPACE } from '../../functions/shared/metric-names';
import { leadingKeyPatterns } from '../../lib/constructs/service-function';
import { actionsOf, roleStatements, synthStage, type Statement, type Synthesised } from './synth';

let s: Synthesised;
beforeAll(() => {
  s = synthStage('prod');
});

const entries = [...routes, ...jobs];
const logicalId = (c: IConstruct) => Stack.of(c).getLogicalId((c.node.defaultChild ?? c) as CfnElement);
type Conditioned = Statement & { Condition?: Record<string, Record<string, unknown>> };

/** The role's statements on the table itself and on its index (not its stream, not "*"). */
function tableStatements(id: string) {
  const table = logicalId(s.stack.table.table);
  const all = roleStatements(s.template, id).filter((st) => actionsOf([st]).some((a) => a.startsWith('dynamodb:')) && st.Resource !== '*') as Conditioned[];
  const onTable = all.filter((st) => JSON.stringify(st.Resource) === JSON.stringify({ 'Fn::GetAtt': [table, 'Arn'] }));
  const onIndex = all.filter((st) => JSON.stringify(st.Resource).includes('/index/'));
  const onStream = all.filter((st) => JSON.stringify(st.Resource).includes('StreamArn'));
  return { all, onTable, onIndex, onStream };
}

describe('DynamoDB grants, from each entry’s declared access', () => {
  it.each(entries)('$id: its actions on the table are exactly those its access declares', ({ id, access }) => {
    const { all, onTable, onIndex, onStream } = tableStatements(id);
    // Nothing else reaches the table: every statement is one of the three kinds.
    expect(onTable.length + onIndex.length + onStream.length).toBe(all.length);
    if (!access.table) {
      expect(onTable).toEqual([]);
      return;
    }
    expect(onTable).toHaveLength(1);
    expect([...actionsOf(onTable)].sort()).toEqual([...new Set(access.table.actions)].map((a) => `dynamodb:${a}`).sort());
  });

  it.each(entries)('$id: on the item kinds it declares only (dynamodb:LeadingKeys)', ({ id, access }) => {
    const { onTable } = tableStatements(id);
    if (!access.table) return;
    expect(onTable[0]!.Condition).toEqual({ 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': leadingKeyPatterns(access.table) } });
    // Every pattern is one item kind's prefix (or whole key): no wildcard over the table.
    for (const pattern of leadingKeyPatterns(access.table)) expect(Object.values(KEY_PREFIXES).map((p) => (p.endsWith('#') ? `${p}*` : p))).toContain(pattern);
  });

  it.each(entries)('$id: queries the keys-only index only if its access says so, and nothing else there', ({ id, access }) => {
    const { onIndex } = tableStatements(id);
    if (!access.table?.index) {
      expect(onIndex).toEqual([]);
      return;
    }
    expect(onIndex).toHaveLength(1);
    expect(actionsOf(onIndex)).toEqual(['dynamodb:Query']);
    expect(JSON.stringify(onIndex[0]!.Resource)).toContain('/index/gsi1');
  });

  it('no public or student function can Scan or delete items; no function at all can Scan', () => {
    const exposed = routes.filter((r) => r.auth !== 'admin').map((r) => r.id);
    expect(exposed).toEqual(expect.arrayContaining(['Session', 'Support', 'PaymentWebhook', 'VerifyCertificate', 'StepCvec']));
    for (const id of exposed) {
      const actions = actionsOf(roleStatements(s.template, id));
      expect([id, actions.filter((a) => /^dynamodb:(Scan|DeleteItem|BatchWriteItem|\*)$/.test(a))]).toEqual([id, []]);
    }
    for (const { id } of entries) expect([id, actionsOf(roleStatements(s.template, id)).filter((a) => a === 'dynamodb:Scan' || a === 'dynamodb:*')]).toEqual([id, []]);
  });

  it('the student-facing steps touch their dossier, the service state and what their step needs, nothing of other kinds', () => {
    const kinds = (id: string) => routes.find((r) => r.id === id)!.access.table!.items;
    expect(kinds('GetDossier')).toEqual(['dossier', 'service']);
    expect(kinds('StepCvec')).toEqual(expect.arrayContaining(['dossier', 'rate']));
    expect(kinds('Status')).toEqual(['service']);
    expect(kinds('Session')).not.toContain('outbox');
  });
});

describe('the operators’ old IAM policy', () => {
  it('is gone: admin routes are authorised by the JWT authorizer, the execute-api endpoint is disabled', () => {
    expect(s.template.findResources('AWS::IAM::ManagedPolicy')).toEqual({});
    expect(JSON.stringify(s.template.toJSON())).not.toContain('execute-api:Invoke');
  });
});

describe('point 5: the abuse limits are alarmed', () => {
  it('an alarm on AbuseRefusals (≥ 1 in 5 minutes) notifies the alarm topic', () => {
    const metricOf = (a: any) => a.Properties.Metrics?.[0]?.MetricStat;
    const alarms = Object.values(s.template.findResources('AWS::CloudWatch::Alarm')).filter((a: any) => metricOf(a)?.Metric.MetricName === METRIC.abuseRefusals) as any[];
    expect(alarms).toHaveLength(1);
    const alarm = alarms[0].Properties;
    expect(metricOf(alarms[0])).toMatchObject({ Metric: { Namespace: METRICS_NAMESPACE, Dimensions: [{ Name: 'service', Value: 'inscrire' }] }, Period: 300, Stat: 'Sum' });
    expect(alarm).toMatchObject({ Threshold: 1, ComparisonOperator: 'GreaterThanOrEqualToThreshold', TreatMissingData: 'notBreaching' });
    const topic = { Ref: logicalId(s.stack.monitoring.topic) };
    expect(alarm.AlarmActions).toEqual([topic]);
  });
});
