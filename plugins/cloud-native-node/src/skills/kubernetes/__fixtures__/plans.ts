import {
  ArchitectureSpecInput,
  createPlan,
  DeploymentPlan,
  parseArchitecture,
  ServiceSpecInput,
} from '@internal/backstage-plugin-cloud-native-common';
import { KubernetesObject } from '../../../core/types';
import { generateKubernetesObjects } from '../generator';

type SpecOverrides = Partial<ArchitectureSpecInput['spec']>;

/** A service of the spec. */
export function svc(
  name: string,
  workload: ServiceSpecInput['workload'],
  extra: Partial<ServiceSpecInput> = {},
): ServiceSpecInput {
  return { name, workload, language: 'node', ...extra };
}

/** An architecture spec with sensible defaults. */
export function spec(
  overrides: SpecOverrides,
  services: ServiceSpecInput[],
  name = 'shop',
): ArchitectureSpecInput {
  return {
    apiVersion: 'cloud-native.backstage.io/v1alpha1',
    kind: 'Architecture',
    metadata: { name },
    spec: {
      type: 'microservices',
      cloud: 'platform-agnostic',
      tier: 'T2',
      requirements: ['performance'],
      environments: ['prod'],
      mesh: 'none',
      ...overrides,
      services,
    },
  };
}

/** createPlan(parseArchitecture(spec).architecture), failing on spec issues. */
export function planOf(input: ArchitectureSpecInput): DeploymentPlan {
  const result = parseArchitecture(input);
  if (!result.ok) {
    throw new Error(`invalid fixture: ${JSON.stringify(result.issues)}`);
  }
  return createPlan(result.architecture);
}

/** A plan with one service. */
export function singleServicePlan(
  service: ServiceSpecInput,
  overrides: SpecOverrides = {},
): DeploymentPlan {
  return planOf(spec(overrides, [service]));
}

/**
 * A realistic shop: a public API that depends on two internal services and
 * a database, a queue worker, a node agent, an indexed batch job and a cron
 * job with a time zone.
 */
export const SHOP_SPEC = (overrides: SpecOverrides = {}) =>
  spec({ environments: ['dev', 'staging', 'prod'], ...overrides }, [
    svc('web', 'service', {
      port: 3000,
      expose: 'public',
      dependsOn: ['api'],
      health: { path: '/ready', startupSeconds: 30 },
    }),
    svc('api', 'service', {
      port: 8080,
      dependsOn: ['catalog', 'orders', 'db'],
      env: { LOG_LEVEL: 'info', FEATURE_X: 'on' },
      secrets: ['API_KEY', 'DB_PASSWORD'],
      scaling: 'burst',
      expose: 'public',
    }),
    svc('catalog', 'service', { port: 8080, dependsOn: ['db'] }),
    svc('orders', 'service', { port: 8080, dependsOn: ['db'] }),
    // a PostgreSQL that replicates itself (Patroni, health on its REST
    // port 8008): an image without a well-known profile, so it keeps its
    // replicas (STATE-001 applies to images that do not replicate)
    svc('db', 'stateful', {
      image: 'registry.example.com/shop/patroni:16.4',
      port: 5432,
      storage: { size: '50Gi', class: 'gp3' },
      health: { path: '/healthz', port: 8008 },
    }),
    svc('mailer', 'worker', { dependsOn: ['orders'] }),
    svc('node-agent', 'daemon', { language: 'go' }),
    svc('reindex', 'job', {
      completions: 8,
      parallelism: 2,
      timeoutSeconds: 1800,
    }),
    svc('report', 'cronjob', {
      schedule: '0 2 * * *',
      timeZone: 'Europe/Istanbul',
      dependsOn: ['db'],
    }),
  ]);

/** The manifests of SHOP_SPEC with `overrides` in `env` (prod by default). */
export function shopObjects(
  overrides: SpecOverrides = {},
  env = 'prod',
): KubernetesObject[] {
  return generateKubernetesObjects(planOf(SHOP_SPEC(overrides)), env);
}

/**
 * One service of each protocol at T3: a public gRPC API (canary), an
 * internal TCP broker (canary: by replicas), a TCP ledger (blue-green),
 * Redis (tcp by default) and an HTTP web front end (a Deployment) calling
 * all.
 */
export const PROTOCOLS_SPEC = (overrides: SpecOverrides = {}) =>
  spec({ tier: 'T3', ...overrides }, [
    svc('web', 'service', {
      port: 3000,
      expose: 'public',
      scaling: 'fixed',
      dependsOn: ['rpc', 'broker', 'ledger', 'cache'],
    }),
    svc('rpc', 'service', {
      port: 9090,
      protocol: 'grpc',
      expose: 'public',
      strategy: 'canary',
      dependsOn: ['ledger'],
    }),
    svc('broker', 'service', {
      port: 4222,
      protocol: 'tcp',
      strategy: 'canary',
    }),
    svc('ledger', 'service', {
      port: 7000,
      protocol: 'tcp',
      strategy: 'blue-green',
    }),
    {
      name: 'cache',
      workload: 'stateful',
      // replicated by the team's own image (a plain redis would be one replica)
      image: 'registry.example.com/shop/redis-cluster:7.4',
      port: 6379,
      replicas: { min: 3, max: 3 },
    },
  ]);

export function byKind(
  objects: KubernetesObject[],
  kind: string,
): KubernetesObject[] {
  return objects.filter(o => o.kind === kind);
}

/** The names of the objects of one kind, sorted: what a test lists. */
export function namesOf(objects: KubernetesObject[], kind: string): string[] {
  return byKind(objects, kind)
    .map(o => o.metadata.name)
    .sort();
}

export function find(
  objects: KubernetesObject[],
  kind: string,
  name: string,
): KubernetesObject {
  // a Job is named after its image (jobName): found by its service's name label
  const found = objects.find(
    o =>
      o.kind === kind &&
      (o.metadata.name === name ||
        (kind === 'Job' &&
          o.metadata.labels?.['app.kubernetes.io/name'] === name)),
  );
  if (!found) {
    throw new Error(
      `no ${kind} ${name} among ${objects
        .map(o => `${o.kind}/${o.metadata.name}`)
        .join(', ')}`,
    );
  }
  return found;
}

/** Loosely typed access for assertions. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Loose = any;

/** The pod spec of any workload object, or undefined for non-workloads. */
export function podSpecOf(object: KubernetesObject): Loose | undefined {
  const objectSpec = object.spec as Loose;
  if (object.kind === 'CronJob') {
    return objectSpec.jobTemplate.spec.template.spec;
  }
  if (
    ['Deployment', 'Rollout', 'StatefulSet', 'DaemonSet', 'Job'].includes(
      object.kind,
    )
  ) {
    return objectSpec.template.spec;
  }
  return undefined;
}

export function podTemplateOf(object: KubernetesObject): Loose | undefined {
  const objectSpec = object.spec as Loose;
  if (object.kind === 'CronJob') return objectSpec.jobTemplate.spec.template;
  if (
    ['Deployment', 'Rollout', 'StatefulSet', 'DaemonSet', 'Job'].includes(
      object.kind,
    )
  ) {
    return objectSpec.template;
  }
  return undefined;
}
