import { DeploymentPlan } from '@internal/backstage-plugin-cloud-native-common';
import { toYaml, toYamlDocuments } from '../../core/serialize';
import { GeneratedFile, ManifestFile } from '../../core/types';
import { ManagedProvider } from '../../plan/names';
import { managedProviders } from '../../plan/install';
import { ProviderOutput } from './types';
import { cloudDirectory, overlayDirectory } from '../../plan/names';

/**
 * Kustomize layout, per environment:
 *
 * ```
 * kustomize/<env>/base/kustomization.yaml            resources: ../../../kubernetes/<env>
 *                                                    (+ ../../../mesh/<env>)
 * kustomize/<env>/overlays/<provider>/kustomization.yaml
 *     resources: ../../base, ../../../../cloud/<provider>/<env>
 *     patches:   patches/*.yaml (ServiceAccount annotations, storage class,
 *                pod labels, secret names)
 * cloud/<provider>/<env>/kustomization.yaml          the provider's objects
 * ```
 *
 * The patches live in the overlay folder because kustomize only loads patch
 * files from inside the kustomization root; `cloud/<provider>/<env>` is a
 * plain resource kustomization, so it also builds on its own (GitOps with a
 * Helm chart applies it next to the chart). `kubectl apply -k
 * kustomize/<env>/overlays/<provider>` deploys everything in one step.
 */

export function baseDirectory(environment: string): string {
  return `kustomize/${environment}/base`;
}

const KUSTOMIZATION = {
  apiVersion: 'kustomize.config.k8s.io/v1beta1',
  kind: 'Kustomization',
} as const;

/**
 * The ManifestFile environment: the environment name, qualified by the
 * provider when several providers target the same environment (multi-cloud:
 * one cluster each, so the same ClusterSecretStore in three files is not a
 * duplicate).
 */
function manifestEnvironment(
  plan: DeploymentPlan,
  environment: string,
  provider: ManagedProvider,
): string {
  return managedProviders(plan).length > 1
    ? `${environment}/${provider}`
    : environment;
}

/** Manifests, files and kustomizations of every provider's output. */
export function assemble(
  plan: DeploymentPlan,
  outputs: ProviderOutput[],
  hasMesh: (environment: string) => boolean = () => false,
): { manifests: ManifestFile[]; files: GeneratedFile[] } {
  const manifests: ManifestFile[] = [];
  const files: GeneratedFile[] = [];
  for (const environment of plan.environments) {
    files.push({
      path: `${baseDirectory(environment)}/kustomization.yaml`,
      content: toYaml({
        ...KUSTOMIZATION,
        resources: [
          `../../../kubernetes/${environment}`,
          // the mesh skill's objects, when it wrote them
          ...(hasMesh(environment) ? [`../../../mesh/${environment}`] : []),
        ],
      }),
    });
  }
  for (const output of outputs) {
    const { provider } = output;
    for (const env of output.environments) {
      const directory = cloudDirectory(provider, env.environment);
      for (const resource of env.resources) {
        const path = `${directory}/${resource.file}`;
        if (resource.validation === 'schema') {
          manifests.push({
            path,
            environment: manifestEnvironment(plan, env.environment, provider),
            objects: resource.objects,
          });
        } else {
          files.push({ path, content: toYamlDocuments(resource.objects) });
        }
      }
      if (env.resources.length > 0) {
        files.push({
          path: `${directory}/kustomization.yaml`,
          content: toYaml({
            ...KUSTOMIZATION,
            resources: env.resources.map(r => r.file),
          }),
        });
      }
      const overlay = overlayDirectory(env.environment, provider);
      for (const patch of env.patches) {
        files.push({
          path: `${overlay}/${patch.file}`,
          content: toYaml(patch.content),
        });
      }
      files.push({
        path: `${overlay}/kustomization.yaml`,
        content: toYaml({
          ...KUSTOMIZATION,
          resources: [
            '../../base',
            ...(env.resources.length > 0 ? [`../../../../${directory}`] : []),
          ],
          ...(env.patches.length > 0
            ? {
                patches: env.patches.map(patch => ({
                  path: patch.file,
                  ...(patch.target ? { target: patch.target } : {}),
                })),
              }
            : {}),
        }),
      });
    }
  }
  return { manifests, files };
}
