import { PolicyContext, PolicyRule, PolicyViolation } from '../types';
import {
  asNumber,
  asObj,
  asString,
  containerPorts,
  ContainerRef,
  isObj,
  longRunningContainers,
  LONG_RUNNING_KINDS,
  NON_HTTP_IMAGES,
  NON_HTTP_PORTS,
  Obj,
  resolveContainerPort,
  sameData,
  WORKLOAD_KINDS,
} from '../model';
import { ADVICE, BROKEN } from '../severity';
import { describe, forWorkload, violation } from './helpers';

const PROBES = ['livenessProbe', 'readinessProbe', 'startupProbe'] as const;

/** A startup longer than this belongs in a startupProbe. */
const SLOW_START_SECONDS = 30;

/** The port a probe targets, and where it is. */
function probePort(probe: Obj): { port: unknown; key: string } | undefined {
  for (const key of ['httpGet', 'tcpSocket', 'grpc']) {
    const handler = probe[key];
    if (isObj(handler) && handler.port !== undefined) {
      return { port: handler.port, key: `${key}.port` };
    }
  }
  return undefined;
}

/**
 * A rule's check about probes: `check` runs on every probe (liveness,
 * readiness, startup) that a container of the workload defines.
 */
function perProbe(
  check: (
    container: ContainerRef,
    kind: (typeof PROBES)[number],
    probe: Obj,
  ) => PolicyViolation[],
): (ctx: PolicyContext) => PolicyViolation[] {
  return forWorkload(w =>
    w.containers.flatMap(c =>
      PROBES.flatMap(kind => {
        const probe = c.container[kind];
        return isObj(probe) ? check(c, kind, probe) : [];
      }),
    ),
  );
}

export const probeRules: PolicyRule[] = [
  {
    id: 'readiness-probe',
    category: 'probes',
    description:
      'Serving containers (with ports) of long-running workloads have a readinessProbe, so Services only route to ready Pods.',
    anchors: [
      'kube-linter:no-readiness-probe',
      'polaris:readinessProbeMissing',
      'kube-score:pod-probes',
    ],
    appliesTo: LONG_RUNNING_KINDS,
    severity: ADVICE,
    check: ctx => {
      const w = ctx.workload;
      if (!w || !w.longRunning) return [];
      return w.containers
        .filter(
          c =>
            !c.init &&
            containerPorts(c.container).length > 0 &&
            c.container.readinessProbe === undefined,
        )
        .map(c =>
          violation(
            `${c.path}.readinessProbe`,
            `${describe(
              c,
            )} serves ports but has no readinessProbe: it receives traffic before it is ready and during shutdown`,
          ),
        );
    },
  },
  {
    id: 'liveness-probe',
    category: 'probes',
    description:
      'Long-running containers (native sidecars included) have a livenessProbe, so a hung process is restarted.',
    anchors: [
      'kube-linter:no-liveness-probe',
      'polaris:livenessProbeMissing',
      'kube-score:pod-probes',
    ],
    appliesTo: LONG_RUNNING_KINDS,
    severity: ADVICE,
    check: forWorkload(w => {
      return longRunningContainers(w)
        .filter(c => c.container.livenessProbe === undefined)
        .map(c =>
          violation(
            `${c.path}.livenessProbe`,
            `${describe(
              c,
            )} runs until stopped but has no livenessProbe: a deadlocked process is never restarted (an exec or tcpSocket probe works without an HTTP endpoint)`,
          ),
        );
    }),
  },
  {
    id: 'probes-not-identical',
    category: 'probes',
    description:
      'The livenessProbe is not identical to the readinessProbe (a dependency outage would restart every Pod instead of taking it out of rotation; liveness should be more lenient).',
    anchors: ['kube-score:pod-probes-identical', 'kube-score:pod-probes'],
    appliesTo: WORKLOAD_KINDS,
    severity: ADVICE,
    check: forWorkload(w => {
      return w.containers
        .filter(
          c =>
            isObj(c.container.livenessProbe) &&
            sameData(c.container.livenessProbe, c.container.readinessProbe),
        )
        .map(c =>
          violation(
            `${c.path}.livenessProbe`,
            `${describe(
              c,
            )} has identical liveness and readiness probes: give liveness a longer period or higher failureThreshold (or a separate endpoint)`,
          ),
        );
    }),
  },
  {
    id: 'startup-probe-for-slow-start',
    category: 'probes',
    description: `Containers that need more than ${SLOW_START_SECONDS}s to start use a startupProbe instead of a long liveness initialDelaySeconds.`,
    anchors: ['kube-linter:no-startup-probe', 'kube-score:pod-probes'],
    appliesTo: WORKLOAD_KINDS,
    severity: ADVICE,
    check: forWorkload(w => {
      return w.containers.flatMap(c => {
        const delay = asNumber(
          asObj(c.container.livenessProbe).initialDelaySeconds,
        );
        if (
          delay === undefined ||
          delay < SLOW_START_SECONDS ||
          c.container.startupProbe !== undefined
        ) {
          return [];
        }
        return [
          violation(
            `${c.path}.startupProbe`,
            `${describe(
              c,
            )} delays its livenessProbe by ${delay}s: use a startupProbe (failureThreshold x periodSeconds covers the start) so a hang after start is detected quickly`,
          ),
        ];
      });
    }),
  },
  {
    id: 'probe-port-exists',
    category: 'probes',
    description:
      'A probe that names its port refers to a port the container declares (otherwise the probe always fails).',
    anchors: [
      'kube-linter:liveness-port',
      'kube-linter:readiness-port',
      'kube-linter:startup-port',
    ],
    appliesTo: WORKLOAD_KINDS,
    severity: BROKEN,
    check: perProbe((c, kind, probe) => {
      const target = probePort(probe);
      if (
        !target ||
        typeof target.port !== 'string' ||
        /^\d+$/.test(target.port) ||
        resolveContainerPort(c.container, target.port) !== undefined
      ) {
        return [];
      }
      const names = containerPorts(c.container)
        .map(p => p.name)
        .filter(Boolean);
      return [
        violation(
          `${c.path}.${kind}.${target.key}`,
          `${describe(c)}: the ${kind} targets port "${
            target.port
          }", which the container does not declare${
            names.length > 0 ? ` (it declares ${names.join(', ')})` : ''
          }`,
        ),
      ];
    }),
  },
  {
    id: 'probe-protocol',
    category: 'probes',
    description:
      'HTTP probes do not target servers that do not speak HTTP (PostgreSQL, MySQL, Redis...): use tcpSocket or an exec probe (pg_isready, redis-cli ping).',
    anchors: ['kube-score:pod-probes', 'k8s-docs:define-a-tcp-liveness-probe'],
    appliesTo: WORKLOAD_KINDS,
    // A heuristic (image names, well-known ports), so a warning.
    severity: ADVICE,
    check: perProbe((c, kind, probe) => {
      const httpGet = probe.httpGet;
      if (!isObj(httpGet)) return [];
      const port = resolveContainerPort(c.container, httpGet.port);
      const image = asString(c.container.image) ?? '';
      const what =
        (port !== undefined ? NON_HTTP_PORTS[port] : undefined) ??
        NON_HTTP_IMAGES.find(i => i.pattern.test(image))?.what;
      if (!what) return [];
      return [
        violation(
          `${c.path}.${kind}.httpGet`,
          `${describe(c)}: the ${kind} sends HTTP to ${what}${
            port !== undefined ? ` (port ${port})` : ''
          }, which does not speak HTTP, so the probe always fails; use tcpSocket or an exec probe`,
        ),
      ];
    }),
  },
];
