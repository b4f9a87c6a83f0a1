import { createHash } from 'crypto';
import type { IContainer } from 'kubernetes-models/v1/Container';
import type { IPodSpec } from 'kubernetes-models/v1/PodSpec';
import type { IPodTemplateSpec } from 'kubernetes-models/v1/PodTemplateSpec';
import type { IProbe } from 'kubernetes-models/v1/Probe';
import type { ISecurityContext } from 'kubernetes-models/v1/SecurityContext';
import type { IPodSecurityContext } from 'kubernetes-models/v1/PodSecurityContext';
import {
  NON_ROOT_UID,
  ServicePlan,
} from '@internal/backstage-plugin-cloud-native-common';
import { isScraped } from '../../plan/metrics';
import { GenerationContext, serviceProfile } from './context';
import {
  hasClusterService,
  isBatch,
  isServing,
  listenPort,
  portName,
  servicePort,
} from '../../plan/workload';
import { selectorLabels, serviceLabels, sortedRecord } from '../../plan/labels';
import { MESH_NATIVE_SIDECAR_ANNOTATIONS } from '../../plan/platform';

/**
 * Pod template of every workload: hardened security context, probes by the
 * probe decision matrix, dependency init containers, scheduling rules by
 * tier.
 */

/** The non-root user of distroless `nonroot` images (and of our Dockerfiles). */
export const NON_ROOT_ID = NON_ROOT_UID;
/** Pinned image of the wait-for-dependency init containers. */
export const WAIT_IMAGE = 'busybox:1.36';
/** Seconds the container keeps serving after it is removed from endpoints. */
export const PRE_STOP_SLEEP_SECONDS = 5;
/** Startup probe period; failureThreshold = ceil(startupSeconds / period). */
export const STARTUP_PROBE_PERIOD_SECONDS = 5;

export const PROMETHEUS_SCRAPE_ANNOTATIONS = {
  scrape: 'prometheus.io/scrape',
  port: 'prometheus.io/port',
  path: 'prometheus.io/path',
} as const;
export const CONFIG_HASH_ANNOTATION = 'cloud-native.backstage.io/config-hash';

/**
 * The container security context of every container (app and init): what
 * Pod Security Admission `restricted` requires, plus a read-only root file
 * system.
 */
export function hardenedContainerSecurityContext(
  readOnlyRootFilesystem = true,
): ISecurityContext {
  return {
    allowPrivilegeEscalation: false,
    capabilities: { drop: ['ALL'] },
    privileged: false,
    readOnlyRootFilesystem,
    runAsNonRoot: true,
  };
}

/**
 * The pod security context: numeric non-root user (the image profile's, else
 * the user of the images this package builds), RuntimeDefault seccomp.
 */
export function podSecurityContext(
  servicePlan: ServicePlan,
): IPodSecurityContext {
  const stateful = servicePlan.objectKind === 'StatefulSet';
  const profile = servicePlan.imageProfile;
  const fsGroup = profile?.fsGroup ?? NON_ROOT_ID;
  return {
    runAsNonRoot: true,
    runAsUser: profile?.user ?? NON_ROOT_ID,
    runAsGroup: profile?.group ?? NON_ROOT_ID,
    // fsGroup makes the volume claim writable by the non-root user; only
    // stateful pods have a volume that needs it.
    ...(stateful ? { fsGroup, fsGroupChangePolicy: 'OnRootMismatch' } : {}),
    seccompProfile: { type: 'RuntimeDefault' },
  };
}

/**
 * A native sidecar (Kubernetes ≥ 1.29): an init container with
 * `restartPolicy: Always` that starts before the app containers and stops
 * after them, so it also works in Jobs. Not emitted by default: nothing in
 * the plan asks for an extra sidecar today (mesh proxies are injected by the
 * mesh, as native sidecars via {@link MESH_NATIVE_SIDECAR_ANNOTATIONS}).
 * Skills that need one (a log shipper, a cloud SQL proxy) append
 * `nativeSidecar(container)` to `spec.initContainers`.
 */
export function nativeSidecar(container: IContainer): IContainer {
  return {
    ...container,
    restartPolicy: 'Always',
    securityContext: {
      ...hardenedContainerSecurityContext(),
      ...container.securityContext,
    },
  };
}

/** The port of the health endpoint: the named container port when it is the same. */
function healthPort(servicePlan: ServicePlan): string | number | undefined {
  const { health } = servicePlan.service;
  if (!health) return undefined;
  return health.port === listenPort(servicePlan)
    ? portName(servicePlan)
    : health.port;
}

/** The readiness check: the health path (which may check dependencies). */
function probeHandler(servicePlan: ServicePlan): Partial<IProbe> | undefined {
  const { health } = servicePlan.service;
  const port = listenPort(servicePlan);
  if (health) {
    return { httpGet: { path: health.path, port: healthPort(servicePlan)! } };
  }
  // the image's own check (pg_isready, redis-cli ping): it answers when the
  // server accepts work, not only when the port is open
  const command = servicePlan.imageProfile?.probeCommand;
  if (command) return { exec: { command: [...command] } };
  if (port !== undefined) return { tcpSocket: { port: portName(servicePlan) } };
  return undefined;
}

/**
 * The liveness (and startup) check: whether the process is alive, never
 * whether its dependencies are. A health path is a readiness check that
 * often asks the database (Spring's /actuator/health does by default): as a
 * liveness probe, a database outage would restart every pod instead of
 * taking them out of rotation. So `health.livenessPath` when the spec
 * declares one, else TCP on the health port; the image's own command and
 * TCP on the port as for readiness otherwise.
 */
function livenessHandler(
  servicePlan: ServicePlan,
): Partial<IProbe> | undefined {
  const { health } = servicePlan.service;
  if (!health) return probeHandler(servicePlan);
  const port = healthPort(servicePlan)!;
  return health.livenessPath
    ? { httpGet: { path: health.livenessPath, port } }
    : { tcpSocket: { port } };
}

/**
 * The probe decision matrix:
 *
 * | probe | when | check |
 * |-|-|-|
 * | startup | `health.startupSeconds > 0` (long-running) | as liveness; failureThreshold = ceil(startupSeconds / 5 s) |
 * | readiness | serving (long-running with a port) | health path, else the image's command (profile), else TCP on the port (always for gRPC and TCP servers without health) |
 * | liveness | long-running (service, worker, stateful, daemon, rerouted function) | `health.livenessPath`, else TCP on the health port (a health path may check dependencies: see livenessHandler), else the image's command, else TCP on the port, else none (noted) |
 * | none | Job, CronJob | a run-to-completion pod is judged by its exit code |
 *
 * The liveness probe checks less often and tolerates more than readiness
 * (10 s × 3) so that a slow dependency makes a pod unready, not restarted.
 */
export function probes(
  context: GenerationContext,
  servicePlan: ServicePlan,
): Pick<IContainer, 'startupProbe' | 'readinessProbe' | 'livenessProbe'> {
  if (isBatch(servicePlan)) return {};
  const handler = probeHandler(servicePlan);
  if (!handler) {
    context.notes.add(
      `${servicePlan.name}: no port and no health endpoint, so no probes (exec probes are impossible in distroless images); add health.path and port to get liveness checks`,
    );
    return {};
  }
  const alive = livenessHandler(servicePlan) ?? handler;
  const startupSeconds = servicePlan.service.health?.startupSeconds ?? 0;
  return {
    ...(startupSeconds > 0 && servicePlan.service.health
      ? {
          startupProbe: {
            ...alive,
            periodSeconds: STARTUP_PROBE_PERIOD_SECONDS,
            timeoutSeconds: 2,
            failureThreshold: Math.ceil(
              startupSeconds / STARTUP_PROBE_PERIOD_SECONDS,
            ),
          },
        }
      : {}),
    ...(isServing(servicePlan)
      ? {
          readinessProbe: {
            ...handler,
            periodSeconds: 5,
            timeoutSeconds: 2,
            successThreshold: 1,
            failureThreshold: 3,
          },
        }
      : {}),
    livenessProbe: {
      ...alive,
      periodSeconds: 10,
      timeoutSeconds: 2,
      failureThreshold: 3,
    },
  };
}

function initContainerName(dependency: string, taken: Set<string>): string {
  let name = `wait-for-${dependency}`.slice(0, 63).replace(/-+$/, '');
  for (let i = 2; taken.has(name); i++) {
    name = `${`wait-for-${dependency}`.slice(0, 60).replace(/-+$/, '')}-${i}`;
  }
  taken.add(name);
  return name;
}

/**
 * The dependencies a pod waits for: Kubernetes services it depends on that
 * have a ClusterIP Service (on its Service port: 80 for HTTP, the own port
 * for gRPC and TCP). Only serving or working pods (Deployment, Rollout,
 * StatefulSet) wait; daemons and batch pods do not.
 */
export function waitForDependencies(
  context: GenerationContext,
  servicePlan: ServicePlan,
): IContainer[] {
  if (
    !['Deployment', 'Rollout', 'StatefulSet'].includes(servicePlan.objectKind)
  ) {
    return [];
  }
  const taken = new Set<string>([servicePlan.name]);
  const containers: IContainer[] = [];
  for (const dependency of servicePlan.service.dependsOn) {
    const target = context.services.get(dependency);
    if (!target || !hasClusterService(target)) continue;
    containers.push({
      name: initContainerName(dependency, taken),
      image: WAIT_IMAGE,
      imagePullPolicy: 'IfNotPresent',
      command: [
        'sh',
        '-c',
        `until nc -z -w 2 ${dependency} ${servicePort(
          target,
        )}; do echo waiting for ${dependency}; sleep 2; done`,
      ],
      resources: {
        requests: { cpu: '10m', memory: '16Mi' },
        limits: { cpu: '50m', memory: '16Mi' },
      },
      securityContext: hardenedContainerSecurityContext(),
    });
  }
  return containers;
}

function configHash(env: Record<string, string>): string {
  return createHash('sha256')
    .update(JSON.stringify(sortedRecord(env)))
    .digest('hex')
    .slice(0, 16);
}

function podAnnotations(
  context: GenerationContext,
  servicePlan: ServicePlan,
): Record<string, string> | undefined {
  const annotations: Record<string, string> = {};
  const { env, port } = servicePlan.service;
  if (Object.keys(env).length > 0) {
    // envFrom is read at container start only: a new hash rolls the pods
    // when the ConfigMap changes.
    annotations[CONFIG_HASH_ANNOTATION] = configHash(env);
  }
  // Prometheus scrapes `/metrics` over HTTP: not a gRPC or TCP port, and
  // not a prebuilt image (plan/metrics.ts)
  if (isScraped(context.plan, servicePlan) && port !== undefined) {
    annotations[PROMETHEUS_SCRAPE_ANNOTATIONS.scrape] = 'true';
    annotations[PROMETHEUS_SCRAPE_ANNOTATIONS.port] = String(port);
    annotations[PROMETHEUS_SCRAPE_ANNOTATIONS.path] = '/metrics';
  }
  if (context.plan.mesh !== 'none') {
    Object.assign(
      annotations,
      MESH_NATIVE_SIDECAR_ANNOTATIONS[context.plan.mesh],
    );
  }
  return Object.keys(annotations).length > 0
    ? sortedRecord(annotations)
    : undefined;
}

function scheduling(
  context: GenerationContext,
  servicePlan: ServicePlan,
): Pick<IPodSpec, 'affinity' | 'topologySpreadConstraints' | 'tolerations'> {
  const selector = selectorLabels(context.plan, servicePlan.name);
  const replicas = serviceProfile(context, servicePlan).replicas;
  const t3 = context.plan.tierFeatures.topologySpread;
  switch (servicePlan.objectKind) {
    case 'StatefulSet':
      return {
        // Two replicas of a data store on one node lose quorum together:
        // required, not preferred, whenever there is more than one replica.
        ...(replicas.min > 1
          ? {
              affinity: {
                podAntiAffinity: {
                  requiredDuringSchedulingIgnoredDuringExecution: [
                    {
                      labelSelector: { matchLabels: selector },
                      topologyKey: 'kubernetes.io/hostname',
                    },
                  ],
                },
              },
            }
          : {}),
        ...(t3
          ? {
              topologySpreadConstraints: [
                {
                  maxSkew: 1,
                  topologyKey: 'topology.kubernetes.io/zone',
                  whenUnsatisfiable: 'DoNotSchedule',
                  labelSelector: { matchLabels: selector },
                },
              ],
            }
          : {}),
      };
    case 'Deployment':
    case 'Rollout':
      if (!t3) return {};
      return {
        affinity: {
          podAntiAffinity: {
            preferredDuringSchedulingIgnoredDuringExecution: [
              {
                weight: 100,
                podAffinityTerm: {
                  labelSelector: { matchLabels: selector },
                  topologyKey: 'kubernetes.io/hostname',
                },
              },
            ],
          },
        },
        topologySpreadConstraints: [
          {
            // Multi-zone HA at T3: refuse to stack a zone rather than lose
            // it; the scheduler only counts zones that have nodes.
            maxSkew: 1,
            topologyKey: 'topology.kubernetes.io/zone',
            whenUnsatisfiable: 'DoNotSchedule',
            labelSelector: { matchLabels: selector },
            // Spread each revision on its own during a rollout.
            matchLabelKeys: [
              servicePlan.objectKind === 'Rollout'
                ? 'rollouts-pod-template-hash'
                : 'pod-template-hash',
            ],
          },
          {
            maxSkew: 1,
            topologyKey: 'kubernetes.io/hostname',
            whenUnsatisfiable: 'ScheduleAnyway',
            labelSelector: { matchLabels: selector },
          },
        ],
      };
    case 'DaemonSet':
      return {
        tolerations: [
          {
            key: 'node-role.kubernetes.io/control-plane',
            operator: 'Exists',
            effect: 'NoSchedule',
          },
          {
            key: 'node.kubernetes.io/not-ready',
            operator: 'Exists',
            effect: 'NoExecute',
          },
          {
            key: 'node.kubernetes.io/unreachable',
            operator: 'Exists',
            effect: 'NoExecute',
          },
        ],
      };
    default:
      return {};
  }
}

/** The data volume claim template name and mount path of StatefulSets. */
export const DATA_VOLUME = { name: 'data', mountPath: '/data' } as const;

/** The mount of the data volume: where the image keeps its data. */
export function dataVolumeMount(servicePlan: ServicePlan): {
  name: string;
  mountPath: string;
} {
  return {
    name: DATA_VOLUME.name,
    mountPath: servicePlan.imageProfile?.dataPath ?? DATA_VOLUME.mountPath,
  };
}

/** An emptyDir of the pod, mounted at a path of the app container. */
interface PathVolume {
  name: string;
  mountPath: string;
  /** Seeded with the image's own files at that path (seededPaths) */
  seeded: boolean;
}

/**
 * The emptyDir volumes of the paths an image writes besides /tmp and its
 * data: its profile's writablePaths (empty) and seededPaths (filled with
 * the image's files first), named after the path: /var/run/postgresql is
 * `writable-var-run-postgresql`.
 */
function pathVolumes(servicePlan: ServicePlan): PathVolume[] {
  const profile = servicePlan.imageProfile;
  const taken = new Set<string>();
  const paths = [
    ...(profile?.writablePaths ?? []).map(path => ({ path, seeded: false })),
    ...(profile?.seededPaths ?? []).map(path => ({ path, seeded: true })),
  ];
  return paths.map(({ path, seeded }) => {
    const slug = path
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '');
    const base = `writable-${slug}`.slice(0, 60).replace(/-+$/, '');
    let name = base;
    for (let i = 2; taken.has(name); i++) name = `${base}-${i}`;
    taken.add(name);
    return { name, mountPath: path, seeded };
  });
}

/** Where a seeding init container mounts the emptyDir it fills. */
const SEED_MOUNT = '/seed';

/**
 * The init containers that copy the image's own files into the emptyDirs of
 * its seededPaths (the pattern of the Elastic operator for the config
 * directory): the app container then writes there with a read-only root.
 */
function seedContainers(servicePlan: ServicePlan): IContainer[] {
  return pathVolumes(servicePlan)
    .filter(volume => volume.seeded)
    .map(volume => ({
      name: `seed-${volume.name.slice('writable-'.length)}`.slice(0, 63),
      image: servicePlan.image,
      imagePullPolicy: 'IfNotPresent',
      command: ['sh', '-c', `cp -R ${volume.mountPath}/. ${SEED_MOUNT}/`],
      resources: {
        requests: { cpu: '10m', memory: '32Mi' },
        limits: { cpu: '200m', memory: '64Mi' },
      },
      securityContext: hardenedContainerSecurityContext(),
      volumeMounts: [{ name: volume.name, mountPath: SEED_MOUNT }],
    }));
}

/** The name of the PriorityClass of DaemonSets. */
export function nodeCriticalPriorityClass(planName: string): string {
  return `${planName}-node-critical`;
}

export function appContainer(
  context: GenerationContext,
  servicePlan: ServicePlan,
): IContainer {
  const { service } = servicePlan;
  const port = listenPort(servicePlan);
  const profile = serviceProfile(context, servicePlan);
  const envFrom: NonNullable<IContainer['envFrom']> = [];
  if (Object.keys(service.env).length > 0) {
    envFrom.push({ configMapRef: { name: `${servicePlan.name}-config` } });
  }
  if (service.secrets.length > 0) {
    envFrom.push({ secretRef: { name: `${servicePlan.name}-secrets` } });
  }
  // what the image needs to use its data volume (PGDATA): part of the pod,
  // not of the service's configuration
  const single = servicePlan.service.replicas.max <= 1;
  const imageEnv = Object.entries({
    ...servicePlan.imageProfile?.env,
    ...(single ? servicePlan.imageProfile?.singleReplicaEnv : {}),
  })
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([name, value]) => ({ name, value }));
  return {
    name: servicePlan.name,
    image: servicePlan.image,
    imagePullPolicy: 'IfNotPresent',
    ...(port !== undefined
      ? {
          ports: [
            {
              name: portName(servicePlan),
              containerPort: port,
              protocol: 'TCP',
            },
          ],
        }
      : {}),
    ...(imageEnv.length > 0 ? { env: imageEnv } : {}),
    ...(envFrom.length > 0 ? { envFrom } : {}),
    resources: {
      requests: { ...profile.resources.requests },
      limits: { ...profile.resources.limits },
    },
    securityContext: hardenedContainerSecurityContext(
      servicePlan.imageProfile?.readOnlyRootFilesystem ?? true,
    ),
    ...probes(context, servicePlan),
    // The sleep keeps serving while endpoints and load balancers drop the
    // pod. Distroless images have no shell for `exec: sleep`, so this uses
    // the native sleep action (Kubernetes ≥ 1.30).
    ...(isServing(servicePlan)
      ? {
          lifecycle: {
            preStop: { sleep: { seconds: PRE_STOP_SLEEP_SECONDS } },
          },
        }
      : {}),
    volumeMounts: [
      { name: 'tmp', mountPath: '/tmp' },
      ...pathVolumes(servicePlan).map(({ name, mountPath }) => ({
        name,
        mountPath,
      })),
      ...(servicePlan.objectKind === 'StatefulSet'
        ? [dataVolumeMount(servicePlan)]
        : []),
    ],
    terminationMessagePolicy: 'FallbackToLogsOnError',
  };
}

/** The pod template of a service's workload. */
export function podTemplate(
  context: GenerationContext,
  servicePlan: ServicePlan,
): IPodTemplateSpec {
  const stateful = servicePlan.objectKind === 'StatefulSet';
  const initContainers = [
    ...seedContainers(servicePlan),
    ...waitForDependencies(context, servicePlan),
  ];
  const annotations = podAnnotations(context, servicePlan);
  return {
    metadata: {
      labels: serviceLabels(context.plan, servicePlan, context.environment),
      ...(annotations ? { annotations } : {}),
    },
    spec: {
      serviceAccountName: servicePlan.name,
      automountServiceAccountToken: false,
      // No <SERVICE>_PORT_... variables for every Service in the namespace.
      enableServiceLinks: false,
      securityContext: podSecurityContext(servicePlan),
      ...(servicePlan.objectKind === 'DaemonSet'
        ? { priorityClassName: nodeCriticalPriorityClass(context.plan.name) }
        : {}),
      ...(isBatch(servicePlan) ? { restartPolicy: 'Never' } : {}),
      terminationGracePeriodSeconds: stateful ? 120 : 30,
      ...scheduling(context, servicePlan),
      ...(initContainers.length > 0 ? { initContainers } : {}),
      containers: [appContainer(context, servicePlan)],
      volumes: [
        { name: 'tmp', emptyDir: { sizeLimit: '256Mi' } },
        ...pathVolumes(servicePlan).map(({ name }) => ({
          name,
          emptyDir: { sizeLimit: '64Mi' },
        })),
      ],
    },
  };
}
