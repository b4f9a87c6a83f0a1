import { Finding } from '@internal/backstage-plugin-cloud-native-common';
import { KubernetesObject, ManifestFile } from '../../core/types';
import { asStringMap, isObj, Located, nameOf, ObjectIndex } from './model';
import { policyRules } from './registry';
import {
  EvaluatePoliciesOptions,
  PolicyLevel,
  PolicyRule,
  PolicySeverity,
} from './types';

/**
 * Annotation prefix to exempt one object from one rule, with the reason as
 * the value (modelled on kube-linter's `ignore-check.kube-linter.io/<check>`,
 * which is honoured too for rules anchored to that check).
 */
export const POLICY_IGNORE_ANNOTATION_PREFIX =
  'ignore-check.cloud-native.backstage.io/';
const KUBE_LINTER_IGNORE_PREFIX = 'ignore-check.kube-linter.io/';

function isIgnored(rule: PolicyRule, object: KubernetesObject): boolean {
  const annotations = asStringMap(
    isObj(object.metadata) ? object.metadata.annotations : undefined,
  );
  const reason = annotations[`${POLICY_IGNORE_ANNOTATION_PREFIX}${rule.id}`];
  if (reason !== undefined && reason.trim() !== '') return true;
  return rule.anchors.some(
    anchor =>
      anchor.startsWith('kube-linter:') &&
      annotations[
        `${KUBE_LINTER_IGNORE_PREFIX}${anchor.slice('kube-linter:'.length)}`
      ] !== undefined,
  );
}

function isObject(value: unknown): value is KubernetesObject {
  return (
    isObj(value) &&
    typeof value.kind === 'string' &&
    typeof value.apiVersion === 'string'
  );
}

/** The severity of a rule at a tier, after the organisation's overrides. */
export function ruleSeverity(
  rule: PolicyRule,
  options: EvaluatePoliciesOptions,
): PolicyLevel {
  const overrides = options.severityOverrides ?? {};
  return (
    overrides[rule.id] ??
    overrides[`policy/${rule.id}`] ??
    rule.severity[options.tier]
  );
}

/**
 * Runs every policy rule on the manifests of a package. Cross-object rules
 * (Service → Pods, HPA → target, ...) look only at objects of the same
 * environment.
 */
export function evaluatePolicies(
  files: ReadonlyArray<ManifestFile>,
  options: EvaluatePoliciesOptions,
): Finding[] {
  const located = new Map<string, Located[]>();
  for (const file of files) {
    const list = located.get(file.environment) ?? [];
    for (const object of file.objects) {
      if (isObject(object)) list.push({ object, file });
    }
    located.set(file.environment, list);
  }
  const indexes = new Map(
    [...located].map(([environment, list]) => [
      environment,
      new ObjectIndex(list),
    ]),
  );
  const active = policyRules
    .map(rule => ({ rule, severity: ruleSeverity(rule, options) }))
    .filter(
      (entry): entry is { rule: PolicyRule; severity: PolicySeverity } =>
        entry.severity !== 'off',
    );

  const findings: Finding[] = [];
  for (const [environment, list] of located) {
    const index = indexes.get(environment)!;
    for (const { object, file } of list) {
      const workload = index.workloadOf(object);
      for (const { rule, severity } of active) {
        if (!rule.appliesTo.includes(object.kind) || isIgnored(rule, object)) {
          continue;
        }
        for (const violation of rule.check({
          object,
          file,
          tier: options.tier,
          workload,
          index,
        })) {
          const target = `${object.kind}/${nameOf(object)}`;
          findings.push({
            ruleId: `policy/${rule.id}`,
            severity,
            file: file.path,
            objectPath: violation.path
              ? `${target}: ${violation.path}`
              : target,
            message: violation.message,
            anchors: [...rule.anchors],
          });
        }
      }
    }
  }
  return findings;
}
