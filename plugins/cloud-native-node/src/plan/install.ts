import { DeploymentPlan } from '@internal/backstage-plugin-cloud-native-common';
import {
  cloudDirectory,
  ManagedProvider,
  meshDirectory,
  namespaceDirectory,
  overlayDirectory,
  secretStoreName,
} from './names';
import { kubernetesServices } from './workload';

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
 *
 * Which prerequisites a cluster has is what the cloud skill wrote: the
 * order reads the package's paths (`cloud/<provider>/<env>/kustomization.yaml`,
 * its `secret-store.yaml`) instead of deriving the provider's objects again.
 */

/**
 * One managed cluster of an environment and where it is deployed from: the
 * overlay (base + provider objects + patches) and, when the provider has
 * objects of its own, their standalone kustomization (for GitOps next to a
 * Helm chart).
 *
 * @public
 */
export interface CloudTarget {
  provider: ManagedProvider;
  /** `kustomize/<env>/overlays/<provider>` */
  overlay: string;
  /** `cloud/<provider>/<env>`, when it holds objects */
  resources?: string;
  /**
   * The External Secrets Operator ClusterSecretStore among those objects,
   * with the file that holds it (`cloud/<provider>/<env>/secret-store.yaml`)
   */
  secretStore?: { name: string; file: string };
}

/** @public */
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

/** The managed providers of the plan's clusters (generic clusters aside). */
export function managedProviders(plan: DeploymentPlan): ManagedProvider[] {
  return plan.clusterProviders.filter(
    (p): p is ManagedProvider => p !== 'generic',
  );
}

/**
 * The managed clusters of one environment, with what the cloud skill wrote
 * for each (read from `paths`, the package's file paths). Empty when the
 * plan targets no managed cluster.
 *
 * @public
 */
export function cloudTargets(
  plan: DeploymentPlan,
  environment: string,
  paths: Iterable<string>,
): CloudTarget[] {
  if (
    !plan.skills.some(s => s.id === 'cloud-kubernetes-integrator') ||
    kubernetesServices(plan).length === 0
  ) {
    return [];
  }
  const present = new Set(paths);
  return managedProviders(plan).map(provider => {
    const directory = cloudDirectory(provider, environment);
    const storeFile = `${directory}/secret-store.yaml`;
    return {
      provider,
      overlay: overlayDirectory(environment, provider),
      ...(present.has(`${directory}/kustomization.yaml`)
        ? { resources: directory }
        : {}),
      ...(present.has(storeFile)
        ? { secretStore: { name: secretStoreName(plan.name), file: storeFile } }
        : {}),
    };
  });
}

/**
 * The clusters of one environment (one per provider for multi-cloud, else
 * one) and what each gets before its release. Empty when the plan has no
 * Kubernetes services.
 */
export function clusterInstalls(
  plan: DeploymentPlan,
  environment: string,
  paths: Iterable<string>,
): ClusterInstall[] {
  if (kubernetesServices(plan).length === 0) return [];
  const namespace = namespaceDirectory(environment);
  const mesh = plan.mesh === 'none' ? {} : { mesh: meshDirectory(environment) };
  const targets = cloudTargets(plan, environment, paths);
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
