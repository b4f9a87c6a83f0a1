import type { IIoK8sApiAutoscalingV2HorizontalPodAutoscalerBehavior as IBehavior } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscalerBehavior';
import {
  DeploymentPlan,
  ServicePlan,
  WorkloadObjectKind,
} from '@internal/backstage-plugin-cloud-native-common';
import { cpuMillicores, formatCpu } from '../core/quantities';

export { cpuMillicores, formatCpu } from '../core/quantities';

/**
 * Environment profiles.
 *
 * Environment names are free text, so each one is classified by its name
 * (case-insensitive, first match wins):
 *
 * 1. `preprod`, `stag`, `qa`, `uat` → **staging**
 *    (`preprod` is tested first because it also contains `prod`)
 * 2. `nonprod` / `non-prod` → **development** (it says it is not production)
 * 3. `prod` → **production**
 * 4. anything else (`dev`, `test`, `sandbox`, ...) → **development**
 *
 * What each profile changes, per service:
 *
 * | | production | staging | development |
 * |-|-|-|-|
 * | replicas (Deployment / Rollout) | spec `min`..`max` | `max(1, min)`..`max(min, ceil(max / 2))` | 1..1 |
 * | replicas (StatefulSet) | spec `min` | `max(1, min)` (quorum kept) | 1 |
 * | HorizontalPodAutoscaler | when max > min and scaling is not `fixed` | same rule on the staging range | never (1 replica) |
 * | PodDisruptionBudget | from T2, when replicas ≥ 2 | same | never (1 replica) |
 * | resources | spec | spec | spec |
 * | public host | `<svc>.example.com` for `prod`/`production`, else `<svc>.<env>.example.com` | `<svc>.<env>.example.com` | `<svc>.<env>.example.com` |
 *
 * Requests are deliberately the same in every environment: halving them in
 * development would save little and hide out-of-memory problems until
 * staging. Everything the tier switches on (NetworkPolicy, Pod Security
 * Admission, topology spread, hardening) applies to every environment: only
 * what depends on the replica count (HPA, PDB, required anti-affinity) varies.
 *
 * Limits are derived from the requests the same way everywhere:
 * - memory limit = memory request. Memory is not compressible: a container
 *   above its request is the first candidate for node-pressure eviction, and
 *   a limit above the request lets the node overcommit memory it does not
 *   have. Equal values make out-of-memory behaviour local to the container
 *   and predictable (the Guaranteed-style setting for memory).
 * - cpu limit = 4 × cpu request. CPU is compressible, so exceeding the
 *   request only costs throttling; a generous limit avoids CFS throttling of
 *   latency-sensitive bursts while still bounding a runaway process, and
 *   satisfies policy checks (kube-score, Kyverno/Gatekeeper baselines) that
 *   require a limit on every container.
 */

export type EnvironmentClass = 'production' | 'staging' | 'development';

export interface ResourceSettings {
  requests: { cpu: string; memory: string };
  limits: { cpu: string; memory: string };
}

export interface ServiceProfile {
  name: string;
  objectKind: WorkloadObjectKind;
  /**
   * Replica range in this environment. DaemonSets, Jobs and CronJobs have no
   * replica count and get 1..1.
   */
  replicas: { min: number; max: number };
  /** A HorizontalPodAutoscaler manages the replica count */
  autoscaling: boolean;
  /** A PodDisruptionBudget is generated */
  podDisruptionBudget: boolean;
  resources: ResourceSettings;
  /** Public hostname, for services exposed publicly */
  host?: string;
}

export interface EnvironmentProfile {
  environment: string;
  class: EnvironmentClass;
  /** DNS suffix of public hosts */
  domain: string;
  /** Kubernetes services only, in plan order */
  services: Record<string, ServiceProfile>;
}

/** The placeholder base domain of public hosts. */
export const BASE_DOMAIN = 'example.com';

/** Classifies an environment name; see the table above. */
export function classifyEnvironment(environment: string): EnvironmentClass {
  const name = environment.toLowerCase();
  if (/preprod|stag|qa|uat/.test(name)) return 'staging';
  if (/non-?prod/.test(name)) return 'development';
  if (name.includes('prod')) return 'production';
  return 'development';
}

/**
 * The environment whose profile is the production one: the plan's first
 * production-class environment, else `prod` (a reference profile: the Helm
 * chart's defaults, values.yaml, are a production release's values even for
 * a plan with only development environments).
 */
export function productionEnvironment(plan: DeploymentPlan): string {
  return (
    plan.environments.find(e => classifyEnvironment(e) === 'production') ??
    'prod'
  );
}

/** Limits derived from requests: see the module comment. */
export function resourceSettings(resources: {
  cpu: string;
  memory: string;
}): ResourceSettings {
  return {
    requests: { cpu: resources.cpu, memory: resources.memory },
    limits: {
      cpu: formatCpu(cpuMillicores(resources.cpu) * 4),
      memory: resources.memory,
    },
  };
}

const REPLICATED = new Set<WorkloadObjectKind>(['Deployment', 'Rollout']);

function replicasFor(
  servicePlan: ServicePlan,
  environmentClass: EnvironmentClass,
): { min: number; max: number } {
  const { min, max } = servicePlan.service.replicas;
  switch (servicePlan.objectKind) {
    case 'Deployment':
    case 'Rollout':
      if (environmentClass === 'production') return { min, max };
      if (environmentClass === 'staging') {
        const stagingMin = Math.max(1, min);
        return {
          min: stagingMin,
          max: Math.max(stagingMin, Math.ceil(max / 2)),
        };
      }
      return { min: 1, max: 1 };
    case 'StatefulSet': {
      // A StatefulSet has a fixed size; max is not used. Staging keeps the
      // production size so that a quorum (3 → 3) is exercised before prod.
      if (environmentClass === 'development') return { min: 1, max: 1 };
      const size = environmentClass === 'staging' ? Math.max(1, min) : min;
      return { min: size, max: size };
    }
    default:
      return { min: 1, max: 1 };
  }
}

function hostFor(
  servicePlan: ServicePlan,
  environment: string,
): string | undefined {
  if (servicePlan.service.expose !== 'public') return undefined;
  return `${servicePlan.name}.${domainFor(environment)}`;
}

function domainFor(environment: string): string {
  return environment === 'prod' || environment === 'production'
    ? BASE_DOMAIN
    : `${environment}.${BASE_DOMAIN}`;
}

/**
 * The settings of one environment for every Kubernetes service of the plan.
 * Exported for the Helm skill, which turns it into `values-<env>.yaml`.
 */
export function environmentProfile(
  plan: DeploymentPlan,
  environment: string,
): EnvironmentProfile {
  const environmentClass = classifyEnvironment(environment);
  const services: Record<string, ServiceProfile> = {};
  for (const servicePlan of plan.services) {
    if (servicePlan.runtime !== 'kubernetes') continue;
    const replicas = replicasFor(servicePlan, environmentClass);
    const autoscaling =
      REPLICATED.has(servicePlan.objectKind) &&
      environmentClass !== 'development' &&
      servicePlan.service.scaling !== 'fixed' &&
      replicas.max > Math.max(1, replicas.min);
    const podDisruptionBudget =
      plan.tierFeatures.podDisruptionBudgets &&
      (REPLICATED.has(servicePlan.objectKind) ||
        servicePlan.objectKind === 'StatefulSet') &&
      replicas.min >= 2;
    services[servicePlan.name] = {
      name: servicePlan.name,
      objectKind: servicePlan.objectKind,
      replicas,
      autoscaling,
      podDisruptionBudget,
      resources: resourceSettings(servicePlan.service.resources),
      host: hostFor(servicePlan, environment),
    };
  }
  return {
    environment,
    class: environmentClass,
    domain: domainFor(environment),
    services,
  };
}

/**
 * Scaling behaviour by the spec's scaling profile. Scale-down always waits
 * 300 s of lower load, so a dip does not remove capacity the next spike
 * needs.
 */
export function scalingBehavior(
  scaling: ServicePlan['service']['scaling'],
): IBehavior {
  const scaleDown = (percent: number) => ({
    stabilizationWindowSeconds: 300,
    policies: [{ type: 'Percent', value: percent, periodSeconds: 60 }],
  });
  /** The larger of +`percent` % and +`pods` pods per period, after `waitSeconds` of load. */
  const scaleUp = (
    waitSeconds: number,
    percent: number,
    pods: number,
    periodSeconds: number,
  ) => ({
    stabilizationWindowSeconds: waitSeconds,
    selectPolicy: 'Max',
    policies: [
      { type: 'Percent', value: percent, periodSeconds },
      { type: 'Pods', value: pods, periodSeconds },
    ],
  });
  switch (scaling) {
    case 'burst':
      // Double every 15 s (at least 4 pods), immediately.
      return { scaleUp: scaleUp(0, 100, 4, 15), scaleDown: scaleDown(50) };
    case 'variable':
      // +50 % (at least 2 pods) a minute after 30 s of sustained load.
      return { scaleUp: scaleUp(30, 50, 2, 60), scaleDown: scaleDown(25) };
    default:
      return { scaleDown: scaleDown(10) };
  }
}
