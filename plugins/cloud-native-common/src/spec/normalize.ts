import { z } from 'zod';
import {
  ArchitectureType,
  Cloud,
  GitOpsTool,
  Language,
  MeshChoice,
  Platform,
  Protocol,
  Requirement,
  Strategy,
  Tier,
  TriggerType,
  WorkloadKind,
  architectureSpecSchema,
  ARCHITECTURE_API_VERSION,
  ServiceSpecInput,
} from './schema';
import { explainInvalidCron } from './cron';
import { explainSecretLiteral } from './secrets';
import { generatedNameIssues } from './names';

/**
 * A service with every default applied: what the rules and skills read.
 *
 * @public
 */
export interface Service {
  name: string;
  workload: WorkloadKind;
  language?: Language;
  image?: string;
  /** Container port; undefined for workloads that serve nothing. */
  port?: number;
  /**
   * What the port speaks (see {@link defaultProtocol}): the Service port's
   * name, its number ({@link clusterServicePort}), probes and mesh routing.
   */
  protocol: Protocol;
  expose: 'public' | 'internal' | 'none';
  replicas: { min: number; max: number };
  resources: { cpu: string; memory: string };
  scaling: 'fixed' | 'predictable' | 'variable' | 'burst';
  strategy: Strategy;
  health?: {
    path: string;
    /** Liveness endpoint (no dependency checks); unset: TCP on the port */
    livenessPath?: string;
    port: number;
    startupSeconds: number;
  };
  storage?: { size: string; class?: string };
  /** What the prebuilt image needs to run (see plan/imageProfiles.ts) */
  imageProfile?: DeclaredImageProfile;
  schedule?: string;
  timeZone?: string;
  completions?: number;
  parallelism?: number;
  trigger?: { type: TriggerType; source?: string };
  timeoutSeconds?: number;
  memoryMB?: number;
  dependsOn: string[];
  env: Record<string, string>;
  secrets: string[];
}

/**
 * A prebuilt image's needs as the spec declares them (`imageProfile`);
 * unset fields come from the well-known profile of the image, if any.
 *
 * @public
 */
export interface DeclaredImageProfile {
  user: number;
  group?: number;
  fsGroup?: number;
  dataPath?: string;
  writablePaths?: string[];
  readOnlyRootFilesystem?: boolean;
  env?: Record<string, string>;
  probeCommand?: string[];
  /** The image forms a cluster of its replicas itself (replicas are kept) */
  clustered?: boolean;
}

/**
 * An architecture with every default applied.
 *
 * @public
 */
export interface Architecture {
  apiVersion: typeof ARCHITECTURE_API_VERSION;
  kind: 'Architecture';
  metadata: {
    name: string;
    title?: string;
    description?: string;
    owner?: string;
  };
  spec: {
    type: ArchitectureType;
    platform: Platform;
    cloud: Cloud;
    region: string;
    tier: Tier;
    environments: string[];
    requirements: Requirement[];
    mesh: MeshChoice;
    gitops: GitOpsTool;
    registry?: string;
    usage: {
      requestsPerMonth: number;
      averageDurationMs: number;
      egressGBPerMonth: number;
    };
    services: Service[];
  };
}

/**
 * One problem in a spec, located by its field path, for example
 * `spec.services[2].schedule`.
 *
 * @public
 */
export interface SpecIssue {
  path: string;
  message: string;
}

/** @public */
export type ParseArchitectureResult =
  | { ok: true; architecture: Architecture }
  | { ok: false; issues: SpecIssue[] };

/** The region used when the spec names none. */
/** @public */
export const DEFAULT_REGIONS: Record<Cloud, string> = {
  aws: 'us-east-1',
  gcp: 'us-central1',
  azure: 'eastus',
  'multi-cloud': 'us-east-1',
  'platform-agnostic': 'default',
};

/** Serverless platforms cap a single invocation at 15 minutes (AWS Lambda). */
/** @public */
export const SERVERLESS_MAX_TIMEOUT_SECONDS = 900;

/**
 * Formats a zod/issue path the way users read it: `spec.services[2].schedule`.
 *
 * @public
 */
export function formatFieldPath(path: ReadonlyArray<PropertyKey>): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') {
      out += `[${segment}]`;
    } else {
      out += out ? `.${String(segment)}` : String(segment);
    }
  }
  return out || '(root)';
}

function defaultReplicas(
  workload: WorkloadKind,
  tier: Tier,
): { min: number; max: number } {
  switch (workload) {
    case 'stateful':
      return tier === 'T1' ? { min: 1, max: 1 } : { min: 3, max: 3 };
    case 'job':
    case 'cronjob':
    case 'daemon':
      return { min: 1, max: 1 };
    default:
      if (tier === 'T1') return { min: 1, max: 3 };
      if (tier === 'T2') return { min: 2, max: 6 };
      return { min: 3, max: 10 };
  }
}

/** Serving workloads are internal by default; HTTP functions are public. */
function defaultExpose(service: ServiceSpecInput): Service['expose'] {
  if (service.workload === 'service' || service.workload === 'stateful') {
    return 'internal';
  }
  if (
    service.workload === 'function' &&
    (service.trigger?.type ?? 'http') === 'http'
  ) {
    return 'public';
  }
  return 'none';
}

const DEFAULT_TIMEOUTS: Partial<Record<WorkloadKind, number>> = {
  function: 30,
  job: 3600,
  cronjob: 3600,
};

/**
 * The port of the ClusterIP Service of an HTTP service.
 *
 * @public
 */
export const HTTP_SERVICE_PORT = 80;

/**
 * The protocol of a service whose spec names none (decision rule PROTO-010):
 * `tcp` for a stateful service without an HTTP health path on its port that
 * is not public (a database, cache or broker from a prebuilt image; a health
 * path on a separate port, such as Patroni's next to PostgreSQL, says
 * nothing about the main port), `http` otherwise. A public service is
 * reached through an Ingress, which speaks HTTP; functions and jobs have no
 * Service, so their protocol is moot.
 *
 * @public
 */
export function defaultProtocol(
  service: Pick<Service, 'workload' | 'expose' | 'port'> & {
    health?: { path: string; port?: number };
  },
): Protocol {
  const httpHealth =
    service.health !== undefined &&
    (service.health.port ?? service.port) === service.port;
  return service.workload === 'stateful' &&
    !httpHealth &&
    service.expose !== 'public'
    ? 'tcp'
    : 'http';
}

/**
 * The port of the ClusterIP Service `<svc>` (and of its Rollout Services):
 * 80 for HTTP, which the Ingress and callers use without knowing the
 * container port; the service's own port for gRPC and TCP (5432, 6379...),
 * which is what clients of those protocols are configured with. Undefined
 * without a port.
 *
 * @public
 */
export function clusterServicePort(
  service: Pick<Service, 'port' | 'protocol'>,
): number | undefined {
  if (service.port === undefined) return undefined;
  return service.protocol === 'http' ? HTTP_SERVICE_PORT : service.port;
}

/** Workloads that run until stopped and may listen on a port. */
const LONG_RUNNING_WORKLOADS: ReadonlySet<WorkloadKind> = new Set([
  'service',
  'worker',
  'stateful',
  'daemon',
]);

function defaultPort(workload: WorkloadKind): number | undefined {
  return workload === 'service' ||
    workload === 'stateful' ||
    workload === 'function'
    ? 8080
    : undefined;
}

type ParsedSpec = z.output<typeof architectureSpecSchema>;
type ParsedService = ParsedSpec['spec']['services'][number];

/** What the checks of one service read besides the service. */
interface ServiceContext {
  /** `spec.services[<index>]` */
  at: string;
  /** Service names by their first index */
  names: Map<string, number>;
  platform: Platform;
  cloud: Cloud;
  tier: Tier;
}

/** Service names by their first index; a repeated name is an issue. */
function serviceNames(
  services: ReadonlyArray<ParsedService>,
  issues: SpecIssue[],
): Map<string, number> {
  const names = new Map<string, number>();
  services.forEach((service, index) => {
    const first = names.get(service.name);
    if (first !== undefined) {
      issues.push({
        path: `spec.services[${index}].name`,
        message: `duplicate service name '${service.name}' (also spec.services[${first}])`,
      });
    } else {
      names.set(service.name, index);
    }
  });
  return names;
}

function dependencyIssues(
  service: ParsedService,
  { at, names }: ServiceContext,
): SpecIssue[] {
  const issues: SpecIssue[] = [];
  for (const dependency of service.dependsOn ?? []) {
    if (!names.has(dependency)) {
      issues.push({
        path: `${at}.dependsOn`,
        message: `unknown service '${dependency}' (known: ${[
          ...names.keys(),
        ].join(', ')})`,
      });
    } else if (dependency === service.name) {
      issues.push({
        path: `${at}.dependsOn`,
        message: `'${service.name}' cannot depend on itself`,
      });
    }
  }
  return issues;
}

/** schedule and timeZone: where they belong, and valid. */
function scheduleIssues(service: ParsedService, at: string): SpecIssue[] {
  const issues: SpecIssue[] = [];
  const workload = service.workload;
  if (workload === 'cronjob') {
    if (!service.schedule) {
      issues.push({
        path: `${at}.schedule`,
        message: 'required for a cronjob (for example "0 2 * * *")',
      });
    } else {
      const problem = explainInvalidCron(service.schedule);
      if (problem) {
        issues.push({
          path: `${at}.schedule`,
          message: `invalid cron expression '${service.schedule}': ${problem}`,
        });
      }
    }
  } else if (service.schedule !== undefined && workload !== 'function') {
    issues.push({
      path: `${at}.schedule`,
      message: `only a cronjob (or a function with a schedule trigger) has a schedule; this service is a ${workload}`,
    });
  }
  if (workload === 'function' && service.trigger?.type === 'schedule') {
    const problem = service.schedule
      ? explainInvalidCron(service.schedule)
      : 'required for a schedule trigger';
    if (problem) {
      issues.push({ path: `${at}.schedule`, message: problem });
    }
  }
  if (service.timeZone !== undefined) {
    if (workload !== 'cronjob') {
      issues.push({
        path: `${at}.timeZone`,
        message: 'only a cronjob has a timeZone',
      });
    } else if (!isValidTimeZone(service.timeZone)) {
      issues.push({
        path: `${at}.timeZone`,
        message: `unknown IANA time zone '${service.timeZone}' (for example Europe/Istanbul)`,
      });
    }
  }
  return issues;
}

/** Fields only some workloads have, and what platform serverless runs. */
function workloadFieldIssues(
  service: ParsedService,
  { at, platform }: ServiceContext,
): SpecIssue[] {
  const issues: SpecIssue[] = [];
  const workload = service.workload;
  if (
    (service.completions !== undefined || service.parallelism !== undefined) &&
    workload !== 'job'
  ) {
    issues.push({
      path: `${at}.${
        service.completions !== undefined ? 'completions' : 'parallelism'
      }`,
      message: 'only a job has completions and parallelism',
    });
  }
  if (service.trigger && workload !== 'function') {
    issues.push({
      path: `${at}.trigger`,
      message: 'only a function has a trigger',
    });
  }
  if (service.storage && workload !== 'stateful') {
    issues.push({
      path: `${at}.storage`,
      message: `only a stateful service has storage; make '${service.name}' stateful or remove storage`,
    });
  }
  if (service.imageProfile && !service.image) {
    issues.push({
      path: `${at}.imageProfile`,
      message: `only a prebuilt image has an imageProfile (the images this package builds run as uid 65532 with a read-only root); set image or remove imageProfile`,
    });
  }
  if (
    workload === 'function' &&
    platform === 'serverless' &&
    (service.timeoutSeconds ?? 30) > SERVERLESS_MAX_TIMEOUT_SECONDS
  ) {
    issues.push({
      path: `${at}.timeoutSeconds`,
      message: `${service.timeoutSeconds} s is over the 15 minute (900 s) limit of serverless functions; lower it, or use platform auto/hybrid so the rules run it on Kubernetes`,
    });
  }
  if (platform === 'serverless' && workload !== 'function') {
    issues.push({
      path: `${at}.workload`,
      message: `platform serverless runs only functions; '${service.name}' is a ${workload} (use platform hybrid or auto)`,
    });
  }
  return issues;
}

/** env names and values (no secrets, one line), secrets not also in env. */
function envIssues(service: ParsedService, at: string): SpecIssue[] {
  const issues: SpecIssue[] = [];
  for (const [key, value] of Object.entries(service.env ?? {})) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) {
      issues.push({
        path: `${at}.env.${key}`,
        message: 'environment variable names are letters, digits and _',
      });
    }
    const secret = explainSecretLiteral(key, value);
    if (secret) {
      issues.push({
        path: `${at}.env.${key}`,
        message: `${secret}: never put secret values in the spec; list the name under secrets (secrets: [${key}]) and store the value in your secret manager`,
      });
    }
    if (/[\n\r\0]/.test(value)) {
      issues.push({
        path: `${at}.env.${key}`,
        message: 'values must be a single line',
      });
    }
  }
  const overlap = (service.secrets ?? []).filter(s => s in (service.env ?? {}));
  for (const name of overlap) {
    issues.push({
      path: `${at}.secrets`,
      message: `'${name}' is both in env and in secrets; keep it in secrets only`,
    });
  }
  return issues;
}

/** The port, health check, exposure and protocol after the defaults. */
interface Serving {
  port?: number;
  health?: NonNullable<ParsedService['health']>;
  expose: Service['expose'];
  protocol: Protocol;
}

function servingOf(service: ParsedService): Serving {
  const workload = service.workload;
  const port = service.port ?? defaultPort(workload);
  // An HTTP health endpoint is assumed only for HTTP code this package
  // builds; prebuilt images (databases, caches) and gRPC/TCP servers get
  // TCP probes unless health is set.
  const health =
    service.health ??
    ((workload === 'service' || workload === 'stateful') &&
    !service.image &&
    (service.protocol ?? 'http') === 'http'
      ? { path: '/healthz' }
      : undefined);
  const expose = service.expose ?? defaultExpose(service);
  const protocol =
    service.protocol ?? defaultProtocol({ workload, expose, port, health });
  return { port, health, expose, protocol };
}

/** What the protocol allows: a port, exposure, health checks, strategies. */
function protocolIssues(
  service: ParsedService,
  { port, expose, protocol }: Serving,
  { at, cloud }: ServiceContext,
): SpecIssue[] {
  const issues: SpecIssue[] = [];
  // http is the default of every workload (moot without a Service), so
  // the normalized spec, which names it, parses again
  if (service.protocol !== undefined && service.protocol !== 'http') {
    if (!LONG_RUNNING_WORKLOADS.has(service.workload)) {
      issues.push({
        path: `${at}.protocol`,
        message: `only a long-running workload with a port (service, worker, stateful, daemon) has a protocol; '${service.name}' is a ${service.workload}`,
      });
    } else if (port === undefined) {
      issues.push({
        path: `${at}.protocol`,
        message: `a protocol needs a port: set port, or remove protocol`,
      });
    }
  }
  if (protocol === 'tcp' && expose === 'public') {
    issues.push({
      path: `${at}.expose`,
      message: `'${service.name}' speaks tcp, which cannot be public: an Ingress routes HTTP(S) only, not raw TCP; use expose: internal (and a LoadBalancer Service of your own if clients outside the cluster need it), or protocol http or grpc if that is what the port speaks`,
    });
  }
  if (protocol === 'grpc' && expose === 'public' && cloud === 'gcp') {
    issues.push({
      path: `${at}.expose`,
      message: `'${service.name}' speaks grpc, which the GKE Ingress forwards only over TLS to the pods (HTTP/2 to backends requires it), and the package does not set up TLS on the pods; use expose: internal, or serve gRPC through a gateway of your own`,
    });
  }
  if (
    protocol === 'tcp' &&
    service.health &&
    (service.health.port ?? port) === port
  ) {
    issues.push({
      path: `${at}.health.path`,
      message: `an HTTP health check on port ${port}, but '${service.name}' speaks tcp there: remove health (the port is then probed with a TCP connection), or set health.port to a separate HTTP health port`,
    });
  }
  if (protocol === 'tcp' && service.strategy === 'ab-testing') {
    issues.push({
      path: `${at}.strategy`,
      message: `ab-testing routes requests by an HTTP header, and '${service.name}' speaks tcp: use canary or blue-green (or protocol http or grpc if that is what the port speaks)`,
    });
  }
  return issues;
}

/** The service with every default applied. */
function normalizedService(
  service: ParsedService,
  serving: Serving,
  tier: Tier,
): Service {
  const workload = service.workload;
  const { port, health, expose, protocol } = serving;
  return {
    name: service.name,
    workload,
    language: service.language,
    image: service.image,
    port,
    protocol,
    expose,
    replicas: service.replicas ?? defaultReplicas(workload, tier),
    resources: service.resources ?? { cpu: '100m', memory: '128Mi' },
    scaling:
      service.scaling ??
      (workload === 'service' || workload === 'worker' ? 'variable' : 'fixed'),
    strategy: service.strategy ?? 'auto',
    health: health && {
      path: health.path,
      ...(health.livenessPath ? { livenessPath: health.livenessPath } : {}),
      port: health.port ?? port ?? 8080,
      startupSeconds: health.startupSeconds ?? 0,
    },
    storage:
      workload === 'stateful' ? service.storage ?? { size: '10Gi' } : undefined,
    ...(service.imageProfile ? { imageProfile: service.imageProfile } : {}),
    schedule: service.schedule,
    timeZone: service.timeZone,
    completions: service.completions,
    parallelism: service.parallelism,
    trigger:
      workload === 'function' ? service.trigger ?? { type: 'http' } : undefined,
    timeoutSeconds: service.timeoutSeconds ?? DEFAULT_TIMEOUTS[workload],
    memoryMB: workload === 'function' ? service.memoryMB ?? 512 : undefined,
    dependsOn: [...new Set(service.dependsOn ?? [])],
    env: service.env ?? {},
    secrets: [...new Set(service.secrets ?? [])],
  };
}

/** Checks one service (issues in field order) and applies its defaults. */
function parseService(
  service: ParsedService,
  context: ServiceContext,
  issues: SpecIssue[],
): Service {
  const { at } = context;
  if (!service.image && !service.language) {
    issues.push({
      path: `${at}.language`,
      message: `required unless image is set (one of node, python, go, java, dotnet, rust, ruby, php, static)`,
    });
  }
  const serving = servingOf(service);
  issues.push(
    ...dependencyIssues(service, context),
    ...scheduleIssues(service, at),
    ...workloadFieldIssues(service, context),
    ...envIssues(service, at),
    ...protocolIssues(service, serving, context),
  );
  return normalizedService(service, serving, context.tier);
}

/** What only shows on the normalized services: ports, strategies, mesh. */
function normalizedServiceIssues(
  services: ReadonlyArray<Service>,
  mesh: ParsedSpec['spec']['mesh'],
): SpecIssue[] {
  const issues: SpecIssue[] = [];
  services.forEach((service, index) => {
    if (
      service.expose !== 'none' &&
      service.port === undefined &&
      service.workload !== 'function'
    ) {
      issues.push({
        path: `spec.services[${index}].port`,
        message: `required when expose is ${service.expose}`,
      });
    }
    if (
      (service.strategy === 'canary' ||
        service.strategy === 'blue-green' ||
        service.strategy === 'ab-testing') &&
      !['service', 'worker'].includes(service.workload)
    ) {
      issues.push({
        path: `spec.services[${index}].strategy`,
        message: `${service.strategy} needs a stateless service or worker; '${service.name}' is a ${service.workload} (use rolling or recreate)`,
      });
    }
  });
  services.forEach((service, index) => {
    if (service.strategy === 'ab-testing' && mesh === 'none') {
      issues.push({
        path: `spec.services[${index}].strategy`,
        message:
          'ab-testing routes by header and needs a service mesh: set spec.mesh to istio, linkerd or auto',
      });
    }
  });
  return issues;
}

/** The architecture with every default applied (the spec had no issue). */
function normalizedArchitecture(
  raw: ParsedSpec,
  platform: Platform,
  environments: string[],
  services: Service[],
): Architecture {
  return {
    apiVersion: raw.apiVersion,
    kind: raw.kind,
    metadata: raw.metadata,
    spec: {
      type: raw.spec.type,
      platform,
      cloud: raw.spec.cloud,
      region: raw.spec.region ?? DEFAULT_REGIONS[raw.spec.cloud],
      tier: raw.spec.tier,
      environments,
      requirements: [...new Set(raw.spec.requirements)],
      mesh: raw.spec.mesh ?? 'auto',
      gitops: raw.spec.gitops ?? 'none',
      registry: raw.spec.registry,
      usage: {
        requestsPerMonth: raw.spec.usage?.requestsPerMonth ?? 1_000_000,
        averageDurationMs: raw.spec.usage?.averageDurationMs ?? 200,
        egressGBPerMonth: raw.spec.usage?.egressGBPerMonth ?? 100,
      },
      services,
    },
  };
}

/**
 * Parses and normalizes an architecture spec (an object already read from
 * YAML or JSON). Every problem is returned with its field path; nothing
 * throws for bad input.
 *
 * @public
 */
export function parseArchitecture(input: unknown): ParseArchitectureResult {
  const parsed = architectureSpecSchema.safeParse(input);
  if (!parsed.success) {
    return {
      ok: false,
      issues: parsed.error.issues.map(issue => ({
        path: formatFieldPath(issue.path),
        message: describeZodIssue(issue),
      })),
    };
  }
  const raw = parsed.data;
  const issues: SpecIssue[] = [];
  const platform = raw.spec.platform ?? 'auto';
  const names = serviceNames(raw.spec.services, issues);
  const services = raw.spec.services.map((service, index) =>
    parseService(
      service,
      {
        at: `spec.services[${index}]`,
        names,
        platform,
        cloud: raw.spec.cloud,
        tier: raw.spec.tier,
      },
      issues,
    ),
  );
  issues.push(...normalizedServiceIssues(services, raw.spec.mesh));

  // Objects the engine names after services: collisions, reserved names,
  // kind limits (spec/names.ts)
  issues.push(
    ...generatedNameIssues({
      app: raw.metadata.name,
      platform,
      mesh: raw.spec.mesh ?? 'auto',
      services,
    }),
  );

  const environments = raw.spec.environments ?? ['prod'];
  const duplicateEnv = environments.find(
    (e, i) => environments.indexOf(e) !== i,
  );
  if (duplicateEnv) {
    issues.push({
      path: 'spec.environments',
      message: `duplicate environment '${duplicateEnv}'`,
    });
  }

  if (issues.length > 0) {
    return { ok: false, issues };
  }
  return {
    ok: true,
    architecture: normalizedArchitecture(raw, platform, environments, services),
  };
}

function isValidTimeZone(zone: string): boolean {
  try {
    // eslint-disable-next-line no-new
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return /^[A-Za-z_]+(\/[A-Za-z0-9_+-]+)*$/.test(zone);
  } catch {
    return false;
  }
}

function describeZodIssue(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'unrecognized_keys':
      return `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys
        .map(k => `'${k}'`)
        .join(', ')}`;
    case 'invalid_value':
      return `must be one of ${issue.values
        .map(v => JSON.stringify(v))
        .join(', ')}`;
    case 'invalid_type':
      return issue.message.includes('received undefined')
        ? 'required'
        : `expected ${issue.expected}`;
    default:
      return issue.message;
  }
}
