import { promises as fs } from 'node:fs';
import path from 'node:path';
import {
  createPlan,
  Finding,
} from '@internal/backstage-plugin-cloud-native-common';
import { parseSpecText } from '../engine/loadSpec';
import { generatePackage } from '../engine/orchestrate';
import { KubernetesObject, ManifestFile } from '../core/types';
import { parseManifests, validatePackage } from '.';
import {
  dryRunOrder,
  dryRunPhase,
  loadDryRunCluster,
  runServerDryRun,
  ServerDryRunConfigError,
  ServerDryRunResult,
} from './serverDryRun';
import {
  BUILTIN_API,
  closedPortUrl,
  expectedPath,
  FakeAnswer,
  FakeApiServer,
  RecordedRequest,
  startFakeApiServer,
  statusBody,
  tmpDir,
  TOKEN,
  writeKubeconfig,
} from '../../testkit/serverDryRun';

/*
 * There is no Kubernetes API server on these machines: these tests check the
 * requests the dry run makes, for real over HTTP, against a fake API server
 * (testkit/serverDryRun.ts) that serves discovery and answers applies.
 */

jest.setTimeout(60_000);

const EXAMPLES = path.resolve(__dirname, '../../../../examples');

async function examplePackage(name: string) {
  const text = await fs.readFile(
    path.join(EXAMPLES, name, 'architecture.yaml'),
    'utf8',
  );
  const plan = createPlan(parseSpecText(text, name));
  const pkg = await generatePackage(plan, { validate: false });
  return { plan, files: pkg.files };
}

function object(
  apiVersion: string,
  kind: string,
  name: string,
  namespace?: string,
  extra: Record<string, unknown> = {},
): KubernetesObject {
  return {
    apiVersion,
    kind,
    metadata: { name, ...(namespace ? { namespace } : {}) },
    ...extra,
  };
}

function manifest(
  file: string,
  objects: KubernetesObject[],
  environment = 'dev',
): ManifestFile {
  return { path: file, environment, objects };
}

/** One dev manifest of ConfigMaps in namespace shop: the smallest package. */
function configMaps(...names: string[]): ManifestFile[] {
  return [
    manifest(
      'kubernetes/dev/x.yaml',
      names.map(n => object('v1', 'ConfigMap', n, 'shop')),
    ),
  ];
}

/** An answer for the applies (PATCH) whose path `matches`; the default answer for the rest. */
function onPatch(
  answer: (request: RecordedRequest) => FakeAnswer,
  matches: (requestPath: string) => boolean = () => true,
): (request: RecordedRequest) => FakeAnswer | undefined {
  return r => (r.method === 'PATCH' && matches(r.path) ? answer(r) : undefined);
}

/** The API server's answer to an apply it finds invalid (422 Invalid). */
function invalid(message: string, details: unknown): FakeAnswer {
  return { status: 422, body: statusBody(422, 'Invalid', message, details) };
}

/** An answer that comes long after every timeout of these tests. */
const TOO_LATE: FakeAnswer = { status: 200, body: {}, delayMs: 20_000 };

/** Runs the dry run and measures how long it took. */
async function timedDryRun(...args: Parameters<typeof runServerDryRun>) {
  const started = Date.now();
  const result = await runServerDryRun(...args);
  return { result, elapsedMs: Date.now() - started };
}

/**
 * What a dry run gave, for `toMatchObject`: the check's status and reason,
 * and exactly one finding, with (at least) these fields.
 */
function verdict(
  status: ServerDryRunResult['check']['status'],
  reason: string,
  finding: Partial<Finding>,
) {
  return { check: { status, reason }, findings: [finding] };
}

describe('server-side dry run', () => {
  let dir: string;
  let fake: FakeApiServer | undefined;
  const savedKubeconfig = process.env.KUBECONFIG;
  beforeEach(async () => {
    dir = await tmpDir();
  });
  afterEach(async () => {
    await fake?.close();
    fake = undefined;
    if (savedKubeconfig === undefined) delete process.env.KUBECONFIG;
    else process.env.KUBECONFIG = savedKubeconfig;
    await fs.rm(dir, { recursive: true, force: true });
  });

  /** Starts the fake API server (closed after the test) and writes a kubeconfig that points at it. */
  async function fakeCluster(
    options?: Parameters<typeof startFakeApiServer>[0],
  ): Promise<{ server: FakeApiServer; kubeconfig: string }> {
    const server = await startFakeApiServer(options);
    fake = server;
    return { server, kubeconfig: await writeKubeconfig(dir, server.url) };
  }

  it('applies every object of a generated package with dryRun=All, in order', async () => {
    const { plan, files } = await examplePackage('shop-eks-t2');
    const { manifests } = parseManifests(plan, files);
    const { server, kubeconfig } = await fakeCluster();

    const result = await runServerDryRun(manifests, { kubeconfig });

    const objects = manifests
      .filter(m => !m.path.includes('/patches/'))
      .flatMap(m => m.objects);
    expect(objects.length).toBeGreaterThan(50);
    expect(result.findings).toEqual([]);
    expect(result.check).toEqual({
      area: 'server_dry_run',
      check: `server-side dry run (context fake, ${server.url})`,
      status: 'pass',
      reason: `${objects.length} object(s) accepted`,
    });

    // One apply per object, to the object's resource path
    const patches = server.patches();
    expect(patches.map(p => p.path).sort()).toEqual(
      objects.map(o => expectedPath(o, 'team-a')).sort(),
    );
    for (const request of patches) {
      expect(request.query).toEqual({
        dryRun: 'All',
        fieldManager: 'cloud-native-orchestrator',
        force: 'true',
        fieldValidation: 'Strict',
      });
      expect(request.headers['content-type']).toBe(
        'application/apply-patch+yaml',
      );
      expect(request.headers.authorization).toBe(`Bearer ${TOKEN}`);
    }
    // The body is the manifest as written (the client's typed serializer
    // would drop fields its models do not know)
    const sent = patches
      .map(p => JSON.stringify([p.path, JSON.parse(p.body)]))
      .sort();
    const written = objects
      .map(o => JSON.stringify([expectedPath(o, 'team-a'), o]))
      .sort();
    expect(sent).toEqual(written);

    // Namespaces first, then built-in cluster-scoped objects, then built-in
    // namespaced ones, then custom resources
    const phases = patches.map(p => {
      const o = objects.find(x => expectedPath(x, 'team-a') === p.path)!;
      return dryRunPhase(o);
    });
    expect(phases).toEqual([...phases].sort());
    expect(phases[0]).toBe(0);
    expect(new Set(phases)).toEqual(new Set([0, 1, 2, 3]));

    // Discovery once per group version, before the applies
    const gets = server.requests.filter(r => r.method === 'GET');
    expect(gets.map(g => g.path).sort()).toEqual(
      [
        ...new Set(
          objects.map(o =>
            o.apiVersion.includes('/')
              ? `/apis/${o.apiVersion}`
              : `/api/${o.apiVersion}`,
          ),
        ),
      ].sort(),
    );
    expect(server.requests.findIndex(r => r.method === 'PATCH')).toBe(
      gets.length,
    );
  });

  it('sends a misspelt field as written, and the rejection becomes error findings', async () => {
    const typo = object('apps/v1', 'Deployment', 'web', 'shop', {
      spec: {
        replicas: 2,
        template: { spec: { containers: [{ name: 'web', imagee: 'x' }] } },
      },
    });
    const { server, kubeconfig } = await fakeCluster({
      answer: onPatch(
        () =>
          invalid(
            'Deployment.apps "web" is invalid: [spec.template.spec.containers[0].image: Required value, spec.template.spec.containers[0].imagee: unknown field]',
            {
              name: 'web',
              group: 'apps',
              kind: 'Deployment',
              causes: [
                {
                  reason: 'FieldValueRequired',
                  message: 'Required value',
                  field: 'spec.template.spec.containers[0].image',
                },
                {
                  reason: 'FieldValueInvalid',
                  message: 'unknown field "imagee"',
                  field: 'spec.template.spec.containers[0].imagee',
                },
              ],
            },
          ),
        p => p.endsWith('/deployments/web'),
      ),
    });
    const result = await runServerDryRun(
      [
        manifest('kubernetes/dev/web.yaml', [
          object('v1', 'Service', 'web', 'shop'),
          typo,
        ]),
      ],
      { kubeconfig },
    );
    expect(JSON.parse(server.patches()[1].body)).toEqual(typo);
    expect(result.check.status).toBe('fail');
    expect(result.check.reason).toBe('1 of 2 object(s) rejected');
    expect(result.findings).toEqual([
      {
        ruleId: 'server-dry-run/rejected',
        severity: 'error',
        file: 'kubernetes/dev/web.yaml',
        objectPath: 'Deployment/web: spec.template.spec.containers[0].image',
        message: 'rejected by the API server (422 Invalid): Required value',
        anchors: ['kubectl-apply-server-dry-run'],
      },
      {
        ruleId: 'server-dry-run/rejected',
        severity: 'error',
        file: 'kubernetes/dev/web.yaml',
        objectPath: 'Deployment/web: spec.template.spec.containers[0].imagee',
        message:
          'rejected by the API server (422 Invalid): unknown field "imagee"',
        anchors: ['kubectl-apply-server-dry-run'],
      },
    ]);
  });

  it('a rejection without causes gives one finding with the server message', async () => {
    const { kubeconfig } = await fakeCluster({
      answer: onPatch(() => ({
        status: 403,
        body: statusBody(
          403,
          'Forbidden',
          'configmaps "cfg" is forbidden: User "ci" cannot patch resource "configmaps" in API group "" in the namespace "shop"',
        ),
      })),
    });
    const result = await runServerDryRun(
      [
        manifest('kubernetes/dev/cfg.yaml', [
          object('v1', 'ConfigMap', 'cfg', 'shop'),
        ]),
      ],
      { kubeconfig },
    );
    expect(result.findings).toEqual([
      expect.objectContaining({
        ruleId: 'server-dry-run/rejected',
        objectPath: 'ConfigMap/cfg',
        message: expect.stringMatching(
          /^rejected by the API server \(403 Forbidden\): configmaps "cfg" is forbidden: User "ci" cannot patch/,
        ),
      }),
    ]);
  });

  it('a kind the cluster does not serve is a clear error, unless the package defines its CRD', async () => {
    const { server, kubeconfig } = await fakeCluster({
      api: {
        ...BUILTIN_API,
        // karpenter.sh/v1 exists, without NodePool; argoproj.io is missing
        'karpenter.sh/v1': { NodeClaim: ['nodeclaims', false] },
      },
    });
    const crd = object(
      'apiextensions.k8s.io/v1',
      'CustomResourceDefinition',
      'widgets.example.com',
      undefined,
      {
        spec: {
          group: 'example.com',
          names: { kind: 'Widget', plural: 'widgets' },
        },
      },
    );
    const result = await runServerDryRun(
      [
        manifest('kubernetes/dev/app.yaml', [
          object('argoproj.io/v1alpha1', 'Rollout', 'api', 'shop'),
          object('v1', 'Service', 'api', 'shop'),
        ]),
        manifest('cloud/eks/dev/karpenter.yaml', [
          object('karpenter.sh/v1', 'NodePool', 'shop'),
        ]),
        manifest('kubernetes/dev/widgets.yaml', [
          crd,
          object('example.com/v1', 'Widget', 'w', 'shop'),
        ]),
      ],
      { kubeconfig },
    );
    expect(result.check.status).toBe('fail');
    expect(result.check.reason).toBe(
      '2 of 5 object(s) rejected; 1 not checked (their namespace or CRD is created by this package)',
    );
    expect(
      result.findings.map(f => [f.ruleId, f.severity, f.objectPath, f.message]),
    ).toEqual([
      [
        'server-dry-run/unknown-kind',
        'error',
        'NodePool/shop',
        'the cluster does not serve karpenter.sh/v1 NodePool: its CustomResourceDefinition is not installed',
      ],
      [
        'server-dry-run/unknown-kind',
        'error',
        'Rollout/api',
        'the cluster does not serve argoproj.io/v1alpha1 Rollout: its CustomResourceDefinition is not installed',
      ],
      [
        'server-dry-run/not-checked',
        'info',
        'Widget/w',
        'not checked: Widget is defined by a CustomResourceDefinition of this package, which the cluster does not have yet (a dry run persists nothing)',
      ],
    ]);
    // the CRD and the Service were applied, nothing of unknown kinds
    expect(server.patches().map(p => p.path)).toEqual([
      '/apis/apiextensions.k8s.io/v1/customresourcedefinitions/widgets.example.com',
      '/api/v1/namespaces/shop/services/api',
    ]);
  });

  it('objects in a namespace the package creates are noted, in a missing one rejected', async () => {
    const { kubeconfig } = await fakeCluster({ namespaces: ['default'] });
    const result = await runServerDryRun(
      [
        manifest('kubernetes/dev/namespace.yaml', [
          object('v1', 'Namespace', 'shop'),
        ]),
        manifest('kubernetes/dev/api.yaml', [
          object('v1', 'Service', 'api', 'shop'),
          object('v1', 'Service', 'other', 'elsewhere'),
        ]),
      ],
      { kubeconfig },
    );
    expect(result.check.status).toBe('fail');
    expect(
      result.findings.map(f => [f.ruleId, f.severity, f.objectPath, f.message]),
    ).toEqual([
      [
        'server-dry-run/not-checked',
        'info',
        'Service/api',
        'not checked: namespace shop is created by this package and does not exist in the cluster yet (a dry run persists nothing)',
      ],
      [
        'server-dry-run/rejected',
        'error',
        'Service/other',
        'rejected by the API server (404 NotFound): namespaces "elsewhere" not found',
      ],
    ]);
  });

  it('namespaced objects without a namespace go to --namespace, else the context namespace', async () => {
    const { server, kubeconfig } = await fakeCluster();
    const manifests = [
      manifest('kubernetes/dev/cfg.yaml', [object('v1', 'ConfigMap', 'cfg')]),
    ];
    await runServerDryRun(manifests, { kubeconfig });
    await runServerDryRun(manifests, { kubeconfig, namespace: 'team-b' });
    await runServerDryRun(manifests, { kubeconfig, context: 'other' });
    expect(
      server.patches().map(p => [p.path, JSON.parse(p.body).metadata]),
    ).toEqual([
      [
        '/api/v1/namespaces/team-a/configmaps/cfg',
        { name: 'cfg', namespace: 'team-a' },
      ],
      [
        '/api/v1/namespaces/team-b/configmaps/cfg',
        { name: 'cfg', namespace: 'team-b' },
      ],
      [
        '/api/v1/namespaces/default/configmaps/cfg',
        { name: 'cfg', namespace: 'default' },
      ],
    ]);
    // the input objects are not changed
    expect(manifests[0].objects[0].metadata).toEqual({ name: 'cfg' });
  });

  it('API server warnings become warning findings', async () => {
    const { kubeconfig } = await fakeCluster({
      answer: onPatch(r => ({
        status: 200,
        body: JSON.parse(r.body),
        headers: {
          warning:
            '299 - "spec.template.spec.containers[0].resources.limits.cpu: fractional \\"m\\" value"',
        },
      })),
    });
    const result = await runServerDryRun(
      [
        manifest('kubernetes/dev/web.yaml', [
          object('apps/v1', 'Deployment', 'web', 'shop'),
        ]),
      ],
      { kubeconfig },
    );
    expect(result).toMatchObject(
      verdict('pass', '1 object(s) accepted; 1 warning(s)', {
        ruleId: 'server-dry-run/warning',
        severity: 'warning',
        objectPath: 'Deployment/web',
        message:
          'the API server warns: spec.template.spec.containers[0].resources.limits.cpu: fractional "m" value',
      }),
    );
  });

  it('a slow answer fails that object after the request timeout, quickly', async () => {
    const { kubeconfig } = await fakeCluster({
      answer: onPatch(
        () => TOO_LATE,
        p => p.endsWith('/slow'),
      ),
    });
    const { result, elapsedMs } = await timedDryRun(
      configMaps('slow', 'fast'),
      { kubeconfig, requestTimeoutMs: 300 },
    );
    expect(elapsedMs).toBeLessThan(5_000);
    expect(result).toMatchObject(
      verdict('fail', '1 request(s) failed', {
        ruleId: 'server-dry-run/request-failed',
        severity: 'error',
        objectPath: 'ConfigMap/slow',
        message: 'not checked: no answer within 0.3 s',
      }),
    );
  });

  it('the overall timeout ends the dry run and says how much was not checked', async () => {
    const { server, kubeconfig } = await fakeCluster({
      answer: onPatch(() => TOO_LATE),
    });
    const { result, elapsedMs } = await timedDryRun(
      configMaps('a', 'b', 'c', 'd', 'e', 'f'),
      { kubeconfig, timeoutMs: 500, concurrency: 2 },
    );
    expect(elapsedMs).toBeLessThan(5_000);
    // two in flight when the time ran out, the other four never sent
    expect(server.patches()).toHaveLength(2);
    expect(result).toMatchObject(
      verdict('fail', 'timed out after 0.5 s with 6 object(s) not checked', {
        ruleId: 'server-dry-run/incomplete',
        severity: 'error',
        message:
          'the server-side dry run ran out of time (0.5 s): 6 of 6 object(s) not checked',
      }),
    );
  });

  it('an unreachable cluster fails the check with the reason, quickly', async () => {
    const url = await closedPortUrl();
    const kubeconfig = await writeKubeconfig(dir, url);
    const { result, elapsedMs } = await timedDryRun(configMaps('a'), {
      kubeconfig,
    });
    expect(elapsedMs).toBeLessThan(3_000);
    expect(result.check).toEqual({
      area: 'server_dry_run',
      check: `server-side dry run (context fake, ${url})`,
      status: 'fail',
      reason: expect.stringMatching(
        new RegExp(`^cannot reach ${url} \\(context fake\\): .*ECONNREFUSED`),
      ),
    });
    expect(result.findings).toEqual([
      expect.objectContaining({
        ruleId: 'server-dry-run/unavailable',
        severity: 'error',
        file: '.',
      }),
    ]);
  });

  it('a cluster that does not answer at all fails after the request timeout', async () => {
    const { server, kubeconfig } = await fakeCluster({
      answer: () => TOO_LATE,
    });
    const { result, elapsedMs } = await timedDryRun(configMaps('a'), {
      kubeconfig,
      requestTimeoutMs: 300,
    });
    expect(elapsedMs).toBeLessThan(3_000);
    expect(result.check.reason).toBe(
      `cannot reach ${server.url} (context fake): no answer within 0.3 s`,
    );
  });

  it('rejected credentials fail the check with the reason', async () => {
    fake = await startFakeApiServer();
    const kubeconfig = await writeKubeconfig(dir, fake.url, 'wrong-token');
    const result = await runServerDryRun(configMaps('a'), { kubeconfig });
    expect(result.check).toMatchObject({
      status: 'fail',
      reason: `${fake.url} (context fake) rejected the credentials (401 Unauthorized)`,
    });
    expect(
      fake.requests.map(r => [r.method, r.path, r.headers.authorization]),
    ).toEqual([['GET', '/api/v1', 'Bearer wrong-token']]);
  });

  it('a bad kubeconfig fails the check, it does not throw', async () => {
    const result = await runServerDryRun(configMaps('a'), {
      kubeconfig: path.join(dir, 'missing'),
    });
    expect(result.check).toMatchObject({
      status: 'fail',
      reason: `kubeconfig: cannot read ${path.join(dir, 'missing')}: ENOENT`,
    });
  });

  it('only the chosen environments are sent; patches never', () => {
    const files: Array<[string, string, KubernetesObject]> = [
      ['kubernetes/prod/a.yaml', 'prod', object('v1', 'ConfigMap', 'p')],
      ['kubernetes/dev/a.yaml', 'dev', object('v1', 'ConfigMap', 'd')],
      [
        'gitops/argocd/project.yaml',
        '*',
        object('argoproj.io/v1alpha1', 'AppProject', 's'),
      ],
      [
        'kustomize/dev/overlays/eks/patches/p.yaml',
        'dev',
        object('v1', 'ServiceAccount', 'x'),
      ],
    ];
    const manifests = files.map(([file, environment, o]) =>
      manifest(file, [o], environment),
    );
    expect(
      dryRunOrder(manifests, ['dev']).map(i => i.object.metadata.name),
    ).toEqual(['d', 's']);
    expect(dryRunOrder(manifests).map(i => i.object.metadata.name)).toEqual([
      'd',
      'p',
      's',
    ]);
  });

  describe('validatePackage', () => {
    it('reports the dry run as a tool check and its findings', async () => {
      const { plan, files } = await examplePackage('web-app-t1');
      const { server, kubeconfig } = await fakeCluster({
        answer: onPatch(
          () =>
            invalid('Deployment.apps "web" is invalid', {
              causes: [
                {
                  message:
                    'Invalid value: "x": must be no more than 63 characters',
                  field: 'metadata.labels',
                },
              ],
            }),
          p => p.includes('/deployments/'),
        ),
      });
      const result = await validatePackage(plan, files, {
        tools: false,
        serverDryRun: { kubeconfig },
      });
      const objects = parseManifests(plan, files).manifests.flatMap(
        m => m.objects,
      );
      expect(result.toolChecks).toEqual([
        {
          area: 'server_dry_run',
          check: `server-side dry run (context fake, ${server.url})`,
          status: 'fail',
          reason: `1 of ${objects.length} object(s) rejected`,
        },
      ]);
      const dryRunFindings = result.findings.filter(f =>
        f.ruleId.startsWith('server-dry-run/'),
      );
      expect(dryRunFindings).toEqual([
        expect.objectContaining({
          ruleId: 'server-dry-run/rejected',
          severity: 'error',
          file: expect.stringMatching(/^kubernetes\/dev\/.*\.yaml$/),
          objectPath: expect.stringMatching(
            /^Deployment\/.*: metadata\.labels$/,
          ),
          message: expect.stringContaining(
            'must be no more than 63 characters',
          ),
        }),
      ]);
      expect(result.results.kubernetes_manifests).toBe('fail');
      // no generic tool/server_dry_run finding on top of the rejection
      expect(result.findings.some(f => f.ruleId.startsWith('tool/'))).toBe(
        false,
      );
    });

    it('sends nothing when the dry run is not configured', async () => {
      const { plan, files } = await examplePackage('web-app-t1');
      fake = await startFakeApiServer();
      // even with a usable kubeconfig in the environment
      process.env.KUBECONFIG = await writeKubeconfig(dir, fake.url);
      const result = await validatePackage(plan, files, { tools: false });
      expect(fake.requests).toEqual([]);
      expect(result.toolChecks).toEqual([]);
      expect(
        result.findings.filter(f => f.ruleId.startsWith('server-dry-run/')),
      ).toEqual([]);
    });
  });

  describe('kubeconfig resolution', () => {
    it('uses KUBECONFIG (merged files) when no kubeconfig is given', async () => {
      const first = await writeKubeconfig(
        dir,
        'http://127.0.0.1:1',
        TOKEN,
        'a',
      );
      const second = path.join(dir, 'b');
      await fs.writeFile(
        second,
        [
          'apiVersion: v1',
          'kind: Config',
          'clusters: [{ name: prod, cluster: { server: "https://prod.example:6443" } }]',
          'users: [{ name: ci, user: { token: t } }]',
          'contexts: [{ name: prod, context: { cluster: prod, user: ci } }]',
          'current-context: prod',
        ].join('\n'),
      );
      process.env.KUBECONFIG = [first, path.join(dir, 'missing'), second].join(
        path.delimiter,
      );
      const current = await loadDryRunCluster({});
      expect([current.context, current.server]).toEqual([
        'fake',
        'http://127.0.0.1:1',
      ]);
      const prod = await loadDryRunCluster({ context: 'prod' });
      expect([prod.context, prod.server]).toEqual([
        'prod',
        'https://prod.example:6443',
      ]);
    });

    it('names the option at fault', async () => {
      const file = await writeKubeconfig(dir, 'http://127.0.0.1:1');
      const fieldOf = (p: Promise<unknown>) =>
        p.then(
          () => 'ok',
          e =>
            e instanceof ServerDryRunConfigError
              ? `${e.field}: ${e.message}`
              : String(e),
        );
      expect(
        await fieldOf(loadDryRunCluster({ kubeconfig: file, context: 'nope' })),
      ).toBe(`context: no context "nope" in ${file} (contexts: fake, other)`);
      expect(
        await fieldOf(
          loadDryRunCluster({ kubeconfig: file, namespace: 'Bad_NS' }),
        ),
      ).toMatch(/^namespace: "Bad_NS" is not a valid namespace name/);
      await fs.writeFile(path.join(dir, 'garbage'), 'clusters: [unclosed');
      expect(
        await fieldOf(
          loadDryRunCluster({ kubeconfig: path.join(dir, 'garbage') }),
        ),
      ).toMatch(/^kubeconfig: .*garbage is not a valid kubeconfig/);
      process.env.KUBECONFIG = path.join(dir, 'missing');
      expect(await fieldOf(loadDryRunCluster({}))).toMatch(
        /^kubeconfig: none of the KUBECONFIG files exists/,
      );
    });
  });
});
