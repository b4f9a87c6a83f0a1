import type { IVirtualService } from '@kubernetes-models/istio/networking.istio.io/v1/VirtualService';
import type { IDestinationRule } from '@kubernetes-models/istio/networking.istio.io/v1/DestinationRule';
import type { IPeerAuthentication } from '@kubernetes-models/istio/security.istio.io/v1/PeerAuthentication';
import type { IAuthorizationPolicy } from '@kubernetes-models/istio/security.istio.io/v1/AuthorizationPolicy';
import { ServicePlan } from '@internal/backstage-plugin-cloud-native-common';
import { KubernetesObject } from '../../core/types';
import { selectorLabels } from '../../plan/labels';
import {
  GOOGLE_LOAD_BALANCER_RANGES,
  INGRESS_CONTROLLER_NAMESPACE,
} from '../../plan/platform';
import { AB_HEADER, AB_ROUTE, ISTIO_PRIMARY_ROUTE } from '../../plan/rollout';
import { servicePort } from '../../plan/workload';
import {
  callersOf,
  fqdn,
  hasClusterService,
  hasPeers,
  isPublic,
  isServing,
  MeshContext,
  routingMode,
  secondaryServiceName,
  serverlessCallersOf,
  serviceMetadata,
  sharedMetadata,
  toObject,
} from './context';

/**
 * Istio objects.
 *
 * API versions: `networking.istio.io/v1` and `security.istio.io/v1`, the GA
 * versions served since Istio 1.22 (the newest that
 * `@kubernetes-models/istio` ships; v1beta1 is still served but superseded).
 *
 * Per environment:
 * - `mesh.yaml`: PeerAuthentication `default` (STRICT from T2, PERMISSIVE at
 *   T1) and the AuthorizationPolicy `allow-nothing` (`spec: {}`: an ALLOW
 *   policy that matches nothing, Istio's documented namespace-wide default
 *   deny);
 * - `<svc>.yaml`, for a service with the Service `<svc>`: a VirtualService
 *   (timeouts, retries; the routes the Rollout references) and
 *   DestinationRules (connection pool, outlier detection, ISTIO_MUTUAL) for
 *   `<svc>` and its Rollout's second Service; for every workload an
 *   AuthorizationPolicy that allows exactly its `dependsOn` callers.
 *
 * By protocol (the Service port name `http` / `grpc` / `tcp`):
 * - http: HTTP routes with a timeout and retries on 5xx and resets;
 * - grpc: HTTP routes (gRPC is HTTP/2) retried on the gRPC statuses that
 *   mean "not processed", without route or per-try timeouts, which would cut
 *   streaming calls;
 * - tcp: no VirtualService (a `tcp:` route to its own host would add
 *   nothing: no retries or timeouts exist for TCP, and a tcp canary is
 *   weighted by replicas, not routed, PROTO-020); DestinationRules with the TCP connection pool
 *   only and outlier detection, which counts connect failures and timeouts
 *   of opaque TCP as errors; the AuthorizationPolicy uses principals and
 *   ports only, which apply to TCP (no methods, paths or hosts).
 *
 * Prometheus: Istio's metrics merging (meshConfig.enablePrometheusMerge, on
 * by default) rewrites the pods' `prometheus.io/*` annotations to the
 * sidecar agent's port 15020, which is not intercepted by the inbound
 * listener, so scraping needs no AuthorizationPolicy rule and none is
 * written. The kubelet's HTTP probes are likewise rewritten to 15020.
 */

export const ISTIO_API_VERSIONS = {
  networking: 'networking.istio.io/v1',
  security: 'security.istio.io/v1',
} as const;

/** The identity of the default Istio ingress gateway (istioctl profiles). */
export const ISTIO_INGRESS_GATEWAY_PRINCIPAL =
  'cluster.local/ns/istio-system/sa/istio-ingressgateway-service-account';
/** Namespace-wide default deny (the name Istio's documentation uses). */
export const ALLOW_NOTHING_POLICY = 'allow-nothing';
/**
 * The static `x-variant: b` route of an A/B service. It is deliberately NOT
 * named like the Rollout's managed route (`ab-variant-b`): Argo Rollouts
 * adds that one during the experiment and deletes every managed route when
 * the rollout ends, so a route of that name in Git would be deleted after
 * each release and re-created by the next sync. Outside an experiment the
 * canary Service selects the stable pods, so this route is harmless.
 */
export const AB_HEADER_ROUTE = 'variant-b-header';
export const ROUTE_TIMEOUT = '15s';
/**
 * `attempts` are retries after the first try; the route `timeout` bounds the
 * total. Note that Istio retries regardless of the HTTP method, so
 * non-idempotent endpoints must be idempotent (idempotency keys) or the
 * retryOn list narrowed for that service.
 */
export const ROUTE_RETRIES = {
  attempts: 3,
  perTryTimeout: '5s',
  retryOn: '5xx,reset,connect-failure,refused-stream',
} as const;
/**
 * Retries of gRPC routes: on the statuses that mean the call was not
 * processed (Istio's documented gRPC set), no per-try timeout (streams).
 */
export const GRPC_ROUTE_RETRIES = {
  attempts: 3,
  retryOn:
    'connect-failure,refused-stream,unavailable,cancelled,resource-exhausted',
} as const;
/**
 * Per client sidecar and destination host. maxRequestsPerConnection 100
 * recycles connections so that new pods (scale-out, rollouts) get traffic.
 */
export const CONNECTION_POOL = {
  tcp: { maxConnections: 1024 },
  http: { http2MaxRequests: 1024, maxRequestsPerConnection: 100 },
} as const;
/** Circuit breaking: eject a pod after 5 consecutive 5xx, at most half. */
export const OUTLIER_DETECTION = {
  consecutive5xxErrors: 5,
  interval: '30s',
  baseEjectionTime: '30s',
  maxEjectionPercent: 50,
} as const;

/** SPIFFE-style principal of a ServiceAccount (trust domain cluster.local). */
export function istioPrincipal(namespace: string, serviceAccount: string) {
  return `cluster.local/ns/${namespace}/sa/${serviceAccount}`;
}

type VirtualService = IVirtualService & { metadata: { name: string } };
type HttpRoute = NonNullable<NonNullable<IVirtualService['spec']>['http']>[0];
type AuthorizationRule = NonNullable<
  NonNullable<IAuthorizationPolicy['spec']>['rules']
>[0];

/** Namespace-wide objects of mesh.yaml. */
export function istioSharedObjects(context: MeshContext): KubernetesObject[] {
  const mode = context.plan.tier === 'T1' ? 'PERMISSIVE' : 'STRICT';
  const peerAuthentication: IPeerAuthentication & {
    metadata: { name: string };
  } = {
    apiVersion: ISTIO_API_VERSIONS.security,
    kind: 'PeerAuthentication',
    metadata: sharedMetadata(context, 'default'),
    spec: { mtls: { mode } },
  };
  const allowNothing: IAuthorizationPolicy & { metadata: { name: string } } = {
    apiVersion: ISTIO_API_VERSIONS.security,
    kind: 'AuthorizationPolicy',
    metadata: sharedMetadata(context, ALLOW_NOTHING_POLICY),
    spec: {},
  };
  return [toObject(peerAuthentication), toObject(allowNothing)];
}

function virtualService(
  context: MeshContext,
  servicePlan: ServicePlan,
): KubernetesObject {
  const { name } = servicePlan;
  const mode = routingMode(context, servicePlan);
  // `<svc>` and `<svc>-canary` listen on the same port
  const destination = (host: string) => ({
    host,
    port: { number: servicePort(servicePlan)! },
  });
  const resilience =
    servicePlan.service.protocol === 'grpc'
      ? { retries: { ...GRPC_ROUTE_RETRIES } }
      : { timeout: ROUTE_TIMEOUT, retries: { ...ROUTE_RETRIES } };
  const http: HttpRoute[] = [];
  if (mode === 'ab-testing') {
    http.push({
      name: AB_HEADER_ROUTE,
      match: [{ headers: { [AB_HEADER.name]: { exact: AB_HEADER.value } } }],
      route: [{ destination: destination(`${name}-canary`) }],
      ...resilience,
    });
  }
  const weighted = mode === 'weighted-canary' || mode === 'ab-testing';
  http.push({
    // Argo Rollouts re-weights the route(s) its Rollout names; both
    // destinations must be present (it validates that) and start 100/0.
    name: ISTIO_PRIMARY_ROUTE,
    route: weighted
      ? [
          { destination: destination(name), weight: 100 },
          { destination: destination(`${name}-canary`), weight: 0 },
        ]
      : // blue-green: `<svc>` is the active Service, switched by selector
        [{ destination: destination(name) }],
    ...resilience,
  });
  const object: VirtualService = {
    apiVersion: ISTIO_API_VERSIONS.networking,
    kind: 'VirtualService',
    metadata: serviceMetadata(context, servicePlan, name),
    spec: { hosts: [name, fqdn(context, name)], http },
  };
  return toObject(object);
}

function destinationRule(
  context: MeshContext,
  servicePlan: ServicePlan,
  host: string,
): KubernetesObject {
  const object: IDestinationRule & { metadata: { name: string } } = {
    apiVersion: ISTIO_API_VERSIONS.networking,
    kind: 'DestinationRule',
    metadata: serviceMetadata(context, servicePlan, host),
    spec: {
      host: fqdn(context, host),
      trafficPolicy: {
        connectionPool:
          servicePlan.service.protocol === 'tcp'
            ? { tcp: { ...CONNECTION_POOL.tcp } }
            : {
                tcp: { ...CONNECTION_POOL.tcp },
                http: { ...CONNECTION_POOL.http },
              },
        outlierDetection: { ...OUTLIER_DETECTION },
        tls: { mode: 'ISTIO_MUTUAL' },
      },
    },
  };
  return toObject(object);
}

/** Where public traffic comes from, per plan.ingress. */
interface PublicSource {
  rule: AuthorizationRule;
  /** Plaintext from a cloud load balancer: the port must accept it */
  plaintext: boolean;
  describe: string;
}

function publicSource(context: MeshContext, port: number): PublicSource {
  const to = [{ operation: { ports: [String(port)] } }];
  const { ingress } = context.plan;
  const controllerNamespace = INGRESS_CONTROLLER_NAMESPACE[ingress];
  if (controllerNamespace) {
    return {
      rule: { from: [{ source: { namespaces: [controllerNamespace] } }], to },
      plaintext: false,
      describe: `the meshed ${ingress} ingress controller (namespace ${controllerNamespace})`,
    };
  }
  if (ingress === 'gke') {
    return {
      rule: {
        from: [{ source: { ipBlocks: GOOGLE_LOAD_BALANCER_RANGES } }],
        to,
      },
      plaintext: true,
      describe: `the GKE load balancer ranges ${GOOGLE_LOAD_BALANCER_RANGES.join(
        ', ',
      )}`,
    };
  }
  return {
    // ALB (target-type ip) connects from the VPC's subnets, unknown here.
    rule: { to },
    plaintext: true,
    describe: 'any source on the public port (the ALB; narrow to the VPC CIDR)',
  };
}

/**
 * The plaintext port of a public service behind a cloud load balancer (GKE
 * NEGs, ALB target-type ip send to the pod IP without a sidecar): with a
 * STRICT namespace, that port alone accepts plaintext; its
 * AuthorizationPolicy still decides who may use it.
 */
function loadBalancerPeerAuthentication(
  context: MeshContext,
  servicePlan: ServicePlan,
): KubernetesObject | undefined {
  const { port } = servicePlan.service;
  if (
    context.plan.tier === 'T1' ||
    port === undefined ||
    !isPublic(servicePlan) ||
    !publicSource(context, port).plaintext
  ) {
    return undefined;
  }
  const object: IPeerAuthentication & { metadata: { name: string } } = {
    apiVersion: ISTIO_API_VERSIONS.security,
    kind: 'PeerAuthentication',
    metadata: serviceMetadata(context, servicePlan, servicePlan.name),
    spec: {
      selector: {
        matchLabels: selectorLabels(context.plan, servicePlan.name),
      },
      portLevelMtls: { [String(port)]: { mode: 'PERMISSIVE' } },
    },
  };
  return toObject(object);
}

function authorizationPolicy(
  context: MeshContext,
  servicePlan: ServicePlan,
): { object: KubernetesObject; sources: string[] } {
  const { name } = servicePlan;
  const { port } = servicePlan.service;
  const rules: AuthorizationRule[] = [];
  const sources: string[] = [];
  const callers = callersOf(context, name);
  if (callers.length > 0 && port !== undefined) {
    rules.push({
      from: [
        {
          source: {
            principals: callers.map(caller =>
              istioPrincipal(context.namespace, caller),
            ),
          },
        },
      ],
      to: [{ operation: { ports: [String(port)] } }],
    });
    sources.push(`${callers.join(', ')} on ${port}`);
  }
  if (hasPeers(context, servicePlan)) {
    rules.push({
      from: [
        { source: { principals: [istioPrincipal(context.namespace, name)] } },
      ],
    });
    sources.push('its own pods (replication)');
  }
  if (port !== undefined && isPublic(servicePlan) && isServing(servicePlan)) {
    rules.push({
      from: [{ source: { principals: [ISTIO_INGRESS_GATEWAY_PRINCIPAL] } }],
      to: [{ operation: { ports: [String(port)] } }],
    });
    const lb = publicSource(context, port);
    rules.push(lb.rule);
    sources.push(`the Istio ingress gateway and ${lb.describe}`);
  }
  const object: IAuthorizationPolicy & { metadata: { name: string } } = {
    apiVersion: ISTIO_API_VERSIONS.security,
    kind: 'AuthorizationPolicy',
    metadata: serviceMetadata(context, servicePlan, name),
    spec: {
      selector: { matchLabels: selectorLabels(context.plan, name) },
      action: 'ALLOW',
      // No rules: an ALLOW policy that matches nothing, i.e. deny all
      ...(rules.length > 0 ? { rules } : {}),
    },
  };
  return { object: toObject(object), sources };
}

/** The objects of one service and the one-line note that describes them. */
export function istioServiceObjects(
  context: MeshContext,
  servicePlan: ServicePlan,
): { objects: KubernetesObject[]; note: string } {
  const { name } = servicePlan;
  const objects: KubernetesObject[] = [];
  const parts: string[] = [];
  if (
    hasClusterService(servicePlan) &&
    servicePlan.service.protocol === 'tcp'
  ) {
    const secondary = secondaryServiceName(context, servicePlan);
    const hosts = [name, ...(secondary ? [secondary] : [])];
    objects.push(
      ...hosts.map(host => destinationRule(context, servicePlan, host)),
    );
    parts.push(
      `tcp on ${servicePort(
        servicePlan,
      )}: no VirtualService (no HTTP routes, retries or timeouts for TCP)`,
      `DestinationRule ${hosts.join(
        ', ',
      )} (TCP connection pool, outlier detection on connect failures, ISTIO_MUTUAL)`,
    );
  } else if (hasClusterService(servicePlan)) {
    objects.push(virtualService(context, servicePlan));
    const mode = routingMode(context, servicePlan);
    const secondary = secondaryServiceName(context, servicePlan);
    const hosts = [name, ...(secondary ? [secondary] : [])];
    objects.push(
      ...hosts.map(host => destinationRule(context, servicePlan, host)),
    );
    const routes: Record<typeof mode, string> = {
      'weighted-canary': `route '${ISTIO_PRIMARY_ROUTE}' ${name} 100 / ${name}-canary 0, re-weighted by the Rollout`,
      'ab-testing': `route '${AB_HEADER_ROUTE}' (${AB_HEADER.name}: ${AB_HEADER.value} → ${name}-canary) before '${ISTIO_PRIMARY_ROUTE}' ${name} 100 / ${name}-canary 0; the Rollout adds its managed route '${AB_ROUTE}' during the experiment`,
      'blue-green': `route '${ISTIO_PRIMARY_ROUTE}' → ${name} (the active Service; the Rollout switches its selector)`,
      plain: `route '${ISTIO_PRIMARY_ROUTE}' → ${name}`,
    };
    parts.push(
      `VirtualService ${routes[mode]}, ${
        servicePlan.service.protocol === 'grpc'
          ? `gRPC: no timeout (streams), ${GRPC_ROUTE_RETRIES.attempts} retries on unavailable/cancelled/resource-exhausted`
          : `timeout ${ROUTE_TIMEOUT}, ${ROUTE_RETRIES.attempts} retries`
      }`,
      `DestinationRule ${hosts.join(
        ', ',
      )} (connection pool, outlier detection, ISTIO_MUTUAL)`,
    );
    if (
      isPublic(servicePlan) &&
      (mode === 'weighted-canary' || mode === 'ab-testing')
    ) {
      parts.push(
        `public traffic reaches the pods through the ${context.plan.ingress} Ingress, not this VirtualService, so the canary split applies to mesh callers only (route public traffic through an Istio ingress gateway to shift it)`,
      );
    }
  } else if (isServing(servicePlan)) {
    parts.push(`no Service '${name}', so no VirtualService/DestinationRule`);
  }
  const peerAuthentication = loadBalancerPeerAuthentication(
    context,
    servicePlan,
  );
  if (peerAuthentication) {
    objects.push(peerAuthentication);
    parts.push(
      `PeerAuthentication: port ${servicePlan.service.port} PERMISSIVE for the load balancer's plaintext`,
    );
  }
  const { object, sources } = authorizationPolicy(context, servicePlan);
  objects.push(object);
  parts.push(
    sources.length > 0
      ? `AuthorizationPolicy allows ${sources.join('; ')}`
      : 'AuthorizationPolicy allows nothing (no mesh callers)',
  );
  const serverless = serverlessCallersOf(context.plan, name);
  if (serverless.length > 0) {
    parts.push(
      `serverless ${serverless.join(
        ', ',
      )} cannot present a mesh identity and are not allowed`,
    );
  }
  return { objects, note: `${name}: ${parts.join('; ')}` };
}
