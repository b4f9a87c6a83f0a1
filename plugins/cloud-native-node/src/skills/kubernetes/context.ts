import {
  clusterServicePort,
  DeploymentPlan,
  Protocol,
  ServicePlan,
} from '@internal/backstage-plugin-cloud-native-common';
import { KubernetesObject } from '../../core/types';
import { EnvironmentProfile, ServiceProfile } from './profile';
import { prune } from '../../core/collections';

export { prune } from '../../core/collections';

/** Collects notes for the trace, once each, in the order they are added. */
export class Notes {
  private readonly seen = new Set<string>();

  add(note: string): void {
    this.seen.add(note);
  }

  list(): string[] {
    return [...this.seen];
  }
}

/** Everything the object builders of one environment read. */
export interface GenerationContext {
  plan: DeploymentPlan;
  environment: string;
  profile: EnvironmentProfile;
  namespace: string;
  /** Kubernetes-runtime services by name, in plan order */
  services: Map<string, ServicePlan>;
  notes: Notes;
}

export function serviceProfile(
  context: GenerationContext,
  servicePlan: ServicePlan,
): ServiceProfile {
  return context.profile.services[servicePlan.name];
}

/** Jobs and CronJobs run to completion; everything else runs until stopped. */
export function isBatch(servicePlan: ServicePlan): boolean {
  return (
    servicePlan.objectKind === 'Job' || servicePlan.objectKind === 'CronJob'
  );
}

/** A long-running workload with a container port: it receives traffic. */
export function isServing(servicePlan: ServicePlan): boolean {
  return !isBatch(servicePlan) && servicePlan.service.port !== undefined;
}

/**
 * The name of the service's container port and Service ports: its protocol
 * (`http`, `grpc`, `tcp`), the `<protocol>[-<suffix>]` convention by which
 * Istio selects the protocol (Linkerd reads its Server's proxyProtocol).
 */
export function portName(servicePlan: ServicePlan): Protocol {
  return servicePlan.service.protocol;
}

/**
 * The `appProtocol` of the Service port, only where Kubernetes defines a
 * value: `kubernetes.io/h2c` (HTTP/2 without TLS) for gRPC, which Istio,
 * Gateway API implementations and cloud load balancers read. HTTP keeps the
 * port name alone, and TCP has no standard value (`tcp` is not an IANA
 * service name): the port name `tcp` is what the meshes read.
 */
export function appProtocol(servicePlan: ServicePlan): string | undefined {
  return servicePlan.service.protocol === 'grpc'
    ? 'kubernetes.io/h2c'
    : undefined;
}

/**
 * The port of the ClusterIP Service `<svc>`: 80 for HTTP, the service's own
 * port for gRPC and TCP. What callers, the Ingress, the mesh routes and the
 * wait-for init containers use.
 */
export function servicePort(servicePlan: ServicePlan): number | undefined {
  return clusterServicePort(servicePlan.service);
}

/** Whether the port speaks HTTP/1.1 (probes, metrics, HTTP analysis). */
export function speaksHttp(servicePlan: ServicePlan): boolean {
  return servicePlan.service.protocol === 'http';
}

/**
 * The rollout strategy actually rendered for a Rollout, after fallbacks:
 * - `ab-testing` needs header routing, i.e. Istio and a port; otherwise it
 *   falls back to blue-green;
 * - `blue-green` needs a Service (activeService is required), i.e. a port;
 *   otherwise it falls back to a replica-weighted canary.
 */
export type RolloutMode = 'canary' | 'blue-green' | 'ab-testing';

export function rolloutMode(
  plan: DeploymentPlan,
  servicePlan: ServicePlan,
): RolloutMode | undefined {
  if (servicePlan.objectKind !== 'Rollout') return undefined;
  const hasPort = servicePlan.service.port !== undefined;
  let mode: RolloutMode = 'canary';
  if (servicePlan.strategy === 'ab-testing') mode = 'ab-testing';
  if (servicePlan.strategy === 'blue-green') mode = 'blue-green';
  if (
    mode === 'ab-testing' &&
    !(
      plan.mesh === 'istio' &&
      hasPort &&
      servicePlan.service.protocol !== 'tcp'
    )
  ) {
    mode = 'blue-green';
  }
  if (mode === 'blue-green' && !hasPort) {
    mode = 'canary';
  }
  return mode;
}

/**
 * Whether a canary Rollout splits `<svc>` (stable) and `<svc>-canary`: it
 * needs a port, and not TCP, whose canary is weighted by replicas behind the
 * one Service `<svc>` that selects both versions (PROTO-020; with stable and
 * canary Services Argo Rollouts would narrow `<svc>` to the stable pods).
 */
export function hasCanaryServices(servicePlan: ServicePlan): boolean {
  return (
    servicePlan.service.port !== undefined &&
    servicePlan.service.protocol !== 'tcp'
  );
}

/**
 * What shifts traffic for this service's canary: the ingress controller for
 * public services, the mesh for the others (the same rule as the plan);
 * nothing for TCP (PROTO-020): routers weigh requests, and the pooled,
 * long-lived connections of TCP clients would make a per-connection weight
 * meaningless.
 */
export function trafficRouterFor(
  plan: DeploymentPlan,
  servicePlan: ServicePlan,
): DeploymentPlan['trafficRouter'] {
  if (
    servicePlan.service.port === undefined ||
    servicePlan.service.protocol === 'tcp'
  ) {
    return 'none';
  }
  return servicePlan.service.expose === 'public'
    ? plan.trafficRouter
    : plan.mesh;
}

/**
 * Whether the service gets its ClusterIP Service `<svc>` (see
 * {@link servicePort}):
 * it has a port, runs long, and is exposed, stateful, or a Rollout (whose
 * strategies need Services).
 */
export function hasClusterService(servicePlan: ServicePlan): boolean {
  if (!isServing(servicePlan)) return false;
  const { expose, workload } = servicePlan.service;
  return (
    expose !== 'none' ||
    workload === 'stateful' ||
    servicePlan.objectKind === 'Rollout'
  );
}

/**
 * A typed object (checked at compile time against the kubernetes-models
 * interfaces) as the engine's plain KubernetesObject.
 */
export function asObject<
  T extends {
    apiVersion: string;
    kind: string;
    metadata?: { name?: string };
  },
>(object: T & { metadata: { name: string } }): KubernetesObject {
  return prune(object) as unknown as KubernetesObject;
}
