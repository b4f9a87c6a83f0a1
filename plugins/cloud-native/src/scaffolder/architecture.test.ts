import {
  parseArchitecture,
  ARCHITECTURE_API_VERSION,
} from '@internal/backstage-plugin-cloud-native-common';
import {
  architectureFromFormData,
  formPathOf,
  previewPlan,
  previewSummary,
} from './architecture';

/** Form keys that keep their name in the spec. */
const sameNameSpecFields = {
  platform: 'auto',
  cloud: 'aws',
  region: 'eu-west-1',
  tier: 'T2',
  environments: ['dev', 'staging', 'prod'],
  requirements: ['security', 'cost'],
  mesh: 'auto',
  gitops: 'none',
};

const completeForm = {
  name: 'shop',
  owner: 'group:default/platform-team',
  description: 'Storefront and API',
  system: 'system:default/commerce',
  architectureType: 'microservices',
  ...sameNameSpecFields,
  services: [
    {
      name: 'api',
      workload: 'service',
      language: 'node',
      port: 8080,
      expose: 'public',
      resources: { cpu: '100m', memory: '128Mi' },
      strategy: 'auto',
    },
  ],
  planPreview: 'kubernetes, T2, 1 service(s)',
};

describe('architectureFromFormData', () => {
  it('fills apiVersion and kind and maps the form keys onto the spec', () => {
    expect(architectureFromFormData(completeForm)).toEqual({
      apiVersion: ARCHITECTURE_API_VERSION,
      kind: 'Architecture',
      metadata: {
        name: 'shop',
        owner: 'group:default/platform-team',
        description: 'Storefront and API',
      },
      spec: {
        type: 'microservices',
        ...sameNameSpecFields,
        services: completeForm.services,
      },
    });
  });

  it('leaves out keys that are not part of the spec', () => {
    const architecture = architectureFromFormData(completeForm);
    expect(JSON.stringify(architecture)).not.toContain('commerce');
    expect(JSON.stringify(architecture)).not.toContain('planPreview');
  });

  it('gives a bare skeleton for an empty or missing form', () => {
    const skeleton = {
      apiVersion: ARCHITECTURE_API_VERSION,
      kind: 'Architecture',
    };
    expect(architectureFromFormData(undefined)).toEqual(skeleton);
    expect(architectureFromFormData({})).toEqual(skeleton);
  });

  it('prunes empty strings, nulls and empty objects the form leaves behind', () => {
    const architecture = architectureFromFormData({
      ...completeForm,
      description: '',
      region: null,
      registry: undefined,
      services: [
        {
          name: 'api',
          workload: 'service',
          language: 'node',
          image: '',
          health: {},
          replicas: { min: undefined, max: undefined },
          secrets: [],
        },
      ],
    }) as any;
    expect(architecture.metadata).not.toHaveProperty('description');
    expect(architecture.spec).not.toHaveProperty('region');
    expect(architecture.spec).not.toHaveProperty('registry');
    // Same rule as the orchestrate action: empty arrays stay.
    expect(architecture.spec.services).toEqual([
      { name: 'api', workload: 'service', language: 'node', secrets: [] },
    ]);
    expect(parseArchitecture(architecture).ok).toBe(true);
  });

  it('passes the workload-specific fields of each service through', () => {
    const services = [
      {
        name: 'nightly-export',
        workload: 'cronjob',
        language: 'python',
        schedule: '30 1 * * *',
        timeZone: 'Europe/Istanbul',
        timeoutSeconds: 3600,
      },
      {
        name: 'backfill',
        workload: 'job',
        language: 'go',
        completions: 20,
        parallelism: 4,
      },
      {
        name: 'thumbnails',
        workload: 'function',
        language: 'python',
        trigger: { type: 'storage', source: 'uploads' },
        memoryMB: 1024,
        timeoutSeconds: 60,
      },
      {
        name: 'postgres',
        workload: 'stateful',
        image: 'postgres:16.4-bookworm',
        port: 5432,
        storage: { size: '50Gi', class: 'gp3' },
      },
    ];
    const architecture = architectureFromFormData({
      ...completeForm,
      architectureType: 'batch',
      services,
    });
    expect((architecture.spec as any).services).toEqual(services);
    const parsed = parseArchitecture(architecture);
    expect(parsed.ok).toBe(true);
  });
});

describe('formPathOf', () => {
  it.each([
    ['metadata.name', 'name'],
    ['metadata', 'name'],
    ['spec.type', 'architectureType'],
    ['spec.requirements', 'requirements'],
    ['spec.environments[1]', 'environments[1]'],
    ['spec.services', 'services'],
    ['spec.services[2].schedule', 'services[2].schedule'],
    ['spec.usage.requestsPerMonth', 'usage.requestsPerMonth'],
  ])('maps %s to the form key %s', (specPath, formPath) => {
    expect(formPathOf(specPath)).toBe(formPath);
  });
});

describe('previewPlan', () => {
  it('plans a complete form', () => {
    const preview = previewPlan(completeForm);
    expect(preview).toMatchObject({
      ok: true,
      plan: { platform: 'kubernetes', services: [{ name: 'api' }] },
    });
    expect(previewSummary(preview)).toMatch(/^kubernetes, T2, 1 service\(s\)/);
  });

  it('returns the issues of an incomplete form instead of throwing', () => {
    // What the form holds after its first page: the later pages' defaults
    // are not filled in yet.
    const preview = previewPlan({ name: 'shop', architectureType: 'batch' });
    expect(preview).toMatchObject({
      ok: false,
      issues: expect.arrayContaining(
        ['spec.cloud', 'spec.tier', 'spec.requirements', 'spec.services'].map(
          path => expect.objectContaining({ path }),
        ),
      ),
    });
    expect(previewSummary(preview)).toMatch(/^invalid: \d+ issue\(s\)$/);
  });
});
