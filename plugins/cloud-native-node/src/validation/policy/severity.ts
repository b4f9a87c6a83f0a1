import { TierSeverity } from './types';

/**
 * Severity presets. Every rule names one; the policy is:
 *
 * - HARDENING (security, rbac, most secrets rules): a warning at T1 (a
 *   prototype may run without it), an error from T2 (the tiers that promise
 *   `securityHardening` and the `restricted` Pod Security level).
 * - ADVICE (resources, probes, images, availability, jobs, most networking):
 *   a warning at every tier — worth fixing, never a reason to refuse a
 *   package.
 * - BROKEN: configuration that does not work as written (a Service that
 *   selects no Pod, a probe on a port that does not exist, an HPA without a
 *   target, limits below requests, a Job that restarts Always) — an error at
 *   every tier.
 * - LEAK: a credential in plain text in the package — an error at every tier
 *   (the spec refuses secret literals at every tier too).
 * - FROM_T2 / FROM_T3: a tier feature (PDBs, network policies, maxUnavailable
 *   0 from T2; zone spreading from T3) that lower tiers do not promise: off
 *   below the tier.
 * - INFO: hints.
 */
function tiers(
  T1: TierSeverity['T1'],
  T2: TierSeverity['T2'],
  T3: TierSeverity['T3'],
): TierSeverity {
  return { T1, T2, T3 };
}

export const HARDENING = tiers('warning', 'error', 'error');
export const ADVICE = tiers('warning', 'warning', 'warning');
export const BROKEN = tiers('error', 'error', 'error');
export const LEAK: TierSeverity = BROKEN;
export const INFO = tiers('info', 'info', 'info');
/** Network isolation is promised from T2 and is a security control. */
export const HARDENING_FROM_T2 = tiers('off', 'error', 'error');
export const ADVICE_FROM_T2 = tiers('off', 'warning', 'warning');
export const ADVICE_FROM_T3 = tiers('off', 'off', 'warning');
