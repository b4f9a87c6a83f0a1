import { DeploymentPlan } from '@internal/backstage-plugin-cloud-native-common';
import { toYamlDocuments } from '../../engine/serialize';
import {
  GeneratedFile,
  KubernetesObject,
  ManifestFile,
} from '../../engine/types';
import { CloudTarget, cloudTargets } from '../cloud';
import { shorten } from '../cloud/context';
import { helmReleaseName } from '../helm/release';
import {
  ARGO_API_VERSION,
  ArgoApplication,
  ArgoAppProject,
  ArgoDestination,
  FLUX_HELM_API_VERSION,
  FLUX_KUSTOMIZE_API_VERSION,
  FLUX_SOURCE_API_VERSION,
  FluxGitRepository,
  FluxHelmRelease,
  FluxKustomization,
} from './models';

/**
 * GitOps definitions (`spec.gitops`), one file per environment (per
 * environment and provider for multi-cloud, one cluster each):
 *
 * - `argocd`: `gitops/argocd/<env>.yaml`, an AppProject `<plan>` (this
 *   repository, the plan's namespace, the cluster-scoped kinds the package
 *   writes) and the Applications. Automated sync with prune; `selfHeal`
 *   from T2 (T1 lets people experiment in the cluster).
 * - `flux`: `gitops/flux/<env>.yaml`, a GitRepository and a Kustomization
 *   (or a HelmRelease for Helm packaging).
 *
 * Multi-cloud (several clusters per environment): Argo CD is one instance
 * (a hub) managing every cluster, each registered under a name
 * (`argocd cluster add <context> --name <plan>-<env>-<provider>`): the
 * AppProject is defined once, in `gitops/argocd/project.yaml`, listing every
 * cluster as a destination, and the Applications of `<env>-<provider>.yaml`
 * deploy to their cluster by name. Flux runs in every cluster: the
 * GitRepository is defined once, in `gitops/flux/source.yaml`, applied in
 * every cluster next to the cluster's own file.
 *
 * Object names are `<plan>-<env>[-<provider>][-cloud]`, shortened with a
 * stable hash to 63 characters (Argo CD and Flux put them in label values);
 * the Helm release name is `helmReleaseName` (at most 53 characters).
 *
 * What is synced: the Helm chart `helm/<plan>` with `values-<env>.yaml` for
 * Helm packaging, else the manifests; on managed clusters the manifests come
 * through the provider overlay (`kustomize/<env>/overlays/<provider>`, i.e.
 * the manifests plus identities, storage and monitoring), and next to a Helm
 * chart the provider objects (`cloud/<provider>/<env>`) get their own
 * Application / Kustomization.
 *
 * Every object is returned in `files` (YAML), none in `manifests`: the
 * shared schema validator has no Argo CD or Flux model and would report
 * them as unknown kinds; `validateGitOpsObject` (./models.ts) checks them.
 *
 * The repository URL is a placeholder: `https://github.com/example/<plan>.git`
 * (see gitops/README.md).
 */

/** @public */
export const ARGOCD_NAMESPACE = 'argocd';
/** @public */
export const FLUX_NAMESPACE = 'flux-system';
/** @public */
export const IN_CLUSTER = 'https://kubernetes.default.svc';
/** @public */
export const TARGET_REVISION = 'main';

/** @public */
export function repositoryUrl(plan: DeploymentPlan): string {
  return `https://github.com/example/${plan.name}.git`;
}

/** Argo CD and Flux object names become label values: at most 63. */
const NAME_MAX = 63;

/** One cluster of one environment, and what it syncs. */
interface Deployment {
  environment: string;
  /** Set for managed clusters */
  cloud?: CloudTarget;
  /** File name without extension */
  file: string;
  /** Name suffix for objects (`<plan>-<env>[-<provider>]`) */
  id: string;
  /** Multi-cloud: the name the cluster is registered under in Argo CD */
  cluster?: string;
}

function deployments(plan: DeploymentPlan): Deployment[] {
  return plan.environments.flatMap(environment => {
    const targets = cloudTargets(plan, environment);
    if (targets.length === 0) {
      return [{ environment, file: environment, id: environment }];
    }
    const several = targets.length > 1;
    return targets.map(cloud => ({
      environment,
      cloud,
      file: several ? `${environment}-${cloud.provider}` : environment,
      id: several ? `${environment}-${cloud.provider}` : environment,
      ...(several
        ? {
            cluster: shorten(
              `${plan.name}-${environment}-${cloud.provider}`,
              NAME_MAX,
            ),
          }
        : {}),
    }));
  });
}

/** Several clusters per environment (multi-cloud): one hub, shared objects. */
const multiCluster = (list: Deployment[]) => list.some(d => d.cluster);

/** The name of an Application / Kustomization / HelmRelease. */
function objectName(
  plan: DeploymentPlan,
  deployment: Deployment,
  suffix = '',
): string {
  return shorten(`${plan.name}-${deployment.id}${suffix}`, NAME_MAX);
}

function destination(
  plan: DeploymentPlan,
  deployment: Deployment,
): ArgoDestination {
  return deployment.cluster
    ? { name: deployment.cluster, namespace: plan.namespace }
    : { server: IN_CLUSTER, namespace: plan.namespace };
}

function labels(plan: DeploymentPlan, environment?: string) {
  return {
    'app.kubernetes.io/managed-by': 'cloud-native-orchestrator',
    'app.kubernetes.io/part-of': plan.name,
    ...(environment
      ? { 'cloud-native.backstage.io/environment': environment }
      : {}),
  };
}

const helm = (plan: DeploymentPlan) => plan.packaging === 'helm';
const chartPath = (plan: DeploymentPlan) => `helm/${plan.name}`;

/** The path synced for the workloads of one deployment. */
function workloadPath(plan: DeploymentPlan, deployment: Deployment): string {
  if (helm(plan)) return chartPath(plan);
  return deployment.cloud?.overlay ?? `kubernetes/${deployment.environment}`;
}

/** Cluster-scoped kinds the package may write. */
const CLUSTER_RESOURCES = [
  { group: '', kind: 'Namespace' },
  { group: 'scheduling.k8s.io', kind: 'PriorityClass' },
  { group: 'storage.k8s.io', kind: 'StorageClass' },
  { group: 'external-secrets.io', kind: 'ClusterSecretStore' },
  { group: 'karpenter.sh', kind: 'NodePool' },
  { group: 'karpenter.k8s.aws', kind: 'EC2NodeClass' },
];

/**
 * The AppProject: of one environment's cluster (its own Argo CD), or with
 * `environment` undefined, of every cluster of a multi-cloud hub.
 */
function appProject(
  plan: DeploymentPlan,
  environment: string | undefined,
  destinations: ArgoDestination[],
): ArgoAppProject {
  return {
    apiVersion: ARGO_API_VERSION,
    kind: 'AppProject',
    metadata: {
      name: plan.name,
      namespace: ARGOCD_NAMESPACE,
      labels: labels(plan, environment),
    },
    spec: {
      description: `${plan.name}: this repository, namespace ${
        plan.namespace
      } only${
        destinations.length > 1
          ? `, on ${destinations.length} registered clusters`
          : ''
      }`,
      sourceRepos: [repositoryUrl(plan)],
      destinations,
      clusterResourceWhitelist: CLUSTER_RESOURCES,
    },
  };
}

function application(
  plan: DeploymentPlan,
  deployment: Deployment,
  name: string,
  path: string,
  withHelm: boolean,
): ArgoApplication {
  const { environment } = deployment;
  return {
    apiVersion: ARGO_API_VERSION,
    kind: 'Application',
    metadata: {
      name,
      namespace: ARGOCD_NAMESPACE,
      labels: labels(plan, environment),
      // Deleting the Application deletes what it deployed.
      finalizers: ['resources-finalizer.argocd.argoproj.io'],
    },
    spec: {
      project: plan.name,
      source: {
        repoURL: repositoryUrl(plan),
        targetRevision: TARGET_REVISION,
        path,
        ...(withHelm
          ? {
              helm: {
                releaseName: helmReleaseName(plan),
                valueFiles: [`values-${environment}.yaml`],
              },
            }
          : {}),
      },
      destination: destination(plan, deployment),
      syncPolicy: {
        automated: { prune: true, selfHeal: plan.tier !== 'T1' },
        syncOptions: ['CreateNamespace=true', 'ServerSideApply=true'],
        retry: {
          limit: 5,
          backoff: { duration: '5s', factor: 2, maxDuration: '3m' },
        },
      },
      revisionHistoryLimit: 10,
    },
  };
}

function argoObjects(
  plan: DeploymentPlan,
  deployment: Deployment,
): KubernetesObject[] {
  const objects: Array<ArgoAppProject | ArgoApplication> = [];
  // Multi-cloud: the hub's AppProject is in project.yaml
  if (!deployment.cluster) {
    objects.push(
      appProject(plan, deployment.environment, [destination(plan, deployment)]),
    );
  }
  objects.push(
    application(
      plan,
      deployment,
      objectName(plan, deployment),
      workloadPath(plan, deployment),
      helm(plan),
    ),
  );
  if (helm(plan) && deployment.cloud?.resources) {
    objects.push(
      application(
        plan,
        deployment,
        objectName(plan, deployment, '-cloud'),
        deployment.cloud.resources,
        false,
      ),
    );
  }
  return objects as unknown as KubernetesObject[];
}

function gitRepository(
  plan: DeploymentPlan,
  environment: string | undefined,
): FluxGitRepository {
  return {
    apiVersion: FLUX_SOURCE_API_VERSION,
    kind: 'GitRepository',
    metadata: {
      name: plan.name,
      namespace: FLUX_NAMESPACE,
      labels: labels(plan, environment),
    },
    spec: {
      url: repositoryUrl(plan),
      interval: '1m',
      timeout: '60s',
      ref: { branch: TARGET_REVISION },
    },
  };
}

const sourceRef = (plan: DeploymentPlan) => ({
  kind: 'GitRepository' as const,
  name: plan.name,
  namespace: FLUX_NAMESPACE,
});

function fluxKustomization(
  plan: DeploymentPlan,
  environment: string,
  name: string,
  path: string,
): FluxKustomization {
  return {
    apiVersion: FLUX_KUSTOMIZE_API_VERSION,
    kind: 'Kustomization',
    metadata: {
      name,
      namespace: FLUX_NAMESPACE,
      labels: labels(plan, environment),
    },
    spec: {
      interval: '10m',
      retryInterval: '2m',
      timeout: '5m',
      path: `./${path}`,
      prune: true,
      // Ready only when every applied object is healthy.
      wait: true,
      sourceRef: sourceRef(plan),
    },
  };
}

function helmRelease(
  plan: DeploymentPlan,
  environment: string,
  name: string,
): FluxHelmRelease {
  const chart = chartPath(plan);
  return {
    apiVersion: FLUX_HELM_API_VERSION,
    kind: 'HelmRelease',
    metadata: {
      name,
      namespace: FLUX_NAMESPACE,
      labels: labels(plan, environment),
    },
    spec: {
      interval: '10m',
      timeout: '10m',
      releaseName: helmReleaseName(plan),
      targetNamespace: plan.namespace,
      storageNamespace: plan.namespace,
      chart: {
        spec: {
          chart: `./${chart}`,
          // A chart from Git: every commit is a new revision.
          reconcileStrategy: 'Revision',
          sourceRef: sourceRef(plan),
          // valuesFiles replace the chart's values.yaml: list it first.
          valuesFiles: [
            `./${chart}/values.yaml`,
            `./${chart}/values-${environment}.yaml`,
          ],
        },
      },
      install: { createNamespace: true, remediation: { retries: 3 } },
      upgrade: {
        cleanupOnFail: true,
        remediation: { retries: 3, strategy: 'rollback' },
      },
      // Like Argo CD's selfHeal: correct drift from T2, only report it at T1.
      driftDetection: { mode: plan.tier === 'T1' ? 'warn' : 'enabled' },
    },
  };
}

function fluxObjects(
  plan: DeploymentPlan,
  deployment: Deployment,
): KubernetesObject[] {
  const { environment } = deployment;
  const name = objectName(plan, deployment);
  const objects: Array<
    FluxGitRepository | FluxKustomization | FluxHelmRelease
  > = [];
  // Multi-cloud: the GitRepository is in source.yaml
  if (!deployment.cluster) objects.push(gitRepository(plan, environment));
  if (helm(plan)) {
    objects.push(helmRelease(plan, environment, name));
    if (deployment.cloud?.resources) {
      objects.push(
        fluxKustomization(
          plan,
          environment,
          objectName(plan, deployment, '-cloud'),
          deployment.cloud.resources,
        ),
      );
    }
  } else {
    objects.push(
      fluxKustomization(
        plan,
        environment,
        name,
        workloadPath(plan, deployment),
      ),
    );
  }
  return objects as unknown as KubernetesObject[];
}

/** The file holding the objects every cluster shares (multi-cloud). */
function sharedFile(tool: 'argocd' | 'flux'): string {
  return tool === 'argocd'
    ? 'gitops/argocd/project.yaml'
    : 'gitops/flux/source.yaml';
}

function readme(
  plan: DeploymentPlan,
  tool: 'argocd' | 'flux',
  list: Deployment[],
): GeneratedFile {
  const argo = tool === 'argocd';
  const hub = multiCluster(list);
  const syncs = (d: Deployment) =>
    `\`${workloadPath(plan, d)}\`${
      helm(plan) ? ` (values-${d.environment}.yaml)` : ''
    }${helm(plan) && d.cloud?.resources ? ` + \`${d.cloud.resources}\`` : ''}`;
  const lines = [
    `# GitOps (${argo ? 'Argo CD' : 'Flux'}) for ${plan.name}`,
    '',
    `Repository: \`${repositoryUrl(
      plan,
    )}\` (branch \`${TARGET_REVISION}\`) is a **placeholder**: replace it with the repository this package is committed to${
      argo
        ? ' (in the AppProject `sourceRepos` too) and register it in Argo CD (`argocd repo add`)'
        : ' and give the GitRepository a `secretRef` if it is private'
    }.`,
    '',
  ];
  if (hub && argo) {
    lines.push(
      `Several clusters per environment: one Argo CD (the hub, in a management cluster or one of these clusters) manages them all. Register every cluster in it once, under the name its Applications deploy to, then apply \`${sharedFile(
        tool,
      )}\` (the AppProject \`${
        plan.name
      }\`, listing every cluster as a destination) and the file of each cluster, all in the hub:`,
      '',
      '| File | Environment | Cluster | Argo CD cluster name | Syncs |',
      '| --- | --- | --- | --- | --- |',
      ...list.map(
        d =>
          `| \`gitops/argocd/${d.file}.yaml\` | ${d.environment} | ${
            d.cloud?.provider ?? 'any'
          } | \`${d.cluster}\` | ${syncs(d)} |`,
      ),
      '',
      '```sh',
      ...list.map(
        d =>
          `argocd cluster add <kube-context of ${d.environment} on ${
            d.cloud?.provider ?? 'any'
          }> --name ${d.cluster}`,
      ),
      `kubectl apply -n ${ARGOCD_NAMESPACE} -f ${sharedFile(tool)}`,
      ...list.map(
        d =>
          `kubectl apply -n ${ARGOCD_NAMESPACE} -f gitops/argocd/${d.file}.yaml`,
      ),
      '```',
      '',
    );
  } else if (hub) {
    lines.push(
      `Several clusters per environment: Flux runs in every cluster. Apply \`${sharedFile(
        tool,
      )}\` (the GitRepository \`${
        plan.name
      }\`) and the file of the cluster, in each cluster:`,
      '',
      '| File | Environment | Cluster | Syncs |',
      '| --- | --- | --- | --- |',
      ...list.map(
        d =>
          `| \`gitops/flux/${d.file}.yaml\` | ${d.environment} | ${
            d.cloud?.provider ?? 'any'
          } | ${syncs(d)} |`,
      ),
      '',
      '```sh',
      ...list.flatMap(d => [
        `# cluster of ${d.environment} on ${d.cloud?.provider ?? 'any'}`,
        `kubectl apply -f ${sharedFile(tool)}`,
        `kubectl apply -f gitops/flux/${d.file}.yaml`,
      ]),
      '```',
      '',
    );
  } else {
    lines.push(
      'Each file is applied once, in the cluster of its environment (one cluster per environment):',
      '',
      '| File | Environment | Cluster | Syncs |',
      '| --- | --- | --- | --- |',
      ...list.map(
        d =>
          `| \`gitops/${tool}/${d.file}.yaml\` | ${d.environment} | ${
            d.cloud?.provider ?? 'any'
          } | ${syncs(d)} |`,
      ),
      '',
      '```sh',
      ...list.map(d =>
        argo
          ? `kubectl apply -n ${ARGOCD_NAMESPACE} -f gitops/argocd/${d.file}.yaml`
          : `kubectl apply -f gitops/flux/${d.file}.yaml`,
      ),
      '```',
      '',
    );
  }
  lines.push(
    argo
      ? `Sync policy: automated with prune; self-heal ${
          plan.tier === 'T1' ? 'off (T1)' : 'on'
        }; \`CreateNamespace=true\`, \`ServerSideApply=true\`; 5 retries with exponential backoff (5s × 2, at most 3m).`
      : `Kustomizations prune, wait for health (timeout 5m) and reconcile every 10m; HelmReleases roll back failed upgrades and ${
          plan.tier === 'T1' ? 'report' : 'correct'
        } drift.`,
    '',
  );
  if (helm(plan) && list.some(d => d.cloud)) {
    lines.push(
      'With the Helm chart, the overlay patches (cloud identity annotations on ServiceAccounts, storage classes, secret names) are not applied: set them through the chart values, or sync the overlay instead of the chart.',
      '',
    );
  }
  return { path: `gitops/${tool}/README.md`, content: lines.join('\n') };
}

/**
 * The GitOps definitions of the plan (empty for `gitops: none`).
 *
 * @public
 */
export function generateGitOps(plan: DeploymentPlan): {
  files: GeneratedFile[];
  manifests: ManifestFile[];
} {
  if (plan.gitops === 'none') return { files: [], manifests: [] };
  const files: GeneratedFile[] = gitOpsObjects(plan).map(file => ({
    path: file.path,
    content: toYamlDocuments(file.objects),
  }));
  files.push(readme(plan, plan.gitops, deployments(plan)));
  return { files, manifests: [] };
}

/**
 * The objects of `generateGitOps`, by file, for validation and tests.
 *
 * @public
 */
export function gitOpsObjects(
  plan: DeploymentPlan,
): Array<{ path: string; objects: KubernetesObject[] }> {
  if (plan.gitops === 'none') return [];
  const tool = plan.gitops;
  const list = deployments(plan);
  const files = list.map(deployment => ({
    path: `gitops/${tool}/${deployment.file}.yaml`,
    objects:
      tool === 'argocd'
        ? argoObjects(plan, deployment)
        : fluxObjects(plan, deployment),
  }));
  if (multiCluster(list)) {
    const shared =
      tool === 'argocd'
        ? appProject(
            plan,
            undefined,
            list.map(d => destination(plan, d)),
          )
        : gitRepository(plan, undefined);
    files.unshift({
      path: sharedFile(tool),
      objects: [shared as unknown as KubernetesObject],
    });
  }
  return files;
}

export {
  gitOpsModels,
  gitOpsObjectValidators,
  validateGitOpsObject,
} from './models';
