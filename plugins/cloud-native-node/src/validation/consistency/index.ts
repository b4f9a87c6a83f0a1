import {
  DeploymentPlan,
  Finding,
} from '@internal/backstage-plugin-cloud-native-common';
import { KubernetesObject, ManifestFile } from '../../engine/types';

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
        for (const route of spec?.http ?? []) {
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

  // 5. Every object belongs to this application
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
