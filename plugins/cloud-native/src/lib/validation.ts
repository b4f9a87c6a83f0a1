import {
  Finding,
  ValidationAreaStatus,
  ValidationResults,
} from '@internal/backstage-plugin-cloud-native-common';

/** The validation areas of a report, in the order the engine runs them. */
export const VALIDATION_AREAS = [
  { key: 'container_build', label: 'Container build' },
  { key: 'kubernetes_manifests', label: 'Kubernetes manifests' },
  { key: 'helm_chart', label: 'Helm chart' },
  { key: 'service_mesh', label: 'Service mesh' },
  { key: 'serverless', label: 'Serverless' },
] as const;

export type ValidationAreaKey = (typeof VALIDATION_AREAS)[number]['key'];

export function areaStatus(
  results: ValidationResults,
  key: ValidationAreaKey,
): ValidationAreaStatus {
  // Older reports have no `serverless` key: nothing was validated there
  return results[key] ?? 'n/a';
}

/** A package passes when no area fails. */
export function overallValidationStatus(
  results: ValidationResults,
): 'pass' | 'fail' {
  return VALIDATION_AREAS.some(a => areaStatus(results, a.key) === 'fail')
    ? 'fail'
    : 'pass';
}

export function countFindings(findings: Finding[]): {
  error: number;
  warning: number;
  info: number;
} {
  const counts = { error: 0, warning: 0, info: 0 };
  for (const finding of findings) {
    counts[finding.severity] += 1;
  }
  return counts;
}
