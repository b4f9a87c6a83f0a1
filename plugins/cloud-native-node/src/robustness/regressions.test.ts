/*
 * Regression tests for engine bugs the property-based tests found, each
 * reduced to a minimal counterexample (they were recorded as `it.failing`
 * while the bugs existed; all are fixed). A new finding goes here the same
 * way: an `it.failing` with the counterexample, flipped to `it` by the fix.
 */
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import {
  ArchitectureSpecInput,
  ServiceSpecInput,
} from '@internal/backstage-plugin-cloud-native-common';
import { runCli } from '../cli/runCli';
import { withoutHelmAndKubectl } from './__fixtures__/noTools';
import { parseSpecObject } from '../engine/loadSpec';
import { orchestrate } from '../engine/orchestrate';
import { iamWildcardErrors, listTree } from '../../testkit/robustness';
import { spec as fixtureSpec } from '../skills/kubernetes/__fixtures__/plans';
import { osls } from '../skills/serverless/__fixtures__/osls';

jest.setTimeout(120_000);

/** A spec on AWS with the mesh left to the rules. */
const spec = (
  overrides: Partial<ArchitectureSpecInput['spec']>,
  services: ServiceSpecInput[],
) =>
  fixtureSpec(
    { cloud: 'aws', mesh: undefined, environments: undefined, ...overrides },
    services,
  );

const generate = (input: ArchitectureSpecInput) =>
  orchestrate(parseSpecObject(input), { tools: false });

/** The issues the spec validation rejects a spec with (none: accepted). */
function specIssues(input: ArchitectureSpecInput): unknown[] {
  try {
    parseSpecObject(input);
    return [];
  } catch (error) {
    return (error as { issues?: unknown[] }).issues ?? [String(error)];
  }
}

const errorsOf = async (input: ArchitectureSpecInput) =>
  (await generate(input)).findings
    .filter(f => f.severity === 'error')
    .map(f => `${f.ruleId} ${f.file} ${f.objectPath ?? ''}: ${f.message}`);

describe('engine bugs found by the property tests (fixed)', () => {
  it('a DaemonSet larger than a node crashes the cost estimate (orchestrate throws a plain Error) instead of a spec issue or finding', async () => {
    const input = spec({ cloud: 'platform-agnostic' }, [
      {
        name: 'agent',
        workload: 'daemon',
        image: 'fluent/fluent-bit:3.1.9',
        resources: { cpu: '2', memory: '64Mi' },
      },
    ]);
    // Accepted by the spec validation ...
    expect(() => parseSpecObject(input)).not.toThrow();
    // ... then it threw: "DaemonSet requests (2 vCPU, 0.0625 GiB) do not
    // fit the usable capacity of a generic 2 vCPU/8 GiB node". Fixed: the
    // cluster is priced on the smallest node size that fits, and the cost
    // assumptions say so (cost/estimate.ts)
    const pkg = await generate(input);
    const assumptions = pkg.report.estimated_costs.assumptions as string[];
    expect(assumptions.join('\n')).toMatch(
      /priced on generic 8 vCPU\/32 GiB nodes .*DaemonSets \(agent\)/,
    );
  });

  it('the same crash escapes `cno generate` as an exception instead of exit code 2 (fixed: priced on a larger node, exit 0)', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'cno-bug-'));
    try {
      const file = path.join(dir, 'spec.json');
      await fs.writeFile(
        file,
        JSON.stringify(
          spec({ cloud: 'aws' }, [
            {
              name: 'agent',
              workload: 'daemon',
              image: 'fluent/fluent-bit:3.1.9',
              resources: { cpu: '1500m', memory: '64Mi' },
            },
          ]),
        ),
      );
      const io = { stdout: () => {}, stderr: () => {} };
      // A valid spec: the package is written (no internal error escapes)
      await expect(
        runCli(['generate', file, '--out', path.join(dir, 'out')], io),
      ).resolves.toBe(0);
      const report = await fs.readFile(
        path.join(dir, 'out', 'deployment-report.yaml'),
        'utf8',
      );
      expect(report).toContain('m6i.2xlarge nodes (EKS');
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });

  it('Knative objects of platform-agnostic functions have no schema: schema/unknown-kind errors', async () => {
    const errors = await errorsOf(
      spec({ cloud: 'platform-agnostic', platform: 'serverless' }, [
        { name: 'fn', workload: 'function', language: 'node' },
      ]),
    );
    // schema/unknown-kind serverless/knative/fn.yaml Service/fn: kind:
    // Unknown kind "Service" in apiVersion "serving.knative.dev/v1"
    expect(errors).toEqual([]);
  });

  it('multi-cloud + argocd: the AppProject is defined once per cluster (package/duplicate-object)', async () => {
    const errors = await errorsOf(
      spec({ cloud: 'multi-cloud', gitops: 'argocd' }, [
        { name: 'web', workload: 'service', language: 'node' },
      ]),
    );
    // package/duplicate-object gitops/argocd/prod-eks.yaml AppProject/shop:
    // AppProject shop is also defined in gitops/argocd/prod-aks.yaml
    expect(errors).toEqual([]);
  });

  // 54 characters: a valid RFC 1123 label (<= 63), too long for Helm (<= 53)
  const LONG_NAME = `a${'b-'.repeat(26)}z`;

  it('metadata.name of 54-63 characters + flux: HelmRelease spec.releaseName is over 53 characters (schema/invalid)', async () => {
    expect(LONG_NAME).toHaveLength(54);
    const input = spec({ tier: 'T1', gitops: 'flux' }, [
      { name: 'a', workload: 'service', language: 'node', expose: 'public' },
      {
        name: 'api',
        workload: 'service',
        language: 'node',
        expose: 'public',
      },
    ]);
    input.metadata.name = LONG_NAME;
    // schema/invalid gitops/flux/prod.yaml HelmRelease/<name>-prod:
    // spec.releaseName must be at most 53 characters
    expect(await errorsOf(input)).toEqual([]);
  });

  it('metadata.name of 54-63 characters: the real `helm template` refuses the release name (tool/helm_chart)', async () => {
    const input = spec({ tier: 'T2', environments: ['dev'] }, [
      { name: 'a', workload: 'service', language: 'node' },
      { name: 'b', workload: 'worker', language: 'go' },
    ]);
    input.metadata.name = LONG_NAME;
    const pkg = await orchestrate(parseSpecObject(input), {
      tools: true,
      kubectlPath: '/nonexistent/kubectl',
    });
    expect(pkg.plan.packaging).toBe('helm');
    const checks = (pkg.report as { tool_checks?: Array<{ status: string }> })
      .tool_checks;
    // when no helm is available every check is skipped: nothing to show
    expect(checks?.some(c => c.status === 'fail')).toBe(false);
    expect(checks?.some(c => c.status === 'pass')).toBe(true);
  });

  it("a stateful 'db' and a service 'db-headless' both generate Service db-headless", async () => {
    const input = spec({}, [
      {
        name: 'db',
        workload: 'stateful',
        image: 'postgres:16',
        port: 5432,
      },
      { name: 'db-headless', workload: 'service', language: 'node' },
    ]);
    // package/duplicate-object kubernetes/prod/db.yaml Service/db-headless
    // Fixed: the spec validation rejects the name (cno exits 2)
    expect(specIssues(input)).toEqual([
      {
        path: 'spec.services[1].name',
        message: expect.stringMatching(
          /headless Service of the stateful service 'db'/,
        ),
      },
    ]);
  });

  it("a service named 'default' gets a ServiceAccount named 'default' (the namespace's own) and fails policy/dedicated-service-account", async () => {
    const input = spec({}, [
      { name: 'default', workload: 'service', language: 'node' },
    ]);
    // Fixed: the spec validation rejects the reserved name (cno exits 2)
    expect(specIssues(input)).toEqual([
      {
        path: 'spec.services[0].name',
        message: expect.stringMatching(
          /^'default' is reserved: .*ServiceAccount/,
        ),
      },
    ]);
  });

  it('T3 on AWS, one public service without a mesh: the ALB canary Ingress fails policy/ingress-backend-exists (port use-annotation)', async () => {
    const errors = await errorsOf(
      spec({ tier: 'T3' }, [
        {
          name: 'web',
          workload: 'service',
          language: 'node',
          expose: 'public',
        },
      ]),
    );
    // policy/ingress-backend-exists kubernetes/prod/web.yaml Ingress/web:
    // the backend Service "web" has no port use-annotation (it has http)
    expect(errors).toEqual([]);
  });

  it("a trigger source ARN with a wildcard is accepted and becomes an IAM grant on every queue (SAM SQSPollerPolicy QueueName '*')", async () => {
    const input = spec({ platform: 'serverless' }, [
      {
        name: 'fn',
        workload: 'function',
        language: 'node',
        trigger: {
          type: 'queue',
          source: 'arn:aws:sqs:us-east-1:123456789012:*',
        },
      },
    ]);
    // Either the spec validation rejects it ...
    let accepted = true;
    try {
      parseSpecObject(input);
    } catch {
      accepted = false;
    }
    if (!accepted) return;
    // ... or the package grants nothing with a wildcard
    const pkg = await generate(input);
    expect(iamWildcardErrors(pkg.files)).toEqual([]);
    const yml = pkg.files.find(
      f => f.path === 'serverless/aws/serverless.yml',
    )!;
    expect(yml.content).not.toContain('arn:aws:sqs:us-east-1:123456789012:*');
  });

  it('env values reach serverless.yml unescaped: the Serverless Framework resolves ${env:...} / ${file(...)} in them', async () => {
    const input = spec({ platform: 'serverless' }, [
      {
        name: 'fn',
        workload: 'function',
        language: 'node',
        env: { GREETING: 'hello ${env:CNO_PROBE}' },
      },
    ]);
    const pkg = await generate(input);
    const root = await fs.mkdtemp(path.join(os.tmpdir(), 'cno-osls-bug-'));
    try {
      const service = path.join(root, 'serverless', 'aws');
      await fs.mkdir(service, { recursive: true });
      await fs.writeFile(
        path.join(service, 'serverless.yml'),
        pkg.files.find(f => f.path === 'serverless/aws/serverless.yml')!
          .content,
      );
      const printed = osls(service, ['print', '--config', 'serverless.yml'], {
        HOME: root,
        CNO_PROBE: 'LEAKED',
      });
      const config = parse(printed.output);
      // The value a user wrote, exactly (today: "hello LEAKED")
      expect(config.functions.fn.environment.GREETING).toBe(
        'hello ${env:CNO_PROBE}',
      );
    } finally {
      await fs.rm(root, { recursive: true, force: true });
    }
  });

  describe('writePackage into a directory holding a previous cno report', () => {
    let base: string;
    let out: string;
    let outside: string;
    let specFile: string;

    // No real tools: the tool checks are skipped
    withoutHelmAndKubectl();
    beforeEach(async () => {
      base = await fs.mkdtemp(path.join(os.tmpdir(), 'cno-symlink-'));
      out = path.join(base, 'out');
      outside = path.join(base, 'outside');
      await fs.mkdir(out);
      await fs.mkdir(outside);
      specFile = path.join(base, 'spec.json');
      await fs.writeFile(
        specFile,
        JSON.stringify(
          spec({}, [{ name: 'web', workload: 'service', language: 'node' }]),
        ),
      );
      // What makes the directory look like a previous cno package
      await fs.writeFile(
        path.join(out, 'deployment-report.yaml'),
        'kind: DeploymentReport\ndeployment_package:\n  files: []\n',
      );
    });
    afterEach(() => fs.rm(base, { recursive: true, force: true }));

    const silent = { stdout: () => {}, stderr: () => {} };

    it('a symlinked folder (kubernetes -> ../outside): files land outside --out, without --force', async () => {
      await fs.symlink(outside, path.join(out, 'kubernetes'));
      await runCli(['generate', specFile, '--out', out], silent);
      expect(await listTree(outside)).toEqual([]);
    });

    it('a symlinked file (README.md -> ../outside/victim): the target is overwritten, without --force', async () => {
      const victim = path.join(outside, 'victim.txt');
      await fs.writeFile(victim, 'precious');
      await fs.symlink(victim, path.join(out, 'README.md'));
      await runCli(['generate', specFile, '--out', out], silent);
      expect(await fs.readFile(victim, 'utf8')).toBe('precious');
    });

    it('a file the user added (not in the previous report) at a generated path is overwritten without --force', async () => {
      await fs.writeFile(path.join(out, 'README.md'), 'my notes');
      const code = await runCli(['generate', specFile, '--out', out], silent);
      const readme = await fs.readFile(path.join(out, 'README.md'), 'utf8');
      // refused (exit 2), or the user's file kept
      expect(code === 2 || readme === 'my notes').toBe(true);
    });
  });
});
