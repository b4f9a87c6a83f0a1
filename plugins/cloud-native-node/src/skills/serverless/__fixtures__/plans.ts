import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import {
  DeploymentPlan,
  createPlan,
  parseArchitecture,
} from '@internal/backstage-plugin-cloud-native-common';

// Test fixture only (never bundled): the repository's example specs
// eslint-disable-next-line no-restricted-syntax
const EXAMPLES = path.resolve(__dirname, '../../../../../../examples');

/** A spec object (as read from YAML) of one of the repository's examples. */
export function exampleSpec(name: string): Record<string, any> {
  return parse(
    readFileSync(path.join(EXAMPLES, name, 'architecture.yaml'), 'utf8'),
  );
}

/** A plan from a spec object, failing loudly on spec errors. */
export function planOf(spec: unknown): DeploymentPlan {
  const result = parseArchitecture(spec);
  if (!result.ok) {
    throw new Error(
      `invalid spec: ${result.issues
        .map(i => `${i.path}: ${i.message}`)
        .join('; ')}`,
    );
  }
  return createPlan(result.architecture);
}

/** The example's spec with spec-level fields replaced. */
export function withSpec(
  spec: Record<string, any>,
  overrides: Record<string, unknown>,
): Record<string, any> {
  return { ...spec, spec: { ...spec.spec, ...overrides } };
}

/** A platform-agnostic, all-function spec with every trigger type. */
export function allTriggersSpec(
  cloud: string,
  tier = 'T2',
): Record<string, any> {
  return {
    apiVersion: 'cloud-native.backstage.io/v1alpha1',
    kind: 'Architecture',
    metadata: { name: 'events-lab' },
    spec: {
      type: 'event-driven',
      cloud,
      tier,
      requirements: ['cost'],
      services: [
        {
          name: 'api',
          workload: 'function',
          language: 'node',
          trigger: { type: 'http' },
          env: { LOG_LEVEL: 'info' },
          secrets: ['API_KEY'],
        },
        {
          name: 'ingest',
          workload: 'function',
          language: 'python',
          trigger: { type: 'queue', source: 'orders' },
          timeoutSeconds: 60,
        },
        {
          name: 'nightly',
          workload: 'function',
          language: 'go',
          trigger: { type: 'schedule' },
          schedule: '30 2 * * 1-5',
        },
        {
          name: 'changes',
          workload: 'function',
          language: 'java',
          trigger: { type: 'stream', source: 'dynamodb:orders-table' },
        },
        {
          name: 'clicks',
          workload: 'function',
          language: 'dotnet',
          trigger: { type: 'stream', source: 'clickstream' },
          memoryMB: 1024,
        },
        {
          name: 'resize',
          workload: 'function',
          language: 'rust',
          trigger: { type: 'storage', source: 'images' },
        },
        {
          name: 'legacy',
          workload: 'function',
          language: 'php',
          trigger: { type: 'http' },
        },
      ],
    },
  };
}
