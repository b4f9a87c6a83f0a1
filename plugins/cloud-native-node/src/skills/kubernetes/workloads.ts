import type { IDeployment } from 'kubernetes-models/apps/v1/Deployment';
import type { IDeploymentStrategy } from 'kubernetes-models/apps/v1/DeploymentStrategy';
import type { IStatefulSet } from 'kubernetes-models/apps/v1/StatefulSet';
import type { IDaemonSet } from 'kubernetes-models/apps/v1/DaemonSet';
import type { IJob } from 'kubernetes-models/batch/v1/Job';
import type { IJobSpec } from 'kubernetes-models/batch/v1/JobSpec';
import type { ICronJob } from 'kubernetes-models/batch/v1/CronJob';
import type { IRollout } from '@kubernetes-models/argo-rollouts/argoproj.io/v1alpha1/Rollout';
import type { IAnalysisTemplate } from '@kubernetes-models/argo-rollouts/argoproj.io/v1alpha1/AnalysisTemplate';
import type { IComGithubArgoprojArgoRolloutsPkgApisRolloutsV1alpha1RolloutStrategy as IRolloutStrategy } from '@kubernetes-models/argo-rollouts/argoproj.io/v1alpha1/RolloutStrategy';
import type { IComGithubArgoprojArgoRolloutsPkgApisRolloutsV1alpha1RolloutTrafficRouting as ITrafficRouting } from '@kubernetes-models/argo-rollouts/argoproj.io/v1alpha1/RolloutTrafficRouting';
import {
  ServicePlan,
  WorkloadObjectKind,
} from '@internal/backstage-plugin-cloud-native-common';
import { KubernetesObject } from '../../core/types';
import { asObject } from '../../core/serialize';
import { GenerationContext, serviceProfile } from './context';
import {
  hasCanaryServices,
  rolloutMode,
  trafficRouterFor,
} from '../../plan/rollout';
import { jobShape, servicePort } from '../../plan/workload';
import { selectorLabels, serviceLabels } from '../../plan/labels';
import { DATA_VOLUME, podTemplate } from './pod';
import {
  AB_HEADER,
  AB_ROUTE,
  ISTIO_PRIMARY_ROUTE,
  PROMETHEUS_ADDRESS,
  ROLLBACK_WINDOW_REVISIONS,
  analysisTemplateName,
  canarySteps,
  hasAnalysis,
} from '../../plan/rollout';
import { workloadName } from '../../plan/names';

/**
 * The workload object of each service, by `servicePlan.objectKind`, and the
 * Argo Rollouts AnalysisTemplate of progressive strategies.
 */

export const REVISION_HISTORY_LIMIT = 5;
export const JOB_BACKOFF_LIMIT = 4;
export const JOB_BACKOFF_LIMIT_PER_INDEX = 2;
export const JOB_TTL_SECONDS = 86400;

function metadata(context: GenerationContext, servicePlan: ServicePlan) {
  return {
    name: servicePlan.name,
    namespace: context.namespace,
    labels: serviceLabels(context.plan, servicePlan, context.environment),
  };
}

/**
 * `replicas` is left out when an HPA owns the count: every `kubectl apply`
 * or GitOps sync of a fixed value would reset a scaled-out workload back to
 * that value (the Kubernetes documentation and kube-score's
 * "deployment-targeted-by-hpa-does-not-have-replicas-configured" say the
 * same). Before the HPA's first sync the controller starts one replica and
 * the HPA raises it to minReplicas within seconds. Without an HPA,
 * `replicas` is the profile's minimum.
 */
function replicasField(
  context: GenerationContext,
  servicePlan: ServicePlan,
): { replicas?: number } {
  const profile = serviceProfile(context, servicePlan);
  return profile.autoscaling ? {} : { replicas: profile.replicas.min };
}

/**
 * The spec of a Deployment or a Rollout: the same replicas, history,
 * selector and pod template around the kind's own update `strategy`;
 * `more` holds the kind's other fields, written before the selector.
 */
function replicatedSpec<Strategy, More extends object>(
  context: GenerationContext,
  servicePlan: ServicePlan,
  strategy: Strategy,
  more: More,
) {
  return {
    ...replicasField(context, servicePlan),
    revisionHistoryLimit: REVISION_HISTORY_LIMIT,
    ...more,
    selector: { matchLabels: selectorLabels(context.plan, servicePlan.name) },
    strategy,
    template: podTemplate(context, servicePlan),
  };
}

export function deployment(
  context: GenerationContext,
  servicePlan: ServicePlan,
): KubernetesObject {
  const { strategy } = servicePlan;
  if (['canary', 'blue-green', 'ab-testing'].includes(strategy)) {
    context.notes.add(
      `${servicePlan.name}: a ${servicePlan.service.workload} runs as a Deployment, so its '${strategy}' strategy is a rolling update`,
    );
  }
  const updateStrategy: IDeploymentStrategy =
    strategy === 'recreate'
      ? { type: 'Recreate' }
      : {
          type: 'RollingUpdate',
          rollingUpdate: {
            maxSurge: '25%',
            maxUnavailable: context.plan.tierFeatures.maxUnavailable,
          },
        };
  const object: IDeployment & { metadata: { name: string } } = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: metadata(context, servicePlan),
    spec: replicatedSpec(context, servicePlan, updateStrategy, {}),
  };
  return asObject(object);
}

function canaryTrafficRouting(
  context: GenerationContext,
  servicePlan: ServicePlan,
): ITrafficRouting | undefined {
  const router = trafficRouterFor(context.plan, servicePlan);
  switch (router) {
    case 'istio':
      return {
        istio: {
          virtualService: {
            name: servicePlan.name,
            routes: [ISTIO_PRIMARY_ROUTE],
          },
        },
      };
    case 'nginx':
      return { nginx: { stableIngress: servicePlan.name } };
    case 'alb':
      return {
        alb: {
          ingress: servicePlan.name,
          servicePort: servicePort(servicePlan)!,
        },
      };
    default:
      context.notes.add(
        `${servicePlan.name}: no traffic router for its canary (${
          router === 'linkerd'
            ? 'Linkerd traffic splitting needs the SMI extension or the Gateway API plugin of Argo Rollouts, neither assumed'
            : 'no mesh and not behind nginx/ALB'
        }): the canary weight is approximated by the replica ratio`,
      );
      return undefined;
  }
}

function rolloutStrategy(
  context: GenerationContext,
  servicePlan: ServicePlan,
): IRolloutStrategy {
  const mode = rolloutMode(context.plan, servicePlan)!;
  const name = servicePlan.name;
  const hasPort = servicePlan.service.port !== undefined;
  const analysed = hasAnalysis(context.plan, servicePlan);
  const templates = [{ templateName: analysisTemplateName(name) }];
  if (hasCanaryServices(servicePlan) && !analysed) {
    context.notes.add(
      `${name}: no success-rate analysis for its ${mode}: nothing this package writes collects its metrics (ServiceMonitors from T3 on managed clusters), and a gate on an uncollected metric would pause every release; ${
        context.plan.tier === 'T3' && mode === 'blue-green'
          ? 'a person promotes'
          : 'promotion follows readiness and the pauses'
      }`,
    );
  } else if (hasPort && !analysed) {
    context.notes.add(
      `${name}: speaks tcp, so its ${mode} has no HTTP success-rate analysis and no traffic router (PROTO-020): ${
        mode === 'blue-green'
          ? 'promotion switches the Service selector after the preview pods are ready'
          : 'the canary weight is the share of canary pods, and promotion follows the pauses'
      }`,
    );
  }
  if (servicePlan.strategy === 'ab-testing' && mode !== 'ab-testing') {
    context.notes.add(
      `${name}: A/B testing needs header routing, which only Istio provides here (mesh: ${context.plan.mesh}); deployed as blue-green instead`,
    );
  }
  if (
    (servicePlan.strategy === 'blue-green' ||
      servicePlan.strategy === 'ab-testing') &&
    mode === 'canary'
  ) {
    context.notes.add(
      `${name}: ${servicePlan.strategy} needs a Service and '${name}' has no port; deployed as a replica-weighted canary instead`,
    );
  }
  if (mode === 'blue-green') {
    return {
      blueGreen: {
        activeService: name,
        previewService: `${name}-preview`,
        // T3: a person promotes after the pre-promotion analysis.
        autoPromotionEnabled: context.plan.tier !== 'T3',
        ...(analysed
          ? {
              prePromotionAnalysis: {
                templates,
                args: [{ name: 'service-name', value: `${name}-preview` }],
              },
            }
          : {}),
        scaleDownDelaySeconds: 30,
      },
    };
  }
  if (mode === 'ab-testing') {
    return {
      canary: {
        stableService: name,
        canaryService: `${name}-canary`,
        maxSurge: '25%',
        maxUnavailable: context.plan.tierFeatures.maxUnavailable,
        trafficRouting: {
          istio: {
            virtualService: { name, routes: [ISTIO_PRIMARY_ROUTE] },
          },
          managedRoutes: [{ name: AB_ROUTE }],
        },
        ...(analysed
          ? {
              analysis: {
                templates,
                startingStep: 2,
                args: [{ name: 'service-name', value: `${name}-canary` }],
              },
            }
          : {}),
        steps: [
          // Variant B gets pods but no weighted traffic...
          { setCanaryScale: { weight: 50 } },
          // ...only requests with `x-variant: b` reach it...
          {
            setHeaderRoute: {
              name: AB_ROUTE,
              match: [
                {
                  headerName: AB_HEADER.name,
                  headerValue: { exact: AB_HEADER.value },
                },
              ],
            },
          },
          // ...until someone promotes B (or aborts) after the experiment.
          { pause: {} },
        ],
      },
    };
  }
  const trafficRouting = hasCanaryServices(servicePlan)
    ? canaryTrafficRouting(context, servicePlan)
    : undefined;
  if (!hasPort) {
    context.notes.add(
      `${name}: no port, so no canary Services, traffic routing or success-rate analysis; the canary is replica-weighted`,
    );
  }
  return {
    canary: {
      // With a traffic router, the router splits traffic between the stable
      // and canary Services. Without one, the main Service must keep
      // selecting every pod (Argo Rollouts would otherwise pin it to the
      // stable pods, so the canary would get no traffic and its analysis
      // no data): traffic follows the replica ratio, and the canary Service
      // only scopes the analysis to the canary pods.
      ...(hasCanaryServices(servicePlan) && trafficRouting
        ? { stableService: name }
        : {}),
      ...(hasCanaryServices(servicePlan)
        ? { canaryService: `${name}-canary` }
        : {}),
      maxSurge: '25%',
      maxUnavailable: context.plan.tierFeatures.maxUnavailable,
      ...(trafficRouting ? { trafficRouting } : {}),
      ...(analysed
        ? {
            analysis: {
              templates,
              startingStep: 1,
              args: [{ name: 'service-name', value: `${name}-canary` }],
            },
          }
        : {}),
      steps: canarySteps(),
    },
  };
}

export function rollout(
  context: GenerationContext,
  servicePlan: ServicePlan,
): KubernetesObject {
  const object: IRollout & { metadata: { name: string } } = {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Rollout',
    metadata: metadata(context, servicePlan),
    spec: replicatedSpec(
      context,
      servicePlan,
      rolloutStrategy(context, servicePlan),
      { rollbackWindow: { revisions: ROLLBACK_WINDOW_REVISIONS } },
    ),
  };
  return asObject(object);
}

function successRateQuery(context: GenerationContext): {
  query: string;
  source: string;
} {
  // `(x or vector(0)) / (y or vector(0))` is NaN without traffic, which
  // neither condition matches: the measurement is inconclusive and the
  // rollout pauses for a person instead of failing or passing silently.
  const ratio = (metric: string, match: string, errors: string) =>
    `(sum(rate(${metric}{${match},${errors}}[2m])) or vector(0)) / (sum(rate(${metric}{${match}}[2m])) or vector(0))`;
  if (context.plan.mesh === 'istio') {
    return {
      source: 'Istio telemetry',
      query: ratio(
        'istio_requests_total',
        'reporter="destination",destination_service_namespace="{{args.namespace}}",destination_service_name="{{args.service-name}}"',
        'response_code!~"5.."',
      ),
    };
  }
  // not the ingress controller's metrics even when it routes the canary:
  // they are collected by the cluster, if at all; the application's are
  // collected by the package's ServiceMonitor (hasAnalysis)
  return {
    source:
      'the application metric http_requests_total (labels namespace/service as added by a Prometheus Operator ServiceMonitor, status label code)',
    query: ratio(
      'http_requests_total',
      'namespace="{{args.namespace}}",service="{{args.service-name}}"',
      'code!~"5.."',
    ),
  };
}

/**
 * The HTTP success-rate analysis of a Rollout. Canary analysis runs in the
 * background for the whole rollout (no count); blue-green pre-promotion
 * analysis must end, so it takes 5 measurements.
 */
export function analysisTemplate(
  context: GenerationContext,
  servicePlan: ServicePlan,
): KubernetesObject | undefined {
  const mode = rolloutMode(context.plan, servicePlan);
  if (!mode || !hasAnalysis(context.plan, servicePlan)) return undefined;
  const { query, source } = successRateQuery(context);
  context.notes.add(
    `${servicePlan.name}: the ${mode} analysis reads ${source} from ${PROMETHEUS_ADDRESS}; without traffic it is inconclusive and the rollout pauses`,
  );
  const object: IAnalysisTemplate & { metadata: { name: string } } = {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'AnalysisTemplate',
    metadata: {
      ...metadata(context, servicePlan),
      name: analysisTemplateName(servicePlan.name),
    },
    spec: {
      args: [
        { name: 'service-name' },
        { name: 'namespace', value: context.namespace },
      ],
      metrics: [
        {
          name: 'success-rate',
          interval: '1m',
          ...(mode === 'blue-green' ? { count: 5 } : {}),
          successCondition: 'result[0] >= 0.99',
          failureCondition: 'result[0] < 0.99',
          failureLimit: 2,
          provider: {
            prometheus: { address: PROMETHEUS_ADDRESS, query },
          },
        },
      ],
    },
  };
  return asObject(object);
}

export function statefulSet(
  context: GenerationContext,
  servicePlan: ServicePlan,
): KubernetesObject {
  const { storage } = servicePlan.service;
  const object: IStatefulSet & { metadata: { name: string } } = {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: metadata(context, servicePlan),
    spec: {
      serviceName: `${servicePlan.name}-headless`,
      replicas: serviceProfile(context, servicePlan).replicas.min,
      podManagementPolicy: 'OrderedReady',
      updateStrategy: { type: 'RollingUpdate' },
      revisionHistoryLimit: REVISION_HISTORY_LIMIT,
      selector: { matchLabels: selectorLabels(context.plan, servicePlan.name) },
      template: podTemplate(context, servicePlan),
      volumeClaimTemplates: [
        {
          apiVersion: 'v1',
          kind: 'PersistentVolumeClaim',
          metadata: {
            name: DATA_VOLUME.name,
            labels: selectorLabels(context.plan, servicePlan.name),
          },
          spec: {
            accessModes: ['ReadWriteOnce'],
            ...(storage?.class ? { storageClassName: storage.class } : {}),
            resources: { requests: { storage: storage?.size ?? '10Gi' } },
          },
        },
      ],
      // Data outlives the StatefulSet and scale-downs; delete PVCs by hand.
      persistentVolumeClaimRetentionPolicy: {
        whenDeleted: 'Retain',
        whenScaled: 'Retain',
      },
    },
  };
  return asObject(object);
}

export function daemonSet(
  context: GenerationContext,
  servicePlan: ServicePlan,
): KubernetesObject {
  const object: IDaemonSet & { metadata: { name: string } } = {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: metadata(context, servicePlan),
    spec: {
      revisionHistoryLimit: REVISION_HISTORY_LIMIT,
      selector: { matchLabels: selectorLabels(context.plan, servicePlan.name) },
      updateStrategy: {
        type: 'RollingUpdate',
        rollingUpdate: { maxUnavailable: 1, maxSurge: 0 },
      },
      template: podTemplate(context, servicePlan),
    },
  };
  return asObject(object);
}

function jobSpec(
  context: GenerationContext,
  servicePlan: ServicePlan,
): IJobSpec {
  const { service } = servicePlan;
  const shape = jobShape(servicePlan);
  const indexed = shape.mode === 'indexed';
  return {
    ...(indexed ||
    (shape.mode === 'single' && service.completions !== undefined)
      ? { completions: shape.completions }
      : {}),
    ...(shape.mode !== 'single' || service.parallelism !== undefined
      ? { parallelism: shape.parallelism }
      : {}),
    // Indexed: each index retries on its own, so one bad shard does not
    // use up the retries of the others.
    ...(indexed
      ? {
          completionMode: 'Indexed',
          backoffLimitPerIndex: JOB_BACKOFF_LIMIT_PER_INDEX,
        }
      : { backoffLimit: JOB_BACKOFF_LIMIT }),
    ...(service.timeoutSeconds !== undefined
      ? { activeDeadlineSeconds: service.timeoutSeconds }
      : {}),
    ttlSecondsAfterFinished: JOB_TTL_SECONDS,
    // Evictions and preemptions (node drains, autoscaler) are not the
    // program's fault: they do not count against the backoff limit.
    podFailurePolicy: {
      rules: [
        {
          action: 'Ignore',
          onPodConditions: [{ type: 'DisruptionTarget', status: 'True' }],
        },
      ],
    },
    template: podTemplate(context, servicePlan),
  };
}

export function job(
  context: GenerationContext,
  servicePlan: ServicePlan,
): KubernetesObject {
  const object: IJob & { metadata: { name: string } } = {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: {
      ...metadata(context, servicePlan),
      name: workloadName(servicePlan),
    },
    spec: jobSpec(context, servicePlan),
  };
  return asObject(object);
}

export function cronJob(
  context: GenerationContext,
  servicePlan: ServicePlan,
): KubernetesObject {
  const { service } = servicePlan;
  if (!service.schedule) {
    throw new Error(`${servicePlan.name}: a CronJob needs a schedule`);
  }
  const spec = jobSpec(context, servicePlan);
  const object: ICronJob & { metadata: { name: string } } = {
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: metadata(context, servicePlan),
    spec: {
      schedule: service.schedule,
      ...(service.timeZone ? { timeZone: service.timeZone } : {}),
      concurrencyPolicy: 'Forbid',
      startingDeadlineSeconds: 300,
      successfulJobsHistoryLimit: 3,
      failedJobsHistoryLimit: 1,
      jobTemplate: {
        metadata: {
          labels: serviceLabels(context.plan, servicePlan, context.environment),
        },
        spec,
      },
    },
  };
  return asObject(object);
}

/** The builder of the workload object of each kind a service can run as. */
const WORKLOAD_BUILDERS: Record<
  Exclude<WorkloadObjectKind, 'Function'>,
  (context: GenerationContext, servicePlan: ServicePlan) => KubernetesObject
> = {
  Deployment: deployment,
  Rollout: rollout,
  StatefulSet: statefulSet,
  DaemonSet: daemonSet,
  Job: job,
  CronJob: cronJob,
};

/** The workload object of a Kubernetes service. */
export function workload(
  context: GenerationContext,
  servicePlan: ServicePlan,
): KubernetesObject {
  const { objectKind } = servicePlan;
  if (objectKind === 'Function') {
    throw new Error(
      `${servicePlan.name}: ${objectKind} is not a Kubernetes workload`,
    );
  }
  return WORKLOAD_BUILDERS[objectKind](context, servicePlan);
}
