import { promises as fs } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { runCli } from './runCli';
import {
  FakeApiServer,
  startFakeApiServer,
  statusBody,
  tmpDir,
  writeKubeconfig,
} from '../../testkit/serverDryRun';
import { captureIO } from '../../testkit/cli';

/*
 * `cno validate|generate --server-dry-run` against a fake API server (there
 * is no real one on these machines), and the usage errors of its flags.
 */

jest.setTimeout(180_000);

const EXAMPLES = path.resolve(__dirname, '../../../../examples');
const PACKAGE = path.join(EXAMPLES, 'web-app-t1/package');
const SPEC = path.join(EXAMPLES, 'web-app-t1/architecture.yaml');

/** `cno validate <example package> --no-tools --server-dry-run --kubeconfig ...` */
async function validateWithDryRun(kubeconfig: string, ...extra: string[]) {
  const c = captureIO();
  const code = await runCli(
    [
      'validate',
      PACKAGE,
      '--no-tools',
      '--server-dry-run',
      '--kubeconfig',
      kubeconfig,
      ...extra,
    ],
    c.io,
  );
  return { c, code };
}

/** `cno generate <example spec> --out <out> --server-dry-run --kubeconfig ...` */
async function generateWithDryRun(out: string, kubeconfig: string) {
  const c = captureIO();
  const code = await runCli(
    [
      'generate',
      SPEC,
      '--out',
      out,
      '--server-dry-run',
      '--kubeconfig',
      kubeconfig,
    ],
    c.io,
  );
  return { c, code };
}

describe('cno --server-dry-run', () => {
  let dir: string;
  let fake: FakeApiServer | undefined;
  beforeEach(async () => {
    dir = await tmpDir();
  });
  afterEach(async () => {
    await fake?.close();
    fake = undefined;
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('validate sends the package and prints the check', async () => {
    fake = await startFakeApiServer();
    const kubeconfig = await writeKubeconfig(dir, fake.url);
    const { c, code } = await validateWithDryRun(
      kubeconfig,
      '--context',
      'other',
    );
    expect(c.err()).toBe('');
    expect(code).toBe(0);
    expect(c.out()).toMatch(
      new RegExp(
        `^pass {4}server-side dry run \\(context other, ${fake.url}\\) \\(\\d+ object\\(s\\) accepted\\)$`,
        'm',
      ),
    );
    expect(fake.patches().length).toBeGreaterThan(3);
    expect(fake.patches().every(p => p.query.dryRun === 'All')).toBe(true);
  });

  it('validate exits 1 with the rejection as a finding', async () => {
    fake = await startFakeApiServer({
      answer: r =>
        r.method === 'PATCH' && r.path.includes('/services/')
          ? {
              status: 422,
              body: statusBody(422, 'Invalid', 'Service "web" is invalid', {
                causes: [
                  {
                    field: 'spec.ports[0].port',
                    message: 'Invalid value: 0: must be between 1 and 65535',
                  },
                ],
              }),
            }
          : undefined,
    });
    const kubeconfig = await writeKubeconfig(dir, fake.url);
    const { c, code } = await validateWithDryRun(kubeconfig);
    expect(code).toBe(1);
    expect(c.out()).toMatch(
      /^error {3}server-dry-run\/rejected kubernetes\/dev\/\S+\.yaml Service\/\S+: spec\.ports\[0\]\.port: rejected by the API server \(422 Invalid\): Invalid value: 0: must be between 1 and 65535$/m,
    );
    expect(c.out()).toMatch(/^fail {4}server-side dry run .*rejected\)$/m);
  });

  it('validate --json includes the check', async () => {
    fake = await startFakeApiServer();
    const kubeconfig = await writeKubeconfig(dir, fake.url);
    const { c } = await validateWithDryRun(
      kubeconfig,
      '--json',
      '--dry-run-env',
      'dev',
    );
    expect(JSON.parse(c.out()).toolChecks).toEqual([
      expect.objectContaining({ area: 'server_dry_run', status: 'pass' }),
    ]);
  });

  it('an unreachable cluster makes validate fail with the reason, not hang', async () => {
    const kubeconfig = await writeKubeconfig(dir, 'http://127.0.0.1:1');
    const { c, code } = await validateWithDryRun(kubeconfig);
    expect(code).toBe(1);
    expect(c.out()).toMatch(
      /^fail {4}server-side dry run \(context fake, http:\/\/127\.0\.0\.1:1\) \(cannot reach .*ECONNREFUSED.*\)$/m,
    );
  });

  it.each([
    [
      ['--server-dry-run', '--kubeconfig', '/nonexistent/kubeconfig'],
      'cno: --kubeconfig: cannot read /nonexistent/kubeconfig: ENOENT',
    ],
    [
      ['--server-dry-run', '--kubeconfig', 'KUBECONFIG', '--context', 'nope'],
      /^cno: --context: no context "nope" in .* \(contexts: fake, other\)/,
    ],
    [
      [
        '--server-dry-run',
        '--kubeconfig',
        'KUBECONFIG',
        '--namespace',
        'No_Such',
      ],
      /^cno: --namespace: "No_Such" is not a valid namespace name/,
    ],
    [
      ['--server-dry-run', '--kubeconfig', 'KUBECONFIG', '--dry-run-env', 'qa'],
      'cno: --dry-run-env: unknown environment qa (the plan has dev)',
    ],
    [['--context', 'fake'], 'cno: --context: only used with --server-dry-run'],
    [
      ['--kubeconfig', 'KUBECONFIG'],
      'cno: --kubeconfig: only used with --server-dry-run',
    ],
  ])('validate %j exits 2 naming the flag', async (flags, message) => {
    const kubeconfig = await writeKubeconfig(dir, 'http://127.0.0.1:1');
    const c = captureIO();
    const code = await runCli(
      [
        'validate',
        PACKAGE,
        '--no-tools',
        ...flags.map(f => (f === 'KUBECONFIG' ? kubeconfig : f)),
      ],
      c.io,
    );
    expect(code).toBe(2);
    expect(c.err().split('\n')[0]).toMatch(message);
    expect(c.out()).toBe('');
  });

  it('generate checks the flags before writing anything', async () => {
    const out = path.join(dir, 'out');
    const { c, code } = await generateWithDryRun(
      out,
      path.join(dir, 'missing'),
    );
    expect(code).toBe(2);
    expect(c.err()).toMatch(
      /^cno: --kubeconfig: cannot read .*missing: ENOENT/,
    );
    await expect(fs.stat(out)).rejects.toThrow(/ENOENT/);
  });

  it('generate records the dry run in the report', async () => {
    fake = await startFakeApiServer();
    const kubeconfig = await writeKubeconfig(dir, fake.url);
    const out = path.join(dir, 'out');
    const { c, code } = await generateWithDryRun(out, kubeconfig);
    expect(c.err()).not.toMatch(/^cno:/m);
    expect(code).toBe(0);
    const report = parse(
      await fs.readFile(path.join(out, 'deployment-report.yaml'), 'utf8'),
    );
    expect(report.tool_checks).toContainEqual({
      area: 'server_dry_run',
      check: `server-side dry run (context fake, ${fake.url})`,
      status: 'pass',
      reason: expect.stringMatching(/^\d+ object\(s\) accepted$/),
    });
    expect(fake.patches().length).toBeGreaterThan(3);
  });
});
