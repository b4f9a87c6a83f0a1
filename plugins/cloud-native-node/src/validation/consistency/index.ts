import {
  clusterServicePort,
  DeploymentPlan,
  Finding,
  Protocol,
} from '@internal/backstage-plugin-cloud-native-common';
import { KubernetesObject, ManifestFile } from '../../core/types';

/**
 * Cross-skill consistency checks (the source's quality gates): what one skill
 * wrote must agree with what the others wrote. Each violation names every
 * file involved.
 */

type Located = { object: KubernetesObject; file: string; environment: string };

/** Storage classes that exist on a fresh cluster of each provider. */
const PROVIDER_DEFAULT_STORAGE_CLASSES: Record<string, string[]> = {
  eks: ['gp2'],
  gke: ['standard', 'standard-rwo', 'premium-rwo'],
  aks: [
    'default',
    'managed',
    'managed-csi',
    'managed-csi-premium',
    'managed-premium',
    'azurefile',
    'azurefile-csi',
    'azurefile-csi-premium',
  ],
  generic: [],
};

/** The workload kinds the skills write (each has a Pod template). */
export const GENERATED_WORKLOAD_KINDS: ReadonlySet<string> = new Set([
  'Deployment',
  'StatefulSet',
  'DaemonSet',
  'Job',
  'CronJob',
  'Rollout',
]);

function podTemplate(object: KubernetesObject): any {
  const spec = object.spec as any;
  if (object.kind === 'CronJob') return spec?.jobTemplate?.spec?.template;
  return spec?.template;
}

function finding(
  ruleId: string,
  files: string[],
  objectPath: string,
  message: string,
): Finding {
  const unique = [...new Set(files)].sort();
  return {
    ruleId: `consistency/${ruleId}`,
    severity: 'error',
    file: unique[0],
    objectPath,
    message:
      unique.length > 1 ? `${message} (files: ${unique.join(', ')})` : message,
    anchors: [],
  };
}

function matches(
  selector: Record<string, string> | undefined,
  labels: Record<string, string> | undefined,
): boolean {
  if (!selector || Object.keys(selector).length === 0) return false;
  return Object.entries(selector).every(([k, v]) => labels?.[k] === v);
}

/** The ports of a Service: name, number, appProtocol. */
function portsOf(
  service: KubernetesObject | undefined,
): Array<{ name?: string; port?: number; appProtocol?: string }> {
  const ports = (service?.spec as any)?.ports;
  return Array.isArray(ports) ? ports : [];
}

/**
 * What a Service port declares it speaks, the way Istio reads it
 * (appProtocol first, else the `<protocol>[-<suffix>]` name); undefined when
 * it declares nothing this package distinguishes.
 */
function declaredProtocol(port: {
  name?: string;
  appProtocol?: string;
}): Protocol | undefined {
  const app = port.appProtocol?.toLowerCase();
  const declared = app ?? port.name?.toLowerCase() ?? '';
  if (/^(http|http2)(-|$)/.test(declared)) return 'http';
  if (
    /^(grpc|grpc-web)(-|$)/.test(declared) ||
    declared === 'kubernetes.io/h2c'
  ) {
    return 'grpc';
  }
  if (/^(tcp|tls|mongo|mysql|redis)(-|$)/.test(declared)) return 'tcp';
  return undefined;
}

/** Linkerd Server proxyProtocol values by the spec protocol they fit. */
const LINKERD_PROTOCOLS: Record<Protocol, string[]> = {
  http: ['HTTP/1', 'HTTP/2'],
  grpc: ['gRPC', 'HTTP/2'],
  tcp: ['opaque', 'TLS'],
};

/** The environment variable a dependency's port is passed in: `CLAIMS_DB_PORT`. */
function portVariable(dependency: string): string {
  return `${dependency.replace(/-/g, '_').toUpperCase()}_PORT`;
}

/**
 * Ports named after `dependency` in a value: `host:port` in an address or a
 * URL (`postgres://app@postgres:5432/db`, `postgres.shop.svc:5432`).
 */
function addressPorts(value: string, dependency: string): number[] {
  const escaped = dependency.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const pattern = new RegExp(
    `(?:^|[^A-Za-z0-9.-])${escaped}(?:\\.[A-Za-z0-9-]+)*:(\\d{1,5})(?![0-9])`,
    'g',
  );
  return [...value.matchAll(pattern)].map(m => Number(m[1]));
}

/** The objects of one environment, and what the checks look them up by. */
interface EnvironmentView {
  plan: DeploymentPlan;
  environment: string;
  items: Located[];
  /** Objects of the `kubernetes/` folder */
  kubernetes: Located[];
  /** Services of the `kubernetes/` folder, by name */
  serviceObjects: Map<string, Located>;
  /** ServiceAccount names of the environment */
  accounts: Set<string>;
  workloads: Located[];
}

function environmentView(
  plan: DeploymentPlan,
  environment: string,
  items: Located[],
): EnvironmentView {
  const kubernetes = items.filter(i => i.file.startsWith('kubernetes/'));
  return {
    plan,
    environment,
    items,
    kubernetes,
    serviceObjects: new Map(
      kubernetes
        .filter(i => i.object.kind === 'Service')
        .map(i => [i.object.metadata.name, i]),
    ),
    accounts: new Set(
      items
        .filter(i => i.object.kind === 'ServiceAccount')
        .map(i => i.object.metadata.name),
    ),
    workloads: items.filter(i => GENERATED_WORKLOAD_KINDS.has(i.object.kind)),
  };
}

function servicePortNumbers(view: EnvironmentView, name: string): number[] {
  return portsOf(view.serviceObjects.get(name)?.object)
    .map(p => p.port)
    .filter((p): p is number => typeof p === 'number');
}

// 1. Images in workloads match the container skill's images
function imageFindings(
  plan: DeploymentPlan,
  all: Located[],
  paths: Set<string>,
): Finding[] {
  const findings: Finding[] = [];
  for (const service of plan.services) {
    if (service.runtime !== 'kubernetes') continue;
    const dockerfile = `containers/${service.name}/Dockerfile`;
    if (service.buildsImage && !paths.has(dockerfile)) {
      findings.push(
        finding(
          'image-without-dockerfile',
          [dockerfile],
          service.name,
          `${service.name} runs ${service.image}, built by the package, but ${dockerfile} is missing`,
        ),
      );
    }
    for (const item of all) {
      if (
        !GENERATED_WORKLOAD_KINDS.has(item.object.kind) ||
        item.object.metadata.name !== service.name ||
        !item.file.startsWith('kubernetes/')
      ) {
        continue;
      }
      const main = podTemplate(item.object)?.spec?.containers?.[0];
      if (main && main.image !== service.image) {
        findings.push(
          finding(
            'image-mismatch',
            [item.file, ...(service.buildsImage ? [dockerfile] : [])],
            `${item.object.kind}/${service.name}: spec.template.spec.containers[0].image`,
            `${item.object.kind} ${service.name} runs ${main.image}, but the plan's image is ${service.image}`,
          ),
        );
      }
    }
  }
  return findings;
}

/** Storage classes a claim may name: the package's and the providers' defaults. */
function knownStorageClasses(plan: DeploymentPlan, all: Located[]) {
  const written = new Set(
    all
      .filter(i => i.object.kind === 'StorageClass')
      .map(i => i.object.metadata.name),
  );
  const defaults = new Set(
    plan.clusterProviders.flatMap(
      p => PROVIDER_DEFAULT_STORAGE_CLASSES[p] ?? [],
    ),
  );
  return (cls: string) => written.has(cls) || defaults.has(cls);
}

// 2. Labels: pod templates carry their selectors; Services select pods
// 3. Storage classes referenced by volumeClaimTemplates / PVCs exist
function workloadFindings(
  view: EnvironmentView,
  storageClassKnown: (cls: string) => boolean,
): Finding[] {
  const { plan, environment } = view;
  const findings: Finding[] = [];
  for (const w of view.workloads) {
    const name = `${w.object.kind}/${w.object.metadata.name}`;
    const selector = (w.object.spec as any)?.selector?.matchLabels;
    const labels = podTemplate(w.object)?.metadata?.labels;
    if (selector && !matches(selector, labels)) {
      findings.push(
        finding(
          'selector-labels',
          [w.file],
          `${name}: spec.selector`,
          `${w.object.kind} ${w.object.metadata.name}'s selector does not match its pod template labels`,
        ),
      );
    }
    const account = podTemplate(w.object)?.spec?.serviceAccountName;
    if (account && !view.accounts.has(account)) {
      findings.push(
        finding(
          'missing-service-account',
          [w.file],
          `${name}: spec.template.spec.serviceAccountName`,
          `ServiceAccount ${account} is not in the package for ${environment}`,
        ),
      );
    }
    for (const claim of (w.object.spec as any)?.volumeClaimTemplates ?? []) {
      const cls = claim?.spec?.storageClassName;
      if (cls && !storageClassKnown(cls)) {
        findings.push(
          finding(
            'storage-class',
            [w.file],
            `${name}: spec.volumeClaimTemplates`,
            `storage class ${cls} is neither in the package nor a default of ${
              plan.clusterProviders.join('/') || 'the cluster'
            }`,
          ),
        );
      }
    }
  }
  return findings;
}

function serviceSelectorFindings(view: EnvironmentView): Finding[] {
  return view.items
    .filter(i => i.object.kind === 'Service')
    .filter(s => {
      const selector = (s.object.spec as any)?.selector;
      return (
        selector &&
        !view.workloads.some(w =>
          matches(selector, podTemplate(w.object)?.metadata?.labels),
        )
      );
    })
    .map(s =>
      finding(
        'service-selects-nothing',
        [s.file],
        `Service/${s.object.metadata.name}: spec.selector`,
        `Service ${s.object.metadata.name} selects no workload in ${view.environment}`,
      ),
    );
}

function claimFindings(
  view: EnvironmentView,
  storageClassKnown: (cls: string) => boolean,
): Finding[] {
  const findings: Finding[] = [];
  for (const claim of view.items.filter(
    i => i.object.kind === 'PersistentVolumeClaim',
  )) {
    const cls = (claim.object.spec as any)?.storageClassName;
    if (cls && !storageClassKnown(cls)) {
      findings.push(
        finding(
          'storage-class',
          [claim.file],
          `PersistentVolumeClaim/${claim.object.metadata.name}`,
          `storage class ${cls} is neither in the package nor a provider default`,
        ),
      );
    }
  }
  return findings;
}

/** The hosts an Istio VirtualService or DestinationRule routes to. */
function meshHosts(object: KubernetesObject): string[] {
  const spec = object.spec as any;
  const hosts: string[] = [];
  if (object.kind === 'VirtualService') {
    for (const route of [
      ...(spec?.http ?? []),
      ...(spec?.tcp ?? []),
      ...(spec?.tls ?? []),
    ]) {
      for (const dest of route?.route ?? []) {
        if (dest?.destination?.host) hosts.push(dest.destination.host);
      }
    }
  }
  if (object.kind === 'DestinationRule' && spec?.host) {
    hosts.push(spec.host);
  }
  return hosts;
}

/** The SPIFFE-style principals an Istio or Linkerd policy allows. */
function meshPrincipals(object: KubernetesObject, namespace: string): string[] {
  const spec = object.spec as any;
  const principals: string[] = [];
  if (object.kind === 'AuthorizationPolicy' && spec?.rules) {
    for (const rule of spec.rules) {
      for (const from of rule?.from ?? []) {
        principals.push(...(from?.source?.principals ?? []));
      }
    }
  }
  if (object.kind === 'MeshTLSAuthentication') {
    for (const ref of spec?.identityRefs ?? []) {
      if (ref?.kind === 'ServiceAccount' && ref?.name) {
        principals.push(`cluster.local/ns/${namespace}/sa/${ref.name}`);
      }
    }
  }
  return principals;
}

// 4. Mesh configuration names real Services and ServiceAccounts
function meshNameFindings(view: EnvironmentView): Finding[] {
  const { plan, environment } = view;
  const serviceNames = new Set(
    view.items
      .filter(i => i.object.kind === 'Service')
      .map(s => s.object.metadata.name),
  );
  const findings: Finding[] = [];
  for (const item of view.items.filter(i => i.file.startsWith('mesh/'))) {
    const where = `${item.object.kind}/${item.object.metadata.name}`;
    const files = [item.file, `kubernetes/${environment}`];
    for (const host of meshHosts(item.object)) {
      const name = String(host).split('.')[0];
      if (!serviceNames.has(name)) {
        findings.push(
          finding(
            'mesh-unknown-service',
            files,
            where,
            `${item.object.kind} ${item.object.metadata.name} routes to ${host}, which is not a Service of the package`,
          ),
        );
      }
    }
    for (const principal of meshPrincipals(item.object, plan.namespace)) {
      const match = /^cluster\.local\/ns\/([^/]+)\/sa\/(.+)$/.exec(principal);
      if (
        match &&
        match[1] === plan.namespace &&
        !view.accounts.has(match[2])
      ) {
        findings.push(
          finding(
            'mesh-unknown-principal',
            files,
            where,
            `${item.object.kind} ${item.object.metadata.name} allows ServiceAccount ${match[2]}, which is not in the package`,
          ),
        );
      }
    }
  }
  return findings;
}

// 5. Services listen where the plan says: the port named after the
// protocol, 80 for HTTP and the own port for gRPC and TCP (PROTO-*)
function servicePortFindings(view: EnvironmentView): Finding[] {
  const findings: Finding[] = [];
  for (const servicePlan of view.plan.services) {
    if (servicePlan.runtime !== 'kubernetes') continue;
    const expected = clusterServicePort(servicePlan.service);
    const { protocol } = servicePlan.service;
    for (const [name, port] of [
      [servicePlan.name, expected],
      [`${servicePlan.name}-headless`, servicePlan.service.port],
    ] as const) {
      const located = view.serviceObjects.get(name);
      if (!located || port === undefined) continue;
      const ports = portsOf(located.object);
      if (
        ports.length !== 1 ||
        ports[0].port !== port ||
        ports[0].name !== protocol
      ) {
        findings.push(
          finding(
            'service-port',
            [located.file],
            `Service/${name}: spec.ports`,
            `Service ${name} listens on ${ports
              .map(p => `${p.port} (${p.name ?? 'unnamed'})`)
              .join(', ')}, but ${servicePlan.name} speaks ${protocol}${
              protocol === 'http' ? '' : ' on its own port'
            }: expected ${port} named ${protocol}`,
          ),
        );
      }
    }
  }
  return findings;
}

type Told = { where: string; port: number; file: string };

/**
 * What a service is told of a dependency's port: `<DEP>_PORT` and
 * addresses in its ConfigMap, `nc -z` waits of its init containers.
 */
function toldPorts(
  config: Located | undefined,
  workload: Located | undefined,
  dependency: string,
): Told[] {
  const told: Told[] = [];
  const data: Record<string, unknown> = (config?.object as any)?.data ?? {};
  for (const [key, value] of Object.entries(data)) {
    if (typeof value !== 'string') continue;
    if (key === portVariable(dependency) && /^\d+$/.test(value)) {
      told.push({ where: key, port: Number(value), file: config!.file });
    }
    for (const port of addressPorts(value, dependency)) {
      told.push({ where: key, port, file: config!.file });
    }
  }
  const template = workload ? podTemplate(workload.object) : undefined;
  for (const init of template?.spec?.initContainers ?? []) {
    const command = (init?.command ?? []).join(' ');
    const wait = new RegExp(`nc -z(?: -w \\d+)? ${dependency} (\\d+)`).exec(
      command,
    );
    if (wait) {
      told.push({
        where: `init container ${init.name}`,
        port: Number(wait[1]),
        file: workload!.file,
      });
    }
  }
  return told;
}

// 6. What dependents are told of a dependency's port (environment
// variables, addresses, wait-for init containers) is a port of its
// Service
function dependencyPortFindings(view: EnvironmentView): Finding[] {
  const findings: Finding[] = [];
  for (const servicePlan of view.plan.services) {
    if (servicePlan.runtime !== 'kubernetes') continue;
    const config = view.kubernetes.find(
      i =>
        i.object.kind === 'ConfigMap' &&
        i.object.metadata.name === `${servicePlan.name}-config`,
    );
    const workload = view.kubernetes.find(
      i =>
        GENERATED_WORKLOAD_KINDS.has(i.object.kind) &&
        i.object.metadata.name === servicePlan.name,
    );
    for (const dependency of servicePlan.service.dependsOn) {
      const target = view.serviceObjects.get(dependency);
      const ports = servicePortNumbers(view, dependency);
      if (!target || ports.length === 0) continue;
      const wrong = toldPorts(config, workload, dependency).filter(
        t => !ports.includes(t.port),
      );
      for (const { where, port, file } of wrong) {
        findings.push(
          finding(
            'dependency-port',
            [file, target.file],
            `${servicePlan.name}: ${where}`,
            `${
              servicePlan.name
            } is told ${dependency} listens on ${port} (${where}), but the Service ${dependency} listens on ${ports.join(
              ', ',
            )}`,
          ),
        );
      }
    }
  }
  return findings;
}

/** Istio routes go to ports the Service has, HTTP routes to HTTP ports. */
function virtualServiceFindings(
  view: EnvironmentView,
  item: Located,
): Finding[] {
  const spec = item.object.spec as any;
  const where = `${item.object.kind}/${item.object.metadata.name}`;
  const files = [item.file, `kubernetes/${view.environment}`];
  const findings: Finding[] = [];
  for (const kind of ['http', 'tcp', 'tls'] as const) {
    for (const route of spec?.[kind] ?? []) {
      for (const dest of route?.route ?? []) {
        const name = String(dest?.destination?.host ?? '').split('.')[0];
        const service = view.serviceObjects.get(name);
        if (!service) continue; // mesh-unknown-service
        const ports = portsOf(service.object);
        const number = dest?.destination?.port?.number;
        const only = ports.length === 1 ? ports[0] : undefined;
        const port =
          number === undefined ? only : ports.find(p => p.port === number);
        if (number !== undefined && !port) {
          findings.push(
            finding(
              'mesh-unknown-port',
              files,
              `${where}: spec.${kind}`,
              `${where} routes to port ${number} of the Service ${name}, which listens on ${servicePortNumbers(
                view,
                name,
              ).join(', ')}`,
            ),
          );
        } else if (
          port &&
          kind === 'http' &&
          declaredProtocol(port) === 'tcp'
        ) {
          findings.push(
            finding(
              'mesh-protocol',
              files,
              `${where}: spec.http`,
              `${where} has HTTP routes to the Service ${name}, whose port ${port.port} is ${port.name} (TCP): Istio applies no HTTP route there`,
            ),
          );
        }
      }
    }
  }
  return findings;
}

/** A Linkerd Server selects a declared port and names its protocol. */
function serverFindings(view: EnvironmentView, item: Located): Finding[] {
  const spec = item.object.spec as any;
  const where = `${item.object.kind}/${item.object.metadata.name}`;
  const files = [item.file, `kubernetes/${view.environment}`];
  const findings: Finding[] = [];
  const selector = spec?.podSelector?.matchLabels;
  const pods = view.kubernetes
    .filter(i => GENERATED_WORKLOAD_KINDS.has(i.object.kind))
    .map(i => podTemplate(i.object))
    .filter(t => matches(selector, t?.metadata?.labels));
  const declared = pods.flatMap(t =>
    (t?.spec?.containers ?? []).flatMap((c: any) => c?.ports ?? []),
  );
  const port = declared.find((p: any) =>
    typeof spec?.port === 'number'
      ? p?.containerPort === spec.port
      : p?.name === spec?.port,
  );
  if (pods.length > 0 && !port) {
    findings.push(
      finding(
        'mesh-unknown-port',
        files,
        `${where}: spec.port`,
        `${where} selects port ${spec?.port}, which no container of its pods declares`,
      ),
    );
  }
  const protocol = port ? declaredProtocol(port) : undefined;
  const proxyProtocol = spec?.proxyProtocol ?? 'unknown';
  if (
    protocol &&
    proxyProtocol !== 'unknown' &&
    !LINKERD_PROTOCOLS[protocol].includes(proxyProtocol)
  ) {
    findings.push(
      finding(
        'mesh-protocol',
        files,
        `${where}: spec.proxyProtocol`,
        `${where} declares ${proxyProtocol} on port ${
          port.name
        }, which speaks ${protocol} (expected ${LINKERD_PROTOCOLS[
          protocol
        ].join(' or ')})`,
      ),
    );
  }
  return findings;
}

/** A Linkerd HTTPRoute does not attach to an opaque Server. */
function httpRouteFindings(
  item: Located,
  servers: Map<string, Located>,
): Finding[] {
  const spec = item.object.spec as any;
  const where = `${item.object.kind}/${item.object.metadata.name}`;
  const findings: Finding[] = [];
  for (const parent of spec?.parentRefs ?? []) {
    const server = parent?.kind === 'Server' && servers.get(parent.name);
    if (server && (server.object.spec as any)?.proxyProtocol === 'opaque') {
      findings.push(
        finding(
          'mesh-protocol',
          [item.file, server.file],
          `${where}: spec.parentRefs`,
          `${where} routes HTTP on the Server ${parent.name}, whose port is opaque (TCP)`,
        ),
      );
    }
  }
  return findings;
}

/** A ServiceProfile's HTTP routes are for a Service that speaks HTTP. */
function serviceProfileFindings(
  view: EnvironmentView,
  item: Located,
): Finding[] {
  const where = `${item.object.kind}/${item.object.metadata.name}`;
  const name = item.object.metadata.name.split('.')[0];
  const ports = portsOf(view.serviceObjects.get(name)?.object);
  if (ports.length === 0 || !ports.every(p => declaredProtocol(p) === 'tcp')) {
    return [];
  }
  return [
    finding(
      'mesh-protocol',
      [item.file, `kubernetes/${view.environment}`],
      where,
      `${where} sets HTTP routes, timeouts and retries for the Service ${name}, which speaks TCP`,
    ),
  ];
}

/** The check of one mesh object against the Services' ports and protocols. */
type MeshPortCheck = (
  view: EnvironmentView,
  item: Located,
  servers: Map<string, Located>,
) => Finding[];

/** The mesh kinds whose ports and protocols are checked, each with its check. */
const MESH_PORT_CHECKS = new Map<string, MeshPortCheck>([
  ['VirtualService', virtualServiceFindings],
  ['Server', serverFindings],
  ['HTTPRoute', (_view, item, servers) => httpRouteFindings(item, servers)],
  ['ServiceProfile', serviceProfileFindings],
]);

// 7. Mesh configuration uses the Services' ports and protocols
function meshPortFindings(view: EnvironmentView): Finding[] {
  const meshItems = view.items.filter(i => i.file.startsWith('mesh/'));
  const servers = new Map(
    meshItems
      .filter(i => i.object.kind === 'Server')
      .map(i => [i.object.metadata.name, i]),
  );
  return meshItems.flatMap(item => {
    const check = MESH_PORT_CHECKS.get(item.object.kind);
    return check ? check(view, item, servers) : [];
  });
}

// 8. Every object belongs to this application
function partOfFindings(plan: DeploymentPlan, all: Located[]): Finding[] {
  const findings: Finding[] = [];
  for (const item of all) {
    const partOf = item.object.metadata.labels?.['app.kubernetes.io/part-of'];
    if (partOf !== undefined && partOf !== plan.name) {
      findings.push(
        finding(
          'labels',
          [item.file],
          `${item.object.kind}/${item.object.metadata.name}: metadata.labels`,
          `app.kubernetes.io/part-of is ${partOf}, expected ${plan.name}`,
        ),
      );
    }
  }
  return findings;
}

/**
 * Runs the numbered checks over the package's manifests; findings come in
 * the order of the checks, environment by environment.
 */
export function checkConsistency(
  plan: DeploymentPlan,
  manifests: ReadonlyArray<ManifestFile>,
  filePaths: ReadonlyArray<string>,
): Finding[] {
  const all: Located[] = manifests.flatMap(m =>
    m.objects.map(object => ({
      object,
      file: m.path,
      environment: m.environment,
    })),
  );
  const byEnv = new Map<string, Located[]>();
  for (const item of all) {
    byEnv.set(item.environment, [...(byEnv.get(item.environment) ?? []), item]);
  }
  const views = [...byEnv].map(([environment, items]) =>
    environmentView(plan, environment, items),
  );
  const storageClassKnown = knownStorageClasses(plan, all);
  return [
    ...imageFindings(plan, all, new Set(filePaths)),
    ...views.flatMap(view => [
      ...workloadFindings(view, storageClassKnown),
      ...serviceSelectorFindings(view),
      ...claimFindings(view, storageClassKnown),
      ...meshNameFindings(view),
    ]),
    ...views.flatMap(view => [
      ...servicePortFindings(view),
      ...dependencyPortFindings(view),
      ...meshPortFindings(view),
    ]),
    ...partOfFindings(plan, all),
  ];
}
