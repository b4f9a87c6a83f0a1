import type { IServiceAccount } from 'kubernetes-models/v1/ServiceAccount';
import type { IConfigMap } from 'kubernetes-models/v1/ConfigMap';
import type { IHorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler';
import type { IPodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import type { IPriorityClass } from 'kubernetes-models/scheduling.k8s.io/v1/PriorityClass';
import type { IExternalSecret } from '@kubernetes-models/external-secrets/external-secrets.io/v1/ExternalSecret';
import { ServicePlan } from '@internal/backstage-plugin-cloud-native-common';
import { KubernetesObject } from '../../core/types';
import { asObject } from '../../core/serialize';
import { scalingBehavior } from '../../plan/profile';
import { GenerationContext, serviceProfile } from './context';
import {
  selectorLabels,
  serviceLabels,
  sharedLabels,
  sortedRecord,
} from '../../plan/labels';
import { nodeCriticalPriorityClass } from './pod';
import { EXTERNAL_SECRET_API_VERSION } from '../../plan/platform';
import { secretStoreName } from '../../plan/names';

/**
 * Namespace, ServiceAccount, ConfigMap, ExternalSecret, HPA, PDB and the
 * PriorityClass of daemons.
 */

export const PRIORITY_CLASS_VALUE = 100000;

/** Scheduling priority of node agents: above ordinary pods, not global. */
export function priorityClass(context: GenerationContext): KubernetesObject {
  const object: IPriorityClass & { metadata: { name: string } } = {
    apiVersion: 'scheduling.k8s.io/v1',
    kind: 'PriorityClass',
    metadata: {
      name: nodeCriticalPriorityClass(context.plan.name),
      labels: sharedLabels(context.plan, 'scheduling', context.environment),
    },
    value: PRIORITY_CLASS_VALUE,
    globalDefault: false,
    preemptionPolicy: 'PreemptLowerPriority',
    description: `Node agents (DaemonSets) of ${context.plan.name}: scheduled on every node, before ordinary workloads`,
  };
  return asObject(object);
}

function metadata(
  context: GenerationContext,
  servicePlan: ServicePlan,
  name = servicePlan.name,
) {
  return {
    name,
    namespace: context.namespace,
    labels: serviceLabels(context.plan, servicePlan, context.environment),
  };
}

/** One ServiceAccount per workload, without an API token. */
export function serviceAccount(
  context: GenerationContext,
  servicePlan: ServicePlan,
): KubernetesObject {
  const object: IServiceAccount & { metadata: { name: string } } = {
    apiVersion: 'v1',
    kind: 'ServiceAccount',
    metadata: metadata(context, servicePlan),
    automountServiceAccountToken: false,
  };
  return asObject(object);
}

export function configMap(
  context: GenerationContext,
  servicePlan: ServicePlan,
): KubernetesObject | undefined {
  const { env } = servicePlan.service;
  if (Object.keys(env).length === 0) return undefined;
  const object: IConfigMap & { metadata: { name: string } } = {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: metadata(context, servicePlan, `${servicePlan.name}-config`),
    data: sortedRecord(env),
  };
  return asObject(object);
}

/**
 * The Secret `<svc>-secrets`, synced by the External Secrets Operator from
 * the ClusterSecretStore `<plan>-secrets` (provided by the platform; one per
 * cluster, so each environment reads its own backend). Names only, never a
 * value.
 */
export function externalSecret(
  context: GenerationContext,
  servicePlan: ServicePlan,
): KubernetesObject | undefined {
  const { secrets } = servicePlan.service;
  if (secrets.length === 0) return undefined;
  const planName = context.plan.name;
  const object: IExternalSecret & { metadata: { name: string } } = {
    apiVersion: EXTERNAL_SECRET_API_VERSION,
    kind: 'ExternalSecret',
    metadata: metadata(context, servicePlan, `${servicePlan.name}-secrets`),
    spec: {
      refreshInterval: '1h',
      secretStoreRef: {
        kind: 'ClusterSecretStore',
        name: secretStoreName(planName),
      },
      target: { name: `${servicePlan.name}-secrets`, creationPolicy: 'Owner' },
      data: [...secrets].sort().map(secret => ({
        secretKey: secret,
        remoteRef: { key: `${planName}/${servicePlan.name}/${secret}` },
      })),
    },
  };
  return asObject(object);
}

/** An HPA metric: the average utilization of a resource across the pods. */
function utilization(resource: 'cpu' | 'memory', percent: number) {
  return {
    type: 'Resource',
    resource: {
      name: resource,
      target: { type: 'Utilization', averageUtilization: percent },
    },
  };
}

export function horizontalPodAutoscaler(
  context: GenerationContext,
  servicePlan: ServicePlan,
): KubernetesObject | undefined {
  const profile = serviceProfile(context, servicePlan);
  if (!profile.autoscaling) return undefined;
  const object: IHorizontalPodAutoscaler & { metadata: { name: string } } = {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: metadata(context, servicePlan),
    spec: {
      scaleTargetRef:
        servicePlan.objectKind === 'Rollout'
          ? {
              apiVersion: 'argoproj.io/v1alpha1',
              kind: 'Rollout',
              name: servicePlan.name,
            }
          : {
              apiVersion: 'apps/v1',
              kind: 'Deployment',
              name: servicePlan.name,
            },
      // Scale to zero needs the alpha HPAScaleToZero gate: at least 1.
      minReplicas: Math.max(1, profile.replicas.min),
      maxReplicas: profile.replicas.max,
      metrics: [utilization('cpu', 70), utilization('memory', 80)],
      behavior: scalingBehavior(servicePlan.service.scaling),
    },
  };
  return asObject(object);
}

/**
 * PDB from T2 for workloads with ≥ 2 replicas. Stateless: one pod at a time,
 * and crash-looping pods may always be evicted so they never block a drain.
 * StatefulSet with ≥ 3 replicas: keep a majority (quorum) available; with 2,
 * one at a time (a majority of 2 would block every drain).
 */
export function podDisruptionBudget(
  context: GenerationContext,
  servicePlan: ServicePlan,
): KubernetesObject | undefined {
  const profile = serviceProfile(context, servicePlan);
  if (!profile.podDisruptionBudget) return undefined;
  const size = profile.replicas.min;
  const quorum =
    servicePlan.objectKind === 'StatefulSet' && size >= 3
      ? Math.floor(size / 2) + 1
      : undefined;
  const object: IPodDisruptionBudget & { metadata: { name: string } } = {
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    metadata: metadata(context, servicePlan),
    spec: {
      ...(quorum !== undefined
        ? { minAvailable: quorum }
        : { maxUnavailable: 1 }),
      // A data store's unready pod may be catching up, so it keeps counting
      // against the budget (explicitly IfHealthyBudget); stateless pods are
      // evicted regardless of health so a crash loop never blocks a drain.
      unhealthyPodEvictionPolicy:
        servicePlan.objectKind === 'StatefulSet'
          ? ('IfHealthyBudget' as const)
          : ('AlwaysAllow' as const),
      selector: { matchLabels: selectorLabels(context.plan, servicePlan.name) },
    },
  };
  return asObject(object);
}
