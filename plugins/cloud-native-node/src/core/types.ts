import {
  DeploymentPlan,
  Finding,
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

// --- The validator contract (helpers in ./validators.ts) --------------------
//
// The skill that emits an object kind, or writes a kind of file, knows its
// schema; the validation knows how to walk a package and report. So each
// skill declares its validators (`Skill.validators`), the pipeline collects
// them and hands them to the validation, which imports no skill.

/** One problem of an object, located by its field path. */
export interface ObjectProblem {
  /** e.g. `spec.syncPolicy.automated.selfHeal`, or `(root)` */
  path: string;
  message: string;
}

/**
 * A strict check of object kinds the shared Kubernetes schema validator has
 * no model for (Argo CD, Flux, Linkerd, Knative, GKE PodMonitoring ...).
 * The first validator that handles an object checks it instead of the
 * shared validator, so their `handles` must not overlap.
 *
 * @public
 */
export interface ObjectValidator {
  /** Names the validator in tests and diagnostics, e.g. `linkerd` */
  name: string;
  /** Anchor rule ids of its findings (the real tool it stands for) */
  anchors: string[];
  handles(object: KubernetesObject): boolean;
  validate(object: KubernetesObject): ObjectProblem[];
}

/**
 * A problem a file check found; the validation reports it as a Finding.
 *
 * @public
 */
export interface FileFinding {
  ruleId: string;
  severity: Finding['severity'];
  /** The file, relative to the package root */
  file: string;
  /** Where in the file, e.g. `Resources.Fn.Properties.MemorySize` */
  objectPath?: string;
  message: string;
  /** Equivalent rule ids of well-known linters (cfn-lint, Checkov) */
  anchors: string[];
}

/**
 * A check of one kind of file that holds no Kubernetes objects (an AWS SAM
 * template, a Serverless Framework file, an IAM policy document). The skill
 * that writes the file says which files are of that kind (`appliesTo`) and
 * what they hold; the validation parses each file once (a parse error is
 * the finding `parseRuleId`), then runs the generic checks the declaration
 * asks for (`iamPolicies`) and the skill's own `check`. A file should be of
 * one kind only: each kind that applies parses it again.
 *
 * @public
 */
export interface FileCheck {
  /** Names the check in tests and diagnostics, e.g. `aws-sam-template` */
  name: string;
  /** True for the files of this kind, by their path in the package */
  appliesTo(path: string): boolean;
  /** How the validation parses the file before `check` */
  format: 'yaml' | 'json';
  /** Rule id of the finding when the file does not parse */
  parseRuleId: string;
  /**
   * The document holds AWS IAM policy statements (inline or as managed
   * policy ARNs): the validation's IAM wildcard check runs on it.
   */
  iamPolicies?: boolean;
  /** The skill's own checks of the parsed document */
  check?(document: unknown, file: string): FileFinding[];
}

/**
 * Everything the skills contribute to a package's validation.
 *
 * @public
 */
export interface PackageValidators {
  objects: ReadonlyArray<ObjectValidator>;
  files: ReadonlyArray<FileCheck>;
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
  /**
   * The typed objects as built, by environment and service, for the skills
   * that derive from them (the Helm chart). Not written: `manifests` holds
   * what is written. kubernetes-manifest-generator: every environment of the
   * plan, then the production profile the chart's defaults come from
   * (productionEnvironment) when the plan has no production environment.
   */
  environments?: EnvironmentObjects[];
}

/**
 * The objects of one environment, grouped as they are written.
 *
 * @public
 */
export interface EnvironmentObjects {
  environment: string;
  /** Namespace and namespace-wide objects (namespace.yaml) */
  shared: KubernetesObject[];
  /** Per service, in plan order (<service>.yaml) */
  services: Array<{ name: string; objects: KubernetesObject[] }>;
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
  /**
   * The validators of the object kinds and files this skill emits; the
   * engine hands them to the package validation (core/validators.ts).
   */
  validators?: Partial<PackageValidators>;
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
