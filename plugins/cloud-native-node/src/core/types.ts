import {
  DeploymentPlan,
  SkillId,
} from '@internal/backstage-plugin-cloud-native-common';

/**
 * A file of the deployment package, by its path relative to the package root
 * (forward slashes, no leading `./`).
 *
 * @public
 */
export interface GeneratedFile {
  path: string;
  content: string;
  /** File mode when it is not 0644, e.g. 0o755 for scripts */
  mode?: number;
}

/**
 * A Kubernetes (or CRD) object as plain data, serialized with the `yaml`
 * library when written.
 *
 * @public
 */
export interface KubernetesObject {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    [key: string]: unknown;
  };
  [key: string]: unknown;
}

/**
 * Objects that are written together into one manifest file.
 *
 * @public
 */
export interface ManifestFile {
  /** Path relative to the package root, e.g. `kubernetes/prod/api.yaml` */
  path: string;
  /** The environment these objects belong to */
  environment: string;
  objects: KubernetesObject[];
}

/**
 * What a skill returns: files, manifests (serialized by the engine) and notes
 * for the report.
 *
 * @public
 */
export interface SkillOutput {
  files: GeneratedFile[];
  manifests: ManifestFile[];
  /** Short human-readable notes for the trace (what was generated and why) */
  notes: string[];
}

/**
 * What every skill receives: the plan and the outputs of the skills that ran
 * before it (in plan order).
 *
 * @public
 */
export interface SkillContext {
  plan: DeploymentPlan;
  outputs: Partial<Record<SkillId, SkillOutput>>;
}

/**
 * A skill: plan in, files/objects out. Pure: no I/O, no clock, no randomness,
 * so the same plan always gives byte-identical output.
 *
 * @public
 */
export interface Skill {
  id: SkillId;
  run(context: SkillContext): SkillOutput;
}

/**
 * Server-side dry run of a package's objects against a configured cluster
 * (`dryRun=All`: the API server admits and validates, nothing is persisted).
 * Off unless given. Kubeconfig resolution is kubectl's: `kubeconfig`, else
 * `KUBECONFIG`, else `~/.kube/config`, else the in-cluster service account.
 *
 * @public
 */
export interface ServerDryRunOptions {
  /** Kubeconfig file (default: `KUBECONFIG`, then `~/.kube/config`) */
  kubeconfig?: string;
  /** Context of the kubeconfig (default: its current-context) */
  context?: string;
  /** Namespace of namespaced objects that set none (default: the context's, else `default`) */
  namespace?: string;
  /** Only the objects of these environments (and shared ones); default all */
  environments?: string[];
  /** Timeout of each HTTP request, in ms (default 10 000) */
  requestTimeoutMs?: number;
  /** Timeout of the whole dry run, in ms (default 120 000) */
  timeoutMs?: number;
  /** Requests in flight at once (default 4) */
  concurrency?: number;
}
