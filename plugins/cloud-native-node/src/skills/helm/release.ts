import { DeploymentPlan } from '@internal/backstage-plugin-cloud-native-common';
import { shorten } from '../cloud/context';

/** The longest release name Helm accepts (`helm install`, `helm template`). */
export const HELM_RELEASE_NAME_MAX = 53;

/**
 * The Helm release name of a plan, used everywhere a release is named (the
 * install commands of the chart README and the deployment guide, Argo CD
 * `helm.releaseName`, Flux `spec.releaseName`, the `helm template` check):
 * the plan name, or when it is longer than Helm's 53 characters (a
 * `metadata.name` may have 63), a prefix of it and a short stable hash of
 * the whole name, so two long names never share a release name.
 */
export function helmReleaseName(plan: Pick<DeploymentPlan, 'name'>): string {
  return shorten(plan.name, HELM_RELEASE_NAME_MAX);
}
