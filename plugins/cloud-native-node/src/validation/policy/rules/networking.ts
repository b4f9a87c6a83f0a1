import { PolicyContext, PolicyRule, PolicyViolation } from '../types';
import {
  asArray,
  asNumber,
  asObj,
  asString,
  asStringMap,
  at,
  containerPorts,
  labelSelectorMatches,
  nameOf,
  namespaceOf,
  NON_HTTP_IMAGES,
  NON_HTTP_PORTS,
  Obj,
  sameNamespace,
  Workload,
  WORKLOAD_KINDS,
} from '../model';
import { ADVICE, BROKEN, HARDENING_FROM_T2 } from '../severity';
import { describe, perContainer, violation } from './helpers';
import { KubernetesObject } from '../../../core/types';

/** Annotations that keep a LoadBalancer inside the private network. */
const INTERNAL_LB_ANNOTATIONS: Record<string, RegExp> = {
  'service.beta.kubernetes.io/aws-load-balancer-internal':
    /^(true|0\.0\.0\.0\/0)$/i,
  'service.beta.kubernetes.io/aws-load-balancer-scheme': /^internal$/i,
  'service.beta.kubernetes.io/azure-load-balancer-internal': /^true$/i,
  'networking.gke.io/load-balancer-type': /^internal$/i,
  'cloud.google.com/load-balancer-type': /^internal$/i,
};

function serviceSelector(service: KubernetesObject): Record<string, string> {
  return asStringMap(at(service, 'spec.selector'));
}

/** Services that route to Pods by selector (not ExternalName, not manual). */
function selectsPods(service: KubernetesObject): boolean {
  return (
    at(service, 'spec.type') !== 'ExternalName' &&
    Object.keys(serviceSelector(service)).length > 0
  );
}

/**
 * The workloads a Service selects, or undefined for a Service that does not
 * route to Pods by selector.
 */
function selectedWorkloads(ctx: PolicyContext): Workload[] | undefined {
  if (!selectsPods(ctx.object)) return undefined;
  return ctx.index.selectedByMap(serviceSelector(ctx.object), ctx.object);
}

/** Containers that receive Service traffic (not run-to-completion init). */
function servingContainers(workload: Workload) {
  return workload.containers.filter(c => !c.init || c.sidecar);
}

/** The container ports a Service targetPort resolves to in a workload. */
function resolveTargetPort(
  workload: Workload,
  targetPort: unknown,
): { declared: boolean; resolved: number[] } {
  const ports = servingContainers(workload).flatMap(c =>
    containerPorts(c.container),
  );
  if (typeof targetPort === 'string' && !/^\d+$/.test(targetPort)) {
    const resolved = ports
      .filter(p => p.name === targetPort && p.port !== undefined)
      .map(p => p.port as number);
    return { declared: ports.length > 0, resolved };
  }
  const number = Number(targetPort);
  return {
    declared: ports.length > 0,
    resolved: ports.some(p => p.port === number) ? [number] : [],
  };
}

function servicePorts(service: KubernetesObject): Array<{
  port: Obj;
  index: number;
  target: unknown;
}> {
  return asArray(at(service, 'spec.ports')).map((entry, index) => {
    const port = asObj(entry);
    return { port, index, target: port.targetPort ?? port.port };
  });
}

/** The port of a Service (number or name) a backend names, if it has it. */
function hasServicePort(
  service: KubernetesObject,
  port: number | string,
): boolean {
  return servicePorts(service).some(({ port: p }) =>
    typeof port === 'number' || /^\d+$/.test(port)
      ? p.port === Number(port)
      : p.name === port,
  );
}

function describePorts(service: KubernetesObject): string {
  return servicePorts(service)
    .map(p => asString(p.port.name) ?? String(p.port.port))
    .join(', ');
}

/** Served by the AWS Load Balancer Controller (class `alb`). */
function isAlbIngress(ingress: KubernetesObject): boolean {
  return (
    at(ingress, 'spec.ingressClassName') === 'alb' ||
    asStringMap(at(ingress, 'metadata.annotations'))[
      'kubernetes.io/ingress.class'
    ] === 'alb'
  );
}

/** The AWS Load Balancer Controller's action annotation of a backend. */
const ALB_ACTION_PREFIX = 'alb.ingress.kubernetes.io/actions.';

/**
 * A backend `port.name: use-annotation` of an ALB Ingress: the AWS Load
 * Balancer Controller reads the action from the annotation
 * `alb.ingress.kubernetes.io/actions.<service.name>` (a JSON action; a
 * `forward` names target groups by ARN or by Service and port). The
 * annotation must be there and parse, and every Service it forwards to must
 * exist with that port. Without it, an Argo Rollout with ALB traffic routing
 * on this Ingress (`trafficRouting.alb.ingress`, root Service = the backend)
 * writes it at runtime (weighted forward to its stable and canary Services),
 * so those must exist with `trafficRouting.alb.servicePort`.
 */
function albActionViolations(
  ctx: PolicyContext,
  backend: { name: string; path: string },
): PolicyViolation[] {
  const key = `${ALB_ACTION_PREFIX}${backend.name}`;
  const annotationPath = `metadata.annotations.${key}`;
  const value = asStringMap(at(ctx.object, 'metadata.annotations'))[key];
  const missingService = (
    path: string,
    name: string,
    port: number | string,
    where: string,
  ): PolicyViolation[] => {
    const service = ctx.index.find('Service', name, ctx.object);
    if (!service) {
      return [
        violation(
          path,
          `${where} forwards to the Service "${name}", which is not in this environment`,
        ),
      ];
    }
    return hasServicePort(service.object, port)
      ? []
      : [
          violation(
            path,
            `${where} forwards to port ${String(
              port,
            )} of the Service "${name}", which has no such port (it has ${describePorts(
              service.object,
            )})`,
          ),
        ];
  };

  if (value === undefined) {
    const ingressName = asString(at(ctx.object, 'metadata.name'));
    const rollout = ctx.index.ofKind('Rollout').find(({ object }) => {
      if (!sameNamespace(object, ctx.object)) return false;
      const canary = asObj(at(object, 'spec.strategy.canary'));
      const alb = asObj(asObj(canary.trafficRouting).alb);
      const ingresses = [
        asString(alb.ingress),
        ...asArray(alb.ingresses).map(asString),
      ];
      return (
        ingressName !== undefined &&
        ingresses.includes(ingressName) &&
        (asString(alb.rootService) ?? asString(canary.stableService)) ===
          backend.name
      );
    });
    if (!rollout) {
      return [
        violation(
          `${backend.path}.port`,
          `the backend port use-annotation reads its action from the annotation ${key}, which is missing (and no Rollout with ALB traffic routing on this Ingress writes it)`,
        ),
      ];
    }
    const canary = asObj(at(rollout.object, 'spec.strategy.canary'));
    const port = asNumber(asObj(asObj(canary.trafficRouting).alb).servicePort);
    const where = `the Rollout "${nameOf(
      rollout.object,
    )}" (ALB traffic routing)`;
    if (port === undefined) {
      return [
        violation(
          `${backend.path}.port`,
          `${where} has no trafficRouting.alb.servicePort for the action it writes into ${key}`,
        ),
      ];
    }
    return [canary.stableService, canary.canaryService].flatMap(name =>
      typeof name === 'string'
        ? missingService(`${backend.path}.port`, name, port, where)
        : [],
    );
  }

  let action: unknown;
  try {
    action = JSON.parse(value);
  } catch (error) {
    return [
      violation(
        annotationPath,
        `the action of the backend "${
          backend.name
        }" (port use-annotation) is not JSON: ${(error as Error).message}`,
      ),
    ];
  }
  const where = `the action ${key}`;
  const type = asString(asObj(action).type);
  if (!type) {
    return [
      violation(
        annotationPath,
        `${where} has no type (forward, redirect or fixed-response)`,
      ),
    ];
  }
  if (type !== 'forward') return [];
  const forward = asObj(action);
  const groups = asArray(asObj(forward.forwardConfig).targetGroups);
  if (groups.length === 0 && !asString(forward.targetGroupARN)) {
    return [
      violation(
        annotationPath,
        `${where} forwards to no target group (forwardConfig.targetGroups or targetGroupARN)`,
      ),
    ];
  }
  return groups.flatMap((entry, index) => {
    const group = asObj(entry);
    if (asString(group.targetGroupARN)) return [];
    const name = asString(group.serviceName);
    const port = asNumber(group.servicePort) ?? asString(group.servicePort);
    if (!name || port === undefined) {
      return [
        violation(
          annotationPath,
          `${where}: forwardConfig.targetGroups[${index}] needs serviceName and servicePort (or targetGroupARN)`,
        ),
      ];
    }
    return missingService(annotationPath, name, port, where);
  });
}

/** Ingress and Gateway API backends: Service name, port, path. */
function backendsOf(
  object: KubernetesObject,
): Array<{ name: string; port?: number | string; path: string }> {
  const out: Array<{ name: string; port?: number | string; path: string }> = [];
  if (object.kind === 'Ingress') {
    const add = (backend: unknown, path: string) => {
      const service = asObj(asObj(backend).service);
      const name = asString(service.name);
      if (!name) return;
      const port = asObj(service.port);
      out.push({
        name,
        port: asNumber(port.number) ?? asString(port.name),
        path: `${path}.service`,
      });
    };
    add(at(object, 'spec.defaultBackend'), 'spec.defaultBackend');
    asArray(at(object, 'spec.rules')).forEach((rule, r) =>
      asArray(at(rule, 'http.paths')).forEach((entry, p) =>
        add(asObj(entry).backend, `spec.rules[${r}].http.paths[${p}].backend`),
      ),
    );
    return out;
  }
  // HTTPRoute, GRPCRoute, TCPRoute, TLSRoute...
  asArray(at(object, 'spec.rules')).forEach((rule, r) =>
    asArray(asObj(rule).backendRefs).forEach((entry, b) => {
      const ref = asObj(entry);
      const kind = asString(ref.kind) ?? 'Service';
      const group = asString(ref.group) ?? '';
      const namespace = asString(ref.namespace);
      const name = asString(ref.name);
      if (kind !== 'Service' || group !== '' || !name) return;
      if (namespace && namespace !== namespaceOf(object)) return;
      out.push({
        name,
        port: asNumber(ref.port),
        path: `spec.rules[${r}].backendRefs[${b}]`,
      });
    }),
  );
  return out;
}

/** Istio's protocol selection reads the port name prefix or appProtocol. */
function declaredHttp(port: Obj): string | undefined {
  const appProtocol = asString(port.appProtocol)?.toLowerCase();
  if (appProtocol) {
    return /^(http|http2|https|grpc|grpc-web|kubernetes.io\/h2c)$/.test(
      appProtocol,
    )
      ? `appProtocol ${appProtocol}`
      : undefined;
  }
  const name = asString(port.name)?.toLowerCase() ?? '';
  const prefix = /^(http2|http|grpc-web|grpc)(-|$)/.exec(name);
  return prefix ? `name "${name}"` : undefined;
}

/** Default-deny policies: every Pod of the namespace, no rules. */
function isDefaultDeny(policy: KubernetesObject, type: 'Ingress' | 'Egress') {
  const spec = asObj(policy.spec);
  const selector = asObj(spec.podSelector);
  const selectsAll =
    Object.keys(asObj(selector.matchLabels)).length === 0 &&
    asArray(selector.matchExpressions).length === 0;
  const types = asArray(spec.policyTypes).map(String);
  const covers = types.length > 0 ? types.includes(type) : type === 'Ingress';
  const rules = asArray(type === 'Ingress' ? spec.ingress : spec.egress);
  return selectsAll && covers && rules.length === 0;
}

function firstWorkloadOfNamespace(ctx: PolicyContext): boolean {
  const w = ctx.workload;
  if (!w) return false;
  const first = ctx.index.workloads.find(
    other => namespaceOf(other.object) === namespaceOf(w.object),
  );
  return first === w;
}

export const networkingRules: PolicyRule[] = [
  {
    id: 'service-selects-pods',
    category: 'networking',
    description:
      'A Service selector matches the Pod labels of a workload in the same environment and namespace (else it has no endpoints).',
    anchors: ['kube-linter:dangling-service', 'kube-score:service-targets-pod'],
    appliesTo: ['Service'],
    severity: BROKEN,
    check: ctx => {
      const selected = selectedWorkloads(ctx);
      if (!selected || selected.length > 0) return [];
      const selector = serviceSelector(ctx.object);
      return [
        violation(
          'spec.selector',
          `the Service selects no Pod of this environment (${Object.entries(
            selector,
          )
            .map(([k, v]) => `${k}=${v}`)
            .join(', ')}): it has no endpoints`,
        ),
      ];
    },
  },
  {
    id: 'service-target-port',
    category: 'networking',
    description:
      'Every Service targetPort (named, or a number when the Pods declare ports) is a port of the selected containers.',
    anchors: [
      'kube-score:service-targets-pod',
      'kube-linter:invalid-target-ports',
      'kube-linter:dangling-service',
    ],
    appliesTo: ['Service'],
    severity: BROKEN,
    check: ctx => {
      const selected = selectedWorkloads(ctx);
      if (!selected || selected.length === 0) return [];
      const out: PolicyViolation[] = [];
      for (const { port, index, target } of servicePorts(ctx.object)) {
        if (target === undefined) continue;
        const results = selected.map(w => resolveTargetPort(w, target));
        const named = typeof target === 'string' && !/^\d+$/.test(target);
        const missing = named
          ? results.every(r => r.resolved.length === 0)
          : results.every(r => r.declared && r.resolved.length === 0);
        if (missing) {
          out.push(
            violation(
              `spec.ports[${index}].targetPort`,
              `port ${asString(port.name) ?? index} targets ${
                named ? `"${target}"` : String(target)
              }, which no selected container (${selected
                .map(w => `${w.kind}/${w.name}`)
                .join(', ')}) declares`,
            ),
          );
        }
      }
      return out;
    },
  },
  {
    id: 'service-port-protocol',
    category: 'networking',
    description:
      'A Service port named (or appProtocol) http/http2/grpc does not front a non-HTTP server (a well-known database, cache or broker port, or such an image); meshes such as Istio pick the protocol from the name and would break the traffic.',
    anchors: [
      'istio-analyzer:IST0118',
      'k8s-docs:service-application-protocol',
    ],
    appliesTo: ['Service'],
    // A heuristic on well-known ports, so a warning.
    severity: ADVICE,
    check: ctx => {
      const selected = selectedWorkloads(ctx);
      if (!selected) return [];
      const out: PolicyViolation[] = [];
      for (const { port, index, target } of servicePorts(ctx.object)) {
        const http = declaredHttp(port);
        if (!http) continue;
        const resolved = new Set(
          selected.flatMap(w => resolveTargetPort(w, target).resolved),
        );
        if (typeof target === 'number') resolved.add(target);
        // A database image on an unusual port is still a database
        const images = new Set<string>();
        for (const w of selected) {
          for (const c of servingContainers(w)) {
            const image = asString(c.container.image) ?? '';
            const server = NON_HTTP_IMAGES.find(i => i.pattern.test(image));
            const declares = containerPorts(c.container).some(
              p => p.port !== undefined && resolved.has(p.port),
            );
            if (server && declares) {
              images.add(`${server.what} (image ${image})`);
            }
          }
        }
        const protocols = [
          ...[...resolved]
            .map(p => (NON_HTTP_PORTS[p] ? `${NON_HTTP_PORTS[p]} (${p})` : ''))
            .filter(Boolean),
          ...images,
        ];
        if (protocols.length > 0) {
          out.push(
            violation(
              `spec.ports[${index}].name`,
              `port ${index} declares HTTP (${http}) but targets ${protocols.join(
                ', ',
              )}; name it tcp-... (or set appProtocol: tcp) so a mesh does not parse the traffic as HTTP`,
            ),
          );
        }
      }
      return out;
    },
  },
  {
    id: 'ingress-backend-exists',
    category: 'networking',
    description:
      'Ingress and Gateway API route backends name a Service of the package and one of its ports (ALB backends with port use-annotation: the action annotation, or the Rollout that writes it, forwards to Services and ports of the package).',
    anchors: [
      'kube-linter:dangling-ingress',
      'kube-score:ingress-targets-service',
    ],
    appliesTo: ['Ingress', 'HTTPRoute', 'GRPCRoute', 'TCPRoute', 'TLSRoute'],
    severity: BROKEN,
    check: ctx =>
      backendsOf(ctx.object).flatMap(backend => {
        if (
          backend.port === 'use-annotation' &&
          ctx.object.kind === 'Ingress' &&
          isAlbIngress(ctx.object)
        ) {
          return albActionViolations(ctx, backend);
        }
        const service = ctx.index.find('Service', backend.name, ctx.object);
        if (!service) {
          return [
            violation(
              `${backend.path}.name`,
              `the backend Service "${backend.name}" is not in this environment`,
            ),
          ];
        }
        if (backend.port === undefined) return [];
        const ports = servicePorts(service.object).map(p => p.port);
        const found = ports.some(p =>
          typeof backend.port === 'number'
            ? p.port === backend.port
            : p.name === backend.port,
        );
        return found
          ? []
          : [
              violation(
                `${backend.path}.port`,
                `the backend Service "${backend.name}" has no port ${String(
                  backend.port,
                )} (it has ${ports
                  .map(p => asString(p.name) ?? String(p.port))
                  .join(', ')})`,
              ),
            ];
      }),
  },
  {
    id: 'network-policy-default-deny',
    category: 'networking',
    description:
      'From T2, every namespace with workloads has a default-deny NetworkPolicy (podSelector: {}, Ingress and Egress, no rules); traffic is then allowed per workload.',
    anchors: ['kube-score:pod-networkpolicy', 'kube-linter:non-isolated-pod'],
    appliesTo: WORKLOAD_KINDS,
    severity: HARDENING_FROM_T2,
    check: ctx => {
      // Reported once per namespace, on its first workload.
      if (!firstWorkloadOfNamespace(ctx)) return [];
      const policies = ctx.index
        .ofKind('NetworkPolicy')
        .map(l => l.object)
        .filter(p => sameNamespace(p, ctx.object));
      const missing = (['Ingress', 'Egress'] as const).filter(
        type => !policies.some(p => isDefaultDeny(p, type)),
      );
      if (missing.length === 0) return [];
      const namespace = namespaceOf(ctx.object) ?? '(default)';
      return [
        violation(
          'metadata.namespace',
          `namespace ${namespace} has no default-deny NetworkPolicy for ${missing.join(
            ' and ',
          )}: every Pod accepts${
            missing.includes('Egress') ? ' and opens' : ''
          } any connection not explicitly denied`,
        ),
      ];
    },
  },
  {
    id: 'network-policy-selects-pods',
    category: 'networking',
    description:
      'A NetworkPolicy with a podSelector selects at least one workload of the environment (else it protects nothing).',
    anchors: [
      'kube-score:networkpolicy-targets-pod',
      'kube-linter:dangling-networkpolicy',
    ],
    appliesTo: ['NetworkPolicy'],
    severity: ADVICE,
    check: ctx => {
      const selector = asObj(at(ctx.object, 'spec.podSelector'));
      const empty =
        Object.keys(asObj(selector.matchLabels)).length === 0 &&
        asArray(selector.matchExpressions).length === 0;
      if (empty) return [];
      const selected = ctx.index.workloads.some(
        w =>
          sameNamespace(w.object, ctx.object) &&
          labelSelectorMatches(selector, w.podLabels),
      );
      return selected
        ? []
        : [
            violation(
              'spec.podSelector',
              'the NetworkPolicy selects no Pod of this environment',
            ),
          ];
    },
  },
  {
    id: 'service-type',
    category: 'networking',
    description:
      'Services are not NodePort, nor public LoadBalancers, without a reason: traffic enters through the Ingress/Gateway (an internal load balancer, or an ignore-check annotation with a reason, is accepted).',
    anchors: ['kube-linter:exposed-services', 'kube-score:service-type'],
    appliesTo: ['Service'],
    severity: ADVICE,
    check: ctx => {
      const type = at(ctx.object, 'spec.type');
      if (type !== 'NodePort' && type !== 'LoadBalancer') return [];
      const annotations = asStringMap(at(ctx.object, 'metadata.annotations'));
      if (
        type === 'LoadBalancer' &&
        Object.entries(INTERNAL_LB_ANNOTATIONS).some(([key, value]) =>
          value.test(annotations[key] ?? ''),
        )
      ) {
        return [];
      }
      return [
        violation(
          'spec.type',
          `the Service is a ${type}: it exposes Pods ${
            type === 'NodePort' ? 'on every node' : 'publicly'
          }, bypassing the Ingress; use ClusterIP behind the Ingress/Gateway, or annotate ignore-check.cloud-native.backstage.io/service-type with the reason`,
        ),
      ];
    },
  },
  {
    id: 'ssh-port',
    category: 'networking',
    description: 'Containers do not expose port 22 (SSH).',
    anchors: ['kube-linter:ssh-port'],
    appliesTo: WORKLOAD_KINDS,
    severity: ADVICE,
    check: ctx =>
      perContainer(ctx, c =>
        containerPorts(c.container)
          .filter(p => p.port === 22)
          .map(p =>
            violation(
              `${c.path}.ports[${p.index}].containerPort`,
              `${describe(
                c,
              )} exposes port 22: use kubectl exec/debug rather than an SSH server`,
            ),
          ),
      ),
  },
];
