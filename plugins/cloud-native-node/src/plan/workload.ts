import {
  clusterServicePort,
  DeploymentPlan,
  Protocol,
  ServicePlan,
} from '@internal/backstage-plugin-cloud-native-common';

/**
 * What a workload is, decided once from the plan: whether it runs to
 * completion, whether it serves a port, and the names and numbers of that
 * port. The container skill (EXPOSE, HEALTHCHECK), the manifest skill
 * (containerPort, probes, Services), the mesh, the chart and the guide all
 * read these, so they never disagree about a service.
 */

/** The Kubernetes services of a plan, in plan order. */
export function kubernetesServices(plan: DeploymentPlan): ServicePlan[] {
  return plan.services.filter(s => s.runtime === 'kubernetes');
}

/** Jobs and CronJobs run to completion; everything else runs until stopped. */
export function isBatch(servicePlan: ServicePlan): boolean {
  return (
    servicePlan.objectKind === 'Job' || servicePlan.objectKind === 'CronJob'
  );
}

/**
 * Whether the workload answers on a port: it runs until stopped and has a
 * port, and, for a function, is invoked over HTTP (an event or queue
 * function is handed its events by the platform or pulls them itself; the
 * port 8080 that the spec gives every function is then not listened on).
 * A worker with a port serves it (the spec lets it name a protocol and
 * become a Rollout), so its image EXPOSEs the port the pod declares.
 */
export function isServing(servicePlan: ServicePlan): boolean {
  const { service } = servicePlan;
  if (isBatch(servicePlan) || service.port === undefined) return false;
  return (
    service.workload !== 'function' ||
    (service.trigger?.type ?? 'http') === 'http'
  );
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
 * Whether the service gets its ClusterIP Service `<svc>` (see
 * {@link servicePort}): it serves a port and is exposed, stateful, or a
 * Rollout (whose strategies need Services).
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
 * The port the workload listens on: its port when it serves one (see
 * {@link isServing}), else none, so no containerPort, probe or Service
 * names a port nothing listens on.
 */
export function listenPort(servicePlan: ServicePlan): number | undefined {
  return isServing(servicePlan) ? servicePlan.service.port : undefined;
}

/**
 * How a Job runs its pods, decided once for the Job, its cost and the guide:
 *
 * - `indexed`: `completions` > 1, each index a shard of the work
 *   (parallelism at most completions);
 * - `work-queue`: `parallelism` > 1 without `completions`: N pods take work
 *   from a queue and the Job succeeds once one of them exits 0 and the
 *   others have finished (Kubernetes' work-queue pattern: no completion
 *   count);
 * - `single`: one pod to completion.
 */
export interface JobShape {
  mode: 'single' | 'indexed' | 'work-queue';
  /** Unset for a work queue */
  completions?: number;
  parallelism: number;
}

export function jobShape(servicePlan: ServicePlan): JobShape {
  const { completions, parallelism } = servicePlan.service;
  if (completions !== undefined && completions > 1) {
    return {
      mode: 'indexed',
      completions,
      parallelism: Math.min(parallelism ?? 1, completions),
    };
  }
  if (
    completions === undefined &&
    parallelism !== undefined &&
    parallelism > 1
  ) {
    return { mode: 'work-queue', parallelism };
  }
  return { mode: 'single', completions: 1, parallelism: 1 };
}
