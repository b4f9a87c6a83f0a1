/*
 * External tool failures: a helm that crashes, one that hangs and one that
 * does not exist give `fail` / `skipped` results with a reason, never a hang
 * and never an exception.
 *
 * Every tool run of the pipeline has a 60 s timeout (the version probe of
 * locateTool 20 s), and the whole tool phase a deadline, `toolsTimeoutMs`
 * (default 180 s). A hang of one run is tested through
 * `runPackageToolChecks({ timeoutMs })` and `locateTool({ timeoutMs })` directly, the
 * deadline through `validatePackage({ toolsTimeoutMs })`.
 */
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  createPlan,
  DeploymentPlan,
} from '@internal/backstage-plugin-cloud-native-common';
import { parseSpecObject } from '../engine/loadSpec';
import { orchestrate } from '../engine/orchestrate';
import { GeneratedFile } from '../core/types';
import { locateTool, runPackageToolChecks } from '../tools';
import { ToolCheck, validatePackage } from '../validation';
import { toolScript, waitUntilGone } from '../../testkit/processes';
import { spec } from '../skills/kubernetes/__fixtures__/plans';

jest.setTimeout(60_000);

const SPEC = spec(
  { cloud: 'aws', mesh: undefined, environments: ['dev', 'prod'] },
  [{ name: 'web', workload: 'service', language: 'node' }],
);

/** Every check is skipped, with `reason`. */
function expectAllSkipped(checks: ToolCheck[], reason: string): void {
  for (const check of checks) {
    expect(check).toMatchObject({ status: 'skipped', reason });
  }
}

/** Answers `helm version` like helm 3.18, then runs `rest` for any other call. */
const versionThen = (rest: string) =>
  `if [ "$1" = version ]; then echo v3.18.4+gd80839c; exit 0; fi\n${rest}`;

describe('helm failures', () => {
  let dir: string;
  let plan: DeploymentPlan;
  let files: GeneratedFile[];
  let packageDir: string;

  beforeAll(async () => {
    plan = createPlan(parseSpecObject(SPEC));
    const pkg = await orchestrate(plan.architecture, {
      tools: false,
      validate: false,
    });
    files = pkg.files;
    if (plan.packaging !== 'helm') {
      throw new Error(
        `the spec should make a Helm chart, not ${plan.packaging}`,
      );
    }
  });
  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'cno-fake-helm-'));
    packageDir = path.join(dir, 'package');
    for (const file of files) {
      const target = path.join(packageDir, file.path);
      await fs.mkdir(path.dirname(target), { recursive: true });
      await fs.writeFile(target, file.content);
    }
  });
  afterEach(() => fs.rm(dir, { recursive: true, force: true }));

  const noKubectl = path.join(os.tmpdir(), 'cno-no-such-kubectl');

  /** Validates the package with `helmPath` and no kubectl; its helm chart checks. */
  async function validateWithHelm(helmPath: string) {
    const result = await validatePackage(plan, files, {
      helmPath,
      kubectlPath: noKubectl,
    });
    const helmChecks = result.toolChecks.filter(t => t.area === 'helm_chart');
    return { result, helmChecks };
  }

  it('a helm that crashes on lint/template: fail, with the exit code, through the whole pipeline', async () => {
    const helmPath = await toolScript(
      dir,
      'helm',
      versionThen('echo "Error: chart is broken" >&2\nexit 1'),
    );
    const { result, helmChecks } = await validateWithHelm(helmPath);
    expect(helmChecks).toHaveLength(4); // lint + template, per environment
    for (const check of helmChecks) {
      expect(check.status).toBe('fail');
      expect(check.reason).toMatch(/helm 3\.18\.4 exited with 1/);
    }
    expect(result.results.helm_chart).toBe('fail');
    expect(
      result.findings.filter(
        f => f.ruleId === 'tool/helm_chart' && f.severity === 'error',
      ),
    ).toHaveLength(4);
    expect(
      result.findings.find(f => f.ruleId === 'tool/helm_chart')?.message,
    ).toMatch(/failed: helm 3\.18\.4 exited with 1/);
  });

  it('a helm that crashes on every call (even version): skipped, with a reason', async () => {
    const helmPath = await toolScript(dir, 'helm', 'exit 1');
    const { result, helmChecks } = await validateWithHelm(helmPath);
    expect(helmChecks.length).toBeGreaterThan(0);
    expectAllSkipped(
      helmChecks,
      `helm at ${helmPath} failed its version check: exited with 1 without output on stderr`,
    );
    expect(result.results.helm_chart).toBe('n/a');
  });

  it('a helm whose version check fails is reported with the reason, not as "not found"', async () => {
    const helmPath = await toolScript(
      dir,
      'helm',
      'echo "fatal error: runtime: cannot allocate memory" >&2\necho "goroutine 1 [running]:" >&2\nexit 2',
    );
    const { result, helmChecks } = await validateWithHelm(helmPath);
    expect(helmChecks).toHaveLength(4);
    expectAllSkipped(
      helmChecks,
      `helm at ${helmPath} failed its version check: fatal error: runtime: cannot allocate memory`,
    );
    // not found stays "not found"
    const kustomize = result.toolChecks.filter(t => t.area === 'kustomize');
    expect(kustomize.length).toBeGreaterThan(0);
    for (const check of kustomize) {
      expect(check.reason).toBe('kubectl not found');
    }
    expect(result.results.helm_chart).toBe('n/a');
    expect(result.findings.filter(f => f.ruleId.startsWith('tool/'))).toEqual(
      [],
    );
  });

  it('the tool phase has an overall deadline: hanging helm and kubectl are killed, their checks time out', async () => {
    const pids = path.join(dir, 'pids');
    const hang = `sleep 600 &\necho $! >> "${pids}"\nwait`;
    const helmPath = await toolScript(dir, 'helm', versionThen(hang));
    const kubectlPath = await toolScript(
      dir,
      'kubectl',
      `if [ "$1" = version ]; then echo '{"clientVersion":{"gitVersion":"v1.35.0"}}'; exit 0; fi\n${hang}`,
    );
    const started = Date.now();
    const result = await validatePackage(plan, files, {
      helmPath,
      kubectlPath,
      toolsTimeoutMs: 1_500,
    });
    // without the deadline: 60 s per run
    expect(Date.now() - started).toBeLessThan(15_000);
    const helmChecks = result.toolChecks.filter(t => t.area === 'helm_chart');
    const kustomize = result.toolChecks.filter(t => t.area === 'kustomize');
    expect(helmChecks).toHaveLength(4);
    expect(kustomize.length).toBeGreaterThan(0);
    // the same checks, in the same order, as when the tools answer
    const missing = await validatePackage(plan, files, {
      helmPath: path.join(dir, 'missing-helm'),
      kubectlPath: noKubectl,
    });
    expect(result.toolChecks.map(t => t.check)).toEqual(
      missing.toolChecks.map(t => t.check),
    );
    for (const check of result.toolChecks) {
      // running when the deadline passed: killed and failed; else skipped
      expect(['fail', 'skipped']).toContain(check.status);
      expect(check.reason).toMatch(
        /timed out: the tool checks did not finish within 1\.5 s/,
      );
    }
    expect(result.toolChecks.some(t => t.status === 'fail')).toBe(true);
    expect(
      result.findings.filter(f => f.ruleId.startsWith('tool/')).length,
    ).toBe(result.toolChecks.filter(t => t.status === 'fail').length);
    // every process started was killed, with its process group
    const spawned = (await fs.readFile(pids, 'utf8')).trim().split('\n');
    expect(spawned.length).toBeGreaterThan(0);
    for (const pid of spawned) {
      expect(await waitUntilGone(Number(pid), 2_000)).toBe(true);
    }
  });

  it('a helm that hangs: the chart checks fail with "timed out" after their timeout, and the process group is killed', async () => {
    const pidFile = path.join(dir, 'sleep.pid');
    const helmPath = await toolScript(
      dir,
      'helm',
      versionThen(`sleep 600 &\necho $! > "${pidFile}"\nwait`),
    );
    const started = Date.now();
    const results = await runPackageToolChecks(packageDir, {
      chart: { path: `helm/${plan.name}`, environments: ['dev'] },
      helmPath,
      timeoutMs: 1_000,
    });
    const elapsed = Date.now() - started;
    expect(results.map(r => r.status)).toEqual(['fail', 'fail']);
    for (const result of results) {
      expect(result.reason).toMatch(/timed out/);
    }
    // two checks of 1 s each, plus the version probe and the kill
    expect(elapsed).toBeLessThan(15_000);
    const pid = Number((await fs.readFile(pidFile, 'utf8')).trim());
    expect(pid).toBeGreaterThan(0);
    // SIGKILL of the group is immediate, but give the kernel a moment
    expect(await waitUntilGone(pid, 2_000)).toBe(true);
  });

  it('a helm whose version probe hangs is not used, after the probe timeout', async () => {
    const helmPath = await toolScript(dir, 'helm', 'sleep 600');
    const diagnostics: string[] = [];
    const started = Date.now();
    const located = await locateTool('helm', {
      configuredPath: helmPath,
      timeoutMs: 500,
      diagnostics,
    });
    expect(located).toBeUndefined();
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(diagnostics.join('\n')).toMatch(/timed out after 500 ms/);
  });

  it('a missing helm: every helm check is skipped with the reason', async () => {
    const helmPath = path.join(dir, 'no', 'such', 'helm');
    const { result, helmChecks } = await validateWithHelm(helmPath);
    expect(helmChecks).toHaveLength(4);
    expectAllSkipped(helmChecks, 'helm not found');
    expectAllSkipped(
      result.toolChecks.filter(t => t.area === 'kustomize'),
      'kubectl not found',
    );
    expect(result.results.helm_chart).toBe('n/a');
    expect(result.findings.filter(f => f.ruleId.startsWith('tool/'))).toEqual(
      [],
    );
  });

  it('a missing helm through orchestrate: the report records the skipped checks', async () => {
    const pkg = await orchestrate(plan.architecture, {
      helmPath: path.join(dir, 'missing-helm'),
      kubectlPath: noKubectl,
    });
    expect(pkg.report.validation_results.helm_chart).toBe('n/a');
    const checks = (pkg.report as { tool_checks?: Array<{ status: string }> })
      .tool_checks;
    expect(checks?.length).toBeGreaterThan(0);
    expect(checks?.every(c => c.status === 'skipped')).toBe(true);
  });

  it('a helm that is a directory or not executable: skipped, not thrown', async () => {
    const notExecutable = path.join(dir, 'helm-noexec');
    await fs.writeFile(notExecutable, '#!/bin/sh\nexit 0\n', { mode: 0o644 });
    for (const helmPath of [dir, notExecutable]) {
      const results = await runPackageToolChecks(packageDir, {
        chart: { path: `helm/${plan.name}`, environments: ['dev'] },
        helmPath,
      });
      expect(results.map(r => r.status)).toEqual(['skipped', 'skipped']);
    }
  });
});
