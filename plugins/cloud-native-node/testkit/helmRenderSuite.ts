import { promises as fs } from 'node:fs';
import path from 'node:path';
import { parse, stringify } from 'yaml';
import { LocatedTool } from '../src/tools';
import { generateKubernetesObjects } from '../src/skills/kubernetes';
import {
  ALL_PLANS,
  byId,
  chartCase,
  ChartCase,
  chartedPlans,
  EXAMPLE_NAMES,
  helmRun,
  parseObjects,
  pinnedHelm,
  releasedObjects,
  temporaryDir,
  withoutHelmAdditions,
  writeFiles,
} from '../src/skills/helm/__fixtures__/charts';
import { runPackageToolChecks } from '../src/tools';
import { productionEnvironment } from '../src/plan/profile';
import { RESTRICTED_CONTAINER_SECURITY_CONTEXT } from './k8sHardening';

/**
 * The chart against real Helm: `helm lint --strict` and `helm template`
 * with Helm 3.18 and Helm 4.1 (from the devDependency layers; the tests
 * fail, they do not skip, when the locator finds no helm), for the six
 * examples and the fixture plans, in every environment.
 *
 * The key property: for each environment, the objects `helm template`
 * renders with `values-<env>.yaml` equal the objects of the manifest skill
 * for that environment (parsed, compared field by field), except for the
 * documented Helm-only additions (see withoutHelmAdditions).
 */

// A shared suite, run once per Helm major version by render.helm<N>.test.ts
// eslint-disable-next-line jest/no-export
export function renderSuite(major: '3' | '4'): void {
  jest.setTimeout(300_000);

  /** Cases with Kubernetes services (every example but the serverless ones). */
  const CHARTED_PLANS = chartedPlans();
  const CHARTED = CHARTED_PLANS.map(([name]) => name);

  const ENVIRONMENT_CASES: Array<[string, string]> = CHARTED_PLANS.flatMap(
    ([name, plan]) =>
      plan().environments.map(env => [name, env] as [string, string]),
  );

  const cases = new Map<string, ChartCase & { dir: string }>();
  let root: string;
  let located: LocatedTool;

  beforeAll(async () => {
    located = await pinnedHelm(major);
    root = await temporaryDir('cno-helm-render-');
    for (const [name, plan] of ALL_PLANS) {
      const built = await chartCase(name, plan());
      const dir = path.join(root, name);
      await writeFiles(dir, built.files);
      cases.set(name, { ...built, dir });
    }
  });

  afterAll(async () => {
    if (root) await fs.rm(root, { recursive: true, force: true });
  });

  function get(name: string) {
    const found = cases.get(name);
    if (!found) throw new Error(`no case ${name}`);
    return found;
  }

  const helm = () => located;

  /** The `-f` arguments of values-<environment>.yaml (none: values.yaml alone). */
  function valuesOf(chart: string, environment?: string): string[] {
    return environment ? ['-f', `${chart}/values-${environment}.yaml`] : [];
  }

  /** `helm template` of a case's chart into the plan's namespace. */
  function helmTemplate(
    name: string,
    environment?: string,
    extra: string[] = [],
  ) {
    const { dir, chart, plan } = get(name);
    return helmRun(
      helm(),
      [
        'template',
        plan.name,
        chart!,
        '-n',
        plan.namespace,
        ...valuesOf(chart!, environment),
        ...extra,
      ],
      dir,
    );
  }

  /** `helm lint --strict` of a case's chart. */
  function helmLint(name: string, environment?: string) {
    const { dir, chart } = get(name);
    return helmRun(
      helm(),
      ['lint', '--strict', chart!, ...valuesOf(chart!, environment)],
      dir,
    );
  }

  it(`uses Helm ${major === '3' ? '3.18' : '4.1'}`, () => {
    expect(located.version).toMatch(major === '3' ? /^3\.18\./ : /^4\.1\./);
  });

  it('covers every example with Kubernetes services (serverless-only ones have no chart)', () => {
    expect(EXAMPLE_NAMES.length).toBeGreaterThanOrEqual(9);
    const serverlessOnly = [
      'events-serverless-aws',
      'events-serverless-gcp',
      'functions-knative',
    ];
    expect(CHARTED.filter(n => EXAMPLE_NAMES.includes(n))).toEqual(
      EXAMPLE_NAMES.filter(n => !serverlessOnly.includes(n)),
    );
    for (const name of serverlessOnly) {
      expect(get(name).chart).toBeUndefined();
    }
    for (const name of CHARTED) expect(get(name).chart).toBeDefined();
  });

  it.each(CHARTED)(
    '%s: helm lint --strict passes with values.yaml and every values-<env>.yaml',
    async name => {
      const { chart, plan } = get(name);
      for (const environment of [undefined, ...plan.environments]) {
        const extra = valuesOf(chart!, environment);
        const result = await helmLint(name, environment);
        expect({
          args: extra,
          code: result.code,
          output: result.output,
        }).toMatchObject({ args: extra, code: 0 });
        expect(result.output).not.toMatch(/\[(WARNING|ERROR)\]/);
      }
    },
  );

  it.each(ENVIRONMENT_CASES)(
    '%s/%s: helm template equals the manifests of the environment',
    async (name, environment) => {
      const { manifests } = get(name);
      const result = await helmTemplate(name, environment);
      expect(result).toMatchObject({ code: 0 });
      const expected = releasedObjects(manifests.get(environment)!);
      expect(expected.length).toBeGreaterThan(0);
      const parsed = parseObjects(result.stdout);
      // the namespace is not part of the release (namespace/<env>)
      expect(parsed.filter(o => o.kind === 'Namespace')).toEqual([]);
      const rendered = withoutHelmAdditions(parsed);
      expect(Object.keys(rendered.objects).sort()).toEqual(
        Object.keys(byId(expected)).sort(),
      );
      expect(rendered.objects).toEqual(byId(expected));
      expect(rendered.missingChartLabel).toEqual([]);
      // the only Helm-only objects are the test hooks
      for (const hook of rendered.hooks) {
        expect(hook.metadata.annotations!['helm.sh/hook']).toBe('test');
      }
      const hasServices = expected.some(o => o.kind === 'Service');
      expect(rendered.hooks.filter(h => h.kind === 'Pod')).toHaveLength(
        hasServices ? 1 : 0,
      );
    },
  );

  it.each(CHARTED)(
    '%s: values.yaml alone renders the production profile',
    async name => {
      const { plan } = get(name);
      const result = await helmTemplate(name);
      expect(result).toMatchObject({ code: 0 });
      const rendered = withoutHelmAdditions(parseObjects(result.stdout));
      expect(rendered.objects).toEqual(
        byId(
          releasedObjects(
            generateKubernetesObjects(plan, productionEnvironment(plan)),
          ),
        ),
      );
    },
  );

  it('the comparison fails when a value changes what is rendered', async () => {
    const { dir, chart, manifests } = get('shop-eks-t2');
    const file = path.join(dir, chart!, 'values-dev.yaml');
    const original = await fs.readFile(file, 'utf8');
    const edits: Array<(values: any) => void> = [
      v => (v.services.api.replicas = 2),
      v =>
        (v.services.api.container = { livenessProbe: { periodSeconds: 11 } }),
      v => (v.services.storefront.ingress.host = 'shop.example.org'),
      v => (v.services.api.config = { SPRING_PROFILES_ACTIVE: 'dev' }),
    ];
    try {
      for (const edit of edits) {
        const values = parse(original);
        edit(values);
        await fs.writeFile(file, stringify(values));
        const result = await helmTemplate('shop-eks-t2', 'dev');
        expect(result.code).toBe(0);
        const rendered = withoutHelmAdditions(parseObjects(result.stdout));
        expect(rendered.objects).not.toEqual(
          byId(releasedObjects(manifests.get('dev')!)),
        );
      }
    } finally {
      await fs.writeFile(file, original);
    }
  });

  it('a typo in a values file makes helm lint --strict fail (values.schema.json)', async () => {
    const { dir, chart, plan } = get('shop-eks-t2');
    const typos: Array<[string, (values: any) => void, RegExp]> = [
      ['replica', v => (v.services.api.replica = 3), /replica/],
      ['enviroment', v => (v.enviroment = 'prod'), /enviroment/],
      [
        'container.livenesProbe',
        v => (v.services.api.container = { livenesProbe: {} }),
        /livenesProbe/,
      ],
      [
        'autoscaling.maxReplica',
        v => (v.services.storefront.autoscaling = { maxReplica: 9 }),
        /maxReplica/,
      ],
      ['replicas: "two"', v => (v.services.api.replicas = 'two'), /replicas/],
      [
        'image.tag: 1.20 (a number)',
        v => (v.services.api.image = { tag: 1.2 }),
        /tag/,
      ],
    ];
    const env = plan.environments[0];
    const file = path.join(dir, chart!, `values-${env}.yaml`);
    const original = await fs.readFile(file, 'utf8');
    try {
      // the unmodified file passes
      const clean = await helmLint('shop-eks-t2', env);
      expect(clean.code).toBe(0);
      for (const [label, mutate, message] of typos) {
        const values = parse(original) ?? {};
        mutate(values);
        await fs.writeFile(file, stringify(values));
        const result = await helmLint('shop-eks-t2', env);
        expect({ label, code: result.code }).toEqual({ label, code: 1 });
        expect(result.output).toMatch(message);
      }
    } finally {
      await fs.writeFile(file, original);
    }
  });

  it('renders a hardened, pinned helm test Pod that checks every Service', async () => {
    const { manifests } = get('shop-eks-t2');
    const result = await helmTemplate('shop-eks-t2', 'prod');
    const { hooks } = withoutHelmAdditions(parseObjects(result.stdout));
    const pod = hooks.find(h => h.kind === 'Pod') as any;
    expect(pod.metadata.name).toBe('shop-test-connection');
    expect(pod.metadata.annotations['helm.sh/hook']).toBe('test');
    expect(pod.spec.restartPolicy).toBe('Never');
    expect(pod.spec.automountServiceAccountToken).toBe(false);
    expect(pod.spec.securityContext).toMatchObject({
      runAsNonRoot: true,
      seccompProfile: { type: 'RuntimeDefault' },
    });
    const services = manifests
      .get('prod')!
      .filter(
        o =>
          o.kind === 'Service' &&
          !/-(headless|preview|canary)$/.test(o.metadata.name),
      )
      .map(o => o.metadata.name)
      .sort();
    expect(pod.spec.containers.map((c: any) => c.name).sort()).toEqual(
      services,
    );
    for (const container of pod.spec.containers) {
      // a pinned version (or digest), never latest
      expect(container.image).toMatch(
        /^[a-z0-9./-]+(:\d+\.\d+\.\d+|@sha256:[a-f0-9]{64})$/,
      );
      expect(container.securityContext).toEqual(
        RESTRICTED_CONTAINER_SECURITY_CONTEXT,
      );
      expect(container.resources.limits).toBeDefined();
      expect(['wget', 'nc']).toContain(container.command[0]);
    }
    const api = pod.spec.containers.find((c: any) => c.name === 'api');
    expect(api.command).toEqual([
      'wget',
      '-q',
      '-T',
      '5',
      '-O',
      '/dev/null',
      'http://api:80/actuator/health',
    ]);
    // NetworkPolicies (T2): the hooks that let the test pod through
    expect(hooks.filter(h => h.kind === 'NetworkPolicy')).toHaveLength(2);
    // --skip-tests drops exactly the hooks
    const skipped = await helmTemplate('shop-eks-t2', undefined, [
      '--skip-tests',
    ]);
    expect(withoutHelmAdditions(parseObjects(skipped.stdout)).hooks).toEqual(
      [],
    );
  });

  it.each([
    ['web-app-t1', ['Pod', 'ServiceAccount']],
    [
      'shop-eks-t2',
      ['NetworkPolicy', 'NetworkPolicy', 'Pod', 'ServiceAccount'],
    ],
    [
      'marketplace-gke-t3',
      [
        'AuthorizationPolicy',
        'NetworkPolicy',
        'NetworkPolicy',
        'Pod',
        'ServiceAccount',
      ],
    ],
    [
      'fixture-t3-linkerd',
      [
        'AuthorizationPolicy',
        'MeshTLSAuthentication',
        'NetworkPolicy',
        'NetworkPolicy',
        'Pod',
        'ServiceAccount',
      ],
    ],
  ])(
    '%s: the test hooks let the test pod through NetworkPolicies and the mesh',
    async (name, kinds) => {
      const { plan } = get(name);
      const result = await helmTemplate(name);
      const { hooks } = withoutHelmAdditions(parseObjects(result.stdout));
      expect(hooks.map(h => h.kind).sort()).toEqual(kinds);
      const testName = `${plan.name}-test-connection`;
      const pod = hooks.find(h => h.kind === 'Pod') as any;
      expect(pod.spec.serviceAccountName).toBe(testName);
      for (const hook of hooks) {
        expect(hook.metadata.annotations!['helm.sh/hook']).toBe('test');
        expect(hook.metadata.namespace).toBe(plan.namespace);
      }
      const principals = hooks
        .filter(
          h =>
            h.kind === 'AuthorizationPolicy' && h.apiVersion.includes('istio'),
        )
        .map((h: any) => h.spec.rules[0].from[0].source.principals);
      expect(principals).toEqual(
        plan.mesh === 'istio'
          ? [[`cluster.local/ns/${plan.namespace}/sa/${testName}`]]
          : [],
      );
    },
  );

  it('helm test connects to gRPC and TCP Services on their own ports, HTTP on 80', async () => {
    const result = await helmTemplate('fixture-protocols-alb');
    const { hooks } = withoutHelmAdditions(parseObjects(result.stdout));
    const pod = hooks.find(h => h.kind === 'Pod') as any;
    const commands = Object.fromEntries(
      pod.spec.containers.map((c: any) => [c.name, c.command.join(' ')]),
    );
    expect(commands).toEqual({
      broker: 'nc -z -w 5 broker 4222',
      cache: 'nc -z -w 5 cache 6379',
      ledger: 'nc -z -w 5 ledger 7000',
      rpc: 'nc -z -w 5 rpc 9090',
      web: 'wget -q -T 5 -O /dev/null http://web:80/healthz',
    });
  });

  it('the chart checks (src/tools) pass the generated chart and report failures', async () => {
    const { dir, chart, plan } = get('shop-eks-t2');
    const results = await runPackageToolChecks(dir, {
      chart: {
        path: chart!,
        environments: plan.environments,
        namespace: plan.namespace,
      },
      helmPath: helm().path,
    });
    expect(results.map(r => r.status)).toEqual(
      plan.environments.flatMap(() => ['pass', 'pass']),
    );
    expect(results.map(r => r.check)).toContain(
      'helm lint --strict (values-staging.yaml)',
    );
    const failing = await runPackageToolChecks(dir, {
      chart: { path: chart!, environments: ['nope'] },
      helmPath: helm().path,
    });
    expect(failing.map(r => r.status)).toEqual(['fail', 'fail']);
    expect(failing[0].output).toMatch(/values-nope\.yaml/);
  });
}
