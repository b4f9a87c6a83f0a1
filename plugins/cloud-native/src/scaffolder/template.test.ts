import {
  architectureTypes,
  clouds,
  gitopsTools,
  languages,
  meshes,
  parseArchitecture,
  platforms,
  pruneEmpty,
  requirementKinds,
  serviceSpecSchema,
  strategies,
  tiers,
  triggerTypes,
  workloadKinds,
} from '@internal/backstage-plugin-cloud-native-common';
// The Backstage jest config turns .yaml imports into the parsed object. The
// template is repository content rather than a package, hence the exception.
// eslint-disable-next-line @backstage/no-relative-monorepo-imports
import templateYaml from '../../../../templates/cloud-native-deployment/template.yaml';
import {
  ARCHITECTURE_FORM_KEYS,
  architectureFromFormData,
} from './architecture';
import { DEPLOYMENT_PLAN_PREVIEW_FIELD } from './DeploymentPlanPreview';

type JsonSchema = {
  type?: string;
  default?: unknown;
  enum?: string[];
  required?: string[];
  properties?: Record<string, JsonSchema>;
  items?: JsonSchema;
  dependencies?: Record<string, { oneOf: JsonSchema[] }>;
  [key: string]: unknown;
};

type Template = {
  apiVersion: string;
  kind: string;
  metadata: { name: string };
  spec: {
    parameters: JsonSchema[];
    steps: Array<{ id: string; action: string; input?: any }>;
    output: any;
  };
};

const template = templateYaml as unknown as Template;
const { parameters, steps } = template.spec;

const properties: Record<string, JsonSchema> = Object.assign(
  {},
  ...parameters.map(page => page.properties ?? {}),
);
const serviceItem = properties.services.items!;
const workloadBranches = serviceItem.dependencies!.workload.oneOf;

/** The service fields of one workload kind: the common ones and its branch. */
function serviceFields(workload: string): string[] {
  const branch = workloadBranches.find(b =>
    b.properties!.workload.enum!.includes(workload),
  );
  return [
    ...Object.keys(serviceItem.properties!),
    ...Object.keys(branch?.properties ?? {}),
  ];
}

const SINGLE_PARAMETER = /^\$\{\{\s*parameters\.([A-Za-z0-9_]+)\s*\}\}$/;

/**
 * Renders `${{ parameters.x }}` the way the scaffolder does for a value that
 * is one expression (the parameter's value as is, arrays and objects kept;
 * undefined drops the key); any other expression is not expected here.
 */
function renderParameters(
  value: unknown,
  formData: Record<string, unknown>,
): unknown {
  if (typeof value === 'string') {
    const match = SINGLE_PARAMETER.exec(value);
    if (match) {
      return formData[match[1]];
    }
    if (value.includes('${{')) {
      throw new Error(`unexpected expression in the architecture: ${value}`);
    }
    return value;
  }
  if (Array.isArray(value)) {
    return value.map(v => renderParameters(v, formData));
  }
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, renderParameters(v, formData)]),
    );
  }
  return value;
}

/** What the orchestrate action receives and prunes, for this form. */
function orchestrateArchitecture(formData: Record<string, unknown>) {
  const step = steps.find(s => s.action === 'cloud-native:orchestrate')!;
  const rendered = JSON.parse(
    JSON.stringify(renderParameters(step.input.architecture, formData)),
  );
  return pruneEmpty(rendered);
}

const defaults = Object.fromEntries(
  Object.entries(properties)
    .filter(([, schema]) => schema.default !== undefined)
    .map(([key, schema]) => [key, schema.default]),
);

const twoServices = [
  {
    name: 'web',
    workload: 'service',
    language: 'node',
    resources: { cpu: '100m', memory: '128Mi' },
    port: 3000,
    expose: 'public',
    health: { path: '/healthz' },
    replicas: { min: 2, max: 4 },
    scaling: 'variable',
    strategy: 'auto',
    dependsOn: ['reports'],
    secrets: ['SESSION_SECRET'],
  },
  {
    name: 'reports',
    workload: 'cronjob',
    language: 'python',
    resources: { cpu: '250m', memory: '256Mi' },
    schedule: '0 2 * * *',
    timeZone: 'Europe/Istanbul',
    timeoutSeconds: 1800,
  },
];

const filledForm = {
  ...defaults,
  name: 'guestbook',
  owner: 'group:default/platform-team',
  description: 'A guest book',
  services: twoServices,
  planPreview: 'whatever the preview stored',
};

describe('templates/cloud-native-deployment/template.yaml', () => {
  it('is a v1beta3 template with four form pages', () => {
    expect(template.apiVersion).toBe('scaffolder.backstage.io/v1beta3');
    expect(template.kind).toBe('Template');
    expect(template.metadata.name).toBe('cloud-native-deployment');
    expect(parameters.map(page => page.title)).toEqual([
      'Application',
      'Platform and cloud',
      'Services',
      'Deployment plan',
    ]);
  });

  it('only uses known actions', () => {
    const builtIn = ['fetch:template', 'catalog:register'];
    for (const step of steps) {
      expect(
        builtIn.includes(step.action) ||
          step.action.startsWith('cloud-native:'),
      ).toBe(true);
    }
    expect(steps.map(s => s.action)).toEqual([
      'fetch:template',
      'cloud-native:orchestrate',
      'cloud-native:publish:local',
    ]);
  });

  it('references only parameters the form declares', () => {
    const referenced = [
      ...JSON.stringify(steps).matchAll(/parameters\.([A-Za-z0-9_]+)/g),
    ].map(m => m[1]);
    expect(referenced.length).toBeGreaterThan(0);
    for (const key of referenced) {
      expect(Object.keys(properties)).toContain(key);
    }
    for (const key of Object.keys(ARCHITECTURE_FORM_KEYS)) {
      expect(Object.keys(properties)).toContain(key);
    }
  });

  it('offers exactly the values the spec accepts', () => {
    expect(properties.architectureType.enum).toEqual([...architectureTypes]);
    expect(properties.platform.enum).toEqual([...platforms]);
    expect(properties.cloud.enum).toEqual([...clouds]);
    expect(properties.tier.enum).toEqual([...tiers]);
    expect(properties.requirements.items!.enum).toEqual([...requirementKinds]);
    expect(properties.mesh.enum).toEqual([...meshes]);
    expect(properties.gitops.enum).toEqual([...gitopsTools]);
    expect(serviceItem.properties!.workload.enum).toEqual([...workloadKinds]);
    expect(serviceItem.properties!.language.enum).toEqual([...languages]);
    const serviceBranch = workloadBranches[0].properties!;
    expect(serviceBranch.strategy.enum).toEqual([...strategies]);
    const functionBranch = workloadBranches.find(b =>
      b.properties!.workload.enum!.includes('function'),
    )!;
    expect(functionBranch.properties!.trigger.properties!.type.enum).toEqual([
      ...triggerTypes,
    ]);
  });

  it('has one branch per workload kind, using only fields of the spec', () => {
    const specFields = Object.keys(serviceSpecSchema.shape);
    const covered = workloadBranches.flatMap(b => b.properties!.workload.enum!);
    expect([...covered].sort()).toEqual([...workloadKinds].sort());
    for (const workload of workloadKinds) {
      for (const field of serviceFields(workload)) {
        expect(specFields).toContain(field);
      }
    }
    expect(serviceFields('cronjob')).toEqual(
      expect.arrayContaining(['schedule', 'timeZone']),
    );
    expect(serviceFields('job')).toEqual(
      expect.arrayContaining(['completions', 'parallelism', 'timeoutSeconds']),
    );
    expect(serviceFields('function')).toEqual(
      expect.arrayContaining(['trigger', 'memoryMB', 'timeoutSeconds']),
    );
    expect(serviceFields('stateful')).toContain('storage');
    expect(serviceFields('service')).toEqual(
      expect.arrayContaining([
        'port',
        'expose',
        'health',
        'replicas',
        'scaling',
        'strategy',
      ]),
    );
  });

  it('builds the same architecture in its step as the live preview', () => {
    expect(orchestrateArchitecture(filledForm)).toEqual(
      architectureFromFormData(filledForm),
    );
    // Also with optional values left out or emptied by the form
    const sparse = { ...filledForm, description: '', region: undefined };
    expect(orchestrateArchitecture(sparse)).toEqual(
      architectureFromFormData(sparse),
    );
  });

  it('turns its defaults plus two services into a valid spec', () => {
    const parsed = parseArchitecture(architectureFromFormData(filledForm));
    expect(parsed.ok ? [] : parsed.issues).toEqual([]);
  });

  it('turns its defaults, including the default service, into a valid spec', () => {
    const parsed = parseArchitecture(
      architectureFromFormData({
        ...defaults,
        name: 'starter',
        owner: 'user:default/guest',
      }),
    );
    expect(parsed.ok ? [] : parsed.issues).toEqual([]);
  });

  it('shows the live plan on a field that no step reads', () => {
    const preview = Object.entries(properties).find(
      ([, schema]) => schema['ui:field'] === DEPLOYMENT_PLAN_PREVIEW_FIELD,
    );
    expect(preview).toBeDefined();
    const [key, schema] = preview!;
    expect(JSON.stringify(steps)).not.toContain(`parameters.${key}`);
    expect(parameters.some(page => page.required?.includes(key))).toBe(false);
    expect(schema['ui:backstage']).toEqual({ review: { show: false } });
  });

  it('links the new entity and reports plan, validation and cost', () => {
    const output = JSON.stringify(template.spec.output);
    expect(output).toContain("steps['publish'].output.entityRef");
    for (const field of [
      'summary',
      'validationStatus',
      'monthlyCost',
      'costRange',
    ]) {
      expect(output).toContain(`steps['orchestrate'].output.${field}`);
    }
  });
});
