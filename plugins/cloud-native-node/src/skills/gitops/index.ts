import { DeploymentPlan } from '@internal/backstage-plugin-cloud-native-common';
import { toYamlDocuments } from '../../core/serialize';
import {
  GeneratedFile,
  KubernetesObject,
  ManifestFile,
  Skill,
} from '../../core/types';
import { ARGOCD_NAMESPACE, FLUX_NAMESPACE } from '../../plan/gitops';
import { CloudTarget } from '../../plan/install';
import { shorten } from '../../plan/names';
import { helmReleaseName } from '../../plan/names';
import { ClusterInstall, clusterInstalls } from '../../plan/install';
import { namespaceObject } from '../../plan/namespace';
import {
  ARGO_API_VERSION,
  ArgoApplication,
  ArgoApplicationSource,
  ArgoAppProject,
  ArgoDestination,
  FLUX_HELM_API_VERSION,
  FLUX_KUSTOMIZE_API_VERSION,
  FLUX_SOURCE_API_VERSION,
  FluxGitRepository,
  FluxHelmRelease,
  FluxKustomization,
  gitOpsValidators,
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
 * the manifests plus identities, storage and monitoring).
 *
 * In the order of `clusterInstalls` (../install): the namespace, the
 * prerequisites, then the release. The manifests and the overlays hold the
 * Namespace and the provider objects themselves (kustomize and both tools
 * apply Namespaces first). A Helm chart holds neither, so:
 *
 * - Argo CD: one Application per cluster creates the namespace with the
 *   labels of `namespace/<env>` (`CreateNamespace=true` with
 *   `managedNamespaceMetadata`; Argo CD never deletes a namespace it
 *   created, so deleting the Application keeps the volumes and secrets) and
 *   syncs the provider objects `cloud/<provider>/<env>` as a first source in
 *   sync wave -1: the chart (wave 0) starts once they are healthy.
 * - Flux: a chain of Kustomizations, each `dependsOn` the one before: the
 *   namespace (`namespace/<env>`, never pruned), the provider objects, then
 *   the HelmRelease, which lives in `gitops/flux/releases/<file>/` because
 *   a HelmRelease can only depend on other HelmReleases.
 *
 * Every object is returned in `files` (YAML), none in `manifests`: the
 * shared schema validator has no Argo CD or Flux model and would report
 * them as unknown kinds; `validateGitOpsObject` (./models.ts) checks them.
 *
 * The repository URL is a placeholder: `https://github.com/example/<plan>.git`
 * (see gitops/README.md).
 */

export { ARGOCD_NAMESPACE, FLUX_NAMESPACE };
/** @public */
export const IN_CLUSTER = 'https://kubernetes.default.svc';
export const TARGET_REVISION = 'main';

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
  /** What the cluster gets, in order (../install) */
  install: ClusterInstall;
  /** File name without extension */
  file: string;
  /** Name suffix for objects (`<plan>-<env>[-<provider>]`) */
  id: string;
  /** Multi-cloud: the name the cluster is registered under in Argo CD */
  cluster?: string;
}

function deployments(
  plan: DeploymentPlan,
  paths: Iterable<string>,
): Deployment[] {
  const written = [...paths];
  return plan.environments.flatMap(environment => {
    const installs = clusterInstalls(plan, environment, written);
    const several = installs.length > 1;
    return installs.map(install => {
      const provider = install.cloud?.provider;
      const id =
        several && provider ? `${environment}-${provider}` : environment;
      return {
        environment,
        ...(install.cloud ? { cloud: install.cloud } : {}),
        install,
        file: id,
        id,
        ...(several
          ? { cluster: shorten(`${plan.name}-${id}`, NAME_MAX) }
          : {}),
      };
    });
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

/** The sync wave of the prerequisites: before the chart's (0). */
export const PREREQUISITES_SYNC_WAVE = '-1';

function source(
  plan: DeploymentPlan,
  path: string,
  extra: Partial<ArgoApplicationSource> = {},
): ArgoApplicationSource {
  return {
    repoURL: repositoryUrl(plan),
    targetRevision: TARGET_REVISION,
    path,
    ...extra,
  };
}

/**
 * What one Application syncs: the manifests (or overlay), which hold the
 * Namespace and the provider objects; or the chart, after the provider
 * objects in an earlier sync wave.
 */
function sources(
  plan: DeploymentPlan,
  deployment: Deployment,
): ArgoApplicationSource[] {
  if (!helm(plan)) return [source(plan, workloadPath(plan, deployment))];
  return [
    ...deployment.install.prerequisites.map(path =>
      source(plan, path, {
        kustomize: {
          commonAnnotations: {
            'argocd.argoproj.io/sync-wave': PREREQUISITES_SYNC_WAVE,
          },
        },
      }),
    ),
    source(plan, chartPath(plan), {
      helm: {
        releaseName: helmReleaseName(plan),
        valueFiles: [`values-${deployment.environment}.yaml`],
      },
    }),
  ];
}

/** The labels and annotations of the Namespace (namespace/<env>). */
function namespaceMetadata(plan: DeploymentPlan, environment: string) {
  const { metadata } = namespaceObject(plan, environment);
  return {
    labels: metadata.labels ?? {},
    ...(metadata.annotations ? { annotations: metadata.annotations } : {}),
  };
}

function application(
  plan: DeploymentPlan,
  deployment: Deployment,
): ArgoApplication {
  const { environment } = deployment;
  const synced = sources(plan, deployment);
  return {
    apiVersion: ARGO_API_VERSION,
    kind: 'Application',
    metadata: {
      name: objectName(plan, deployment),
      namespace: ARGOCD_NAMESPACE,
      labels: labels(plan, environment),
      // Deleting the Application deletes what it deployed.
      finalizers: ['resources-finalizer.argocd.argoproj.io'],
    },
    spec: {
      project: plan.name,
      ...(synced.length === 1 ? { source: synced[0] } : { sources: synced }),
      destination: destination(plan, deployment),
      syncPolicy: {
        automated: { prune: true, selfHeal: plan.tier !== 'T1' },
        syncOptions: ['CreateNamespace=true', 'ServerSideApply=true'],
        // A chart does not hold its namespace: Argo CD creates it, with the
        // labels of namespace/<env> (manifests hold their Namespace)
        ...(helm(plan)
          ? { managedNamespaceMetadata: namespaceMetadata(plan, environment) }
          : {}),
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
  objects.push(application(plan, deployment));
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

interface KustomizationOptions {
  /** The Kustomization that must be ready first */
  dependsOn?: string;
  /** Default true; false keeps the objects when the Kustomization goes */
  prune?: boolean;
  /** Of the apply and the health checks; default 5m */
  timeout?: string;
}

function fluxKustomization(
  plan: DeploymentPlan,
  environment: string,
  name: string,
  path: string,
  options: KustomizationOptions = {},
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
      ...(options.dependsOn
        ? { dependsOn: [{ name: options.dependsOn }] }
        : {}),
      interval: '10m',
      retryInterval: '2m',
      timeout: options.timeout ?? '5m',
      path: `./${path}`,
      prune: options.prune ?? true,
      // Ready only when every applied object is healthy.
      wait: true,
      sourceRef: sourceRef(plan),
    },
  };
}

/** How long one Helm install or upgrade may take (Flux `spec.timeout`). */
const HELM_TIMEOUT = '10m';

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
      timeout: HELM_TIMEOUT,
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
      // No createNamespace: the namespace Kustomization made it, labelled.
      install: { remediation: { retries: 3 } },
      upgrade: {
        cleanupOnFail: true,
        remediation: { retries: 3, strategy: 'rollback' },
      },
      // Like Argo CD's selfHeal: correct drift from T2, only report it at T1.
      driftDetection: { mode: plan.tier === 'T1' ? 'warn' : 'enabled' },
    },
  };
}

/** Where Flux reads the HelmRelease of one deployment from. */
function releaseDirectory(deployment: Deployment): string {
  return `gitops/flux/releases/${deployment.file}`;
}

/**
 * The Kustomizations of one cluster (and the GitRepository unless shared).
 * With a chart, a chain in the install order, each depending on the one
 * before: the namespace, the prerequisites, the HelmRelease.
 */
function fluxObjects(
  plan: DeploymentPlan,
  deployment: Deployment,
): KubernetesObject[] {
  const { environment, install } = deployment;
  const objects: Array<FluxGitRepository | FluxKustomization> = [];
  // Multi-cloud: the GitRepository is in source.yaml
  if (!deployment.cluster) objects.push(gitRepository(plan, environment));
  if (!helm(plan)) {
    objects.push(
      fluxKustomization(
        plan,
        environment,
        objectName(plan, deployment),
        workloadPath(plan, deployment),
      ),
    );
    return objects as unknown as KubernetesObject[];
  }
  const namespace = fluxKustomization(
    plan,
    environment,
    objectName(plan, deployment, '-namespace'),
    install.namespace,
    // never delete the namespace (and its volumes and secrets) with it
    { prune: false },
  );
  const chain: FluxKustomization[] = [namespace];
  for (const path of install.prerequisites) {
    chain.push(
      fluxKustomization(
        plan,
        environment,
        objectName(plan, deployment, '-cloud'),
        path,
        { dependsOn: chain[chain.length - 1].metadata.name },
      ),
    );
  }
  chain.push(
    fluxKustomization(
      plan,
      environment,
      objectName(plan, deployment, '-release'),
      releaseDirectory(deployment),
      {
        dependsOn: chain[chain.length - 1].metadata.name,
        timeout: HELM_TIMEOUT,
      },
    ),
  );
  objects.push(...chain);
  return objects as unknown as KubernetesObject[];
}

/** The file holding the objects every cluster shares (multi-cloud). */
function sharedFile(tool: 'argocd' | 'flux'): string {
  return tool === 'argocd'
    ? 'gitops/argocd/project.yaml'
    : 'gitops/flux/source.yaml';
}

/** How a chart's cluster is installed, in the order of docs/DEPLOYMENT.md. */
function installOrder(plan: DeploymentPlan, tool: 'argocd' | 'flux'): string {
  if (tool === 'argocd') {
    return `Install order, as in \`docs/DEPLOYMENT.md\`: Argo CD creates the namespace \`${plan.namespace}\` with the labels and annotations of \`namespace/<env>\` (\`CreateNamespace=true\` with \`managedNamespaceMetadata\`; the chart does not render it, and Argo CD never deletes a namespace it created), syncs the provider objects of \`cloud/<provider>/<env>\` in sync wave ${PREREQUISITES_SYNC_WAVE} and the chart once they are healthy. One Application has both as sources (Argo CD 2.6+).`;
  }
  return `Install order, as in \`docs/DEPLOYMENT.md\`: the Kustomizations of a file form a chain, each waiting (\`dependsOn\`) until the one before is ready: \`${plan.name}-<env>-namespace\` (\`namespace/<env>\`, never pruned: deleting it keeps the namespace with its volumes and secrets), \`${plan.name}-<env>-cloud\` (\`cloud/<provider>/<env>\`, on managed clusters), then \`${plan.name}-<env>-release\`, which applies the HelmRelease of \`gitops/flux/releases/<env>/\` (a HelmRelease can only depend on other HelmReleases, so a Kustomization carries it).`;
}

function readme(
  plan: DeploymentPlan,
  tool: 'argocd' | 'flux',
  list: Deployment[],
): GeneratedFile {
  const argo = tool === 'argocd';
  const hub = multiCluster(list);
  // What a cluster gets, in the install order
  const syncs = (d: Deployment) => {
    if (!helm(plan)) return `\`${workloadPath(plan, d)}\``;
    const chart = `\`${chartPath(plan)}\` (values-${d.environment}.yaml)`;
    const prerequisites = d.install.prerequisites.map(p =>
      argo ? `\`${p}\` (wave ${PREREQUISITES_SYNC_WAVE})` : `\`${p}\``,
    );
    return [
      ...(argo ? [] : [`\`${d.install.namespace}\``]),
      ...prerequisites,
      chart,
    ].join(' → ');
  };
  const provider = (d: Deployment) => d.cloud?.provider ?? 'any';
  // The files to apply, a row per cluster; in an Argo CD hub, with the name
  // the cluster is registered under
  const fileTable = (withClusterNames: boolean) => {
    const clusterName = (cell: string) =>
      withClusterNames ? ` ${cell} |` : '';
    return [
      `| File | Environment | Cluster |${clusterName(
        'Argo CD cluster name',
      )} Syncs |`,
      `| --- | --- | --- |${clusterName('---')} --- |`,
      ...list.map(
        d =>
          `| \`gitops/${tool}/${d.file}.yaml\` | ${d.environment} | ${provider(
            d,
          )} |${clusterName(`\`${d.cluster}\``)} ${syncs(d)} |`,
      ),
    ];
  };
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
      ...fileTable(true),
      '',
      '```sh',
      ...list.map(
        d =>
          `argocd cluster add <kube-context of ${d.environment} on ${provider(
            d,
          )}> --name ${d.cluster}`,
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
      ...fileTable(false),
      '',
      '```sh',
      ...list.flatMap(d => [
        `# cluster of ${d.environment} on ${provider(d)}`,
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
      ...fileTable(false),
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
  if (helm(plan)) lines.push(installOrder(plan, tool), '');
  lines.push(
    argo
      ? `Sync policy: automated with prune; self-heal ${
          plan.tier === 'T1' ? 'off (T1)' : 'on'
        }; \`CreateNamespace=true\`, \`ServerSideApply=true\`; 5 retries with exponential backoff (5s × 2, at most 3m).`
      : `Kustomizations prune${
          helm(plan) ? ' (not the namespace)' : ''
        }, wait for health (timeout 5m${
          helm(plan) ? `, ${HELM_TIMEOUT} for the release` : ''
        }) and reconcile every 10m${
          helm(plan)
            ? `; HelmReleases roll back failed upgrades and ${
                plan.tier === 'T1' ? 'report' : 'correct'
              } drift`
            : ''
        }.`,
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
 * The GitOps definitions of the plan (empty for `gitops: none`). `paths`
 * are the package's files the skills wrote: the install order reads which
 * cloud prerequisites exist from them (plan/install.ts).
 */
export function generateGitOps(
  plan: DeploymentPlan,
  paths: Iterable<string>,
): {
  files: GeneratedFile[];
  manifests: ManifestFile[];
} {
  if (plan.gitops === 'none') return { files: [], manifests: [] };
  const written = [...paths];
  const files: GeneratedFile[] = gitOpsObjects(plan, written).map(file => ({
    path: file.path,
    content: toYamlDocuments(file.objects),
  }));
  files.push(readme(plan, plan.gitops, deployments(plan, written)));
  return { files, manifests: [] };
}

/**
 * The objects of `generateGitOps`, by file, for validation and tests.
 */
export function gitOpsObjects(
  plan: DeploymentPlan,
  paths: Iterable<string>,
): Array<{ path: string; objects: KubernetesObject[] }> {
  if (plan.gitops === 'none') return [];
  const tool = plan.gitops;
  const list = deployments(plan, paths);
  const files = list.flatMap(deployment => [
    {
      path: `gitops/${tool}/${deployment.file}.yaml`,
      objects:
        tool === 'argocd'
          ? argoObjects(plan, deployment)
          : fluxObjects(plan, deployment),
    },
    ...(tool === 'flux' && helm(plan)
      ? [
          {
            path: `${releaseDirectory(deployment)}/helmrelease.yaml`,
            objects: [
              helmRelease(
                plan,
                deployment.environment,
                objectName(plan, deployment),
              ) as unknown as KubernetesObject,
            ],
          },
        ]
      : []),
  ]);
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

/**
 * The gitops-generator skill: the Argo CD or Flux definitions that sync the
 * package. It runs last (SKILL_ORDER): it packages what the skills before it
 * wrote (the manifests, the Helm chart, the provider overlays and objects),
 * so its trace entry comes after theirs.
 *
 * @public
 */
export const gitOpsGenerator: Skill = {
  id: 'gitops-generator',
  run({ plan, outputs }) {
    // the paths the skills it syncs wrote (its dependsOn): the install order
    // reads from them which cloud prerequisites exist
    const paths = Object.values(outputs).flatMap(output => [
      ...output.files.map(file => file.path),
      ...output.manifests.map(manifest => manifest.path),
    ]);
    const { files, manifests } = generateGitOps(plan, paths);
    return { files, manifests, notes: notes(plan, paths) };
  },
  validators: gitOpsValidators,
};

/** What the trace says about the definitions. */
function notes(plan: DeploymentPlan, paths: Iterable<string>): string[] {
  if (plan.gitops === 'none') return ['gitops: none, nothing to generate'];
  const tool = plan.gitops;
  const list = deployments(plan, paths);
  const synced = helm(plan)
    ? `the Helm chart helm/${plan.name}`
    : 'the manifests';
  return [
    `gitops/${tool}: ${list.length} cluster(s) (${list
      .map(d => d.file)
      .join(', ')}), syncing ${synced} from ${repositoryUrl(
      plan,
    )} at ${TARGET_REVISION}`,
    `The repository URL is a placeholder: see gitops/${tool}/README.md`,
  ];
}

export { gitOpsModels, gitOpsValidators, validateGitOpsObject } from './models';
