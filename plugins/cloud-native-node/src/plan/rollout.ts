import {
  DeploymentPlan,
  ServicePlan,
} from '@internal/backstage-plugin-cloud-native-common';
import { isCollected } from './metrics';

/**
 * Progressive delivery, decided once: the strategy a Rollout renders after
 * its fallbacks, what shifts its traffic, its canary steps and analysis,
 * and the names the Rollout, the mesh routes, the guide and the report
 * share. The manifest skill renders the canary (skills/kubernetes/
 * workloads.ts) from these; nothing else spells the steps out.
 */

/**
 * A Rollout's rollback to one of its last 3 revisions is fast-tracked (Argo
 * Rollouts' `rollbackWindow`): the previous version goes back at once,
 * without the canary steps or the analysis, which it has already passed.
 * During an incident a rollback through 15 minutes of canary pauses, or a
 * 5-minute pre-promotion analysis, is not a rollback. Within the Rollout's
 * revision history, so the old ReplicaSets still exist.
 */
export const ROLLBACK_WINDOW_REVISIONS = 3;
/** The pause between two canary weights. */
export const CANARY_PAUSE = '5m';
/** The traffic weights of a canary, in order (a pause of CANARY_PAUSE between two). */
export const CANARY_WEIGHTS = [5, 25, 50, 100] as const;
/** The header that sends a request to variant B of an A/B test. */
export const AB_HEADER = { name: 'x-variant', value: 'b' } as const;
/** The header route Argo Rollouts manages for variant B. */
export const AB_ROUTE = 'ab-variant-b';
/** The route of the VirtualService `<svc>` that Argo Rollouts re-weights. */
export const ISTIO_PRIMARY_ROUTE = 'primary';
/** Prometheus of the Prometheus Operator (its governing Service). */
export const PROMETHEUS_ADDRESS =
  'http://prometheus-operated.monitoring.svc:9090';

/** A step of an Argo Rollouts canary. */
export type CanaryStep =
  | { setWeight: number }
  | { pause: { duration: string } };

/** The steps of a weighted canary: each weight of CANARY_WEIGHTS, paused between. */
export function canarySteps(): CanaryStep[] {
  return CANARY_WEIGHTS.flatMap((weight, i) =>
    i === 0
      ? [{ setWeight: weight }]
      : [{ pause: { duration: CANARY_PAUSE } }, { setWeight: weight }],
  );
}

/**
 * The rollout strategy actually rendered for a Rollout, after fallbacks:
 * - `ab-testing` needs header routing, i.e. Istio and a port; otherwise it
 *   falls back to blue-green;
 * - `blue-green` needs a Service (activeService is required), i.e. a port;
 *   otherwise it falls back to a replica-weighted canary.
 */
export type RolloutMode = 'canary' | 'blue-green' | 'ab-testing';

export function rolloutMode(
  plan: DeploymentPlan,
  servicePlan: ServicePlan,
): RolloutMode | undefined {
  if (servicePlan.objectKind !== 'Rollout') return undefined;
  const hasPort = servicePlan.service.port !== undefined;
  let mode: RolloutMode = 'canary';
  if (servicePlan.strategy === 'ab-testing') mode = 'ab-testing';
  if (servicePlan.strategy === 'blue-green') mode = 'blue-green';
  if (
    mode === 'ab-testing' &&
    !(
      plan.mesh === 'istio' &&
      hasPort &&
      servicePlan.service.protocol !== 'tcp'
    )
  ) {
    mode = 'blue-green';
  }
  if (mode === 'blue-green' && !hasPort) {
    mode = 'canary';
  }
  return mode;
}

/**
 * Whether a canary Rollout splits `<svc>` (stable) and `<svc>-canary`: it
 * needs a port, and not TCP, whose canary is weighted by replicas behind the
 * one Service `<svc>` that selects both versions (PROTO-020; with stable and
 * canary Services Argo Rollouts would narrow `<svc>` to the stable pods).
 */
export function hasCanaryServices(servicePlan: ServicePlan): boolean {
  return (
    servicePlan.service.port !== undefined &&
    servicePlan.service.protocol !== 'tcp'
  );
}

/**
 * Whether a Rollout's releases are judged by the HTTP success-rate
 * analysis: it needs a port that answers requests, so not without a port
 * and not for TCP (PROTO-020), whose connections have no success rate; and
 * it needs the metric it reads to be collected, by this package
 * (isCollected: T3 on managed clusters). A gate on a metric nothing scrapes
 * is inconclusive forever: every release would pause.
 */
export function hasAnalysis(
  plan: DeploymentPlan,
  servicePlan: ServicePlan,
): boolean {
  return hasCanaryServices(servicePlan) && isCollected(plan, servicePlan);
}

/** The AnalysisTemplate of a service's Rollout. */
export function analysisTemplateName(service: string): string {
  return `${service}-success-rate`;
}

/**
 * What shifts traffic for this service's canary: the ingress controller for
 * public services, the mesh for the others (the same rule as the plan);
 * nothing for TCP (PROTO-020): routers weigh requests, and the pooled,
 * long-lived connections of TCP clients would make a per-connection weight
 * meaningless.
 */
export function trafficRouterFor(
  plan: DeploymentPlan,
  servicePlan: ServicePlan,
): DeploymentPlan['trafficRouter'] {
  if (!hasCanaryServices(servicePlan)) return 'none';
  return servicePlan.service.expose === 'public'
    ? plan.trafficRouter
    : plan.mesh;
}
