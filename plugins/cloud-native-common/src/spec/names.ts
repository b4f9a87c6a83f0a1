import type { Service, SpecIssue } from './normalize';

/**
 * The object names the engine derives from service names, checked before
 * anything is generated: two objects of one kind must never share a name in
 * the namespace (the second would silently replace the first), and a name
 * must fit the limit of its kind.
 *
 * The table mirrors what the skills emit in the application namespace
 * (plugins/cloud-native-node/src/skills: kubernetes, mesh, helm), and is
 * conservative where the plan decides later (an `auto` strategy may become
 * a canary or blue-green Rollout). Mesh objects are checked when the spec
 * names the mesh (`mesh: auto` may choose none, and the package validation
 * still reports duplicate objects):
 *
 * - every service: ServiceAccount, Service, NetworkPolicy and (with a mesh)
 *   the per-service mesh objects, all named `<svc>`;
 * - a stateful service: the headless Service `<svc>-headless`;
 * - a service or worker with a port and a strategy that may become a Rollout
 *   (auto, canary, blue-green, ab-testing): the Services `<svc>-canary`
 *   (canary, A/B) and `<svc>-preview` (blue-green);
 * - Linkerd, a service with a port: the AuthorizationPolicy `<svc>-ingress`
 *   and the HTTPRoutes/AuthorizationPolicies `<svc>-probes`, `<svc>-metrics`;
 * - names the namespace already has, or the package writes for itself: the
 *   ServiceAccount `default`, the NetworkPolicies `default-deny-all`,
 *   `allow-dns-egress`, `allow-mesh-control-plane-egress` and
 *   `allow-metrics-scrape`, Istio's PeerAuthentication `default` and
 *   AuthorizationPolicy `allow-nothing`, Linkerd's MeshTLSAuthentication
 *   `ingress-controller`, and the Helm test objects `<app>-test-connection`.
 *
 * Length limits: Services are DNS-1035 labels (at most 63 characters, so
 * `<svc>-preview` needs a name of at most 55); a CronJob name is at most 52
 * (its Jobs get a suffix); a Job name at most 54 (the Job is named
 * `<name>-<8-character image hash>`); a StatefulSet name at most 52 (its pods carry the
 * label `controller-revision-hash: <name>-<10-character hash>`, a label value
 * of at most 63).
 */

type ReservedName = { kind: string; name: string; owner: string };

/** Names the namespace has or the package writes, by kind. */
function reservedNames(app: string, mesh: string): ReservedName[] {
  const test = `${app}-test-connection`;
  const helmTest = 'the Helm test hook of the chart';
  const reserved: ReservedName[] = [
    {
      kind: 'ServiceAccount',
      name: 'default',
      owner: 'the ServiceAccount every namespace has',
    },
    { kind: 'ServiceAccount', name: test, owner: helmTest },
    ...[
      'default-deny-all',
      'allow-dns-egress',
      'allow-mesh-control-plane-egress',
      'allow-metrics-scrape',
    ].map(name => ({
      kind: 'NetworkPolicy',
      name,
      owner: 'a namespace-wide NetworkPolicy of the package',
    })),
    ...[`${test}-egress`, `${test}-ingress`].map(name => ({
      kind: 'NetworkPolicy',
      name,
      owner: helmTest,
    })),
  ];
  // What each mesh adds: its namespace-wide policies and the Helm test's.
  const byMesh: Record<string, ReservedName[]> = {
    istio: [
      {
        kind: 'PeerAuthentication (Istio)',
        name: 'default',
        owner: 'the namespace-wide mTLS policy of the package',
      },
      {
        kind: 'AuthorizationPolicy (Istio)',
        name: 'allow-nothing',
        owner: 'the namespace-wide deny-by-default policy of the package',
      },
      { kind: 'AuthorizationPolicy (Istio)', name: test, owner: helmTest },
    ],
    linkerd: [
      {
        kind: 'MeshTLSAuthentication (Linkerd)',
        name: 'ingress-controller',
        owner: 'a namespace-wide Linkerd authentication of the package',
      },
      { kind: 'MeshTLSAuthentication (Linkerd)', name: test, owner: helmTest },
      { kind: 'AuthorizationPolicy (Linkerd)', name: test, owner: helmTest },
    ],
  };
  return [...reserved, ...(byMesh[mesh] ?? [])];
}

/** Kinds named exactly after the service. */
function ownKinds(mesh: string): string[] {
  const kinds = ['ServiceAccount', 'Service', 'NetworkPolicy'];
  const byMesh: Record<string, string[]> = {
    istio: ['PeerAuthentication (Istio)', 'AuthorizationPolicy (Istio)'],
    linkerd: [
      'MeshTLSAuthentication (Linkerd)',
      'AuthorizationPolicy (Linkerd)',
      'HTTPRoute (Linkerd)',
    ],
  };
  return [...kinds, ...(byMesh[mesh] ?? [])];
}

/** A service and the strategies that may make it an Argo Rollout. */
const ROLLOUT_STRATEGIES: Record<string, Array<'canary' | 'preview'>> = {
  auto: ['canary', 'preview'],
  canary: ['canary'],
  'blue-green': ['preview'],
  'ab-testing': ['canary', 'preview'],
};

interface Derived {
  kind: string;
  name: string;
  what: string;
}

/** Objects named `<svc>-<suffix>` the engine may write for one service. */
function derivedNames(service: Service, mesh: string): Derived[] {
  const out: Derived[] = [];
  const { name, workload, port, strategy } = service;
  if (workload === 'stateful') {
    out.push({
      kind: 'Service',
      name: `${name}-headless`,
      what: `the headless Service of the stateful service '${name}'`,
    });
  }
  if ((workload === 'service' || workload === 'worker') && port !== undefined) {
    for (const suffix of ROLLOUT_STRATEGIES[strategy] ?? []) {
      out.push({
        kind: 'Service',
        name: `${name}-${suffix}`,
        what: `the ${
          suffix === 'canary' ? 'canary' : 'blue-green preview'
        } Service of '${name}' (strategy ${strategy})`,
      });
    }
  }
  if (mesh === 'linkerd' && port !== undefined) {
    out.push({
      kind: 'AuthorizationPolicy (Linkerd)',
      name: `${name}-ingress`,
      what: `the Linkerd authorization of public traffic to '${name}'`,
    });
    for (const route of ['probes', 'metrics']) {
      for (const kind of [
        'HTTPRoute (Linkerd)',
        'AuthorizationPolicy (Linkerd)',
      ]) {
        out.push({
          kind,
          name: `${name}-${route}`,
          what: `the Linkerd ${route} route of '${name}'`,
        });
      }
    }
  }
  return out;
}

/** The longest name a service may have, and why, when shorter than 63. */
function nameLimit(
  service: Service,
  platform: string,
): { max: number; why: string } | undefined {
  const { workload, port, strategy, trigger } = service;
  if (
    workload === 'cronjob' ||
    (workload === 'function' &&
      trigger?.type === 'schedule' &&
      platform !== 'serverless')
  ) {
    return {
      max: 52,
      why: 'it names a CronJob, and Kubernetes limits CronJob names to 52 characters (its Jobs add a suffix)',
    };
  }
  if (workload === 'job') {
    return {
      max: 54,
      why: "it names a Job, and a Job is named '<name>-<8-character image hash>' (a new image is a new Job: a Job's template is immutable); Job names are at most 63 characters",
    };
  }
  if (workload === 'stateful') {
    return {
      max: 52,
      why: "it names a StatefulSet, whose pods carry the label controller-revision-hash '<name>-<10-character hash>' (label values are at most 63 characters), and its headless Service '<name>-headless'",
    };
  }
  const suffixes =
    (workload === 'service' || workload === 'worker') && port !== undefined
      ? ROLLOUT_STRATEGIES[strategy] ?? []
      : [];
  if (suffixes.length > 0) {
    const longest = suffixes.includes('preview') ? 'preview' : 'canary';
    return {
      max: 63 - longest.length - 1,
      why: `with strategy ${strategy} it may become an Argo Rollout with the Service '<name>-${longest}', and Service names are at most 63 characters (set strategy rolling or recreate to keep a longer name)`,
    };
  }
  return undefined;
}

/**
 * Issues for service names whose derived objects collide with each other
 * or with names the namespace already has, or exceed their kind's limit.
 * Reported at `spec.services[i].name` of the service to rename.
 */
export function generatedNameIssues(input: {
  app: string;
  platform: string;
  mesh: string;
  services: ReadonlyArray<Service>;
}): SpecIssue[] {
  const { app, platform, services } = input;
  // `auto` may choose no mesh: only a mesh the spec names is checked
  const mesh =
    input.mesh === 'istio' || input.mesh === 'linkerd' ? input.mesh : 'none';
  const issues: SpecIssue[] = [];
  const at = (index: number) => `spec.services[${index}].name`;

  // Names of the service's own objects, by kind → index of the service
  const own = new Map<string, number>();
  services.forEach((service, index) => {
    for (const kind of ownKinds(mesh)) {
      const key = `${kind}|${service.name}`;
      if (!own.has(key)) own.set(key, index);
    }
  });

  const reported = new Set<number>();
  for (const reserved of reservedNames(app, mesh)) {
    const index = own.get(`${reserved.kind}|${reserved.name}`);
    if (index === undefined || reported.has(index)) continue;
    reported.add(index);
    issues.push({
      path: at(index),
      message: `'${reserved.name}' is reserved: the engine names the ${reserved.kind} of a service after it, and ${reserved.kind} ${reserved.name} is ${reserved.owner}; rename the service`,
    });
  }

  services.forEach((service, index) => {
    for (const derived of derivedNames(service, mesh)) {
      const other = own.get(`${derived.kind}|${derived.name}`);
      if (other === undefined || other === index || reported.has(other)) {
        continue;
      }
      reported.add(other);
      issues.push({
        path: at(other),
        message: `'${derived.name}' is the name of ${derived.what} (spec.services[${index}]): both would be the ${derived.kind} ${derived.name}; rename one of them`,
      });
    }
  });

  services.forEach((service, index) => {
    const limit = nameLimit(service, platform);
    if (!limit || service.name.length <= limit.max || reported.has(index)) {
      return;
    }
    issues.push({
      path: at(index),
      message: `must be at most ${limit.max} characters for a ${service.workload} (it has ${service.name.length}): ${limit.why}`,
    });
  });
  return issues;
}
