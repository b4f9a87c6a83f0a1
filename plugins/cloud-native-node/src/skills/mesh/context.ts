import {
  DeploymentPlan,
  ServicePlan,
} from '@internal/backstage-plugin-cloud-native-common';
import { KubernetesObject } from '../../core/types';
import {
  hasCanaryServices,
  rolloutMode,
  trafficRouterFor,
} from '../../plan/rollout';
import { hasClusterService, isServing } from '../../plan/workload';
import { compareStrings, prune } from '../../core/collections';
import { serviceLabels, sharedLabels } from '../../plan/labels';
import { EnvironmentProfile, environmentProfile } from '../../plan/profile';

/**
 * What the Istio and Linkerd builders of one environment read. Names follow
 * kubernetes-manifest-generator: the Service `<svc>` (port 80 `http` →
 * targetPort `http` for HTTP; the service's own port named `grpc` / `tcp`
 * otherwise), `<svc>-canary` / `<svc>-preview` for Rollouts, the
 * ServiceAccount `<svc>`, selector labels `app.kubernetes.io/name` +
 * `app.kubernetes.io/part-of`.
 */
export interface MeshContext {
  plan: DeploymentPlan;
  environment: string;
  namespace: string;
  profile: EnvironmentProfile;
  /** Kubernetes-runtime services by name, in plan order */
  services: Map<string, ServicePlan>;
}

export function meshContext(
  plan: DeploymentPlan,
  environment: string,
): MeshContext {
  return {
    plan,
    environment,
    namespace: plan.namespace,
    profile: environmentProfile(plan, environment),
    services: new Map(
      plan.services
        .filter(s => s.runtime === 'kubernetes')
        .map(s => [s.name, s]),
    ),
  };
}

/**
 * The Kubernetes services that call this one: those listing it in
 * `dependsOn` (itself excluded), sorted. Their ServiceAccounts (`<caller>`)
 * are the mesh identities allowed in.
 */
export function callersOf(context: MeshContext, service: string): string[] {
  return [...context.services.values()]
    .filter(
      other =>
        other.name !== service && other.service.dependsOn.includes(service),
    )
    .map(other => other.name)
    .sort(compareStrings);
}

/** Serverless functions that call this service: they have no mesh identity. */
export function serverlessCallersOf(
  plan: DeploymentPlan,
  service: string,
): string[] {
  return plan.services
    .filter(
      other =>
        other.runtime === 'serverless' &&
        other.service.dependsOn.includes(service),
    )
    .map(other => other.name)
    .sort(compareStrings);
}

/**
 * A StatefulSet with several replicas talks to its own pods (replication,
 * cluster formation), as the kubernetes skill's NetworkPolicy allows.
 */
export function hasPeers(
  context: MeshContext,
  servicePlan: ServicePlan,
): boolean {
  return (
    servicePlan.objectKind === 'StatefulSet' &&
    (context.profile.services[servicePlan.name]?.replicas.min ?? 1) > 1
  );
}

/** Serving: long-running with a container port (it receives traffic). */
export { isServing, hasClusterService };

/**
 * Public: exposed to the internet through the plan's ingress, which reaches
 * the pods through the Service `<svc>` (so the mesh must admit it).
 */
export function isPublic(servicePlan: ServicePlan): boolean {
  return (
    servicePlan.service.expose === 'public' && hasClusterService(servicePlan)
  );
}

/** How the Service `<svc>` is switched or split during a release. */
export type RoutingMode =
  /** Argo Rollouts re-weights `<svc>` / `<svc>-canary` in the VirtualService */
  | 'weighted-canary'
  /** Weighted canary plus the `x-variant: b` header route (A/B testing) */
  | 'ab-testing'
  /** Argo Rollouts switches the selector of `<svc>` (active) */
  | 'blue-green'
  /** One Service, no release-time routing */
  | 'plain';

export function routingMode(
  context: MeshContext,
  servicePlan: ServicePlan,
): RoutingMode {
  const mode = rolloutMode(context.plan, servicePlan);
  if (mode === 'blue-green') return 'blue-green';
  if (!mode || servicePlan.service.port === undefined) return 'plain';
  if (trafficRouterFor(context.plan, servicePlan) !== 'istio') return 'plain';
  return mode === 'ab-testing' ? 'ab-testing' : 'weighted-canary';
}

/** The second Service of a Rollout (`<svc>-canary` / `<svc>-preview`). */
export function secondaryServiceName(
  context: MeshContext,
  servicePlan: ServicePlan,
): string | undefined {
  if (!hasClusterService(servicePlan)) return undefined;
  const mode = rolloutMode(context.plan, servicePlan);
  if (mode === 'blue-green') return `${servicePlan.name}-preview`;
  if (mode && hasCanaryServices(servicePlan)) {
    return `${servicePlan.name}-canary`;
  }
  return undefined;
}

export function fqdn(context: MeshContext, service: string): string {
  return `${service}.${context.namespace}.svc.cluster.local`;
}

export function serviceMetadata(
  context: MeshContext,
  servicePlan: ServicePlan,
  name: string,
): KubernetesObject['metadata'] {
  return {
    name,
    namespace: context.namespace,
    labels: serviceLabels(context.plan, servicePlan, context.environment),
  };
}

export function sharedMetadata(
  context: MeshContext,
  name: string,
): KubernetesObject['metadata'] {
  return {
    name,
    namespace: context.namespace,
    labels: sharedLabels(context.plan, 'service-mesh', context.environment),
  };
}

/**
 * A typed object (checked at compile time against the model interfaces where
 * there are models) as the engine's plain KubernetesObject.
 */
export function toObject<
  T extends { apiVersion: string; kind: string; metadata?: object },
>(object: T & { metadata: { name: string } }): KubernetesObject {
  return prune(object) as unknown as KubernetesObject;
}
