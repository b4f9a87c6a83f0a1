import { Tier } from '@internal/backstage-plugin-cloud-native-common';
import { KubernetesObject, ManifestFile } from '../../core/types';
import type { ObjectIndex, Workload } from './model';

/**
 * What a policy rule is about. The category decides the default severity per
 * tier (see `SEVERITY` in `severity.ts`).
 */
export type PolicyCategory =
  | 'security'
  | 'resources'
  | 'probes'
  | 'images'
  | 'networking'
  | 'availability'
  | 'rbac'
  | 'secrets'
  | 'jobs';

export type PolicySeverity = 'error' | 'warning' | 'info';

/** A severity, or `off` when the rule does not run. */
export type PolicyLevel = PolicySeverity | 'off';

/** The severity of a rule at each tier. */
export type TierSeverity = Readonly<Record<Tier, PolicyLevel>>;

/**
 * What a rule's `check` receives: one object, the file it is in, and an index
 * over every object of the same environment (for cross-object rules such as
 * "this Service selects a Pod").
 */
export interface PolicyContext {
  object: KubernetesObject;
  file: ManifestFile;
  tier: Tier;
  /** The object as a workload when it has a Pod template, else undefined */
  workload?: Workload;
  /** Every object of the same environment as `file` */
  index: ObjectIndex;
}

/**
 * One violation of a rule, inside one object.
 */
export interface PolicyViolation {
  /** Dotted path inside the object, e.g. `spec.template.spec.hostNetwork` */
  path: string;
  message: string;
}

/**
 * A declarative best-practice rule (modelled on kube-linter's check
 * registry): what it checks, which kinds it applies to, which checks of
 * other linters it matches, and its severity per tier.
 */
export interface PolicyRule {
  /** Unique id; findings carry `policy/<id>` */
  id: string;
  category: PolicyCategory;
  description: string;
  /**
   * Equivalent checks of other tools, `<tool>:<check>`, e.g.
   * `kube-linter:run-as-non-root`, `polaris:runAsRootAllowed`,
   * `kube-score:container-security-context-user-group-id`. Rules without an
   * equivalent linter check name the Kubernetes documentation (`k8s-docs:`).
   */
  anchors: string[];
  /** Kinds the rule runs on */
  appliesTo: string[];
  /** Severity per tier; `off` means the rule does not run at that tier */
  severity: TierSeverity;
  check(ctx: PolicyContext): PolicyViolation[];
}

export interface EvaluatePoliciesOptions {
  tier: Tier;
  /**
   * Organisation overrides by rule id (`run-as-non-root` or
   * `policy/run-as-non-root`): a severity replaces the rule's severity at
   * every tier (which also switches on a rule that is `off` at that tier),
   * `off` disables the rule.
   */
  severityOverrides?: Record<string, PolicyLevel>;
}
