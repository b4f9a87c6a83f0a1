import { kustomizationFile } from '../../core/kustomization';
import { DeploymentPlan } from '@internal/backstage-plugin-cloud-native-common';
import {
  EnvironmentObjects,
  GeneratedFile,
  KubernetesObject,
  ManifestFile,
  Skill,
  SkillOutput,
} from '../../core/types';
import { GenerationContext, Notes } from './context';
import { imageVersion } from '../../plan/labels';
import {
  ingress,
  serviceNetworkPolicy,
  services,
  sharedNetworkPolicies,
} from './networking';
import { environmentProfile, productionEnvironment } from '../../plan/profile';
import {
  configMap,
  externalSecret,
  horizontalPodAutoscaler,
  podDisruptionBudget,
  priorityClass,
  serviceAccount,
} from './supporting';
import { namespaceObject } from '../../plan/namespace';
import { secretStoreName } from '../../plan/names';
import { analysisTemplate, workload } from './workloads';
import { kubernetesServices } from '../../plan/workload';
import {
  manifestDirectory,
  namespaceDirectory,
  serviceFileNames,
} from '../../plan/names';

function defined<T>(items: Array<T | undefined>): T[] {
  return items.filter((item): item is T => item !== undefined);
}

function planNotes(plan: DeploymentPlan, notes: Notes): void {
  if (plan.mesh !== 'none' && plan.tierFeatures.podSecurity === 'restricted') {
    notes.add(
      `Pod Security 'restricted' rejects the NET_ADMIN init container of ${plan.mesh} sidecar injection: install the ${plan.mesh} CNI plugin`,
    );
  }
  for (const servicePlan of kubernetesServices(plan)) {
    if (!imageVersion(servicePlan.image) && !servicePlan.image.includes('@')) {
      notes.add(
        `${servicePlan.name}: image '${servicePlan.image}' has no tag; pin a version or digest`,
      );
    } else if (/:latest$/.test(servicePlan.image)) {
      notes.add(
        `${servicePlan.name}: image '${servicePlan.image}' uses 'latest'; pin a version or digest`,
      );
    }
    if (
      plan.mesh !== 'none' &&
      servicePlan.service.port !== undefined &&
      servicePlan.service.protocol === 'tcp'
    ) {
      notes.add(
        `${servicePlan.name}: port ${servicePlan.service.port} is named 'tcp', so ${plan.mesh} proxies it as opaque TCP (mTLS and authorization, no HTTP parsing, routing or retries)`,
      );
    } else if (
      plan.mesh !== 'none' &&
      servicePlan.objectKind === 'StatefulSet' &&
      servicePlan.service.port !== undefined
    ) {
      notes.add(
        `${servicePlan.name}: its port is named '${servicePlan.service.protocol}' (protocol ${servicePlan.service.protocol}); if it speaks another protocol (a database), set protocol: tcp in the spec so ${plan.mesh} does not parse it as HTTP`,
      );
    }
    if (servicePlan.service.secrets.length > 0) {
      notes.add(
        `Secrets come from the External Secrets Operator ClusterSecretStore '${secretStoreName(
          plan.name,
        )}' (not generated: one per cluster, pointing at that environment's secret backend)`,
      );
    }
    if (servicePlan.service.expose === 'public') {
      notes.add(
        `${servicePlan.name}: the Ingress expects the TLS Secret '${servicePlan.name}-tls' (cert-manager, or ACM/managed certificates on cloud load balancers)`,
      );
    }
    if (
      servicePlan.objectKind === 'Rollout' &&
      plan.mesh === 'istio' &&
      servicePlan.service.port !== undefined &&
      servicePlan.service.protocol !== 'tcp' &&
      servicePlan.strategy !== 'blue-green'
    ) {
      notes.add(
        `${servicePlan.name}: the Rollout shifts traffic through the Istio VirtualService '${servicePlan.name}' (route 'primary'), written by kubernetes-servicemesh-configurator`,
      );
    }
  }
  if (plan.environments.length > 1) {
    notes.add(
      `Every environment uses the namespace '${plan.namespace}': one cluster per environment is assumed`,
    );
  }
}

/** Every object of one environment, grouped by file. */
export function buildEnvironment(
  plan: DeploymentPlan,
  environment: string,
): EnvironmentObjects {
  const notes = new Notes();
  const servicePlans = kubernetesServices(plan);
  const context: GenerationContext = {
    plan,
    environment,
    profile: environmentProfile(plan, environment),
    namespace: plan.namespace,
    services: new Map(servicePlans.map(s => [s.name, s])),
    notes,
  };
  if (servicePlans.length === 0) {
    return { environment, shared: [], services: [], notes: [] };
  }
  planNotes(plan, notes);

  const shared: KubernetesObject[] = [namespaceObject(plan, environment)];
  if (servicePlans.some(s => s.objectKind === 'DaemonSet')) {
    shared.push(priorityClass(context));
  }
  shared.push(...sharedNetworkPolicies(context));

  const perService = servicePlans.map(servicePlan => ({
    name: servicePlan.name,
    objects: defined<KubernetesObject>([
      serviceAccount(context, servicePlan),
      configMap(context, servicePlan),
      externalSecret(context, servicePlan),
      ...services(context, servicePlan),
      analysisTemplate(context, servicePlan),
      workload(context, servicePlan),
      horizontalPodAutoscaler(context, servicePlan),
      podDisruptionBudget(context, servicePlan),
      serviceNetworkPolicy(context, servicePlan),
      ingress(context, servicePlan),
    ]),
  }));

  return { environment, shared, services: perService, notes: notes.list() };
}

/**
 * All objects of one environment: the namespace and shared objects first,
 * then each Kubernetes service's objects in plan order.
 */
export function generateKubernetesObjects(
  plan: DeploymentPlan,
  environment: string,
): KubernetesObject[] {
  const built = buildEnvironment(plan, environment);
  return [...built.shared, ...built.services.flatMap(s => s.objects)];
}

function run(plan: DeploymentPlan): SkillOutput {
  const manifests: ManifestFile[] = [];
  const files: GeneratedFile[] = [];
  const environments: EnvironmentObjects[] = [];
  const notes = new Notes();
  if (kubernetesServices(plan).length === 0) {
    notes.add('No Kubernetes services: no manifests');
    return { files, manifests, notes: notes.list() };
  }
  for (const environment of plan.environments) {
    const built = buildEnvironment(plan, environment);
    environments.push(built);
    const directory = manifestDirectory(environment);
    const names = serviceFileNames(built.services.map(s => s.name));
    const environmentManifests: ManifestFile[] = [
      {
        path: `${directory}/namespace.yaml`,
        environment,
        objects: built.shared,
      },
      ...built.services.map(s => ({
        path: `${directory}/${names.get(s.name)}`,
        environment,
        objects: s.objects,
      })),
    ];
    manifests.push(...environmentManifests);
    files.push(kustomizationFile(directory, environmentManifests));
    const namespaceDir = namespaceDirectory(environment);
    const namespaceManifest: ManifestFile = {
      path: `${namespaceDir}/namespace.yaml`,
      environment,
      objects: [namespaceObject(plan, environment)],
    };
    manifests.push(namespaceManifest);
    files.push(kustomizationFile(namespaceDir, [namespaceManifest]));
    const profile = environmentProfile(plan, environment);
    const objectCount = environmentManifests.reduce(
      (n, m) => n + m.objects.length,
      0,
    );
    notes.add(
      `${directory}: ${objectCount} objects in ${environmentManifests.length} files (${profile.class} profile)`,
    );
    built.notes.forEach(note => notes.add(note));
  }
  notes.add(
    `namespace/<env>: the Namespace '${plan.namespace}' alone, applied before anything else on every install path (the Helm chart does not render it)`,
  );
  // the production profile, for the chart's defaults, also when the plan
  // has no production environment (built, not written)
  const production = productionEnvironment(plan);
  if (!plan.environments.includes(production)) {
    environments.push(buildEnvironment(plan, production));
  }
  return { files, manifests, environments, notes: notes.list() };
}

/**
 * The kubernetes-manifest-generator skill: typed Kubernetes objects for
 * every Kubernetes service, per environment, with a kustomization each.
 */
export const kubernetesManifestGenerator: Skill = {
  id: 'kubernetes-manifest-generator',
  run: ({ plan }) => run(plan),
};
