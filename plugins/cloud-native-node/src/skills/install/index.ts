import { DeploymentPlan } from '@internal/backstage-plugin-cloud-native-common';
import { CloudTarget, cloudTargets } from '../cloud';
import { namespaceDirectory } from '../kubernetes';
import { meshDirectory } from '../mesh';

/**
 * The install order of a package, cluster by cluster. It is derived here,
 * once, and every path that installs the package reads it: the guide's
 * commands (docs/DEPLOYMENT.md), the Argo CD Applications (sync waves), the
 * Flux Kustomizations (`dependsOn`) and the report's steps. In that order:
 *
 * 1. **the namespace**, `namespace/<env>`: the Namespace alone, with its Pod
 *    Security and mesh labels. It is never part of the Helm release (Helm
 *    stores a release in its namespace, so the release can neither create
 *    it nor adopt an existing one; `--create-namespace` would make one
 *    without the labels).
 * 2. **the prerequisites**: on a managed cluster, the provider's objects
 *    (`cloud/<provider>/<env>`: StorageClasses, the ClusterSecretStore and
 *    its ServiceAccount, Karpenter NodePools, monitoring). The workloads
 *    need them to start: a claim of a missing StorageClass stays Pending, an
 *    ExternalSecret of a missing store never syncs, and `helm --wait
 *    --rollback-on-failure` then times out and rolls the release back. They need the
 *    namespace (the store's ServiceAccount lives in it).
 * 3. **the mesh objects**, `mesh/<env>` (with a mesh): mTLS, authorization
 *    and the routes. Before the release: a Rollout's traffic routing needs
 *    its VirtualService (or route) to exist when it starts, and the pods
 *    start under their authorization policies. They name Services and pod
 *    labels only, so nothing of the release has to exist yet. While a
 *    canary runs, the Argo Rollouts controller owns the route weights
 *    (server-side apply records it as the manager of the VirtualService's
 *    `.spec.http`); once the rollout has finished they are back to the
 *    applied values, so the next deploy's apply shares them without a
 *    conflict. Applied after the release, that apply met the weights of
 *    the canary the release had just started, and failed.
 * 4. **the release**: the Helm chart, or the manifests of `kubernetes/<env>`.
 */

export interface ClusterInstall {
  environment: string;
  /** The provider of a managed cluster; undefined on any other cluster */
  cloud?: CloudTarget;
  /** 1. The kustomization of the Namespace alone: `namespace/<env>` */
  namespace: string;
  /** 2. Kustomizations applied after the namespace, before the release */
  prerequisites: string[];
  /** 3. The mesh objects, `mesh/<env>`, when the plan has a mesh */
  mesh?: string;
}

/**
 * The clusters of one environment (one per provider for multi-cloud, else
 * one) and what each gets before its release. Empty when the plan has no
 * Kubernetes services.
 */
export function clusterInstalls(
  plan: DeploymentPlan,
  environment: string,
): ClusterInstall[] {
  if (!plan.services.some(s => s.runtime === 'kubernetes')) return [];
  const namespace = namespaceDirectory(environment);
  const mesh = plan.mesh === 'none' ? {} : { mesh: meshDirectory(environment) };
  const targets = cloudTargets(plan, environment);
  if (targets.length === 0) {
    return [{ environment, namespace, prerequisites: [], ...mesh }];
  }
  return targets.map(cloud => ({
    environment,
    cloud,
    namespace,
    prerequisites: cloud.resources ? [cloud.resources] : [],
    ...mesh,
  }));
}
