import { createHash } from 'node:crypto';
import {
  ClusterProvider,
  DeploymentPlan,
  ServicePlan,
} from '@internal/backstage-plugin-cloud-native-common';

/**
 * The names a package shares between its files, decided once: directories
 * of the package, workload and Job names, the Helm release, the secret
 * store. A skill writes under these names and the guide, the report and
 * GitOps refer to them by the same functions.
 */

/** A managed Kubernetes provider (not a generic cluster). */
export type ManagedProvider = Exclude<ClusterProvider, 'generic'>;

/** Short, stable hex digest of a string. */
export function digest(value: string, length = 6): string {
  return createHash('sha256').update(value).digest('hex').slice(0, length);
}

/**
 * `value` when it fits in `max` characters, else a prefix plus a stable hash
 * of the whole value (so two long names never collapse into one).
 */
export function shorten(value: string, max: number): string {
  if (value.length <= max) return value;
  const hash = digest(value);
  return `${value.slice(0, max - hash.length - 1).replace(/-+$/, '')}-${hash}`;
}

/**
 * `kubernetes/<env>`: every object of an environment, for `kubectl apply -k`.
 *
 * @public
 */
export function manifestDirectory(environment: string): string {
  return `kubernetes/${environment}`;
}

/**
 * `namespace/<env>`: the Namespace alone, the first thing every install path
 * applies (the guide's commands, Flux, the report). It is not part of the
 * Helm release: Helm stores a release in its namespace, so the release can
 * neither create it (`--create-namespace` makes one without the Pod Security
 * and mesh labels) nor adopt one that exists. `kubernetes/<env>` keeps its
 * copy, so that its kustomization stays complete on its own.
 *
 * @public
 */
export function namespaceDirectory(environment: string): string {
  return `namespace/${environment}`;
}

/** The mesh objects of an environment: `mesh/<env>` (a kustomization). */
export function meshDirectory(environment: string): string {
  return `mesh/${environment}`;
}

/** The provider's objects of an environment: `cloud/<provider>/<env>`. */
export function cloudDirectory(
  provider: ManagedProvider,
  environment: string,
): string {
  return `cloud/${provider}/${environment}`;
}

/** One cluster's overlay: `kustomize/<env>/overlays/<provider>`. */
export function overlayDirectory(
  environment: string,
  provider: ManagedProvider,
): string {
  return `kustomize/${environment}/overlays/${provider}`;
}

const RESERVED_FILES = new Set(['namespace', 'kustomization']);

/**
 * The manifest file of each service in `kubernetes/<env>/`, by service
 * name: `<service>.yaml`, with `-service` added where the name would take
 * `namespace.yaml` or `kustomization.yaml` (or a file already taken).
 */
export function serviceFileNames(names: string[]): Map<string, string> {
  const taken = new Set(['namespace.yaml', 'kustomization.yaml']);
  const files = new Map<string, string>();
  for (const name of names) {
    let file = RESERVED_FILES.has(name)
      ? `${name}-service.yaml`
      : `${name}.yaml`;
    while (taken.has(file)) file = file.replace(/\.yaml$/, '-service.yaml');
    taken.add(file);
    files.set(name, file);
  }
  return files;
}

/** Hex digits of the image hash in a Job's name (see jobName). */
export const JOB_NAME_HASH_LENGTH = 8;

/**
 * A Job's name: the service name and the first 8 hex digits of the SHA-256
 * of its image reference, e.g. `migrate-1a2b3c4d`. A Job's pod template is
 * immutable, so a Job of a fixed name cannot take a new image: the next
 * `helm upgrade`, `kubectl apply` or GitOps sync fails ("field is
 * immutable"). Named after its image, a new release is a new Job that runs
 * once; Helm, Argo CD and Flux prune the previous one, and
 * `ttlSecondsAfterFinished` removes it after a plain `kubectl apply`. The
 * chart computes the same name (`sha256sum | trunc 8` of the rendered
 * image, skills/helm/templates.ts), and every command finds a service's
 * Jobs by label.
 */
export function jobName(service: string, image: string): string {
  const hash = createHash('sha256').update(image).digest('hex');
  return `${service}-${hash.slice(0, JOB_NAME_HASH_LENGTH)}`;
}

/** The name of a service's workload object: the service's, but a Job's (jobName). */
export function workloadName(servicePlan: ServicePlan): string {
  return servicePlan.objectKind === 'Job'
    ? jobName(servicePlan.name, servicePlan.image)
    : servicePlan.name;
}

/** The longest release name Helm accepts (`helm install`, `helm template`). */
export const HELM_RELEASE_NAME_MAX = 53;

/**
 * The Helm release name of a plan, used everywhere a release is named (the
 * install commands of the chart README and the deployment guide, Argo CD
 * `helm.releaseName`, Flux `spec.releaseName`, the `helm template` check):
 * the plan name, or when it is longer than Helm's 53 characters (a
 * `metadata.name` may have 63), a prefix of it and a short stable hash of
 * the whole name, so two long names never share a release name.
 *
 * @public
 */
export function helmReleaseName(plan: Pick<DeploymentPlan, 'name'>): string {
  return shorten(plan.name, HELM_RELEASE_NAME_MAX);
}

/** The chart's directory: `helm/<plan>`. */
export function chartDirectory(plan: Pick<DeploymentPlan, 'name'>): string {
  return `helm/${plan.name}`;
}

/** The External Secrets Operator ClusterSecretStore every ExternalSecret reads. */
export function secretStoreName(planName: string): string {
  return `${planName}-secrets`;
}

/** The tag of an image reference (`registry:5000/a/b:1.2` gives `1.2`). */
export function imageTag(image: string): string | undefined {
  const name = image.split('@')[0];
  const colon = name.lastIndexOf(':');
  return colon > name.lastIndexOf('/') ? name.slice(colon + 1) : undefined;
}
