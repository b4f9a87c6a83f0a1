export { evaluatePolicies, POLICY_IGNORE_ANNOTATION_PREFIX } from './evaluate';
export { policyRules } from './registry';
export type {
  EvaluatePoliciesOptions,
  PolicyCategory,
  PolicyContext,
  PolicyLevel,
  PolicyRule,
  PolicySeverity,
  PolicyViolation,
  TierSeverity,
} from './types';
