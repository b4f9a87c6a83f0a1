import { PolicyContext, PolicyRule, PolicyViolation } from '../types';
import {
  asArray,
  asNumber,
  asObj,
  asString,
  at,
  containerPorts,
  isObj,
  isProductionEnvironment,
  labelSelectorMatches,
  mapSelectorMatches,
  nameOf,
  asStringMap,
  REPLICATED_KINDS,
  sameNamespace,
  Workload,
} from '../model';
import { ObjectIndex } from '../model';
import { ADVICE, ADVICE_FROM_T2, ADVICE_FROM_T3, BROKEN } from '../severity';
import { forWorkload, violation } from './helpers';

const MIN_PRODUCTION_REPLICAS = 2;

/**
 * A check about workloads that run two or more replicas at their minimum (the
 * autoscaler's, if any): nothing for a single replica, else `check` with that
 * minimum.
 */
function forMultiReplica(
  check: (
    workload: Workload,
    ctx: PolicyContext,
    min: number,
  ) => PolicyViolation[],
): (ctx: PolicyContext) => PolicyViolation[] {
  return forWorkload((w, ctx) => {
    const min = ctx.index.minReplicas(w) ?? 1;
    return min < 2 ? [] : check(w, ctx, min);
  });
}

/** `0`, `"0"` or `"0%"`. */
function isZero(value: unknown): boolean {
  return value === 0 || value === '0' || value === '0%';
}

/** Serves traffic: declares ports or is selected by a Service. */
function serves(workload: Workload, index: ObjectIndex): boolean {
  if (workload.containers.some(c => containerPorts(c.container).length > 0)) {
    return true;
  }
  return index
    .ofKind('Service')
    .some(
      ({ object }) =>
        sameNamespace(object, workload.object) &&
        Object.keys(asStringMap(at(object, 'spec.selector'))).length > 0 &&
        mapSelectorMatches(
          asStringMap(at(object, 'spec.selector')),
          workload.podLabels,
        ),
    );
}

const SELECTOR_KINDS = [
  'Deployment',
  'StatefulSet',
  'DaemonSet',
  'ReplicaSet',
  'Rollout',
];

export const availabilityRules: PolicyRule[] = [
  {
    id: 'selector-matches-template',
    category: 'availability',
    description:
      "A workload's selector matches its Pod template labels (the API server rejects it otherwise).",
    anchors: [
      'kube-linter:mismatching-selector',
      'kube-score:deployment-pod-selector-labels-match-template-metadata-labels',
      'kube-score:statefulset-pod-selector-labels-match-template-metadata-labels',
    ],
    appliesTo: SELECTOR_KINDS,
    severity: BROKEN,
    check: forWorkload((w, ctx) => {
      const selector = at(ctx.object, 'spec.selector');
      if (!isObj(selector)) {
        return [violation('spec.selector', 'the workload has no selector')];
      }
      return labelSelectorMatches(selector, w.podLabels) &&
        (Object.keys(asObj(selector.matchLabels)).length > 0 ||
          asArray(selector.matchExpressions).length > 0)
        ? []
        : [
            violation(
              'spec.selector',
              `the selector does not match the Pod template labels (${w.podLabelsPath})`,
            ),
          ];
    }),
  },
  {
    id: 'min-replicas',
    category: 'availability',
    description: `From T2, serving workloads in production run at least ${MIN_PRODUCTION_REPLICAS} replicas (spec.replicas, or the autoscaler minimum).`,
    anchors: [
      'polaris:deploymentMissingReplicas',
      'kube-score:deployment-replicas',
      'kube-score:horizontalpodautoscaler-replicas',
      'kube-linter:minimum-three-replicas',
    ],
    appliesTo: REPLICATED_KINDS,
    severity: ADVICE_FROM_T2,
    check: ctx => {
      const w = ctx.workload;
      if (
        !w ||
        !isProductionEnvironment(ctx.file.environment) ||
        !serves(w, ctx.index)
      ) {
        return [];
      }
      const min = ctx.index.minReplicas(w) ?? 1;
      if (min >= MIN_PRODUCTION_REPLICAS) return [];
      const scalers = ctx.index.scalersOf(w);
      return [
        violation(
          'spec.replicas',
          scalers.length > 0
            ? `the autoscaler ${scalers
                .map(s => `${s.object.kind}/${nameOf(s.object)}`)
                .join(
                  ', ',
                )} lets the workload go down to ${min} replica(s) in production; set the minimum to ${MIN_PRODUCTION_REPLICAS}`
            : `the workload runs ${min} replica in production: one node drain or crash is an outage; run ${MIN_PRODUCTION_REPLICAS} or more`,
        ),
      ];
    },
  },
  {
    id: 'pdb-present',
    category: 'availability',
    description:
      'From T2, workloads with two or more replicas are covered by a PodDisruptionBudget.',
    anchors: [
      'polaris:missingPodDisruptionBudget',
      'kube-score:deployment-has-poddisruptionbudget',
      'kube-score:statefulset-has-poddisruptionbudget',
    ],
    appliesTo: REPLICATED_KINDS,
    severity: ADVICE_FROM_T2,
    check: forMultiReplica((w, ctx, min) => {
      if (ctx.index.budgetsOf(w).length > 0) return [];
      return [
        violation(
          w.podLabelsPath,
          `the workload runs ${min}+ replicas but no PodDisruptionBudget selects its Pods: a node drain can evict them all at once`,
        ),
      ];
    }),
  },
  {
    id: 'pdb-selects-pods',
    category: 'availability',
    description:
      'A PodDisruptionBudget selector matches the Pods of a workload in the same environment.',
    anchors: [
      'kube-score:deployment-has-poddisruptionbudget',
      'kube-score:statefulset-has-poddisruptionbudget',
    ],
    appliesTo: ['PodDisruptionBudget'],
    severity: BROKEN,
    check: ctx => {
      const selector = at(ctx.object, 'spec.selector');
      if (!isObj(selector)) {
        return [
          violation(
            'spec.selector',
            'the PodDisruptionBudget has no selector: it protects no Pod',
          ),
        ];
      }
      return ctx.index.selectedBy(selector, ctx.object).length > 0
        ? []
        : [
            violation(
              'spec.selector',
              'the PodDisruptionBudget selects no Pod of this environment: it protects nothing',
            ),
          ];
    },
  },
  {
    id: 'pdb-allows-disruption',
    category: 'availability',
    description:
      'A PodDisruptionBudget lets at least one Pod go (maxUnavailable > 0, minAvailable below the replica count), or node drains block.',
    anchors: [
      'kube-linter:pdb-max-unavailable',
      'kube-linter:pdb-min-available',
      'polaris:pdbDisruptionsIsZero',
    ],
    appliesTo: ['PodDisruptionBudget'],
    severity: ADVICE,
    check: ctx => {
      const spec = asObj(ctx.object.spec);
      if (isZero(spec.maxUnavailable)) {
        return [
          violation(
            'spec.maxUnavailable',
            'maxUnavailable 0 never allows an eviction: node drains and cluster upgrades block',
          ),
        ];
      }
      if (spec.minAvailable === undefined) return [];
      if (spec.minAvailable === '100%') {
        return [
          violation(
            'spec.minAvailable',
            'minAvailable 100% never allows an eviction: node drains and cluster upgrades block',
          ),
        ];
      }
      const minAvailable = asNumber(spec.minAvailable);
      if (minAvailable === undefined || !isObj(spec.selector)) return [];
      const blocked = ctx.index
        .selectedBy(spec.selector, ctx.object)
        .filter(w => {
          const replicas = ctx.index.minReplicas(w);
          return replicas !== undefined && minAvailable >= replicas;
        });
      return blocked.map(w =>
        violation(
          'spec.minAvailable',
          `minAvailable ${minAvailable} is not below the ${ctx.index.minReplicas(
            w,
          )} replica(s) of ${w.kind}/${
            w.name
          }: no eviction is ever allowed, so node drains block`,
        ),
      );
    },
  },
  {
    id: 'pdb-unhealthy-pod-eviction-policy',
    category: 'availability',
    description:
      'PodDisruptionBudgets set unhealthyPodEvictionPolicy explicitly: AlwaysAllow so crash-looping Pods do not block node drains (IfHealthyBudget only as a deliberate choice for quorum-based stateful sets).',
    anchors: ['kube-linter:pdb-unhealthy-pod-eviction-policy'],
    appliesTo: ['PodDisruptionBudget'],
    severity: ADVICE,
    check: ctx =>
      at(ctx.object, 'spec.unhealthyPodEvictionPolicy') !== undefined
        ? []
        : [
            violation(
              'spec.unhealthyPodEvictionPolicy',
              'unhealthyPodEvictionPolicy is not set, so unhealthy Pods count against the budget (IfHealthyBudget) and a crash-looping workload blocks node drains; set AlwaysAllow, or IfHealthyBudget explicitly for a quorum-based stateful set',
            ),
          ],
  },
  {
    id: 'spread-replicas',
    category: 'availability',
    description:
      'From T3, multi-replica workloads spread their Pods over nodes and zones (podAntiAffinity or topologySpreadConstraints).',
    anchors: [
      'kube-linter:no-anti-affinity',
      'kube-score:deployment-has-host-podantiaffinity',
      'kube-score:statefulset-has-host-podantiaffinity',
      'kube-score:pod-topology-spread-constraints',
      'polaris:topologySpreadConstraint',
    ],
    appliesTo: REPLICATED_KINDS,
    severity: ADVICE_FROM_T3,
    check: forMultiReplica((w, _ctx, min) => {
      const antiAffinity = asObj(asObj(w.pod.affinity).podAntiAffinity);
      const hasAntiAffinity =
        asArray(antiAffinity.requiredDuringSchedulingIgnoredDuringExecution)
          .length > 0 ||
        asArray(antiAffinity.preferredDuringSchedulingIgnoredDuringExecution)
          .length > 0;
      const hasSpread = asArray(w.pod.topologySpreadConstraints).length > 0;
      if (hasAntiAffinity || hasSpread) return [];
      return [
        violation(
          `${w.podPath}.topologySpreadConstraints`,
          `the ${min}+ replicas may all land on one node or zone: add topologySpreadConstraints (zone and hostname) or podAntiAffinity`,
        ),
      ];
    }),
  },
  {
    id: 'autoscaler-target-exists',
    category: 'availability',
    description:
      'A HorizontalPodAutoscaler (or KEDA ScaledObject) scales a workload of the package.',
    anchors: [
      'kube-score:horizontalpodautoscaler-has-target',
      'kube-linter:dangling-horizontalpodautoscaler',
    ],
    appliesTo: ['HorizontalPodAutoscaler', 'ScaledObject'],
    severity: BROKEN,
    check: ctx => {
      const ref = asObj(at(ctx.object, 'spec.scaleTargetRef'));
      const name = asString(ref.name);
      const kind =
        asString(ref.kind) ??
        (ctx.object.kind === 'ScaledObject' ? 'Deployment' : undefined);
      if (!name || !kind) {
        return [
          violation(
            'spec.scaleTargetRef',
            'the autoscaler names no target (kind and name)',
          ),
        ];
      }
      return ctx.index.find(kind, name, ctx.object)
        ? []
        : [
            violation(
              'spec.scaleTargetRef',
              `the autoscaler targets ${kind}/${name}, which is not in this environment`,
            ),
          ];
    },
  },
  {
    id: 'autoscaler-replica-range',
    category: 'availability',
    description:
      'An autoscaler minimum is not above its maximum (the API server rejects an HPA with maxReplicas < minReplicas).',
    anchors: [
      'kube-score:horizontalpodautoscaler-replicas',
      'k8s-docs:horizontal-pod-autoscale',
    ],
    appliesTo: ['HorizontalPodAutoscaler', 'ScaledObject'],
    severity: BROKEN,
    check: ctx => {
      const hpa = ctx.object.kind === 'HorizontalPodAutoscaler';
      const min =
        asNumber(
          at(ctx.object, hpa ? 'spec.minReplicas' : 'spec.minReplicaCount'),
        ) ?? (hpa ? 1 : 0);
      const max = asNumber(
        at(ctx.object, hpa ? 'spec.maxReplicas' : 'spec.maxReplicaCount'),
      );
      if (max === undefined || max >= min) return [];
      return [
        violation(
          hpa ? 'spec.maxReplicas' : 'spec.maxReplicaCount',
          `the maximum (${max}) is below the minimum (${min})`,
        ),
      ];
    },
  },
  {
    id: 'rolling-update-max-unavailable',
    category: 'availability',
    description:
      'From T2, rolling updates (Deployment RollingUpdate, Argo Rollouts canary) keep every replica up: maxUnavailable 0, surge instead.',
    anchors: [
      'kube-linter:no-rolling-update-strategy',
      'k8s-docs:deployment-max-unavailable',
    ],
    appliesTo: ['Deployment', 'Rollout'],
    severity: ADVICE_FROM_T2,
    check: ctx => {
      if (ctx.object.kind === 'Rollout') {
        const canary = at(ctx.object, 'spec.strategy.canary');
        if (!isObj(canary) || isZero(canary.maxUnavailable)) return [];
        return [
          violation(
            'spec.strategy.canary.maxUnavailable',
            `the canary may take ${String(
              canary.maxUnavailable ?? '25%',
            )} of the replicas down during an update; set maxUnavailable: 0`,
          ),
        ];
      }
      const strategy = asObj(at(ctx.object, 'spec.strategy'));
      if ((asString(strategy.type) ?? 'RollingUpdate') !== 'RollingUpdate') {
        return [];
      }
      const maxUnavailable = asObj(strategy.rollingUpdate).maxUnavailable;
      if (isZero(maxUnavailable)) return [];
      return [
        violation(
          'spec.strategy.rollingUpdate.maxUnavailable',
          `the rollout may take ${String(
            maxUnavailable ?? '25%',
          )} of the replicas down at once; set maxUnavailable: 0 (and maxSurge > 0)`,
        ),
      ];
    },
  },
  {
    id: 'replicas-with-autoscaler',
    category: 'availability',
    description:
      'Workloads scaled by an autoscaler do not also set spec.replicas (every apply would reset the autoscaler).',
    anchors: [
      'kube-score:deployment-targeted-by-hpa-does-not-have-replicas-configured',
    ],
    appliesTo: REPLICATED_KINDS,
    severity: ADVICE,
    check: ctx => {
      const w = ctx.workload;
      if (!w || at(ctx.object, 'spec.replicas') === undefined) return [];
      const scalers = ctx.index.scalersOf(w);
      if (scalers.length === 0) return [];
      return [
        violation(
          'spec.replicas',
          `spec.replicas is set but ${scalers
            .map(s => `${s.object.kind}/${nameOf(s.object)}`)
            .join(
              ', ',
            )} scales the workload: each apply resets the replica count; remove spec.replicas`,
        ),
      ];
    },
  },
  {
    id: 'statefulset-headless-service',
    category: 'availability',
    description:
      'A StatefulSet names a headless Service (clusterIP: None) of the package as its serviceName, for stable Pod DNS names.',
    anchors: ['kube-score:statefulset-has-servicename'],
    appliesTo: ['StatefulSet'],
    severity: ADVICE,
    check: ctx => {
      const serviceName = asString(at(ctx.object, 'spec.serviceName'));
      if (!serviceName) {
        return [
          violation(
            'spec.serviceName',
            'the StatefulSet names no governing Service: its Pods get no stable DNS names',
          ),
        ];
      }
      const service = ctx.index.find('Service', serviceName, ctx.object);
      if (!service) {
        return [
          violation(
            'spec.serviceName',
            `the governing Service "${serviceName}" is not in this environment`,
          ),
        ];
      }
      const out: PolicyViolation[] = [];
      if (at(service.object, 'spec.clusterIP') !== 'None') {
        out.push(
          violation(
            'spec.serviceName',
            `the governing Service "${serviceName}" is not headless (clusterIP: None)`,
          ),
        );
      }
      const w = ctx.workload;
      const selector = asStringMap(at(service.object, 'spec.selector'));
      if (w && !mapSelectorMatches(selector, w.podLabels)) {
        out.push(
          violation(
            'spec.serviceName',
            `the governing Service "${serviceName}" does not select the StatefulSet's Pods`,
          ),
        );
      }
      return out;
    },
  },
];
