import {
  DeploymentPlan,
  ServicePlan,
} from '@internal/backstage-plugin-cloud-native-common';
import { rolloutMode, RolloutMode, trafficRouterFor } from '../plan/rollout';
import { helmReleaseName } from '../plan/names';
import { ClusterInstall, clusterInstalls } from '../plan/install';
import { hasAnalysis } from '../plan/rollout';
import { selectorLabels } from '../plan/labels';
import { environmentProfile, EnvironmentProfile } from '../plan/profile';
import { serverlessPlatforms, ServerlessPlatforms } from '../plan/serverless';

/**
 * What the three documents derive from the plan and the package's file
 * list: names, exact kubectl references, which sections apply.
 */

/** The input of the guide besides the plan. */
export interface GuideContext {
  /** Paths of the package's files, relative to its root */
  files: string[];
}

/** A service that runs as an Argo Rollout, with its rendered strategy. */
export interface RolloutFacts {
  service: ServicePlan;
  mode: RolloutMode;
  /** What shifts its traffic; `none` means replica-weighted */
  router: DeploymentPlan['trafficRouter'];
  /** It has a success-rate analysis (a port, and not TCP) */
  analysed: boolean;
}

export interface Facts {
  plan: DeploymentPlan;
  title: string;
  ns: string;
  release: string;
  chart: string;
  files: Set<string>;
  kube: ServicePlan[];
  serverless: ServicePlan[];
  rollouts: RolloutFacts[];
  profiles: EnvironmentProfile[];
  /** Where serverless definitions are written, by cloud (plan/serverless.ts) */
  serverlessTargets: ServerlessPlatforms;
  /** Any service reads secrets through the External Secrets Operator */
  externalSecrets: boolean;
  /** Any Kubernetes service is public (an Ingress is rendered) */
  publicServices: ServicePlan[];
  /** Any environment has a HorizontalPodAutoscaler */
  autoscaled: ServicePlan[];
  /** Services with a PodDisruptionBudget in some environment */
  disruptionBudgets: ServicePlan[];
  /**
   * By environment, its clusters and what each gets before the release, in
   * order (skills/install): the order of every deploy step
   */
  installs: Record<string, ClusterInstall[]>;
  /**
   * The ClusterSecretStore files of this package, one per provider, with
   * `<env>` for the environment (`cloud/eks/<env>/secret-store.yaml`);
   * empty when the store is the platform's, outside the package
   */
  secretStoreFiles: string[];
}

export function collectFacts(
  plan: DeploymentPlan,
  context: GuideContext,
): Facts {
  const kube = plan.services.filter(s => s.runtime === 'kubernetes');
  const profiles = kube.length
    ? plan.environments.map(env => environmentProfile(plan, env))
    : [];
  const rollouts: RolloutFacts[] = [];
  for (const service of kube) {
    const mode = rolloutMode(plan, service);
    if (!mode) continue;
    rollouts.push({
      service,
      mode,
      router: trafficRouterFor(plan, service),
      analysed: hasAnalysis(plan, service),
    });
  }
  const inSomeProfile = (test: (p: EnvironmentProfile, s: string) => boolean) =>
    kube.filter(s => profiles.some(p => p.services[s.name] && test(p, s.name)));
  const installs = Object.fromEntries(
    plan.environments.map(env => [
      env,
      clusterInstalls(plan, env, context.files),
    ]),
  );
  const secretStoreFiles = new Set(
    Object.values(installs)
      .flat()
      .flatMap(install => {
        const store = install.cloud?.secretStore;
        return store
          ? [store.file.replace(`/${install.environment}/`, '/<env>/')]
          : [];
      }),
  );
  return {
    plan,
    title: plan.architecture.metadata.title ?? plan.name,
    ns: plan.namespace,
    release: helmReleaseName(plan),
    chart: `helm/${plan.name}`,
    files: new Set(context.files),
    kube,
    serverless: plan.services.filter(s => s.runtime === 'serverless'),
    rollouts,
    profiles,
    serverlessTargets: serverlessPlatforms(plan.cloud),
    externalSecrets: kube.some(s => s.service.secrets.length > 0),
    publicServices: kube.filter(s => s.service.expose === 'public'),
    autoscaled: inSomeProfile((p, s) => p.services[s].autoscaling),
    disruptionBudgets: inSomeProfile(
      (p, s) => p.services[s].podDisruptionBudget,
    ),
    installs,
    secretStoreFiles: [...secretStoreFiles],
  };
}

/** `app.kubernetes.io/name=api,app.kubernetes.io/part-of=shop` */
export function selector(plan: DeploymentPlan, service: string): string {
  return Object.entries(selectorLabels(plan, service))
    .map(([key, value]) => `${key}=${value}`)
    .join(',');
}

const RESOURCE: Record<ServicePlan['objectKind'], string> = {
  Deployment: 'deployment',
  Rollout: 'rollout',
  StatefulSet: 'statefulset',
  DaemonSet: 'daemonset',
  Job: 'job',
  CronJob: 'cronjob',
  Function: 'function',
};

/**
 * `deployment/api`, `statefulset/postgres`, `rollout/gateway`... A Job has
 * no fixed name (jobName: it is named after its image), so commands find
 * a service's Jobs by label: jobsOf.
 */
export function workloadRef(service: ServicePlan): string {
  return `${RESOURCE[service.objectKind]}/${service.name}`;
}

/** The Jobs of a Job service, whatever release made them: `job -l <selector>`. */
export function jobsOf(plan: DeploymentPlan, service: ServicePlan): string {
  return `job -l ${selector(plan, service.name)}`;
}

/**
 * The logs of a service's application container. `kubectl logs` resolves
 * Deployments, StatefulSets and DaemonSets to a pod; Rollouts, Jobs (named
 * per release) and the Jobs of a CronJob are found by label.
 */
export function logsCommand(
  facts: Facts,
  service: ServicePlan,
  previous = false,
): string {
  const tail = previous ? ' --previous' : '';
  switch (service.objectKind) {
    case 'Deployment':
    case 'StatefulSet':
    case 'DaemonSet':
      return `kubectl logs ${workloadRef(service)} -n ${facts.ns} -c ${
        service.name
      }${tail}`;
    default:
      return `kubectl logs -n ${facts.ns} -l ${selector(
        facts.plan,
        service.name,
      )} -c ${service.name} --tail=200${tail}`;
  }
}

/** Describes the pods of a service (events, probes, last state). */
export function describePods(facts: Facts, service: ServicePlan): string {
  return `kubectl describe pods -n ${facts.ns} -l ${selector(
    facts.plan,
    service.name,
  )}`;
}

/** The pods of a service. */
export function getPods(facts: Facts, service: ServicePlan): string {
  return `kubectl get pods -n ${facts.ns} -l ${selector(
    facts.plan,
    service.name,
  )} -o wide`;
}

/**
 * Waits for the rollout of a service, by kind (ends, so it fits scripts;
 * `watch` gives the live view of a Rollout instead).
 */
export function statusCommand(
  facts: Pick<Facts, 'plan' | 'ns'>,
  service: ServicePlan,
  watch = false,
): string {
  const { ns } = facts;
  switch (service.objectKind) {
    case 'Rollout':
      return watch
        ? `kubectl argo rollouts get rollout ${service.name} -n ${ns} --watch`
        : `kubectl argo rollouts status ${service.name} -n ${ns} --timeout 10m`;
    case 'Deployment':
    case 'StatefulSet':
    case 'DaemonSet':
      return `kubectl rollout status ${workloadRef(
        service,
      )} -n ${ns} --timeout=10m`;
    case 'Job':
      return jobWaitCommand(facts.plan, service);
    case 'CronJob':
      return `kubectl create job --from=cronjob/${service.name} ${service.name}-manual -n ${ns}`;
    default:
      return '';
  }
}

/**
 * The commands that roll one service back, by kind: the guide's Rollback
 * section and the report's `deployment_guide.rollback` both read them.
 * A Rollout is aborted first (traffic back to stable at once), then undone.
 */
export function rollbackCommands(
  plan: DeploymentPlan,
  service: ServicePlan,
): string[] {
  const ns = plan.namespace;
  switch (service.objectKind) {
    case 'Rollout':
      return [
        `kubectl argo rollouts abort ${service.name} -n ${ns}`,
        `kubectl argo rollouts undo ${service.name} -n ${ns}`,
      ];
    case 'Deployment':
    case 'StatefulSet':
    case 'DaemonSet':
      return [`kubectl rollout undo ${workloadRef(service)} -n ${ns}`];
    case 'Job':
      return [`kubectl delete ${jobsOf(plan, service)} -n ${ns}`];
    case 'CronJob':
      return [
        `kubectl patch cronjob/${service.name} -n ${ns} -p '{"spec":{"suspend":true}}'`,
      ];
    default:
      return [];
  }
}

/** Waits until every Job of a Job service has completed (its timeout, or an hour). */
export function jobWaitCommand(
  plan: DeploymentPlan,
  service: ServicePlan,
): string {
  return `kubectl wait --for=condition=complete ${jobsOf(plan, service)} -n ${
    plan.namespace
  } --timeout=${service.service.timeoutSeconds ?? 3600}s`;
}

/** Directories that hold a kustomization.yaml, under a prefix, sorted. */
export function kustomizeDirs(files: Set<string>, prefix: string): string[] {
  const dirs = new Set<string>();
  for (const file of files) {
    if (!file.startsWith(prefix)) continue;
    const slash = file.lastIndexOf('/');
    if (file.slice(slash + 1) === 'kustomization.yaml') {
      dirs.add(file.slice(0, slash));
    }
  }
  return [...dirs].sort();
}

/** Files under a prefix, sorted. */
export function filesUnder(files: Set<string>, prefix: string): string[] {
  return [...files].filter(f => f.startsWith(prefix)).sort();
}

/** The public host of a service in an environment, when it has one. */
export function hostOf(
  facts: Facts,
  environment: string,
  service: string,
): string | undefined {
  return facts.profiles.find(p => p.environment === environment)?.services[
    service
  ]?.host;
}

/** The CloudFormation stack of an environment (as serverless/README.md). */
export function stackName(plan: DeploymentPlan, environment: string): string {
  return `${plan.name}-${environment}`;
}

/** The first service that matches, for examples in tables. */
export function first(
  services: ServicePlan[],
  test: (s: ServicePlan) => boolean = () => true,
): ServicePlan | undefined {
  return services.find(test);
}

export const CLUSTER_LABEL: Record<string, string> = {
  eks: 'Amazon EKS',
  gke: 'Google GKE',
  aks: 'Azure AKS',
  generic: 'any conformant Kubernetes cluster',
};
