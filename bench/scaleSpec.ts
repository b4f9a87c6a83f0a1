/*
 * The generated specs of P2 and P5: `count` services of several workload
 * kinds, T2, kubernetes on AWS, one environment. Deterministic.
 */
import {
  ArchitectureSpecInput,
  ServiceSpecInput,
} from '@internal/backstage-plugin-cloud-native-common';

/** A deterministic spec of `count` services of several kinds. */
export function scaleSpec(count: number): ArchitectureSpecInput {
  const kinds: Array<ServiceSpecInput['workload']> = [
    'service',
    'service',
    'worker',
    'stateful',
    'job',
    'cronjob',
    'service',
    'function',
  ];
  const languages = ['node', 'go', 'python', 'java'] as const;
  const services: ServiceSpecInput[] = [];
  for (let i = 0; i < count; i++) {
    const name = `svc-${String(i).padStart(4, '0')}`;
    // Two DaemonSets at most: more would not fit on a node
    const workload = i === 3 || i === 11 ? 'daemon' : kinds[i % kinds.length];
    const service: ServiceSpecInput = {
      name,
      workload,
      resources: { cpu: '100m', memory: '128Mi' },
    };
    if (workload === 'stateful') {
      service.image = 'postgres:16.4-bookworm';
      service.port = 5432;
      service.storage = { size: '10Gi' };
      service.secrets = ['POSTGRES_PASSWORD'];
    } else if (workload === 'daemon') {
      service.image = 'fluent/fluent-bit:3.1.9';
      service.resources = { cpu: '50m', memory: '64Mi' };
    } else {
      service.language = languages[i % languages.length];
    }
    if (workload === 'cronjob') service.schedule = `${i % 60} 2 * * *`;
    if (workload === 'job') service.completions = 1;
    if (workload === 'service' && i % 5 === 0) service.expose = 'public';
    if (i > 0 && workload === 'service') {
      service.dependsOn = [`svc-${String(i - 1).padStart(4, '0')}`];
    }
    if (i % 4 === 0) service.env = { LOG_LEVEL: 'info', INDEX: String(i) };
    services.push(service);
  }
  return {
    apiVersion: 'cloud-native.backstage.io/v1alpha1',
    kind: 'Architecture',
    metadata: { name: `scale-${count}` },
    spec: {
      type: 'microservices',
      platform: 'kubernetes',
      cloud: 'aws',
      tier: 'T2',
      environments: ['prod'],
      requirements: ['performance'],
      services,
    },
  };
}
