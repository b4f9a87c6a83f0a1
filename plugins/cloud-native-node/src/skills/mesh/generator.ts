import { kustomizationFile } from '../../core/kustomization';
import {
  DeploymentPlan,
  ServicePlan,
} from '@internal/backstage-plugin-cloud-native-common';
import {
  GeneratedFile,
  KubernetesObject,
  ManifestFile,
  Skill,
  SkillContext,
  SkillOutput,
} from '../../core/types';
import { classifyEnvironment } from '../../plan/profile';
import { MeshContext, meshContext } from './context';
import {
  ISTIO_API_VERSIONS,
  istioServiceObjects,
  istioSharedObjects,
} from './istio';
import { linkerdServiceObjects, linkerdSharedObjects } from './linkerd';
import { LINKERD_API_VERSIONS, meshValidators } from './linkerdSchemas';
import { meshDirectory } from '../../plan/names';

/** The mesh objects of one environment, grouped as they are written. */
export interface MeshEnvironment {
  environment: string;
  /** Namespace-wide objects (mesh.yaml) */
  shared: KubernetesObject[];
  /** Per Kubernetes service, in plan order (<service>.yaml) */
  services: Array<{ name: string; objects: KubernetesObject[]; note: string }>;
}

function kubernetesServices(plan: DeploymentPlan): ServicePlan[] {
  return plan.services.filter(s => s.runtime === 'kubernetes');
}

/**
 * Every mesh object of one environment. Empty when the plan has no mesh or
 * no Kubernetes services.
 */
export function buildMeshEnvironment(
  plan: DeploymentPlan,
  environment: string,
): MeshEnvironment {
  if (plan.mesh === 'none' || kubernetesServices(plan).length === 0) {
    return { environment, shared: [], services: [] };
  }
  const context: MeshContext = meshContext(plan, environment);
  const build =
    plan.mesh === 'istio' ? istioServiceObjects : linkerdServiceObjects;
  return {
    environment,
    shared:
      plan.mesh === 'istio'
        ? istioSharedObjects(context)
        : linkerdSharedObjects(context),
    services: kubernetesServices(plan).map(servicePlan => ({
      name: servicePlan.name,
      ...build(context, servicePlan),
    })),
  };
}

const RESERVED = new Set(['mesh', 'kustomization']);

/** mesh.yaml, kustomization.yaml, then `<svc>.yaml` (renamed on clashes). */
function serviceFileNames(names: string[]): Map<string, string> {
  const taken = new Set(['mesh.yaml', 'kustomization.yaml']);
  const files = new Map<string, string>();
  for (const name of names) {
    let file = RESERVED.has(name) ? `${name}-service.yaml` : `${name}.yaml`;
    while (taken.has(file)) file = file.replace(/\.yaml$/, '-service.yaml');
    taken.add(file);
    files.set(name, file);
  }
  return files;
}

/**
 * The injection switch is the Namespace's, written by
 * kubernetes-manifest-generator; this checks it instead of duplicating it.
 */
function injectionNote(context: SkillContext): string {
  const { plan } = context;
  const expected =
    plan.mesh === 'istio'
      ? { where: 'labels', key: 'istio-injection' }
      : { where: 'annotations', key: 'linkerd.io/inject' };
  const kubernetes = context.outputs['kubernetes-manifest-generator'];
  if (!kubernetes) {
    return `Sidecar injection (${expected.key}: enabled on Namespace ${plan.namespace}) is kubernetes-manifest-generator's; its output was not available to check`;
  }
  // Every copy of the Namespace (kubernetes/<env>, namespace/<env>), counted
  // by environment
  const namespaces = kubernetes.manifests.flatMap(m =>
    m.objects
      .filter(o => o.kind === 'Namespace' && o.metadata.name === plan.namespace)
      .map(o => ({ environment: m.environment, object: o })),
  );
  const environments = (list: typeof namespaces) =>
    new Set(list.map(n => n.environment)).size;
  const missing = namespaces.filter(
    ({ object }) =>
      (object.metadata[expected.where] as Record<string, string> | undefined)?.[
        expected.key
      ] !== 'enabled',
  );
  if (namespaces.length === 0 || missing.length > 0) {
    return `WARNING: Namespace ${plan.namespace} lacks ${expected.where.slice(
      0,
      -1,
    )} ${expected.key}: enabled in ${
      namespaces.length === 0 ? 'every' : environments(missing)
    } environment(s): pods will start without the ${plan.mesh} proxy`;
  }
  return `Sidecar injection: verified ${expected.key}: enabled on Namespace ${
    plan.namespace
  } in all ${environments(
    namespaces,
  )} environment(s) (written by kubernetes-manifest-generator, not duplicated)`;
}

function versionsNote(plan: DeploymentPlan): string {
  if (plan.mesh === 'istio') {
    return `Istio ${
      ISTIO_API_VERSIONS.networking
    } (VirtualService, DestinationRule) and ${
      ISTIO_API_VERSIONS.security
    } (PeerAuthentication ${
      plan.tier === 'T1' ? 'PERMISSIVE' : 'STRICT'
    }, AuthorizationPolicy with the namespace default 'allow-nothing'); principals use the trust domain cluster.local`;
  }
  const v = LINKERD_API_VERSIONS;
  return `Linkerd 2.15+: Server ${v.Server}, HTTPRoute ${v.HTTPRoute}, AuthorizationPolicy/MeshTLSAuthentication/NetworkAuthentication ${v.AuthorizationPolicy}, ServiceProfile ${v.ServiceProfile}; ports without a Server keep the cluster's default inbound policy (the Namespace sets no config.linkerd.io/default-inbound-policy)`;
}

/**
 * The environment whose per-service notes are reported: the first
 * production one, else the last (notes differ only where replica counts do).
 */
function noteEnvironment(plan: DeploymentPlan): string {
  return (
    plan.environments.find(e => classifyEnvironment(e) === 'production') ??
    plan.environments[plan.environments.length - 1]
  );
}

function run(context: SkillContext): SkillOutput {
  const { plan } = context;
  if (plan.mesh === 'none') {
    return { files: [], manifests: [], notes: ['mesh none: nothing to do'] };
  }
  if (kubernetesServices(plan).length === 0) {
    return {
      files: [],
      manifests: [],
      notes: ['No Kubernetes services: no mesh configuration'],
    };
  }
  const manifests: ManifestFile[] = [];
  const files: GeneratedFile[] = [];
  const notes = [versionsNote(plan), injectionNote(context)];
  const directoryNotes: string[] = [];
  let serviceNotes: string[] = [];
  for (const environment of plan.environments) {
    const built = buildMeshEnvironment(plan, environment);
    const directory = meshDirectory(environment);
    const names = serviceFileNames(built.services.map(s => s.name));
    const environmentManifests: ManifestFile[] = [
      ...(built.shared.length > 0
        ? [
            {
              path: `${directory}/mesh.yaml`,
              environment,
              objects: built.shared,
            },
          ]
        : []),
      ...built.services
        .filter(s => s.objects.length > 0)
        .map(s => ({
          path: `${directory}/${names.get(s.name)}`,
          environment,
          objects: s.objects,
        })),
    ];
    manifests.push(...environmentManifests);
    files.push(kustomizationFile(directory, environmentManifests));
    const objectCount = environmentManifests.reduce(
      (n, m) => n + m.objects.length,
      0,
    );
    directoryNotes.push(
      `${directory}: ${objectCount} objects in ${environmentManifests.length} files (apply after kubernetes/${environment})`,
    );
    if (environment === noteEnvironment(plan)) {
      serviceNotes = built.services.map(s => s.note);
    }
  }
  return {
    files,
    manifests,
    notes: [...notes, ...directoryNotes, ...serviceNotes],
  };
}

/**
 * The kubernetes-servicemesh-configurator skill: Istio or Linkerd traffic
 * and security policy for the plan's Kubernetes services, per environment
 * (`mesh/<env>/mesh.yaml`, `mesh/<env>/<svc>.yaml`, a kustomization each).
 */
export const kubernetesServicemeshConfigurator: Skill = {
  id: 'kubernetes-servicemesh-configurator',
  run,
  validators: meshValidators,
};
