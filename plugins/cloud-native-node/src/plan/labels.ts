import {
  DeploymentPlan,
  ServicePlan,
} from '@internal/backstage-plugin-cloud-native-common';
import { sortedRecord } from '../core/collections';

export { sortedRecord } from '../core/collections';

/**
 * The label scheme, applied to every object this skill writes.
 *
 * Recommended labels (https://kubernetes.io/docs/concepts/overview/working-with-objects/common-labels/):
 *
 * | label                          | service objects              | shared objects (namespace.yaml) |
 * | ------------------------------ | ---------------------------- | ------------------------------- |
 * | `app.kubernetes.io/name`       | the service name             | the plan name                   |
 * | `app.kubernetes.io/instance`   | `<plan>-<service>`           | the plan name                   |
 * | `app.kubernetes.io/part-of`    | the plan name                | the plan name                   |
 * | `app.kubernetes.io/component`  | the workload kind (`service`, `worker`, `stateful`, ...) | what it is (`namespace`, `network-policy`, `scheduling`) |
 * | `app.kubernetes.io/managed-by` | `cloud-native-orchestrator`  | same                            |
 * | `app.kubernetes.io/version`    | the image tag, when the image has one | not set                |
 * | `cloud-native.backstage.io/environment` | the environment     | same                            |
 *
 * Selectors (workload selectors, Service selectors, PDB/NetworkPolicy pod
 * selectors) use only the two labels that never change for the life of a
 * service: `name` and `part-of`. Workload selectors are immutable, so a
 * version or environment label in a selector would make every upgrade a
 * delete-and-recreate.
 */

export const MANAGED_BY = 'cloud-native-orchestrator';
export const ENVIRONMENT_LABEL = 'cloud-native.backstage.io/environment';

/** The Kubernetes recommended labels this package sets, by their meaning. */
const RECOMMENDED = {
  name: 'app.kubernetes.io/name',
  instance: 'app.kubernetes.io/instance',
  partOf: 'app.kubernetes.io/part-of',
  component: 'app.kubernetes.io/component',
  managedBy: 'app.kubernetes.io/managed-by',
  version: 'app.kubernetes.io/version',
} as const;

/** The immutable labels used in every selector of a service. */
export function selectorLabels(
  plan: DeploymentPlan,
  service: string,
): Record<string, string> {
  return sortedRecord({
    [RECOMMENDED.name]: service,
    [RECOMMENDED.partOf]: plan.name,
  });
}

/**
 * The tag of an image reference as a label value, or undefined when the
 * image has no tag (a digest only, or nothing).
 */
export function imageVersion(image: string): string | undefined {
  const withoutDigest = image.split('@')[0];
  const lastSegment = withoutDigest.slice(withoutDigest.lastIndexOf('/') + 1);
  const colon = lastSegment.lastIndexOf(':');
  if (colon < 0) return undefined;
  const tag = lastSegment
    .slice(colon + 1)
    .slice(0, 63)
    .replace(/[^A-Za-z0-9]+$/, '')
    .replace(/^[^A-Za-z0-9]+/, '');
  return /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/.test(tag)
    ? tag
    : undefined;
}

/** Labels of every object that belongs to one service. */
export function serviceLabels(
  plan: DeploymentPlan,
  servicePlan: ServicePlan,
  environment: string,
): Record<string, string> {
  const version = imageVersion(servicePlan.image);
  return sortedRecord({
    ...selectorLabels(plan, servicePlan.name),
    [RECOMMENDED.instance]: `${plan.name}-${servicePlan.name}`
      .slice(0, 63)
      .replace(/-+$/, ''),
    [RECOMMENDED.component]: servicePlan.service.workload,
    [RECOMMENDED.managedBy]: MANAGED_BY,
    ...(version ? { [RECOMMENDED.version]: version } : {}),
    [ENVIRONMENT_LABEL]: environment,
  });
}

/** Labels of the shared objects of namespace.yaml. */
export function sharedLabels(
  plan: DeploymentPlan,
  component: string,
  environment: string,
): Record<string, string> {
  return sortedRecord({
    [RECOMMENDED.name]: plan.name,
    [RECOMMENDED.instance]: plan.name,
    [RECOMMENDED.partOf]: plan.name,
    [RECOMMENDED.component]: component,
    [RECOMMENDED.managedBy]: MANAGED_BY,
    [ENVIRONMENT_LABEL]: environment,
  });
}
