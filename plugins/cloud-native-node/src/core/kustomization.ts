import { stringify } from 'yaml';
import { GeneratedFile, ManifestFile } from './types';

/**
 * The `kustomization.yaml` of a folder of manifests: a plain Kustomization
 * listing the files, in order, relative to the folder, so that
 * `kubectl apply -k <directory>` applies exactly what the skill wrote there.
 */
export function kustomizationFile(
  directory: string,
  manifests: ReadonlyArray<Pick<ManifestFile, 'path'>>,
): GeneratedFile {
  return {
    path: `${directory}/kustomization.yaml`,
    content: stringify({
      apiVersion: 'kustomize.config.k8s.io/v1beta1',
      kind: 'Kustomization',
      resources: manifests.map(m => m.path.slice(directory.length + 1)),
    }),
  };
}
