import { PolicyRule } from './types';
import { securityRules } from './rules/security';
import { resourceRules } from './rules/resources';
import { probeRules } from './rules/probes';
import { imageRules } from './rules/images';
import { networkingRules } from './rules/networking';
import { availabilityRules } from './rules/availability';
import { rbacRules } from './rules/rbac';
import { secretRules } from './rules/secrets';
import { jobRules } from './rules/jobs';

/**
 * Every best-practice rule, in report order. Severity per tier comes from the
 * presets in `severity.ts`:
 *
 * | category     | T1      | T2      | T3      |
 * |--------------|---------|---------|---------|
 * | security     | warning | error   | error   |
 * | rbac         | warning | error   | error   |
 * | secrets      | error for plain-text credentials at every tier, else as security |
 * | resources, probes, images, jobs, availability, networking | warning at every tier |
 * | tier features (PDB, replicas, maxUnavailable: from T2; spreading: T3) | off below the tier |
 * | default-deny NetworkPolicy | off | error | error |
 *
 * Broken configuration (a Service or PDB selecting nothing, a missing
 * backend/target/ServiceAccount/port, limits below requests, a Job with
 * restartPolicy Always) is an error at every tier.
 */
export const policyRules: PolicyRule[] = [
  ...securityRules,
  ...rbacRules,
  ...secretRules,
  ...resourceRules,
  ...probeRules,
  ...imageRules,
  ...networkingRules,
  ...availabilityRules,
  ...jobRules,
];
