import {
  Architecture,
  DeploymentPlan,
  Language,
  Service,
  ServicePlan,
  WorkloadKind,
} from '@internal/backstage-plugin-cloud-native-common';

const REGISTRY = 'registry.example.com/shop';

/** A normalized service with the defaults `parseArchitecture` applies. */
export function makeService(
  name: string,
  workload: WorkloadKind,
  overrides: Partial<Service> = {},
): Service {
  const serves =
    workload === 'service' ||
    workload === 'stateful' ||
    workload === 'function';
  const defaultPort = serves ? 8080 : undefined;
  const port = 'port' in overrides ? overrides.port : defaultPort;
  const health =
    workload === 'service' || workload === 'stateful'
      ? { path: '/healthz', port: port ?? 8080, startupSeconds: 0 }
      : undefined;
  return {
    name,
    workload,
    language: 'node',
    port,
    protocol: 'http',
    expose: serves ? 'internal' : 'none',
    replicas: { min: 2, max: 6 },
    resources: { cpu: '100m', memory: '128Mi' },
    scaling: 'variable',
    strategy: 'auto',
    health,
    schedule: workload === 'cronjob' ? '0 2 * * *' : undefined,
    trigger: workload === 'function' ? { type: 'http' } : undefined,
    dependsOn: [],
    env: {},
    secrets: [],
    ...overrides,
  };
}

const OBJECT_KIND = {
  service: 'Deployment',
  worker: 'Deployment',
  stateful: 'StatefulSet',
  daemon: 'DaemonSet',
  job: 'Job',
  cronjob: 'CronJob',
  function: 'Function',
} as const;

/** A service that builds its image from source in the given language. */
export function built(
  name: string,
  language: Language,
  workload: WorkloadKind = 'service',
  overrides: Partial<Service> = {},
): ServicePlan {
  const service = makeService(name, workload, { language, ...overrides });
  return {
    name,
    runtime: workload === 'function' ? 'serverless' : 'kubernetes',
    objectKind: OBJECT_KIND[workload],
    strategy: 'rolling',
    buildsImage: true,
    image: `${REGISTRY}/${name}:1.0.0`,
    highTraffic: false,
    critical: false,
    decisions: [],
    service,
  };
}

/** A service that runs a prebuilt image. */
export function prebuilt(name: string, image: string): ServicePlan {
  const service = makeService(name, 'service', {
    language: undefined,
    image,
  });
  return {
    name,
    runtime: 'kubernetes',
    objectKind: 'Deployment',
    strategy: 'rolling',
    buildsImage: false,
    image,
    highTraffic: false,
    critical: false,
    decisions: [],
    service,
  };
}

/** A T2 Kubernetes plan with the given services. */
export function makePlan(services: ServicePlan[]): DeploymentPlan {
  const architecture: Architecture = {
    apiVersion: 'cloud-native.backstage.io/v1alpha1',
    kind: 'Architecture',
    metadata: { name: 'shop' },
    spec: {
      type: 'microservices',
      platform: 'kubernetes',
      cloud: 'aws',
      region: 'us-east-1',
      tier: 'T2',
      environments: ['prod'],
      requirements: ['security'],
      mesh: 'none',
      gitops: 'none',
      registry: REGISTRY,
      usage: {
        requestsPerMonth: 1_000_000,
        averageDurationMs: 200,
        egressGBPerMonth: 100,
      },
      services: services.map(s => s.service),
    },
  };
  return {
    name: 'shop',
    platform: 'kubernetes',
    cloud: 'aws',
    region: 'us-east-1',
    clusterProviders: ['eks'],
    tier: 'T2',
    tierFeatures: {
      securityHardening: true,
      costOptimization: false,
      observability: true,
      disasterRecovery: false,
      compliance: false,
      multiZoneHA: true,
      podDisruptionBudgets: true,
      networkPolicies: true,
      topologySpread: true,
      podSecurity: 'restricted',
      maxUnavailable: 0,
    },
    environments: ['prod'],
    namespace: 'shop',
    mesh: 'none',
    trafficRouter: 'none',
    ingress: 'alb',
    packaging: 'manifests',
    gitops: 'none',
    skills: [
      {
        id: 'container-image-optimizer',
        reason: 'services build images',
        ruleIds: [],
        dependsOn: [],
      },
    ],
    services,
    decisions: [],
    questions: [],
    complexity: { level: 'low', score: 1, why: 'fixture' },
    architecture,
  };
}
