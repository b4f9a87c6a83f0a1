import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { DeploymentPlan } from '@internal/backstage-plugin-cloud-native-common';
import { orchestrate } from '../../engine/orchestrate';
import { parseSpecText } from '../../engine/loadSpec';
import { builtinSkills } from '../../engine/skills';
import { SkillOutput } from '../../core/types';
import { kubernetesManifestGenerator } from '../kubernetes';
import {
  chartedPlans,
  EXAMPLES_DIR,
  examplePlan,
  FIXTURE_PLANS,
} from './__fixtures__/charts';
import { appVersion, buildChart, kubernetesHelmBuilder } from '.';
import { helmReleaseName, HELM_RELEASE_NAME_MAX } from '../../plan/names';
import { runPackageToolChecks } from '../../tools';
import { CHART_TEMPLATES } from './templates';
import { splitImage, valuesOverride } from './values';

// orchestrate() validates the package, which can take a few seconds
jest.setTimeout(120_000);

const CHARTED = chartedPlans();

function runSkill(plan: DeploymentPlan): SkillOutput {
  return kubernetesHelmBuilder.run({
    plan,
    outputs: {
      'kubernetes-manifest-generator': kubernetesManifestGenerator.run({
        plan,
        outputs: {},
      }),
    },
  });
}

function file(output: SkillOutput, suffix: string): string {
  const found = output.files.find(f => f.path.endsWith(suffix));
  if (!found) throw new Error(`no file ${suffix}`);
  return found.content;
}

function childPath(prefix: string, key: string): string {
  if (prefix === 'services') return `${prefix}.*`;
  return prefix ? `${prefix}.${key}` : key;
}

/** Paths of the leaves of a values override, with `*` for service names. */
function leafPaths(value: unknown, prefix = ''): string[] {
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    return Object.entries(value).flatMap(([key, item]) =>
      leafPaths(item, childPath(prefix, key)),
    );
  }
  return [prefix];
}

describe('kubernetesHelmBuilder', () => {
  const shop = examplePlan('shop-eks-t2');
  const output = runSkill(shop);

  it('has the id of the plan skill', () => {
    expect(kubernetesHelmBuilder.id).toBe('kubernetes-helm-builder');
  });

  it('writes one chart at helm/<plan.name>/ with a values file per environment', () => {
    expect(output.manifests).toEqual([]);
    expect(output.files.map(f => f.path)).toEqual([
      'helm/shop/Chart.yaml',
      'helm/shop/README.md',
      'helm/shop/templates/NOTES.txt',
      'helm/shop/templates/_helpers.tpl',
      'helm/shop/templates/analysistemplate.yaml',
      'helm/shop/templates/configmap.yaml',
      'helm/shop/templates/cronjob.yaml',
      'helm/shop/templates/daemonset.yaml',
      'helm/shop/templates/deployment.yaml',
      'helm/shop/templates/externalsecret.yaml',
      'helm/shop/templates/hpa.yaml',
      'helm/shop/templates/ingress.yaml',
      'helm/shop/templates/job.yaml',
      'helm/shop/templates/networkpolicy.yaml',
      'helm/shop/templates/pdb.yaml',
      'helm/shop/templates/priorityclass.yaml',
      'helm/shop/templates/rollout.yaml',
      'helm/shop/templates/service.yaml',
      'helm/shop/templates/serviceaccount.yaml',
      'helm/shop/templates/statefulset.yaml',
      'helm/shop/templates/tests/test-connection.yaml',
      'helm/shop/values-dev.yaml',
      'helm/shop/values-prod.yaml',
      'helm/shop/values-staging.yaml',
      'helm/shop/values.schema.json',
      'helm/shop/values.yaml',
    ]);
  });

  it('does not render the Namespace: namespace/<env> creates it before the release', () => {
    const templates = output.files.filter(f => f.path.includes('/templates/'));
    for (const template of templates) {
      // (a test hook's namespaceSelector may name the kind, indented)
      expect({
        path: template.path,
        top: /^kind: Namespace$/m.test(template.content),
      }).toEqual({ path: template.path, top: false });
    }
    expect(parse(file(output, '/values.yaml'))).not.toHaveProperty('namespace');
    const readme = file(output, 'README.md');
    for (const env of ['dev', 'staging', 'prod']) {
      const first = readme.indexOf(
        `kubectl apply --server-side -k namespace/${env}\n`,
      );
      expect(first).toBeGreaterThan(0);
      expect(readme.indexOf(`-f helm/shop/values-${env}.yaml`)).toBeGreaterThan(
        first,
      );
    }
    expect(readme).not.toContain('--create-namespace');
  });

  it('notes name the chart and the environments', () => {
    expect(output.notes[0]).toBe(
      'helm/shop: one chart, 3 environment(s): values-dev.yaml, values-staging.yaml, values-prod.yaml over values.yaml (prod profile)',
    );
    expect(output.notes.join('\n')).toMatch(/-n shop/);
  });

  it('Chart.yaml: v2 application chart, appVersion from the image tags', () => {
    expect(parse(file(output, 'Chart.yaml'))).toEqual({
      apiVersion: 'v2',
      name: 'shop',
      description: 'Storefront, API, order worker and PostgreSQL on EKS',
      type: 'application',
      version: '0.1.0',
      appVersion: '1.0.0',
      kubeVersion: '>=1.30.0-0',
      keywords: ['kubernetes', 'aws', 't2', 'service', 'stateful', 'worker'],
      annotations: {
        'cloud-native.backstage.io/environments': 'dev,staging,prod',
        'cloud-native.backstage.io/namespace': 'shop',
        'cloud-native.backstage.io/tier': 'T2',
        'cloud-native.backstage.io/owner': 'group:default/platform-team',
        'cloud-native.backstage.io/requires': 'argo-rollouts,external-secrets',
        'cloud-native.backstage.io/generated-by': 'cloud-native-orchestrator',
      },
    });
  });

  it('values.yaml is the production profile with first-class keys', () => {
    const values = parse(file(output, '/values.yaml'));
    expect(values.environment).toBe('prod');
    expect(values.services.api).toMatchObject({
      kind: 'Rollout',
      image: {
        repository: '123456789012.dkr.ecr.eu-west-1.amazonaws.com/shop/api',
        tag: '1.0.0',
      },
      replicas: 2,
      autoscaling: { enabled: true, minReplicas: 2, maxReplicas: 8 },
      podDisruptionBudget: { enabled: true },
      resources: {
        requests: { cpu: '500m', memory: '768Mi' },
        limits: { cpu: '2', memory: '768Mi' },
      },
      config: { SPRING_PROFILES_ACTIVE: 'prod' },
      secrets: ['DATABASE_URL'],
    });
    expect(values.services.storefront.ingress).toMatchObject({
      enabled: true,
      host: 'storefront.example.com',
    });
    expect(values.services.postgres.persistence).toEqual({
      size: '50Gi',
      storageClass: 'gp3',
      accessModes: ['ReadWriteOnce'],
    });
    // T2: no collected metrics, so no release gate (plan/metrics.ts)
    expect(values.services.api.analysis).toBeUndefined();
  });

  it('the Go template syntax of Argo Rollouts lives in values, not templates', () => {
    const t3 = runSkill(examplePlan('marketplace-gke-t3'));
    const values = parse(file(t3, 'helm/marketplace/values.yaml'));
    const analysed = Object.values(values.services).filter(
      (s: any) => s.analysis,
    );
    expect(analysed.length).toBeGreaterThan(0);
    for (const service of analysed as any[]) {
      expect(JSON.stringify(service.analysis)).toContain('{{args.namespace}}');
    }
  });

  it('values-<env>.yaml holds only what the environment changes', () => {
    expect(parse(file(output, 'values-prod.yaml'))).toEqual({});
    expect(parse(file(output, 'values-dev.yaml'))).toMatchObject({
      environment: 'dev',
      services: {
        storefront: {
          replicas: 1,
          autoscaling: { enabled: false, minReplicas: 1, maxReplicas: 1 },
          podDisruptionBudget: { enabled: false },
          ingress: { host: 'storefront.dev.example.com' },
        },
      },
    });
  });

  it.each(CHARTED.map(([name]) => name))(
    '%s: every values-<env>.yaml key is a per-environment knob',
    name => {
      const plan = CHARTED.find(([n]) => n === name)![1]();
      const built = buildChart(
        plan,
        kubernetesManifestGenerator.run({ plan, outputs: {} }).environments!,
      );
      const allowed = new Set([
        'environment',
        'services.*.replicas',
        'services.*.autoscaling.enabled',
        'services.*.autoscaling.minReplicas',
        'services.*.autoscaling.maxReplicas',
        'services.*.podDisruptionBudget.enabled',
        'services.*.resources.requests.cpu',
        'services.*.resources.requests.memory',
        'services.*.resources.limits.cpu',
        'services.*.resources.limits.memory',
        'services.*.image.tag',
        'services.*.ingress.host',
      ]);
      for (const environment of plan.environments) {
        const paths = leafPaths(built.overrides[environment]);
        expect({
          environment,
          extra: paths.filter(p => !allowed.has(p)),
        }).toEqual({ environment, extra: [] });
      }
    },
  );

  it('is deterministic', () => {
    expect(runSkill(examplePlan('shop-eks-t2'))).toEqual(output);
    for (const [, plan] of CHARTED) {
      expect(runSkill(plan()).files).toEqual(runSkill(plan()).files);
    }
  });

  it('templates are the same text for every plan: no value is written into a template', () => {
    const texts = CHARTED.map(([, plan]) =>
      runSkill(plan())
        .files.filter(f => /\/templates\//.test(f.path))
        .map(f => ({
          path: f.path.replace(/^helm\/[^/]+\//, ''),
          content: f.content,
        })),
    );
    for (const text of texts) expect(text).toEqual(texts[0]);
    const byPath = (a: { path: string }, b: { path: string }) =>
      a.path < b.path ? -1 : 1;
    expect(texts[0]).toEqual([...CHART_TEMPLATES].sort(byPath));
    const all = CHART_TEMPLATES.map(t => t.content).join('\n');
    for (const [, plan] of CHARTED) {
      for (const service of plan().services) {
        expect(all).not.toContain(service.image);
      }
      expect(all).not.toContain('example.com');
    }
  });

  it('the test hook is a template with the helm.sh/hook test annotation', () => {
    const hook = file(output, 'templates/tests/test-connection.yaml');
    expect(hook).toContain('helm.sh/hook: test');
    expect(hook).toContain('readOnlyRootFilesystem: true');
    expect(parse(file(output, '/values.yaml')).tests).toMatchObject({
      enabled: true,
      image: 'busybox:1.36.1',
    });
  });

  it('values.schema.json is strict', () => {
    const schema = JSON.parse(file(output, 'values.schema.json'));
    expect(schema.additionalProperties).toBe(false);
    expect(schema.definitions.service.additionalProperties).toBe(false);
    expect(schema.definitions.service.properties.pod.additionalProperties).toBe(
      false,
    );
    expect(
      schema.definitions.service.properties.autoscaling.additionalProperties,
    ).toBe(false);
  });

  it('writes nothing for a plan without Kubernetes services', () => {
    const plan = examplePlan('events-serverless-aws');
    expect(runSkill(plan)).toEqual({
      files: [],
      manifests: [],
      notes: ['No Kubernetes services: no chart'],
    });
  });

  it('derives the chart from the objects the manifest skill built, not from the plan again', () => {
    const manifests = kubernetesManifestGenerator.run({
      plan: shop,
      outputs: {},
    });
    const given = JSON.parse(JSON.stringify(manifests)) as SkillOutput;
    const dev = given.environments!.find(e => e.environment === 'dev')!;
    type Config = { kind: string; data?: Record<string, string> };
    const group = dev.services.find(s =>
      s.objects.some(o => o.kind === 'ConfigMap'),
    )!;
    const config = (group.objects as Config[]).find(
      o => o.kind === 'ConfigMap',
    )!;
    config.data = { ...config.data, FEATURE_FLAG: 'on' };
    const chart = kubernetesHelmBuilder.run({
      plan: shop,
      outputs: { 'kubernetes-manifest-generator': given },
    });
    const values = parse(
      chart.files.find(f => f.path === 'helm/shop/values-dev.yaml')!.content,
    );
    expect(values.services[group.name].config.FEATURE_FLAG).toBe('on');
  });

  it('needs the output of the manifest skill', () => {
    expect(() =>
      kubernetesHelmBuilder.run({ plan: shop, outputs: {} }),
    ).toThrow(
      /derived from the objects of kubernetes-manifest-generator, which did not run before it/,
    );
  });

  it('runs in the engine when registered, for plans that call for it', async () => {
    const text = readFileSync(
      path.join(EXAMPLES_DIR, 'shop-eks-t2', 'architecture.yaml'),
      'utf8',
    );
    const pkg = await orchestrate(parseSpecText(text, 'shop'), {
      skills: {
        ...builtinSkills,
        'kubernetes-helm-builder': kubernetesHelmBuilder,
      },
    });
    expect(pkg.files.map(f => f.path)).toEqual(
      expect.arrayContaining(output.files.map(f => f.path)),
    );
    expect(
      pkg.report.trace.find(t => t.skill === 'kubernetes-helm-builder'),
    ).toMatchObject({ status: 'ok', files: output.files.length });
  });
});

describe('helmReleaseName', () => {
  it('is the plan name when Helm accepts it (at most 53 characters)', () => {
    expect(helmReleaseName({ name: 'shop' })).toBe('shop');
    const fiftyThree = `a${'b'.repeat(51)}c`;
    expect(helmReleaseName({ name: fiftyThree })).toBe(fiftyThree);
  });

  it.each([54, 60, 63])(
    'shortens a %i-character name to 53 with a stable hash suffix',
    length => {
      const name = `a${'b-'.repeat(40)}`.slice(0, length - 1).concat('z');
      expect(name).toHaveLength(length);
      const release = helmReleaseName({ name });
      expect(release.length).toBeLessThanOrEqual(HELM_RELEASE_NAME_MAX);
      expect(release).toMatch(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?-[0-9a-f]{6}$/);
      expect(release).not.toMatch(/--/);
      expect(name.startsWith(release.replace(/-[0-9a-f]{6}$/, ''))).toBe(true);
      expect(helmReleaseName({ name })).toBe(release);
      expect(helmReleaseName({ name: `${name.slice(0, -1)}y` })).not.toBe(
        release,
      );
    },
  );

  it('is the release of the chart README and the notes', () => {
    const name = `a${'b-'.repeat(30)}yz`;
    const plan = { ...examplePlan('shop-eks-t2'), name };
    const output = runSkill(plan);
    const release = helmReleaseName(plan);
    expect(release).toHaveLength(53);
    expect(output.notes.join('\n')).toContain(
      `helm upgrade --install ${release} helm/${name} -n`,
    );
    expect(file(output, 'README.md')).toContain(
      `helm upgrade --install ${release} helm/${name} -n`,
    );
    expect(file(output, 'README.md')).not.toContain(
      `helm upgrade --install ${name} `,
    );
  });
});

describe('values helpers', () => {
  it('splits image references as the templates join them', () => {
    expect(splitImage('registry:5000/team/api:1.2.3')).toEqual({
      repository: 'registry:5000/team/api',
      tag: '1.2.3',
    });
    expect(splitImage('registry:5000/team/api')).toEqual({
      repository: 'registry:5000/team/api',
    });
    expect(splitImage(`postgres:16@sha256:${'b'.repeat(64)}`)).toEqual({
      repository: 'postgres',
      tag: '16',
      digest: `sha256:${'b'.repeat(64)}`,
    });
  });

  it('computes a Helm override: maps merge, lists replace, null deletes', () => {
    expect(valuesOverride({ a: 1, b: { c: 2 } }, { a: 1, b: { c: 2 } })).toBe(
      undefined,
    );
    expect(
      valuesOverride(
        { a: 1, b: { c: 2, d: [1, 2] }, e: 'x' },
        { a: 1, b: { c: 3, d: [1] } },
      ),
    ).toEqual({ b: { c: 3, d: [1] }, e: null });
  });

  it('appVersion is the most common tag of the built images', () => {
    expect(appVersion(examplePlan('shop-eks-t2'))).toBe('1.0.0');
    expect(appVersion(FIXTURE_PLANS['fixture-aws-canary']())).toBe('1.0.0');
  });
});

it('the chart checks (src/tools) are skipped, each with the reason, when helm is not found', async () => {
  const results = await runPackageToolChecks('/tmp', {
    chart: { path: 'helm/shop', environments: ['dev', 'prod'] },
    helmPath: '/nonexistent/helm',
  });
  expect(results.map(r => [r.check, r.status])).toEqual([
    ['helm lint --strict (values-dev.yaml)', 'skipped'],
    ['helm template (values-dev.yaml)', 'skipped'],
    ['helm lint --strict (values-prod.yaml)', 'skipped'],
    ['helm template (values-prod.yaml)', 'skipped'],
  ]);
  expect(
    results.every(r => /not found|\/nonexistent\/helm/.test(r.reason ?? '')),
  ).toBe(true);
});
