import type { IService } from 'kubernetes-models/v1/Service';
import type { IIngress } from 'kubernetes-models/networking.k8s.io/v1/Ingress';
import type { INetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import type { IIoK8sApiNetworkingV1NetworkPolicyIngressRule as IIngressRule } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicyIngressRule';
import type { IIoK8sApiNetworkingV1NetworkPolicyEgressRule as IEgressRule } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicyEgressRule';
import type { IIoK8sApiNetworkingV1NetworkPolicyPeer as IPeer } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicyPeer';
import {
  DeploymentPlan,
  ServicePlan,
} from '@internal/backstage-plugin-cloud-native-common';
import { KubernetesObject } from '../../core/types';
import { hasClusterService, isServing, servicePort } from '../../plan/workload';
import { isScraped } from '../../plan/metrics';
import { asObject } from '../../core/serialize';
import { publicIngressSpec, servicePortSpec } from '../../plan/exposure';
import { GenerationContext, serviceProfile } from './context';
import {
  hasCanaryServices,
  rolloutMode,
  trafficRouterFor,
} from '../../plan/rollout';
import {
  selectorLabels,
  serviceLabels,
  sharedLabels,
  sortedRecord,
} from '../../plan/labels';
import {
  GOOGLE_LOAD_BALANCER_RANGES,
  INGRESS_CONTROLLER_NAMESPACE,
} from '../../plan/platform';

/**
 * Services, Ingress and NetworkPolicies.
 *
 * NetworkPolicy model (from T2): the namespace denies all ingress and
 * egress by default, every pod may resolve DNS (kube-system, port 53) and,
 * with a mesh, reach the mesh control plane. Each service then allows:
 * - ingress on its container port from exactly the services that list it in
 *   `dependsOn`, from the ingress controller for public services, and from
 *   the `monitoring` namespace when Prometheus scrapes it (T3);
 * - egress to exactly its own `dependsOn` targets, on their container ports
 *   (NetworkPolicy sees the pod port after the Service's DNAT);
 * - a StatefulSet with several replicas talks to its own pods (replication).
 */

export const MONITORING_NAMESPACE = 'monitoring';
/** Mesh control planes the proxies call: namespace and ports. */
export const MESH_CONTROL_PLANE: Record<
  'istio' | 'linkerd',
  { namespace: string; ports: number[] }
> = {
  // istiod: xDS and certificates
  istio: { namespace: 'istio-system', ports: [15012] },
  // identity, destination, policy controllers
  linkerd: { namespace: 'linkerd', ports: [8080, 8086, 8090] },
};

const namespaceSelector = (name: string) => ({
  namespaceSelector: {
    matchLabels: { 'kubernetes.io/metadata.name': name },
  },
});

function serviceMetadata(
  context: GenerationContext,
  servicePlan: ServicePlan,
  name: string,
) {
  return {
    name,
    namespace: context.namespace,
    labels: serviceLabels(context.plan, servicePlan, context.environment),
  };
}

/** Linkerd's annotation that marks ports opaque (no protocol detection). */
export const LINKERD_OPAQUE_PORTS_ANNOTATION = 'config.linkerd.io/opaque-ports';

/**
 * Annotations of the Services of a service: with Linkerd, a TCP port is
 * opaque, so client proxies skip protocol detection (server-speaks-first
 * protocols would otherwise stall in it). The Service port equals the
 * container port for TCP.
 */
export function serviceAnnotations(
  plan: DeploymentPlan,
  servicePlan: ServicePlan,
): Record<string, string> | undefined {
  const { port, protocol } = servicePlan.service;
  if (plan.mesh !== 'linkerd' || protocol !== 'tcp' || port === undefined) {
    return undefined;
  }
  return { [LINKERD_OPAQUE_PORTS_ANNOTATION]: String(port) };
}

function clusterIpService(
  context: GenerationContext,
  servicePlan: ServicePlan,
  name: string,
): KubernetesObject {
  const annotations = serviceAnnotations(context.plan, servicePlan);
  const object: IService & { metadata: { name: string } } = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: {
      ...serviceMetadata(context, servicePlan, name),
      ...(annotations ? { annotations } : {}),
    },
    spec: {
      type: 'ClusterIP',
      selector: selectorLabels(context.plan, servicePlan.name),
      ports: [servicePortSpec(servicePlan, servicePort(servicePlan)!)],
    },
  };
  return asObject(object);
}

/**
 * The Services of a service: `<svc>` (ClusterIP; port 80 → `http` for
 * HTTP, the service's own port → `grpc` / `tcp` otherwise); for a
 * StatefulSet also `<svc>-headless` (stable pod DNS names, published before
 * ready so peers can find each other while bootstrapping); for a Rollout the
 * second Service its strategy switches (`<svc>-canary` or `<svc>-preview`).
 */
export function services(
  context: GenerationContext,
  servicePlan: ServicePlan,
): KubernetesObject[] {
  if (!hasClusterService(servicePlan)) return [];
  const objects = [clusterIpService(context, servicePlan, servicePlan.name)];
  const mode = rolloutMode(context.plan, servicePlan);
  if (mode === 'blue-green') {
    objects.push(
      clusterIpService(context, servicePlan, `${servicePlan.name}-preview`),
    );
  } else if (mode && hasCanaryServices(servicePlan)) {
    objects.push(
      clusterIpService(context, servicePlan, `${servicePlan.name}-canary`),
    );
  }
  if (servicePlan.objectKind === 'StatefulSet') {
    const annotations = serviceAnnotations(context.plan, servicePlan);
    const headless: IService & { metadata: { name: string } } = {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: {
        ...serviceMetadata(
          context,
          servicePlan,
          `${servicePlan.name}-headless`,
        ),
        ...(annotations ? { annotations } : {}),
      },
      spec: {
        clusterIP: 'None',
        publishNotReadyAddresses: true,
        selector: selectorLabels(context.plan, servicePlan.name),
        ports: [servicePortSpec(servicePlan, servicePlan.service.port!)],
      },
    };
    objects.push(asObject(headless));
  }
  return objects;
}

/**
 * What tells each ingress controller that the backend speaks gRPC (HTTP/2
 * without TLS). The GKE Ingress would need TLS on the pods, so the spec
 * refuses public gRPC on gcp.
 */
export const GRPC_BACKEND_ANNOTATIONS: Partial<
  Record<DeploymentPlan['ingress'], Record<string, string>>
> = {
  nginx: { 'nginx.ingress.kubernetes.io/backend-protocol': 'GRPC' },
  'application-routing': {
    'nginx.ingress.kubernetes.io/backend-protocol': 'GRPC',
  },
  alb: { 'alb.ingress.kubernetes.io/backend-protocol-version': 'GRPC' },
};

function ingressClass(plan: DeploymentPlan): {
  ingressClassName?: string;
  annotations: Record<string, string>;
} {
  switch (plan.ingress) {
    case 'alb':
      return {
        ingressClassName: 'alb',
        annotations: {
          'alb.ingress.kubernetes.io/scheme': 'internet-facing',
          'alb.ingress.kubernetes.io/target-type': 'ip',
          'alb.ingress.kubernetes.io/listen-ports':
            '[{"HTTP": 80}, {"HTTPS": 443}]',
          'alb.ingress.kubernetes.io/ssl-redirect': '443',
        },
      };
    case 'gke':
      // GKE's Ingress controller does not read spec.ingressClassName; the
      // class is selected by the (deprecated upstream) annotation only.
      return { annotations: { 'kubernetes.io/ingress.class': 'gce' } };
    case 'application-routing':
      return {
        ingressClassName: 'webapprouting.kubernetes.azure.com',
        annotations: {},
      };
    default:
      return { ingressClassName: 'nginx', annotations: {} };
  }
}

/** The Ingress of a public service, TLS from the Secret `<svc>-tls`. */
export function ingress(
  context: GenerationContext,
  servicePlan: ServicePlan,
): KubernetesObject | undefined {
  const host = serviceProfile(context, servicePlan).host;
  if (!host || !hasClusterService(servicePlan)) return undefined;
  const { ingressClassName, annotations: classAnnotations } = ingressClass(
    context.plan,
  );
  const annotations = {
    ...classAnnotations,
    ...(servicePlan.service.protocol === 'grpc'
      ? GRPC_BACKEND_ANNOTATIONS[context.plan.ingress]
      : {}),
  };
  const albCanary =
    rolloutMode(context.plan, servicePlan) === 'canary' &&
    trafficRouterFor(context.plan, servicePlan) === 'alb';
  const object: IIngress & { metadata: { name: string } } = {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: {
      ...serviceMetadata(context, servicePlan, servicePlan.name),
      ...(Object.keys(annotations).length > 0
        ? { annotations: sortedRecord(annotations) }
        : {}),
    },
    spec: publicIngressSpec({
      ingressClassName,
      host,
      tlsSecretName: `${servicePlan.name}-tls`,
      serviceName: servicePlan.name,
      // Argo Rollouts writes the weighted ALB action into the annotation
      // `actions.<svc>`; the backend refers to it.
      port: albCanary
        ? { name: 'use-annotation' }
        : { number: servicePort(servicePlan)! },
    }),
  };
  return asObject(object);
}

function sharedPolicy(
  context: GenerationContext,
  name: string,
  spec: INetworkPolicy['spec'],
): KubernetesObject {
  const object: INetworkPolicy & { metadata: { name: string } } = {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: {
      name,
      namespace: context.namespace,
      labels: sharedLabels(context.plan, 'network-policy', context.environment),
    },
    spec,
  };
  return asObject(object);
}

/** Namespace-wide policies: default deny, DNS, mesh control plane. */
export function sharedNetworkPolicies(
  context: GenerationContext,
): KubernetesObject[] {
  if (!context.plan.tierFeatures.networkPolicies) return [];
  const policies = [
    sharedPolicy(context, 'default-deny-all', {
      podSelector: {},
      policyTypes: ['Ingress', 'Egress'],
    }),
    sharedPolicy(context, 'allow-dns-egress', {
      podSelector: {},
      policyTypes: ['Egress'],
      egress: [
        {
          to: [
            {
              ...namespaceSelector('kube-system'),
              podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } },
            },
          ],
          ports: [
            { protocol: 'UDP', port: 53 },
            { protocol: 'TCP', port: 53 },
          ],
        },
      ],
    }),
  ];
  const mesh = context.plan.mesh;
  if (mesh !== 'none') {
    const controlPlane = MESH_CONTROL_PLANE[mesh];
    policies.push(
      sharedPolicy(context, 'allow-mesh-control-plane-egress', {
        podSelector: {},
        policyTypes: ['Egress'],
        egress: [
          {
            to: [namespaceSelector(controlPlane.namespace)],
            ports: controlPlane.ports.map(port => ({ protocol: 'TCP', port })),
          },
        ],
      }),
    );
  }
  return policies;
}

function publicSources(
  context: GenerationContext,
  servicePlan: ServicePlan,
): IPeer[] | 'any' {
  const { ingress: controller } = context.plan;
  const namespace = INGRESS_CONTROLLER_NAMESPACE[controller];
  if (namespace) return [namespaceSelector(namespace)];
  if (controller === 'gke') {
    return GOOGLE_LOAD_BALANCER_RANGES.map(cidr => ({ ipBlock: { cidr } }));
  }
  context.notes.add(
    `${servicePlan.name}: the ALB sends traffic from the VPC's subnets (target-type ip), which the plan does not know; its NetworkPolicy accepts any source on port http, narrow it to the VPC CIDR`,
  );
  return 'any';
}

/** The NetworkPolicy of one service: exactly its dependency edges. */
export function serviceNetworkPolicy(
  context: GenerationContext,
  servicePlan: ServicePlan,
): KubernetesObject | undefined {
  if (!context.plan.tierFeatures.networkPolicies) return undefined;
  const { plan } = context;
  const { port } = servicePlan.service;
  const ingressRules: IIngressRule[] = [];
  const egressRules: IEgressRule[] = [];

  if (port !== undefined) {
    const dependents = [...context.services.values()]
      .filter(other => other.service.dependsOn.includes(servicePlan.name))
      .map(other => other.name)
      .sort();
    if (dependents.length > 0) {
      ingressRules.push({
        from: dependents.map(name => ({
          podSelector: { matchLabels: selectorLabels(plan, name) },
        })),
        ports: [{ protocol: 'TCP', port }],
      });
    }
    if (servicePlan.service.expose === 'public' && isServing(servicePlan)) {
      const sources = publicSources(context, servicePlan);
      ingressRules.push(
        sources === 'any'
          ? { ports: [{ protocol: 'TCP', port }] }
          : { from: sources, ports: [{ protocol: 'TCP', port }] },
      );
    }
    if (isScraped(plan, servicePlan)) {
      ingressRules.push({
        from: [namespaceSelector(MONITORING_NAMESPACE)],
        ports: [{ protocol: 'TCP', port }],
      });
    }
  }

  if (
    servicePlan.objectKind === 'StatefulSet' &&
    serviceProfile(context, servicePlan).replicas.min > 1
  ) {
    const self = {
      podSelector: { matchLabels: selectorLabels(plan, servicePlan.name) },
    };
    ingressRules.push({ from: [self] });
    egressRules.push({ to: [self] });
  }

  const external: string[] = [];
  for (const dependency of servicePlan.service.dependsOn) {
    const target = context.services.get(dependency);
    if (!target) {
      external.push(dependency);
      continue;
    }
    if (target.service.port === undefined) {
      context.notes.add(
        `${servicePlan.name} → ${dependency}: '${dependency}' has no port, so the NetworkPolicy allows no traffic on this edge`,
      );
      continue;
    }
    egressRules.push({
      to: [{ podSelector: { matchLabels: selectorLabels(plan, dependency) } }],
      ports: [{ protocol: 'TCP', port: target.service.port }],
    });
  }
  if (external.length > 0) {
    // Serverless functions are reached through their HTTPS endpoints.
    egressRules.push({
      to: [{ ipBlock: { cidr: '0.0.0.0/0' } }],
      ports: [{ protocol: 'TCP', port: 443 }],
    });
    context.notes.add(
      `${servicePlan.name}: depends on serverless ${external.join(
        ', ',
      )}; egress to HTTPS (443) on any address is allowed`,
    );
  }

  const object: INetworkPolicy & { metadata: { name: string } } = {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: serviceMetadata(context, servicePlan, servicePlan.name),
    spec: {
      podSelector: { matchLabels: selectorLabels(plan, servicePlan.name) },
      policyTypes: ['Ingress', 'Egress'],
      ingress: ingressRules,
      egress: egressRules,
    },
  };
  return asObject(object);
}
