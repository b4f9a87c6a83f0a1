import { PolicyRule, PolicyViolation } from '../types';
import { asObj, WORKLOAD_KINDS } from '../model';
import { ADVICE, BROKEN } from '../severity';
import { describe, perContainer, violation } from './helpers';
import { parseQuantity } from '../../../core/quantities';

export { parseQuantity } from '../../../core/quantities';

function resource(
  container: Record<string, unknown>,
  kind: 'requests' | 'limits',
  name: string,
): unknown {
  return asObj(asObj(container.resources)[kind])[name];
}

function requireResource(
  kind: 'requests' | 'limits',
  name: 'cpu' | 'memory',
  why: string,
): PolicyRule['check'] {
  return ctx =>
    perContainer(ctx, c =>
      resource(c.container, kind, name) === undefined
        ? [
            violation(
              `${c.path}.resources.${kind}.${name}`,
              `${describe(c)} has no ${name} ${
                kind === 'requests' ? 'request' : 'limit'
              }: ${why}`,
            ),
          ]
        : [],
    );
}

export const resourceRules: PolicyRule[] = [
  {
    id: 'cpu-requests',
    category: 'resources',
    description: 'Containers request CPU (the scheduler places Pods by it).',
    anchors: [
      'kube-linter:unset-cpu-requirements',
      'polaris:cpuRequestsMissing',
      'kube-score:container-resources',
    ],
    appliesTo: WORKLOAD_KINDS,
    severity: ADVICE,
    check: requireResource(
      'requests',
      'cpu',
      'the scheduler cannot place it and it gets the lowest CPU share under contention',
    ),
  },
  {
    id: 'memory-requests',
    category: 'resources',
    description: 'Containers request memory.',
    anchors: [
      'kube-linter:unset-memory-requirements',
      'polaris:memoryRequestsMissing',
      'kube-score:container-resources',
    ],
    appliesTo: WORKLOAD_KINDS,
    severity: ADVICE,
    check: requireResource(
      'requests',
      'memory',
      'the scheduler can overcommit the node and the Pod is evicted first',
    ),
  },
  {
    id: 'memory-limits',
    category: 'resources',
    description:
      'Containers have a memory limit (a leak cannot take the node down).',
    anchors: [
      'polaris:memoryLimitsMissing',
      'kube-linter:unset-memory-requirements',
      'kube-score:container-resources',
    ],
    appliesTo: WORKLOAD_KINDS,
    severity: ADVICE,
    check: requireResource(
      'limits',
      'memory',
      'a leak can exhaust the node; set it equal to the request',
    ),
  },
  {
    id: 'cpu-limits',
    category: 'resources',
    description:
      'Containers have a CPU limit (a warning only: limits throttle; some teams run without them on purpose).',
    anchors: ['polaris:cpuLimitsMissing', 'kube-score:container-resources'],
    appliesTo: WORKLOAD_KINDS,
    severity: ADVICE,
    check: requireResource(
      'limits',
      'cpu',
      'one busy Pod can starve its neighbours of burst CPU',
    ),
  },
  {
    id: 'limits-not-below-requests',
    category: 'resources',
    description:
      'Limits are not below requests (the API server rejects such a Pod).',
    anchors: ['kube-score:container-resources', 'k8s-docs:requests-and-limits'],
    appliesTo: WORKLOAD_KINDS,
    severity: BROKEN,
    check: ctx =>
      perContainer(ctx, c => {
        const out: PolicyViolation[] = [];
        const resources = asObj(c.container.resources);
        for (const name of Object.keys(asObj(resources.limits))) {
          const limit = parseQuantity(resource(c.container, 'limits', name));
          const request = parseQuantity(
            resource(c.container, 'requests', name),
          );
          if (limit !== undefined && request !== undefined && limit < request) {
            out.push(
              violation(
                `${c.path}.resources.limits.${name}`,
                `${describe(c)} has a ${name} limit (${String(
                  resource(c.container, 'limits', name),
                )}) below its request (${String(
                  resource(c.container, 'requests', name),
                )}); the Pod is rejected`,
              ),
            );
          }
        }
        return out;
      }),
  },
];
