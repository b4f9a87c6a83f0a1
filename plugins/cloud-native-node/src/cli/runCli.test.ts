import { promises as fs } from 'node:fs';
import path from 'node:path';
import { parse, stringify } from 'yaml';
import { runCli } from './runCli';
import { captureIO } from '../../testkit/cli';
import {
  spec as architecture,
  svc,
} from '../skills/kubernetes/__fixtures__/plans';
import { tmpDirPerTest } from './__fixtures__/tmpDir';
import { runCno } from './__fixtures__/runCno';

const EXAMPLES = path.resolve(__dirname, '../../../../examples');

describe('cno', () => {
  const tmp = tmpDirPerTest('cno-cli-');

  it('plan prints the platform, skills and rule ids', async () => {
    const c = captureIO();
    const code = await runCli(
      ['plan', path.join(EXAMPLES, 'shop-eks-t2/architecture.yaml')],
      c.io,
    );
    expect(code).toBe(0);
    expect(c.out()).toMatch(/platform: +kubernetes \(aws, eu-west-1\)/);
    expect(c.out()).toMatch(/kubernetes-helm-builder: .*\[SKILL-011\]/);
    expect(c.out()).toMatch(/STRAT-021 +api:/);
  });

  it('plan --json prints JSON', async () => {
    const c = captureIO();
    await runCli(
      ['plan', path.join(EXAMPLES, 'web-app-t1/architecture.yaml'), '--json'],
      c.io,
    );
    expect(JSON.parse(c.out())).toMatchObject({
      platform: 'kubernetes',
      tier: 'T1',
    });
  });

  it('exits 2 and names the field path for an invalid spec', async () => {
    const spec = path.join(tmp(), 'bad.yaml');
    const cron = svc('a', 'cronjob', {
      language: 'go',
      schedule: '99 * * * *',
    });
    await fs.writeFile(
      spec,
      stringify(
        architecture(
          { type: 'batch', cloud: 'aws', tier: 'T1', requirements: ['cost'] },
          [cron],
          'x',
        ),
      ),
    );
    const c = captureIO();
    expect(
      await runCli(['generate', spec, '--out', path.join(tmp(), 'o')], c.io),
    ).toBe(2);
    expect(c.err()).toMatch(/spec.services\[0\].schedule: invalid cron/);
  });

  it('exits 2 for YAML syntax errors, with the line', async () => {
    const spec = path.join(tmp(), 'bad.yaml');
    await fs.writeFile(spec, 'kind: [unclosed\n');
    const c = captureIO();
    expect(await runCli(['plan', spec], c.io)).toBe(2);
    expect(c.err()).toMatch(/line \d+/);
  });

  it('exits 2 for a missing spec file and for unknown commands', async () => {
    const c = captureIO();
    expect(await runCli(['plan', path.join(tmp(), 'nope.yaml')], c.io)).toBe(2);
    expect(c.err()).toMatch(/cannot read .*ENOENT/);
    expect(await runCli(['frobnicate'], captureIO().io)).toBe(2);
  });

  it('refuses YAML aliases', async () => {
    const spec = path.join(tmp(), 'alias.yaml');
    const text = await fs.readFile(
      path.join(EXAMPLES, 'web-app-t1/architecture.yaml'),
      'utf8',
    );
    await fs.writeFile(
      spec,
      text.replace(
        'env: { LOG_LEVEL: info }',
        'env: &e { LOG_LEVEL: info }\n      x: *e',
      ),
    );
    const c = captureIO();
    expect(await runCli(['plan', spec], c.io)).toBe(2);
  });

  it('generate writes the package and the report, and refuses a foreign directory', async () => {
    const out = path.join(tmp(), 'pkg');
    const c = captureIO();
    const code = await runCli(
      [
        'generate',
        path.join(EXAMPLES, 'web-app-t1/architecture.yaml'),
        '--out',
        out,
      ],
      c.io,
    );
    expect(c.err()).not.toMatch(/error/);
    expect(code).toBe(0);
    const report = parse(
      await fs.readFile(path.join(out, 'deployment-report.yaml'), 'utf8'),
    );
    expect(report.deployment_strategy.platform).toBe('kubernetes');
    expect(report.validation_results.kubernetes_manifests).toBe('pass');

    const foreign = path.join(tmp(), 'foreign');
    await fs.mkdir(foreign);
    await fs.writeFile(path.join(foreign, 'README.md'), 'mine');
    const c2 = captureIO();
    expect(
      await runCli(
        [
          'generate',
          path.join(EXAMPLES, 'web-app-t1/architecture.yaml'),
          '--out',
          foreign,
        ],
        c2.io,
      ),
    ).toBe(2);
    expect(c2.err()).toMatch(/--out: .*not created by cno/);
    expect(await fs.readFile(path.join(foreign, 'README.md'), 'utf8')).toBe(
      'mine',
    );
  });
});

describe('cno schema', () => {
  it('prints the committed JSON Schema for editors', async () => {
    const c = captureIO();
    expect(await runCli(['schema', 'architecture'], c.io)).toBe(0);
    const committed = await fs.readFile(
      path.resolve(
        __dirname,
        '../../../../docs/schemas/architecture.schema.json',
      ),
      'utf8',
    );
    // Regenerate with: yarn cno schema architecture > docs/schemas/architecture.schema.json
    expect(c.out()).toBe(committed);
    const schema = JSON.parse(c.out());
    expect(schema.properties.spec.properties.services.items.required).toEqual([
      'name',
      'workload',
    ]);
  });
});

describe('cno validate and cno cost', () => {
  jest.setTimeout(120_000);
  const tmp = tmpDirPerTest('cno-validate-');

  it('validates an example package (exit 0) and a broken copy (exit 1)', async () => {
    const valid = await runCno([
      'validate',
      path.join(EXAMPLES, 'shop-eks-t2/package'),
      '--no-tools',
    ]);
    expect(valid.code).toBe(0);
    expect(valid.out).toMatch(/kubernetes_manifests: pass/);

    await fs.cp(path.join(EXAMPLES, 'shop-eks-t2/package'), tmp(), {
      recursive: true,
    });
    const file = path.join(tmp(), 'kubernetes/prod/api.yaml');
    await fs.writeFile(
      file,
      (
        await fs.readFile(file, 'utf8')
      ).replace(
        /readOnlyRootFilesystem: true/g,
        'readOnlyRootFilesystem: false',
      ),
    );
    const broken = captureIO();
    expect(await runCli(['validate', tmp(), '--no-tools'], broken.io)).toBe(1);
    expect(broken.out()).toMatch(
      /error +policy\/read-only-root-filesystem kubernetes\/prod\/api.yaml/,
    );
    expect(broken.out()).toMatch(/kubernetes_manifests: fail/);
  });

  it('exits 2 for a directory that is not a package', async () => {
    const c = captureIO();
    expect(await runCli(['validate', tmp()], c.io)).toBe(2);
    expect(c.err()).toMatch(/no architecture.yaml/);
  });

  it('prints the cost table of a spec and of a package', async () => {
    const specFile = path.join(EXAMPLES, 'web-app-t1/architecture.yaml');
    const ofSpec = await runCno(['cost', specFile]);
    expect(ofSpec.code).toBe(0);
    expect(ofSpec.out).toMatch(/Total: 160\.49 USD\/month/);
    const packageDir = path.join(EXAMPLES, 'web-app-t1/package');
    const ofPackage = await runCno(['cost', packageDir, '--json']);
    expect(ofPackage.code).toBe(0);
    expect(JSON.parse(ofPackage.out).total).toBe(160.49);
    expect((await runCno(['cost', specFile, '--env', 'nope'])).code).toBe(2);
  });
});
