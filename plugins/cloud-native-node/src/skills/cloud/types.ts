import { GeneratedFile, KubernetesObject } from '../../core/types';
import { ManagedProvider } from '../../plan/names';

/** A kustomize patch of the provider overlay (a file in the overlay folder). */
export interface OverlayPatch {
  /** Path relative to the overlay folder, e.g. `patches/api-service-account.yaml` */
  file: string;
  /**
   * A strategic-merge patch (a partial object) or a JSON 6902 patch (an array
   * of operations, which needs a target).
   */
  content: KubernetesObject | JsonPatchOperation[];
  target?: PatchTarget;
  /** Why the patch exists, for the README */
  reason: string;
}

export interface PatchTarget {
  group?: string;
  version: string;
  kind: string;
  name: string;
  namespace?: string;
}

export type JsonPatchOperation =
  | { op: 'add' | 'replace' | 'test'; path: string; value: unknown }
  | { op: 'remove'; path: string };

/** Objects written into one file of `cloud/<provider>/<env>/`. */
export interface ResourceFile {
  /** File name relative to `cloud/<provider>/<env>/` */
  file: string;
  objects: KubernetesObject[];
  /**
   * `schema`: kinds the shared schema validator knows, written as engine
   * ManifestFiles (validated with the package). `custom`: kinds it does not
   * know (GKE PodMonitoring, Azure Monitor's azmonitoring.coreos.com
   * ServiceMonitor), written as plain files and checked by this skill's
   * strict models in the tests.
   */
  validation: 'schema' | 'custom';
}

/** What one provider contributes for one environment. */
export interface ProviderEnvironment {
  environment: string;
  resources: ResourceFile[];
  patches: OverlayPatch[];
}

/** What one provider contributes. */
export interface ProviderOutput {
  provider: ManagedProvider;
  environments: ProviderEnvironment[];
  /** IAM documents, scripts, documentation */
  files: GeneratedFile[];
  notes: string[];
}
