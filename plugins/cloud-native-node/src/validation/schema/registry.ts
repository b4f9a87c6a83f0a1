import { importEsm } from './esmLoader';

/** A `kubernetes-models` / `@kubernetes-models/*` model class. */
export interface ModelClass {
  new (data?: unknown): { validate(): void };
  readonly prototype: { validate(this: unknown): void };
  readonly apiVersion: string;
  readonly kind: string;
}

/** Which package provides the models of a group/version, and which kinds. */
interface ModelSource {
  pkg: string;
  /** Module folder inside the package, e.g. `apps/v1` */
  dir: string;
  kinds: string[];
}

/**
 * A CRD group whose `v1` and `v1beta1` versions both serve the same kinds
 * (the v1beta1 objects are still accepted, so both are validated).
 */
function servedAt(pkg: string, group: string, kinds: string[]): ModelSource[] {
  return ['v1', 'v1beta1'].map(version => ({
    pkg,
    dir: `${group}/${version}`,
    kinds,
  }));
}

const CORE = 'kubernetes-models';

/**
 * The kinds the validator knows. Only current API versions of the core API
 * (deprecated ones such as `policy/v1beta1` are reported as unknown kinds) plus
 * the served versions of the supported CRDs. Each kind is imported from its own
 * module so that only the schemas that are needed get loaded.
 */
const MODEL_SOURCES: ModelSource[] = [
  {
    pkg: CORE,
    dir: 'v1',
    kinds: [
      'ConfigMap',
      'Endpoints',
      'LimitRange',
      'Namespace',
      'PersistentVolume',
      'PersistentVolumeClaim',
      'Pod',
      'PodTemplate',
      'ReplicationController',
      'ResourceQuota',
      'Secret',
      'Service',
      'ServiceAccount',
    ],
  },
  {
    pkg: CORE,
    dir: 'apps/v1',
    kinds: ['DaemonSet', 'Deployment', 'ReplicaSet', 'StatefulSet'],
  },
  { pkg: CORE, dir: 'batch/v1', kinds: ['CronJob', 'Job'] },
  { pkg: CORE, dir: 'autoscaling/v1', kinds: ['HorizontalPodAutoscaler'] },
  { pkg: CORE, dir: 'autoscaling/v2', kinds: ['HorizontalPodAutoscaler'] },
  { pkg: CORE, dir: 'policy/v1', kinds: ['PodDisruptionBudget'] },
  {
    pkg: CORE,
    dir: 'networking.k8s.io/v1',
    kinds: ['Ingress', 'IngressClass', 'NetworkPolicy'],
  },
  {
    pkg: CORE,
    dir: 'storage.k8s.io/v1',
    kinds: ['CSIDriver', 'StorageClass'],
  },
  { pkg: CORE, dir: 'scheduling.k8s.io/v1', kinds: ['PriorityClass'] },
  {
    pkg: CORE,
    dir: 'rbac.authorization.k8s.io/v1',
    kinds: ['ClusterRole', 'ClusterRoleBinding', 'Role', 'RoleBinding'],
  },
  {
    pkg: CORE,
    dir: 'admissionregistration.k8s.io/v1',
    kinds: ['MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration'],
  },
  {
    pkg: CORE,
    dir: 'apiextensions.k8s.io/v1',
    kinds: ['CustomResourceDefinition'],
  },
  { pkg: CORE, dir: 'coordination.k8s.io/v1', kinds: ['Lease'] },
  { pkg: CORE, dir: 'discovery.k8s.io/v1', kinds: ['EndpointSlice'] },
  { pkg: CORE, dir: 'node.k8s.io/v1', kinds: ['RuntimeClass'] },
  {
    pkg: '@kubernetes-models/argo-rollouts',
    dir: 'argoproj.io/v1alpha1',
    kinds: [
      'AnalysisRun',
      'AnalysisTemplate',
      'ClusterAnalysisTemplate',
      'Experiment',
      'Rollout',
    ],
  },
  ...servedAt('@kubernetes-models/istio', 'networking.istio.io', [
    'DestinationRule',
    'Gateway',
    'ServiceEntry',
    'Sidecar',
    'VirtualService',
    'WorkloadEntry',
    'WorkloadGroup',
  ]),
  {
    pkg: '@kubernetes-models/istio',
    dir: 'networking.istio.io/v1alpha3',
    kinds: ['EnvoyFilter'],
  },
  ...servedAt('@kubernetes-models/istio', 'security.istio.io', [
    'AuthorizationPolicy',
    'PeerAuthentication',
    'RequestAuthentication',
  ]),
  {
    pkg: '@kubernetes-models/istio',
    dir: 'telemetry.istio.io/v1',
    kinds: ['Telemetry'],
  },
  {
    pkg: '@kubernetes-models/keda',
    dir: 'keda.sh/v1alpha1',
    kinds: [
      'ClusterTriggerAuthentication',
      'ScaledJob',
      'ScaledObject',
      'TriggerAuthentication',
    ],
  },
  {
    pkg: '@kubernetes-models/karpenter',
    dir: 'karpenter.sh/v1',
    kinds: ['NodeClaim', 'NodePool'],
  },
  {
    pkg: '@kubernetes-models/karpenter',
    dir: 'karpenter.k8s.aws/v1',
    kinds: ['EC2NodeClass'],
  },
  {
    pkg: '@kubernetes-models/gateway-api',
    dir: 'gateway.networking.k8s.io/v1',
    kinds: [
      'BackendTLSPolicy',
      'GRPCRoute',
      'Gateway',
      'GatewayClass',
      'HTTPRoute',
      'ReferenceGrant',
    ],
  },
  {
    pkg: '@kubernetes-models/gateway-api',
    dir: 'gateway.networking.k8s.io/v1beta1',
    kinds: ['Gateway', 'GatewayClass', 'HTTPRoute', 'ReferenceGrant'],
  },
  {
    pkg: '@kubernetes-models/prometheus-operator',
    dir: 'monitoring.coreos.com/v1',
    kinds: [
      'Alertmanager',
      'PodMonitor',
      'Probe',
      'Prometheus',
      'PrometheusRule',
      'ServiceMonitor',
    ],
  },
  {
    pkg: '@kubernetes-models/prometheus-operator',
    dir: 'monitoring.coreos.com/v1alpha1',
    kinds: ['AlertmanagerConfig', 'ScrapeConfig'],
  },
  ...servedAt('@kubernetes-models/external-secrets', 'external-secrets.io', [
    'ClusterExternalSecret',
    'ClusterSecretStore',
    'ExternalSecret',
    'SecretStore',
  ]),
  {
    pkg: '@kubernetes-models/external-secrets',
    dir: 'external-secrets.io/v1alpha1',
    kinds: ['PushSecret'],
  },
];

/** A registered kind: its model class and whether it is a core API kind. */
export interface RegisteredModel {
  /** `apiVersion/kind`, e.g. `apps/v1/Deployment` or `v1/Service` */
  key: string;
  apiVersion: string;
  kind: string;
  model: ModelClass;
  core: boolean;
}

export function kindKey(apiVersion: string, kind: string): string {
  return `${apiVersion}/${kind}`;
}

/** Imports every listed model class, keyed by `apiVersion/kind`. */
export async function loadModelRegistry(): Promise<
  Map<string, RegisteredModel>
> {
  const jobs = MODEL_SOURCES.flatMap(source =>
    source.kinds.map(async kind => {
      const mod = await importEsm(`${source.pkg}/${source.dir}/${kind}`);
      const model = mod[kind] as ModelClass | undefined;
      if (typeof model !== 'function' || model.kind !== kind) {
        throw new Error(
          `${source.pkg}/${source.dir}/${kind} does not export the model ${kind}`,
        );
      }
      const entry: RegisteredModel = {
        key: kindKey(model.apiVersion, model.kind),
        apiVersion: model.apiVersion,
        kind: model.kind,
        model,
        core: source.pkg === CORE,
      };
      return entry;
    }),
  );
  const entries = await Promise.all(jobs);
  return new Map(entries.map(entry => [entry.key, entry]));
}
