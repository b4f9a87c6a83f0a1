import { objectValidator, PackageValidators } from '../../core/validators';
import {
  DNS_LABEL,
  DNS_SUBDOMAIN,
  DURATION,
  resourceSchema,
  Schema,
  StrictModelRegistry,
} from '../../core/strictSchema';
import { StrictIssue } from '../../core/strict';

/**
 * Strict models of the GitOps objects this package writes. Neither
 * `@kubernetes-models/argo-cd` nor a Flux models package is installed, so
 * the fields emitted are transcribed here from the CRDs:
 *
 * - Argo CD `applications.argoproj.io` / `appprojects.argoproj.io`, version
 *   `v1alpha1` (the only served version, Argo CD 2.x and 3.x):
 *   `spec.destination` and `spec.project` required; `source` (or
 *   `sources`, Argo CD 2.6+) with `repoURL` required;
 *   `syncPolicy.managedNamespaceMetadata` (Argo CD 2.5+) only takes effect
 *   with `CreateNamespace=true`; `syncPolicy.retry.backoff.duration`/
 *   `maxDuration` are duration strings, `factor` an integer.
 * - Flux `gitrepositories.source.toolkit.fluxcd.io` v1 (GA in Flux 2.0):
 *   `url` (http/https/ssh) and `interval` required.
 * - Flux `kustomizations.kustomize.toolkit.fluxcd.io` v1 (GA in Flux 2.0):
 *   `interval`, `prune` and `sourceRef` required; `sourceRef.kind` is
 *   `OCIRepository`, `GitRepository` or `Bucket`.
 * - Flux `helmreleases.helm.toolkit.fluxcd.io` v2 (GA in Flux 2.3):
 *   `interval` required, and a `chart` (with `spec.chart` and
 *   `spec.sourceRef`) or a `chartRef`; `driftDetection.mode` is `enabled`,
 *   `warn` or `disabled`.
 */

const string: Schema = { type: 'string' };
const nonEmpty: Schema = { type: 'string', minLength: 1 };
const duration: Schema = { type: 'string', pattern: DURATION };
const stringList: Schema = { type: 'array', items: string };
const stringMap: Schema = { type: 'map', values: string };

export const ARGO_API_VERSION = 'argoproj.io/v1alpha1';
export const FLUX_SOURCE_API_VERSION = 'source.toolkit.fluxcd.io/v1';
export const FLUX_KUSTOMIZE_API_VERSION = 'kustomize.toolkit.fluxcd.io/v1';
export const FLUX_HELM_API_VERSION = 'helm.toolkit.fluxcd.io/v2';

/** The metadata of a GitOps object: always namespaced, with its labels. */
export interface GitOpsMetadata {
  name: string;
  namespace: string;
  labels?: Record<string, string>;
}

// --- Argo CD ---------------------------------------------------------------

export interface ArgoApplicationSource {
  repoURL: string;
  targetRevision: string;
  path: string;
  helm?: { releaseName?: string; valueFiles?: string[] };
  /** Options of a kustomize source (`commonAnnotations`: the sync wave) */
  kustomize?: { commonAnnotations?: Record<string, string> };
}

/**
 * Where an Application deploys: the Argo CD's own cluster by `server`, or a
 * cluster registered in it (`argocd cluster add --name`) by `name`.
 */
export type ArgoDestination =
  | { server: string; name?: never; namespace: string }
  | { name: string; server?: never; namespace: string };

export interface ArgoApplication {
  apiVersion: typeof ARGO_API_VERSION;
  kind: 'Application';
  metadata: GitOpsMetadata & {
    annotations?: Record<string, string>;
    finalizers?: string[];
  };
  spec: {
    project: string;
    /** One source, or `sources` (several, Argo CD 2.6+), never both */
    source?: ArgoApplicationSource;
    sources?: ArgoApplicationSource[];
    /** `server` (in-cluster) or `name` (a cluster registered in Argo CD) */
    destination: ArgoDestination;
    syncPolicy: {
      automated: { prune: boolean; selfHeal: boolean };
      syncOptions: string[];
      /** The metadata of the namespace `CreateNamespace=true` creates */
      managedNamespaceMetadata?: {
        labels?: Record<string, string>;
        annotations?: Record<string, string>;
      };
      retry: {
        limit: number;
        backoff: { duration: string; factor: number; maxDuration: string };
      };
    };
    revisionHistoryLimit?: number;
  };
}

export interface ArgoAppProject {
  apiVersion: typeof ARGO_API_VERSION;
  kind: 'AppProject';
  metadata: GitOpsMetadata;
  spec: {
    description?: string;
    sourceRepos: string[];
    destinations: ArgoDestination[];
    clusterResourceWhitelist: Array<{ group: string; kind: string }>;
  };
}

const SYNC_OPTIONS = new Set([
  'Validate=false',
  'CreateNamespace=true',
  'PrunePropagationPolicy=foreground',
  'PrunePropagationPolicy=background',
  'PrunePropagationPolicy=orphan',
  'PruneLast=true',
  'ApplyOutOfSyncOnly=true',
  'Replace=true',
  'ServerSideApply=true',
  'FailOnSharedResource=true',
  'RespectIgnoreDifferences=true',
]);

const APPLICATION_SOURCE: Schema = {
  type: 'object',
  required: ['repoURL'],
  properties: {
    repoURL: { type: 'string', pattern: /^(https:\/\/|ssh:\/\/|git@)/ },
    targetRevision: nonEmpty,
    path: { type: 'string', pattern: /^[^/].*[^/]$|^[^/]$/ },
    helm: {
      type: 'object',
      properties: {
        releaseName: { type: 'string', pattern: DNS_LABEL },
        valueFiles: { type: 'array', items: nonEmpty, minItems: 1 },
      },
    },
    kustomize: {
      type: 'object',
      properties: { commonAnnotations: stringMap, commonLabels: stringMap },
    },
  },
};

const APPLICATION_SPEC: Schema = {
  type: 'object',
  required: ['destination', 'project'],
  properties: {
    project: nonEmpty,
    source: APPLICATION_SOURCE,
    sources: { type: 'array', items: APPLICATION_SOURCE, minItems: 1 },
    destination: {
      type: 'object',
      properties: {
        server: { type: 'string', pattern: /^https:\/\// },
        name: string,
        namespace: { type: 'string', pattern: DNS_LABEL },
      },
    },
    syncPolicy: {
      type: 'object',
      properties: {
        automated: {
          type: 'object',
          properties: {
            prune: { type: 'boolean' },
            selfHeal: { type: 'boolean' },
            allowEmpty: { type: 'boolean' },
          },
        },
        syncOptions: {
          type: 'array',
          items: { type: 'string', enum: [...SYNC_OPTIONS] },
          unique: true,
        },
        managedNamespaceMetadata: {
          type: 'object',
          properties: { labels: stringMap, annotations: stringMap },
        },
        retry: {
          type: 'object',
          properties: {
            limit: { type: 'integer', minimum: -1 },
            backoff: {
              type: 'object',
              properties: {
                duration,
                factor: { type: 'integer', minimum: 1 },
                maxDuration: duration,
              },
            },
          },
        },
      },
    },
    revisionHistoryLimit: { type: 'integer', minimum: 0 },
  },
};

const APP_PROJECT_SPEC: Schema = {
  type: 'object',
  properties: {
    description: string,
    sourceRepos: { type: 'array', items: nonEmpty, minItems: 1 },
    destinations: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          server: { type: 'string', pattern: /^https:\/\// },
          name: string,
          namespace: nonEmpty,
        },
      },
    },
    clusterResourceWhitelist: {
      type: 'array',
      items: {
        type: 'object',
        required: ['group', 'kind'],
        properties: { group: string, kind: nonEmpty },
      },
    },
  },
};

// --- Flux ------------------------------------------------------------------

export interface FluxGitRepository {
  apiVersion: typeof FLUX_SOURCE_API_VERSION;
  kind: 'GitRepository';
  metadata: GitOpsMetadata;
  spec: {
    url: string;
    interval: string;
    ref: { branch: string };
    timeout?: string;
  };
}

export interface FluxSourceRef {
  kind: 'GitRepository';
  name: string;
  namespace?: string;
}

export interface FluxKustomization {
  apiVersion: typeof FLUX_KUSTOMIZE_API_VERSION;
  kind: 'Kustomization';
  metadata: GitOpsMetadata;
  spec: {
    interval: string;
    retryInterval?: string;
    timeout?: string;
    path: string;
    prune: boolean;
    wait?: boolean;
    sourceRef: FluxSourceRef;
    dependsOn?: Array<{ name: string; namespace?: string }>;
  };
}

export interface FluxHelmRelease {
  apiVersion: typeof FLUX_HELM_API_VERSION;
  kind: 'HelmRelease';
  metadata: GitOpsMetadata;
  spec: {
    interval: string;
    releaseName: string;
    targetNamespace: string;
    storageNamespace: string;
    timeout?: string;
    chart: {
      spec: {
        chart: string;
        reconcileStrategy: 'ChartVersion' | 'Revision';
        sourceRef: FluxSourceRef;
        valuesFiles: string[];
      };
    };
    install: { createNamespace?: boolean; remediation: { retries: number } };
    upgrade: {
      cleanupOnFail: boolean;
      remediation: { retries: number; strategy: 'rollback' | 'uninstall' };
    };
    driftDetection: { mode: 'enabled' | 'warn' | 'disabled' };
    dependsOn?: Array<{ name: string; namespace?: string }>;
  };
}

const SOURCE_REF: Schema = {
  type: 'object',
  required: ['kind', 'name'],
  properties: {
    kind: {
      type: 'string',
      enum: ['OCIRepository', 'GitRepository', 'Bucket', 'HelmRepository'],
    },
    name: { type: 'string', pattern: DNS_SUBDOMAIN },
    namespace: { type: 'string', pattern: DNS_LABEL },
  },
};

const DEPENDS_ON: Schema = {
  type: 'array',
  items: {
    type: 'object',
    required: ['name'],
    properties: {
      name: { type: 'string', pattern: DNS_SUBDOMAIN },
      namespace: { type: 'string', pattern: DNS_LABEL },
    },
  },
};

const GIT_REPOSITORY_SPEC: Schema = {
  type: 'object',
  required: ['url', 'interval'],
  properties: {
    url: { type: 'string', pattern: /^(http|https|ssh):\/\// },
    interval: duration,
    timeout: duration,
    ref: {
      type: 'object',
      properties: {
        branch: nonEmpty,
        tag: nonEmpty,
        semver: nonEmpty,
        name: nonEmpty,
        commit: nonEmpty,
      },
    },
    secretRef: {
      type: 'object',
      required: ['name'],
      properties: { name: nonEmpty },
    },
  },
};

const KUSTOMIZATION_SPEC: Schema = {
  type: 'object',
  required: ['interval', 'prune', 'sourceRef'],
  properties: {
    interval: duration,
    retryInterval: duration,
    timeout: duration,
    path: { type: 'string', pattern: /^\.\// },
    prune: { type: 'boolean' },
    wait: { type: 'boolean' },
    force: { type: 'boolean' },
    targetNamespace: { type: 'string', pattern: DNS_LABEL },
    sourceRef: SOURCE_REF,
    dependsOn: DEPENDS_ON,
  },
};

const REMEDIATION_RETRIES = { type: 'integer', minimum: -1 } as const;

const HELM_RELEASE_SPEC: Schema = {
  type: 'object',
  required: ['interval'],
  properties: {
    interval: duration,
    timeout: duration,
    releaseName: { type: 'string', minLength: 1, maxLength: 53 },
    targetNamespace: { type: 'string', pattern: DNS_LABEL },
    storageNamespace: { type: 'string', pattern: DNS_LABEL },
    chart: {
      type: 'object',
      required: ['spec'],
      properties: {
        spec: {
          type: 'object',
          required: ['chart', 'sourceRef'],
          properties: {
            chart: nonEmpty,
            version: nonEmpty,
            reconcileStrategy: {
              type: 'string',
              enum: ['ChartVersion', 'Revision'],
            },
            sourceRef: SOURCE_REF,
            valuesFiles: stringList,
            interval: duration,
          },
        },
      },
    },
    install: {
      type: 'object',
      properties: {
        createNamespace: { type: 'boolean' },
        remediation: {
          type: 'object',
          properties: { retries: REMEDIATION_RETRIES },
        },
      },
    },
    upgrade: {
      type: 'object',
      properties: {
        cleanupOnFail: { type: 'boolean' },
        remediation: {
          type: 'object',
          properties: {
            retries: REMEDIATION_RETRIES,
            strategy: { type: 'string', enum: ['rollback', 'uninstall'] },
            remediateLastFailure: { type: 'boolean' },
          },
        },
      },
    },
    driftDetection: {
      type: 'object',
      properties: {
        mode: { type: 'string', enum: ['enabled', 'warn', 'disabled'] },
      },
    },
    dependsOn: DEPENDS_ON,
    values: stringMap,
  },
};

/**
 * The strict models of the GitOps kinds.
 */
/** Every kind of GitOps object this package writes, with its `spec`. */
const GITOPS_KINDS: Array<[apiVersion: string, kind: string, spec: Schema]> = [
  [ARGO_API_VERSION, 'Application', APPLICATION_SPEC],
  [ARGO_API_VERSION, 'AppProject', APP_PROJECT_SPEC],
  [FLUX_SOURCE_API_VERSION, 'GitRepository', GIT_REPOSITORY_SPEC],
  [FLUX_KUSTOMIZE_API_VERSION, 'Kustomization', KUSTOMIZATION_SPEC],
  [FLUX_HELM_API_VERSION, 'HelmRelease', HELM_RELEASE_SPEC],
];

export const gitOpsModels = GITOPS_KINDS.reduce(
  (registry, [apiVersion, kind, spec]) =>
    registry.register(
      apiVersion,
      kind,
      resourceSchema(apiVersion, kind, spec, { namespaced: true }),
    ),
  new StrictModelRegistry(),
);

/**
 * Strict findings of one GitOps object (an unknown kind is a finding), plus
 * the CRD rules that span fields: an Application has a source; a
 * HelmRelease has a chart.
 */
export function validateGitOpsObject(object: unknown): StrictIssue[] {
  const findings = gitOpsModels.validate(object);
  const record = object as {
    kind?: string;
    spec?: {
      source?: unknown;
      sources?: unknown;
      chart?: unknown;
      chartRef?: unknown;
      syncPolicy?: {
        syncOptions?: string[];
        managedNamespaceMetadata?: unknown;
      };
    };
  };
  if (record?.kind === 'Application' && record.spec) {
    const { source, sources, syncPolicy } = record.spec;
    if (!source === !sources) {
      findings.push({
        path: 'spec.source',
        message:
          'exactly one of spec.source and spec.sources is required (Argo CD ignores source when sources is set)',
      });
    }
    if (
      syncPolicy?.managedNamespaceMetadata &&
      !syncPolicy.syncOptions?.includes('CreateNamespace=true')
    ) {
      findings.push({
        path: 'spec.syncPolicy.managedNamespaceMetadata',
        message:
          'managedNamespaceMetadata needs the CreateNamespace=true option',
      });
    }
  }
  if (
    record?.kind === 'HelmRelease' &&
    record.spec &&
    !record.spec.chart &&
    !record.spec.chartRef
  ) {
    findings.push({
      path: 'spec.chart',
      message: 'spec.chart or spec.chartRef is required',
    });
  }
  return findings;
}

/**
 * What the GitOps skill contributes to the package validation: the strict
 * Argo CD and Flux models.
 *
 * @public
 */
export const gitOpsValidators: PackageValidators = {
  objects: [
    objectValidator(
      'gitops',
      object => gitOpsModels.has(object.apiVersion, object.kind),
      validateGitOpsObject,
    ),
  ],
  files: [],
};
