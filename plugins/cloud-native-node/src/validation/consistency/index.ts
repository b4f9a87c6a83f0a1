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

const WORKLOAD_KINDS = new Set([
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

/** @public */
export function checkConsistency(
  plan: DeploymentPlan,
  manifests: ReadonlyArray<ManifestFile>,
  filePaths: ReadonlyArray<string>,
): Finding[] {
  const findings: Finding[] = [];
  const all: Located[] = manifests.flatMap(m =>
    m.objects.map(object => ({
      object,
      file: m.path,
      environment: m.environment,
    })),
  );
  const paths = new Set(filePaths);
  const byEnv = new Map<string, Located[]>();
  for (const item of all) {
    byEnv.set(item.environment, [...(byEnv.get(item.environment) ?? []), item]);
  }

  // 1. Images in workloads match the container skill's images
  for (const service of plan.services) {
    if (service.runtime !== 'kubernetes') continue;
    if (service.buildsImage) {
      const dockerfile = `containers/${service.name}/Dockerfile`;
      if (!paths.has(dockerfile)) {
        findings.push(
          finding(
            'image-without-dockerfile',
            [dockerfile],
            service.name,
            `${service.name} runs ${service.image}, built by the package, but ${dockerfile} is missing`,
          ),
        );
      }
    }
    for (const item of all) {
      if (
        !WORKLOAD_KINDS.has(item.object.kind) ||
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
            [
              item.file,
              ...(service.buildsImage
                ? [`containers/${service.name}/Dockerfile`]
                : []),
            ],
            `${item.object.kind}/${service.name}: spec.template.spec.containers[0].image`,
            `${item.object.kind} ${service.name} runs ${main.image}, but the plan's image is ${service.image}`,
          ),
        );
      }
    }
  }

  for (const [environment, items] of byEnv) {
    const services = items.filter(i => i.object.kind === 'Service');
    const serviceNames = new Set(services.map(s => s.object.metadata.name));
    const accounts = new Set(
      items
        .filter(i => i.object.kind === 'ServiceAccount')
        .map(i => i.object.metadata.name),
    );
    const workloads = items.filter(i => WORKLOAD_KINDS.has(i.object.kind));
    const storageClasses = new Set(
      all
        .filter(i => i.object.kind === 'StorageClass')
        .map(i => i.object.metadata.name),
    );
    const defaults = new Set(
      plan.clusterProviders.flatMap(
        p => PROVIDER_DEFAULT_STORAGE_CLASSES[p] ?? [],
      ),
    );

    // 2. Labels: pod templates carry their selectors; Services select pods
    for (const w of workloads) {
      const selector = (w.object.spec as any)?.selector?.matchLabels;
      const labels = podTemplate(w.object)?.metadata?.labels;
      if (selector && !matches(selector, labels)) {
        findings.push(
          finding(
            'selector-labels',
            [w.file],
            `${w.object.kind}/${w.object.metadata.name}: spec.selector`,
            `${w.object.kind} ${w.object.metadata.name}'s selector does not match its pod template labels`,
          ),
        );
      }
      const account = podTemplate(w.object)?.spec?.serviceAccountName;
      if (account && !accounts.has(account)) {
        findings.push(
          finding(
            'missing-service-account',
            [w.file],
            `${w.object.kind}/${w.object.metadata.name}: spec.template.spec.serviceAccountName`,
            `ServiceAccount ${account} is not in the package for ${environment}`,
          ),
        );
      }
      // 3. Storage classes referenced by volumeClaimTemplates / PVCs exist
      for (const claim of (w.object.spec as any)?.volumeClaimTemplates ?? []) {
        const cls = claim?.spec?.storageClassName;
        if (cls && !storageClasses.has(cls) && !defaults.has(cls)) {
          findings.push(
            finding(
              'storage-class',
              [w.file],
              `${w.object.kind}/${w.object.metadata.name}: spec.volumeClaimTemplates`,
              `storage class ${cls} is neither in the package nor a default of ${
                plan.clusterProviders.join('/') || 'the cluster'
              }`,
            ),
          );
        }
      }
    }
    for (const s of services) {
      const selector = (s.object.spec as any)?.selector;
      if (
        selector &&
        !workloads.some(w =>
          matches(selector, podTemplate(w.object)?.metadata?.labels),
        )
      ) {
        findings.push(
          finding(
            'service-selects-nothing',
            [s.file],
            `Service/${s.object.metadata.name}: spec.selector`,
            `Service ${s.object.metadata.name} selects no workload in ${environment}`,
          ),
        );
      }
    }
    for (const claim of items.filter(
      i => i.object.kind === 'PersistentVolumeClaim',
    )) {
      const cls = (claim.object.spec as any)?.storageClassName;
      if (cls && !storageClasses.has(cls) && !defaults.has(cls)) {
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

    // 4. Mesh configuration names real Services and ServiceAccounts
    for (const item of items.filter(i => i.file.startsWith('mesh/'))) {
      const spec = item.object.spec as any;
      const where = `${item.object.kind}/${item.object.metadata.name}`;
      const hosts: string[] = [];
      if (item.object.kind === 'VirtualService') {
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
      if (item.object.kind === 'DestinationRule' && spec?.host) {
        hosts.push(spec.host);
      }
      for (const host of hosts) {
        const name = String(host).split('.')[0];
        if (!serviceNames.has(name)) {
          findings.push(
            finding(
              'mesh-unknown-service',
              [item.file, `kubernetes/${environment}`],
              where,
              `${item.object.kind} ${item.object.metadata.name} routes to ${host}, which is not a Service of the package`,
            ),
          );
        }
      }
      const principals: string[] = [];
      if (item.object.kind === 'AuthorizationPolicy' && spec?.rules) {
        for (const rule of spec.rules) {
          for (const from of rule?.from ?? []) {
            principals.push(...(from?.source?.principals ?? []));
          }
        }
      }
      if (item.object.kind === 'MeshTLSAuthentication') {
        for (const ref of spec?.identityRefs ?? []) {
          if (ref?.kind === 'ServiceAccount' && ref?.name) {
            principals.push(
              `cluster.local/ns/${plan.namespace}/sa/${ref.name}`,
            );
          }
        }
      }
      for (const principal of principals) {
        const match = /^cluster\.local\/ns\/([^/]+)\/sa\/(.+)$/.exec(principal);
        if (match && match[1] === plan.namespace && !accounts.has(match[2])) {
          findings.push(
            finding(
              'mesh-unknown-principal',
              [item.file, `kubernetes/${environment}`],
              where,
              `${item.object.kind} ${item.object.metadata.name} allows ServiceAccount ${match[2]}, which is not in the package`,
            ),
          );
        }
      }
    }
  }

  for (const [environment, items] of byEnv) {
    const kubernetes = items.filter(i => i.file.startsWith('kubernetes/'));
    const serviceObjects = new Map(
      kubernetes
        .filter(i => i.object.kind === 'Service')
        .map(i => [i.object.metadata.name, i]),
    );
    const servicePortNumbers = (name: string) =>
      portsOf(serviceObjects.get(name)?.object)
        .map(p => p.port)
        .filter((p): p is number => typeof p === 'number');

    // 5. Services listen where the plan says: the port named after the
    // protocol, 80 for HTTP and the own port for gRPC and TCP (PROTO-*)
    for (const servicePlan of plan.services) {
      if (servicePlan.runtime !== 'kubernetes') continue;
      const expected = clusterServicePort(servicePlan.service);
      const { protocol } = servicePlan.service;
      for (const [name, port] of [
        [servicePlan.name, expected],
        [`${servicePlan.name}-headless`, servicePlan.service.port],
      ] as const) {
        const located = serviceObjects.get(name);
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

    // 6. What dependents are told of a dependency's port (environment
    // variables, addresses, wait-for init containers) is a port of its
    // Service
    for (const servicePlan of plan.services) {
      if (servicePlan.runtime !== 'kubernetes') continue;
      const config = kubernetes.find(
        i =>
          i.object.kind === 'ConfigMap' &&
          i.object.metadata.name === `${servicePlan.name}-config`,
      );
      const workload = kubernetes.find(
        i =>
          WORKLOAD_KINDS.has(i.object.kind) &&
          i.object.metadata.name === servicePlan.name,
      );
      for (const dependency of servicePlan.service.dependsOn) {
        const target = serviceObjects.get(dependency);
        const ports = servicePortNumbers(dependency);
        if (!target || ports.length === 0) continue;
        const wrong = (port: number) => !ports.includes(port);
        const told: Array<{ where: string; port: number; file: string }> = [];
        const data: Record<string, unknown> =
          (config?.object as any)?.data ?? {};
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
          const wait = new RegExp(
            `nc -z(?: -w \\d+)? ${dependency} (\\d+)`,
          ).exec(command);
          if (wait) {
            told.push({
              where: `init container ${init.name}`,
              port: Number(wait[1]),
              file: workload!.file,
            });
          }
        }
        for (const { where, port, file } of told.filter(t => wrong(t.port))) {
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

    // 7. Mesh configuration uses the Services' ports and protocols
    const meshItems = items.filter(i => i.file.startsWith('mesh/'));
    const servers = new Map(
      meshItems
        .filter(i => i.object.kind === 'Server')
        .map(i => [i.object.metadata.name, i]),
    );
    for (const item of meshItems) {
      const spec = item.object.spec as any;
      const where = `${item.object.kind}/${item.object.metadata.name}`;
      const files = [item.file, `kubernetes/${environment}`];
      if (item.object.kind === 'VirtualService') {
        for (const kind of ['http', 'tcp', 'tls'] as const) {
          for (const route of spec?.[kind] ?? []) {
            for (const dest of route?.route ?? []) {
              const name = String(dest?.destination?.host ?? '').split('.')[0];
              const service = serviceObjects.get(name);
              if (!service) continue; // mesh-unknown-service
              const ports = portsOf(service.object);
              const number = dest?.destination?.port?.number;
              const only = ports.length === 1 ? ports[0] : undefined;
              const port =
                number === undefined
                  ? only
                  : ports.find(p => p.port === number);
              if (number !== undefined && !port) {
                findings.push(
                  finding(
                    'mesh-unknown-port',
                    files,
                    `${where}: spec.${kind}`,
                    `${where} routes to port ${number} of the Service ${name}, which listens on ${servicePortNumbers(
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
      }
      if (item.object.kind === 'Server') {
        const selector = spec?.podSelector?.matchLabels;
        const pods = kubernetes
          .filter(i => WORKLOAD_KINDS.has(i.object.kind))
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
      }
      if (item.object.kind === 'HTTPRoute') {
        for (const parent of spec?.parentRefs ?? []) {
          const server = parent?.kind === 'Server' && servers.get(parent.name);
          if (
            server &&
            (server.object.spec as any)?.proxyProtocol === 'opaque'
          ) {
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
      }
      if (item.object.kind === 'ServiceProfile') {
        const name = item.object.metadata.name.split('.')[0];
        const ports = portsOf(serviceObjects.get(name)?.object);
        if (
          ports.length > 0 &&
          ports.every(p => declaredProtocol(p) === 'tcp')
        ) {
          findings.push(
            finding(
              'mesh-protocol',
              files,
              where,
              `${where} sets HTTP routes, timeouts and retries for the Service ${name}, which speaks TCP`,
            ),
          );
        }
      }
    }
  }

  // 8. Every object belongs to this application
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
