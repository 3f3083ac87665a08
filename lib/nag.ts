/**
 * cdk-nag acknowledgements, in one form.
 *
 * cdk-nag 3 is a CDK policy-validation plugin named `AwsSolutions`: the CDK qualifies each rule
 * it reports with the plugin's namespace (`AwsSolutions::AwsSolutions-IAM5[...]`) and matches
 * acknowledgements recorded with `Validations.of(scope).acknowledge()` against that qualified
 * id, for the scope and everything under it. Acknowledging with the qualified id keeps the
 * finding in `policy-validation-report.json` as *suppressed*, with its reason and location,
 * which is the audit trail a reviewer reads. (An unqualified id would be recorded under the
 * `Annotation::` namespace and silently dropped by cdk-nag itself, leaving no trace.)
 */
import { CfnElement, Stack, Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/** Name of the cdk-nag rule pack, which is also its validation namespace. */
export const NAG_PACK = 'AwsSolutions';

/**
 * Acknowledges one AwsSolutions rule, or one finding of it, on `scope` and its children.
 *
 * @param rule rule suffix, e.g. `IAM5`.
 * @param reason why the finding is accepted; shown in the validation report.
 * @param finding the finding id of multi-finding rules, e.g. `Resource::*`; omit for
 *   single-finding rules. Acknowledge findings one by one rather than whole rules.
 */
export function acknowledge(scope: IConstruct, rule: string, reason: string, finding?: string): void {
  const id = finding === undefined ? `${NAG_PACK}-${rule}` : `${NAG_PACK}-${rule}[${finding}]`;
  Validations.of(scope).acknowledge({ id: `${NAG_PACK}::${id}`, reason });
}

/**
 * How cdk-nag renders `Fn::GetAtt [<resource>, Arn]` in finding ids (`<LogicalId.Arn>`), for
 * acknowledging one finding on one resource's ARN.
 *
 * @param resource an L2 construct (its default child is used) or an L1 resource.
 */
export function nagArnOf(resource: IConstruct): string {
  const element = resource instanceof CfnElement ? resource : resource.node.defaultChild;
  if (!(element instanceof CfnElement)) {
    throw new Error(`${resource.node.path} has no CloudFormation resource to reference`);
  }
  return `<${Stack.of(element).getLogicalId(element)}.Arn>`;
}
