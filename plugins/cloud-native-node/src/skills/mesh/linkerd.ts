import {
  Protocol,
  ServicePlan,
} from '@internal/backstage-plugin-cloud-native-common';
import { KubernetesObject } from '../../core/types';
import { portName, speaksHttp } from '../../plan/workload';
import { selectorLabels } from '../../plan/labels';
import {
  GOOGLE_LOAD_BALANCER_RANGES,
  INGRESS_CONTROLLER_NAMESPACE,
} from '../../plan/platform';
import { compareStrings } from '../../core/collections';
import {
  callersOf,
  fqdn,
  hasClusterService,
  hasPeers,
  isPublic,
  isServing,
  MeshContext,
  serverlessCallersOf,
  serviceMetadata,
  sharedMetadata,
  toObject,
} from './context';
import { LINKERD_API_VERSIONS } from './linkerdSchemas';

/**
 * Linkerd objects (API versions in `LINKERD_API_VERSIONS`, validated by
 * `validateLinkerdObject`).
 *
 * Per serving workload (a container port, named after its protocol `http`,
 * `grpc` or `tcp` by the kubernetes skill):
 * - `Server <svc>`: that port of the pods (selector labels), proxyProtocol
 *   by protocol (no protocol detection): HTTP/1, gRPC, or opaque for TCP,
 *   which the destination controller also tells client proxies. Once a
 *   Server exists, the port denies everything not authorized, whatever the
 *   default policy;
 * - `HTTPRoute <svc>` (all paths) and, when needed, `<svc>-probes` (the
 *   kubelet's HTTP probe path: with an HTTPRoute on a Server, Linkerd no
 *   longer authorizes probes by itself) and `<svc>-metrics` (`/metrics`,
 *   when Prometheus scrapes the pods, T3);
 * - `MeshTLSAuthentication <svc>`: the ServiceAccounts of exactly the
 *   services that list it in `dependsOn` (and its own, for a replicated
 *   StatefulSet), and `AuthorizationPolicy <svc>` targeting the Server with
 *   it;
 * - `AuthorizationPolicy <svc>-ingress` (public services),
 *   `<svc>-probes`, `<svc>-metrics`, with the shared authentications of
 *   mesh.yaml;
 * - `ServiceProfile <svc>.<ns>.svc.cluster.local`: per-route timeouts, GET
 *   retryable, a retry budget (for the clients of the Service `<svc>`).
 *
 * A TCP port gets only the Server and its authorization: no HTTPRoutes
 * (its probes are TCP connections, it is not scraped) and no
 * ServiceProfile (routes, timeouts and retries are HTTP). A gRPC port gets
 * no ServiceProfile either: a route timeout would cut streaming calls, and
 * gRPC calls are POSTs, never retried by the GET rule.
 *
 * The namespace's `linkerd.io/inject: enabled` annotation is written by
 * kubernetes-manifest-generator (checked by the skill, not duplicated).
 */

/** HTTP services speak HTTP/1 on the port the kubernetes skill names `http`. */
export const LINKERD_PROXY_PROTOCOL = 'HTTP/1';

/** The Server's proxyProtocol for each spec protocol. */
export const LINKERD_PROXY_PROTOCOLS: Record<Protocol, string> = {
  http: LINKERD_PROXY_PROTOCOL,
  grpc: 'gRPC',
  // No protocol detection: server-speaks-first protocols (MySQL, SMTP)
  // would stall in it, and nothing would be parsed anyway
  tcp: 'opaque',
};

function serverProtocol(servicePlan: ServicePlan): string {
  return LINKERD_PROXY_PROTOCOLS[servicePlan.service.protocol];
}
export const SERVICE_PROFILE_TIMEOUT = '15s';
export const RETRY_BUDGET = {
  retryRatio: 0.2,
  minRetriesPerSecond: 10,
  ttl: '10s',
} as const;
/** Path of the pods' `prometheus.io/path` annotation (kubernetes skill). */
export const METRICS_PATH = '/metrics';
/** Unauthenticated clients from any address (probes, metrics, ALB). */
export const ANY_NETWORK = 'any-network';
/** The Google front ends and health checkers (GKE Ingress via NEGs). */
export const LOAD_BALANCERS = 'load-balancers';
/** The meshed ingress controller's identities. */
export const INGRESS_CONTROLLER = 'ingress-controller';

const POLICY_GROUP = 'policy.linkerd.io';

type SharedAuthentication =
  | typeof ANY_NETWORK
  | typeof LOAD_BALANCERS
  | typeof INGRESS_CONTROLLER;

/** The Linkerd identity of every ServiceAccount of a namespace. */
function namespaceIdentities(namespace: string): string {
  return `*.${namespace}.serviceaccount.identity.linkerd.cluster.local`;
}

function authenticationRef(kind: string, name: string) {
  return { group: POLICY_GROUP, kind, name };
}

/** Which shared authentication authorizes public traffic, per plan.ingress. */
function publicAuthentication(context: MeshContext): {
  name: SharedAuthentication;
  kind: 'NetworkAuthentication' | 'MeshTLSAuthentication';
  describe: string;
} {
  const { ingress } = context.plan;
  const controllerNamespace = INGRESS_CONTROLLER_NAMESPACE[ingress];
  if (controllerNamespace) {
    return {
      name: INGRESS_CONTROLLER,
      kind: 'MeshTLSAuthentication',
      describe: `the meshed ${ingress} ingress controller (namespace ${controllerNamespace})`,
    };
  }
  if (ingress === 'gke') {
    return {
      name: LOAD_BALANCERS,
      kind: 'NetworkAuthentication',
      describe: 'the GKE load balancer ranges',
    };
  }
  return {
    name: ANY_NETWORK,
    kind: 'NetworkAuthentication',
    describe: 'any network (the ALB; narrow to the VPC CIDR)',
  };
}

/**
 * The kubelet's HTTP probe path, when the probes hit the Server's port
 * (never a TCP port: the spec refuses health.path there).
 */
function probePath(servicePlan: ServicePlan): string | undefined {
  const { health, port } = servicePlan.service;
  return health &&
    health.port === port &&
    servicePlan.service.protocol !== 'tcp'
    ? health.path
    : undefined;
}

/** Prometheus scrapes `/metrics` of HTTP pods (the kubernetes skill's annotations). */
function scrapesMetrics(context: MeshContext, servicePlan: ServicePlan) {
  return (
    context.plan.tierFeatures.observability &&
    isServing(servicePlan) &&
    speaksHttp(servicePlan)
  );
}

/** The shared authentications the services of this environment use. */
function sharedAuthenticationsUsed(
  context: MeshContext,
): Set<SharedAuthentication> {
  const used = new Set<SharedAuthentication>();
  for (const servicePlan of context.services.values()) {
    if (!isServing(servicePlan)) continue;
    if (probePath(servicePlan) || scrapesMetrics(context, servicePlan)) {
      used.add(ANY_NETWORK);
    }
    if (isPublic(servicePlan)) used.add(publicAuthentication(context).name);
  }
  return used;
}

/** Namespace-wide authentications of mesh.yaml (only those used). */
export function linkerdSharedObjects(context: MeshContext): KubernetesObject[] {
  const used = sharedAuthenticationsUsed(context);
  const objects: KubernetesObject[] = [];
  if (used.has(ANY_NETWORK)) {
    objects.push(
      toObject({
        apiVersion: LINKERD_API_VERSIONS.NetworkAuthentication,
        kind: 'NetworkAuthentication',
        metadata: sharedMetadata(context, ANY_NETWORK),
        spec: { networks: [{ cidr: '0.0.0.0/0' }, { cidr: '::/0' }] },
      }),
    );
  }
  if (used.has(LOAD_BALANCERS)) {
    objects.push(
      toObject({
        apiVersion: LINKERD_API_VERSIONS.NetworkAuthentication,
        kind: 'NetworkAuthentication',
        metadata: sharedMetadata(context, LOAD_BALANCERS),
        spec: {
          networks: GOOGLE_LOAD_BALANCER_RANGES.map(cidr => ({ cidr })),
        },
      }),
    );
  }
  const controllerNamespace =
    INGRESS_CONTROLLER_NAMESPACE[context.plan.ingress];
  if (used.has(INGRESS_CONTROLLER) && controllerNamespace) {
    objects.push(
      toObject({
        apiVersion: LINKERD_API_VERSIONS.MeshTLSAuthentication,
        kind: 'MeshTLSAuthentication',
        metadata: sharedMetadata(context, INGRESS_CONTROLLER),
        spec: { identities: [namespaceIdentities(controllerNamespace)] },
      }),
    );
  }
  return objects;
}

function httpRoute(
  context: MeshContext,
  servicePlan: ServicePlan,
  name: string,
  match: Record<string, unknown>,
): KubernetesObject {
  return toObject({
    apiVersion: LINKERD_API_VERSIONS.HTTPRoute,
    kind: 'HTTPRoute',
    metadata: serviceMetadata(context, servicePlan, name),
    spec: {
      parentRefs: [
        { group: POLICY_GROUP, kind: 'Server', name: servicePlan.name },
      ],
      rules: [{ matches: [match] }],
    },
  });
}

function authorizationPolicy(
  context: MeshContext,
  servicePlan: ServicePlan,
  name: string,
  target: { kind: 'Server' | 'HTTPRoute'; name: string },
  authentication: { kind: string; name: string },
): KubernetesObject {
  return toObject({
    apiVersion: LINKERD_API_VERSIONS.AuthorizationPolicy,
    kind: 'AuthorizationPolicy',
    metadata: serviceMetadata(context, servicePlan, name),
    spec: {
      targetRef: { group: POLICY_GROUP, ...target },
      requiredAuthenticationRefs: [
        authenticationRef(authentication.kind, authentication.name),
      ],
    },
  });
}

function serviceProfile(
  context: MeshContext,
  servicePlan: ServicePlan,
): KubernetesObject {
  return toObject({
    apiVersion: LINKERD_API_VERSIONS.ServiceProfile,
    kind: 'ServiceProfile',
    metadata: serviceMetadata(
      context,
      servicePlan,
      fqdn(context, servicePlan.name),
    ),
    spec: {
      // First match wins: GET is safe to retry, everything else is not.
      routes: [
        {
          name: 'GET',
          condition: { method: 'GET', pathRegex: '/.*' },
          isRetryable: true,
          timeout: SERVICE_PROFILE_TIMEOUT,
        },
        {
          name: 'other requests',
          condition: { pathRegex: '/.*' },
          timeout: SERVICE_PROFILE_TIMEOUT,
        },
      ],
      retryBudget: { ...RETRY_BUDGET },
    },
  });
}

/** The objects of one service and the one-line note that describes them. */
export function linkerdServiceObjects(
  context: MeshContext,
  servicePlan: ServicePlan,
): { objects: KubernetesObject[]; note: string } {
  const { name } = servicePlan;
  const serverless = serverlessCallersOf(context.plan, name);
  const serverlessNote =
    serverless.length > 0
      ? `; serverless ${serverless.join(
          ', ',
        )} cannot present a mesh identity and are not authorized`
      : '';
  if (!isServing(servicePlan)) {
    return {
      objects: [],
      note: `${name}: no port, so no Server: its pods accept only what the namespace's default inbound policy allows${serverlessNote}`,
    };
  }
  const server = { kind: 'Server' as const, name };
  const proxyProtocol = serverProtocol(servicePlan);
  const tcp = servicePlan.service.protocol === 'tcp';
  // An HTTPRoute authorizes requests by route: none for opaque TCP
  const routes: KubernetesObject[] = tcp
    ? []
    : [
        httpRoute(context, servicePlan, name, {
          path: { type: 'PathPrefix', value: '/' },
        }),
      ];
  const authentications: KubernetesObject[] = [];
  const policies: KubernetesObject[] = [];
  const allowed: string[] = [];

  const identities = [
    ...callersOf(context, name),
    ...(hasPeers(context, servicePlan) ? [name] : []),
  ].sort(compareStrings);
  if (identities.length > 0) {
    authentications.push(
      toObject({
        apiVersion: LINKERD_API_VERSIONS.MeshTLSAuthentication,
        kind: 'MeshTLSAuthentication',
        metadata: serviceMetadata(context, servicePlan, name),
        spec: {
          identityRefs: identities.map(serviceAccount => ({
            kind: 'ServiceAccount',
            name: serviceAccount,
          })),
        },
      }),
    );
    policies.push(
      authorizationPolicy(context, servicePlan, name, server, {
        kind: 'MeshTLSAuthentication',
        name,
      }),
    );
    allowed.push(`ServiceAccounts ${identities.join(', ')}`);
  }
  if (isPublic(servicePlan)) {
    const authentication = publicAuthentication(context);
    policies.push(
      authorizationPolicy(
        context,
        servicePlan,
        `${name}-ingress`,
        server,
        authentication,
      ),
    );
    allowed.push(authentication.describe);
  }
  // Unauthenticated GET endpoints: any network may reach them, on one
  // exact path each, through its own HTTPRoute.
  const openEndpoints: { suffix: string; path: string; who: string }[] = [];
  const probe = probePath(servicePlan);
  if (probe) {
    openEndpoints.push({
      suffix: 'probes',
      path: probe,
      who: 'kubelet probes',
    });
  }
  if (scrapesMetrics(context, servicePlan)) {
    openEndpoints.push({
      suffix: 'metrics',
      path: METRICS_PATH,
      who: 'Prometheus',
    });
  }
  for (const endpoint of openEndpoints) {
    const route = `${name}-${endpoint.suffix}`;
    routes.push(
      httpRoute(context, servicePlan, route, {
        path: { type: 'Exact', value: endpoint.path },
        method: 'GET',
      }),
    );
    policies.push(
      authorizationPolicy(
        context,
        servicePlan,
        route,
        { kind: 'HTTPRoute', name: route },
        { kind: 'NetworkAuthentication', name: ANY_NETWORK },
      ),
    );
    allowed.push(`${endpoint.who} on GET ${endpoint.path}`);
  }
  const objects: KubernetesObject[] = [
    toObject({
      apiVersion: LINKERD_API_VERSIONS.Server,
      kind: 'Server',
      metadata: serviceMetadata(context, servicePlan, name),
      spec: {
        podSelector: { matchLabels: selectorLabels(context.plan, name) },
        port: portName(servicePlan),
        proxyProtocol,
      },
    }),
    ...routes,
    ...authentications,
  ];
  objects.push(...policies);
  const profiled = hasClusterService(servicePlan) && speaksHttp(servicePlan);
  if (profiled) {
    objects.push(serviceProfile(context, servicePlan));
  }
  let profileNote = '';
  if (profiled) {
    profileNote = `; ServiceProfile ${fqdn(
      context,
      name,
    )}: timeout ${SERVICE_PROFILE_TIMEOUT}, GET retryable, retry budget ${
      RETRY_BUDGET.retryRatio * 100
    }%`;
  } else if (hasClusterService(servicePlan)) {
    profileNote = tcp
      ? '; no HTTPRoute or ServiceProfile (opaque TCP)'
      : '; no ServiceProfile (route timeouts would cut gRPC streams)';
  }
  return {
    objects,
    note: `${name}: Server ${portName(servicePlan)} (${proxyProtocol}) allows ${
      allowed.length > 0 ? allowed.join('; ') : 'nobody (no mesh callers)'
    }${profileNote}${serverlessNote}`,
  };
}
