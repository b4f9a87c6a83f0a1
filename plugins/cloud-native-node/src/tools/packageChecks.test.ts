import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { clearProbeCache, findTool, locateTool } from './locateTool';
import { createLimiter } from './limit';
import { runPackageToolChecks } from './packageChecks';
import { runTool } from './runTool';
import { toolScript, waitUntilGone } from '../../testkit/processes';

jest.setTimeout(60_000);

let temporary: string;
let dir: string;

beforeEach(async () => {
  temporary = await fs.mkdtemp(path.join(os.tmpdir(), 'cno-checks-'));
  dir = path.join(temporary, 'package');
  await fs.mkdir(dir);
});

afterEach(async () => {
  await fs.rm(temporary, { recursive: true, force: true });
});

async function write(file: string, content: string) {
  await fs.mkdir(path.dirname(path.join(dir, file)), { recursive: true });
  await fs.writeFile(path.join(dir, file), content);
}

/** Lines of a log file the fake tools append their arguments to. */
async function calls(log: string): Promise<string[]> {
  const text = await fs.readFile(log, 'utf8').catch(() => '');
  return text.split('\n').filter(Boolean).sort();
}

/** A fake tool that prints `versionOutput` for `version` and runs `body` for the rest. */
const fakeTool = (name: string, versionOutput: string, body: string) =>
  toolScript(
    temporary,
    name,
    `if [ "$1" = version ]; then echo ${versionOutput}; exit 0; fi\n${body}`,
  );

/** kubectl answering `version`, logging `kustomize <folder>` calls */
const fakeKubectl = (log: string, rest = 'exit 0') =>
  fakeTool(
    'kubectl',
    `'{"clientVersion":{"gitVersion":"v1.35.0"}}'`,
    `echo "$*" >> "${log}"\n${rest}`,
  );

/** An overlay per environment over a base over two folders, plus a lone one. */
async function writeKustomizations(environments: string[]) {
  const kustomization = (resources: string[]) =>
    `apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n${resources
      .map(r => `  - ${r}\n`)
      .join('')}`;
  const folders: string[] = ['lone'];
  await write('lone/kustomization.yaml', kustomization(['a.yaml']));
  for (const env of environments) {
    await write(
      `kubernetes/${env}/kustomization.yaml`,
      kustomization(['x.yaml']),
    );
    await write(`mesh/${env}/kustomization.yaml`, kustomization(['y.yaml']));
    await write(
      `kustomize/${env}/base/kustomization.yaml`,
      kustomization([`../../../kubernetes/${env}`, `../../../mesh/${env}/`]),
    );
    await write(
      `kustomize/${env}/overlays/eks/kustomization.yaml`,
      kustomization([
        '../../base',
        'https://github.com/example/repo//deploy?ref=v1',
        'patch.yaml',
      ]),
    );
    folders.push(
      `kubernetes/${env}`,
      `mesh/${env}`,
      `kustomize/${env}/base`,
      `kustomize/${env}/overlays/eks`,
    );
  }
  return folders.sort();
}

describe('runPackageToolChecks: kubectl kustomize', () => {
  it('builds the outermost kustomizations only when they pass, and reports every folder', async () => {
    const log = path.join(temporary, 'calls.log');
    const kubectlPath = await fakeKubectl(log);
    const folders = await writeKustomizations(['dev', 'prod']);
    const results = await runPackageToolChecks(dir, {
      kustomizations: [...folders].reverse(),
      kubectlPath,
    });
    // every folder, in path order, whatever the order of the processes
    expect(results).toEqual(
      folders.map(folder => ({
        area: 'kustomize',
        check: `kubectl kustomize ${folder}`,
        status: 'pass',
      })),
    );
    expect(await calls(log)).toEqual([
      'kustomize kustomize/dev/overlays/eks',
      'kustomize kustomize/prod/overlays/eks',
      'kustomize lone',
    ]);
  });

  it('when an overlay fails, builds what it includes one by one to find where the failure is', async () => {
    const log = path.join(temporary, 'calls.log');
    const kubectlPath = await fakeKubectl(
      log,
      `case "$2" in
  kustomize/prod/overlays/eks|kustomize/prod/base|mesh/prod)
    echo "Error: broken $2" >&2; echo "more" >&2; exit 1;;
esac`,
    );
    const folders = await writeKustomizations(['dev', 'prod']);
    const results = await runPackageToolChecks(dir, {
      kustomizations: folders,
      kubectlPath,
    });
    const byFolder = Object.fromEntries(
      results.map(r => [r.check.replace('kubectl kustomize ', ''), r]),
    );
    expect(results.map(r => r.check)).toEqual(
      folders.map(f => `kubectl kustomize ${f}`),
    );
    for (const failing of [
      'kustomize/prod/overlays/eks',
      'kustomize/prod/base',
      'mesh/prod',
    ]) {
      expect(byFolder[failing]).toMatchObject({
        status: 'fail',
        reason: `Error: broken ${failing}`,
      });
    }
    for (const passing of [
      'kubernetes/prod',
      'kustomize/dev/overlays/eks',
      'kustomize/dev/base',
      'mesh/dev',
      'lone',
    ]) {
      expect(byFolder[passing].status).toBe('pass');
    }
    expect(await calls(log)).toEqual([
      'kustomize kubernetes/prod',
      'kustomize kustomize/dev/overlays/eks',
      'kustomize kustomize/prod/base',
      'kustomize kustomize/prod/overlays/eks',
      'kustomize lone',
      'kustomize mesh/prod',
    ]);
  });

  it('an included Component, a cycle and an unreadable kustomization are built on their own', async () => {
    const log = path.join(temporary, 'calls.log');
    const kubectlPath = await fakeKubectl(log);
    await write('top/kustomization.yaml', 'resources: [../component, ../a]');
    await write('component/kustomization.yaml', 'kind: Component\n');
    await write('a/kustomization.yaml', 'resources: [../b]');
    await write('b/kustomization.yaml', 'resources: [../a]');
    await write('broken/kustomization.yaml', 'resources: [unclosed');
    const folders = ['a', 'b', 'broken', 'component', 'top'];
    const results = await runPackageToolChecks(dir, {
      kustomizations: folders,
      kubectlPath,
    });
    expect(results.map(r => r.status)).toEqual(folders.map(() => 'pass'));
    // top covers a and b (through a); the component and broken run alone
    expect(await calls(log)).toEqual([
      'kustomize broken',
      'kustomize component',
      'kustomize top',
    ]);
  });

  it('a kubectl that fails its version check: skipped with the reason', async () => {
    const kubectlPath = await toolScript(
      temporary,
      'kubectl',
      'echo "kubectl: cannot execute binary file" >&2; exit 126',
    );
    await write('k/kustomization.yaml', 'resources: []');
    expect(
      await runPackageToolChecks(dir, { kustomizations: ['k'], kubectlPath }),
    ).toEqual([
      {
        area: 'kustomize',
        check: 'kubectl kustomize k',
        status: 'skipped',
        reason: `kubectl at ${kubectlPath} failed its version check: kubectl: cannot execute binary file`,
      },
    ]);
  });
});

describe('runPackageToolChecks: helm', () => {
  const chart = {
    path: 'helm/shop',
    environments: ['dev', 'staging', 'prod'],
    namespace: 'shop',
    releaseName: 'shop-release',
  };

  it('runs lint and template per environment concurrently, and reports them in a fixed order', async () => {
    const log = path.join(temporary, 'calls.log');
    // dev is slowest, prod fastest: they finish in the reverse order
    const helmPath = await fakeTool(
      'helm',
      'v4.1.4+g05fa379',
      `echo "$* GOGC=$GOGC" >> "${log}"
case "$*" in
  *values-dev.yaml) sleep 0.6;;
  *values-staging.yaml) sleep 0.3;;
esac
case "$*" in *prod*) echo "Error: nope" >&2; exit 1;; esac`,
    );
    const started = Date.now();
    const results = await runPackageToolChecks(dir, {
      chart,
      helmPath,
      concurrency: 6,
    });
    // sequentially: 2 x (0.6 + 0.3) s at least
    expect(Date.now() - started).toBeLessThan(1_700);
    expect(results).toEqual([
      {
        area: 'helm_chart',
        check: 'helm lint --strict (values-dev.yaml)',
        status: 'pass',
      },
      {
        area: 'helm_chart',
        check: 'helm template (values-dev.yaml)',
        status: 'pass',
      },
      {
        area: 'helm_chart',
        check: 'helm lint --strict (values-staging.yaml)',
        status: 'pass',
      },
      {
        area: 'helm_chart',
        check: 'helm template (values-staging.yaml)',
        status: 'pass',
      },
      {
        area: 'helm_chart',
        check: 'helm lint --strict (values-prod.yaml)',
        status: 'fail',
        reason: 'helm 4.1.4 exited with 1',
        output: 'Error: nope',
      },
      {
        area: 'helm_chart',
        check: 'helm template (values-prod.yaml)',
        status: 'fail',
        reason: 'helm 4.1.4 exited with 1',
        output: 'Error: nope',
      },
    ]);
    expect(await calls(log)).toEqual(
      [
        'lint --strict helm/shop -f helm/shop/values-dev.yaml GOGC=off',
        'lint --strict helm/shop -f helm/shop/values-prod.yaml GOGC=off',
        'lint --strict helm/shop -f helm/shop/values-staging.yaml GOGC=off',
        'template shop-release helm/shop --namespace shop -f helm/shop/values-dev.yaml GOGC=off',
        'template shop-release helm/shop --namespace shop -f helm/shop/values-prod.yaml GOGC=off',
        'template shop-release helm/shop --namespace shop -f helm/shop/values-staging.yaml GOGC=off',
      ].sort(),
    );
  });

  it('the overall deadline kills the running processes (fail, "timed out") and skips the rest', async () => {
    const pids = path.join(temporary, 'pids');
    const helmPath = await fakeTool(
      'helm',
      'v3.18.4+gd80839c',
      `sleep 600 &
echo $! >> "${pids}"
wait`,
    );
    const started = Date.now();
    const results = await runPackageToolChecks(dir, {
      chart,
      helmPath,
      concurrency: 1,
      deadlineMs: 700,
    });
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(results.map(r => r.status)).toEqual([
      'fail',
      'skipped',
      'skipped',
      'skipped',
      'skipped',
      'skipped',
    ]);
    expect(results[0].reason).toBe(
      'helm 3.18.4 timed out: the tool checks did not finish within 0.7 s',
    );
    for (const result of results.slice(1)) {
      expect(result.reason).toBe(
        'timed out: the tool checks did not finish within 0.7 s',
      );
    }
    // the one process started was killed with its process group
    const [pid] = (await fs.readFile(pids, 'utf8')).trim().split('\n');
    expect(await waitUntilGone(Number(pid), 2_000)).toBe(true);
  });
});

describe('locateTool: the version probe', () => {
  it('is cached while the binary is unchanged', async () => {
    clearProbeCache();
    const log = path.join(temporary, 'probes.log');
    const body = (version: string) =>
      `echo probe >> "${log}"\necho v${version}+gabc`;
    const helm = await toolScript(temporary, 'helm', body('3.18.4'));
    for (let i = 0; i < 3; i++) {
      expect(await locateTool('helm', { configuredPath: helm })).toMatchObject({
        version: '3.18.4',
      });
    }
    expect(await calls(log)).toEqual(['probe']);
    // another binary at the same path is probed again
    await fs.writeFile(helm, `#!/bin/sh\n${body('3.19.0')}\n`);
    expect(await locateTool('helm', { configuredPath: helm })).toMatchObject({
      version: '3.19.0',
    });
    expect(await calls(log)).toEqual(['probe', 'probe']);
  });

  it('tells "not found", "not executable" and a failed version check apart', async () => {
    const missing = path.join(temporary, 'missing');
    expect(await findTool('helm', { configuredPath: missing })).toEqual({
      problem: 'helm not found',
    });
    expect(await findTool('helm', { configuredPath: temporary })).toEqual({
      problem: `helm at ${temporary} is not an executable file`,
    });
    const crashing = await toolScript(
      temporary,
      'crashing',
      'echo "" >&2; echo "  SIGSEGV: segmentation violation" >&2; echo "pc=0x0" >&2; exit 2',
    );
    expect(await findTool('helm', { configuredPath: crashing })).toEqual({
      problem: `helm at ${crashing} failed its version check: SIGSEGV: segmentation violation`,
    });
    const silent = await toolScript(temporary, 'silent', 'exit 3');
    expect(await findTool('helm', { configuredPath: silent })).toEqual({
      problem: `helm at ${silent} failed its version check: exited with 3 without output on stderr`,
    });
    const garbage = await toolScript(temporary, 'garbage', 'echo hello');
    expect(await findTool('helm', { configuredPath: garbage })).toEqual({
      problem: `helm at ${garbage} failed its version check: unrecognized version output "hello"`,
    });
    const helm3 = await toolScript(temporary, 'helm3', 'echo v3.18.4+gabc');
    expect(
      await findTool('helm', { configuredPath: helm3, version: 4 }),
    ).toEqual({ problem: `helm at ${helm3} is version 3.18.4, not 4` });
  });

  it('on the PATH, a broken helm is the reason when no other one fits', async () => {
    const bin = path.join(temporary, 'bin');
    await fs.mkdir(bin);
    const broken = path.join(bin, 'helm');
    await fs.writeFile(broken, '#!/bin/sh\necho "bad ELF" >&2\nexit 1\n', {
      mode: 0o755,
    });
    expect(
      await findTool('helm', {
        env: { PATH: bin, NODE_ENV: 'production' },
      }),
    ).toEqual({
      problem: `helm at ${broken} failed its version check: bad ELF`,
    });
    expect(
      await findTool('helm', {
        env: { PATH: path.join(temporary, 'empty'), NODE_ENV: 'production' },
      }),
    ).toEqual({ problem: 'helm not found' });
  });
});

describe('runTool with a signal', () => {
  it('an abort kills the process group; an aborted signal starts nothing', async () => {
    const marker = path.join(temporary, 'started');
    const hanging = await toolScript(
      temporary,
      'hang',
      `touch "${marker}"; echo started; sleep 30; echo never`,
    );
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 300);
    const started = Date.now();
    const result = await runTool(hanging, [], { signal: controller.signal });
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(result).toEqual({
      code: null,
      stdout: 'started\n',
      stderr: '',
      timedOut: false,
      aborted: true,
    });
    await fs.rm(marker);
    expect(
      await runTool(hanging, [], { signal: controller.signal }),
    ).toMatchObject({ code: null, aborted: true, stdout: '' });
    await expect(fs.stat(marker)).rejects.toThrow();
  });
});

describe('createLimiter', () => {
  it('runs at most n tasks at once, in submission order', async () => {
    const limit = createLimiter(2);
    let active = 0;
    let peak = 0;
    const startOrder: number[] = [];
    const results = await Promise.all(
      [30, 10, 20, 5, 1].map((ms, i) =>
        limit(async () => {
          startOrder.push(i);
          active++;
          peak = Math.max(peak, active);
          await new Promise(resolve => setTimeout(resolve, ms));
          active--;
          return i;
        }),
      ),
    );
    expect(results).toEqual([0, 1, 2, 3, 4]);
    expect(startOrder).toEqual([0, 1, 2, 3, 4]);
    expect(peak).toBe(2);
    // a task that throws does not block the others
    await expect(
      limit(() => {
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    await expect(limit(async () => 'next')).resolves.toBe('next');
  });
});
