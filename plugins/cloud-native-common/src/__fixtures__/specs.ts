import { ArchitectureSpecInput, ServiceSpecInput } from '../spec/schema';

/** A minimal valid spec, with overrides for tests. */
export function spec(
  overrides: Partial<ArchitectureSpecInput['spec']> = {},
  services: ServiceSpecInput[] = [
    { name: 'web', workload: 'service', language: 'node', port: 8080 },
  ],
): ArchitectureSpecInput {
  return {
    apiVersion: 'cloud-native.backstage.io/v1alpha1',
    kind: 'Architecture',
    metadata: { name: 'shop' },
    spec: {
      type: 'microservices',
      cloud: 'aws',
      tier: 'T2',
      requirements: ['performance'],
      services,
      ...overrides,
    },
  };
}

export const svc = (
  name: string,
  workload: ServiceSpecInput['workload'],
  extra: Partial<ServiceSpecInput> = {},
): ServiceSpecInput => ({
  name,
  workload,
  language: 'go',
  ...(workload === 'cronjob' ? { schedule: '0 2 * * *' } : {}),
  ...extra,
});
