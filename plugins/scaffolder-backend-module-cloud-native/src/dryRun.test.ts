import { promises as fs } from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { parse } from 'yaml';
import os from 'node:os';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import {
  createPlan,
  parseArchitecture,
} from '@internal/backstage-plugin-cloud-native-common';
import {
  validatePackage,
  REPORT_FILE,
} from '@internal/backstage-plugin-cloud-native-node';
import scaffolderPlugin from '@backstage/plugin-scaffolder-backend';
import { scaffolderModuleCloudNative } from './module';
import { shopArchitecture } from './__fixtures__/architectures';

/**
 * The Template Editor's dry-run against the real scaffolder backend: the
 * template and form values for two example architectures go in, the
 * returned files must form a package that passes the engine's validation and
 * contains the report.
 */
jest.setTimeout(240_000);

const ROOT = path.resolve(__dirname, '../../..');
const TEMPLATE_DIR = path.join(ROOT, 'templates/cloud-native-deployment');

async function directoryContents(dir: string, base = dir) {
  const out: Array<{ path: string; base64Content: string }> = [];
  for (const entry of await fs.readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await directoryContents(full, base)));
    else
      out.push({
        path: path.relative(base, full),
        base64Content: (await fs.readFile(full)).toString('base64'),
      });
  }
  return out;
}

const shopValues = {
  name: 'shop',
  owner: 'group:default/platform-team',
  description: 'A shop',
  architectureType: 'microservices',
  platform: 'auto',
  cloud: 'aws',
  region: 'eu-west-1',
  tier: 'T2',
  environments: ['dev', 'prod'],
  requirements: ['performance', 'security'],
  mesh: 'auto',
  gitops: 'none',
  // the services of the actions' fixture, as the form's list field holds them
  services: shopArchitecture.spec.services,
};

const batchValues = {
  name: 'nightly',
  owner: 'group:default/platform-team',
  architectureType: 'batch',
  platform: 'auto',
  cloud: 'platform-agnostic',
  tier: 'T1',
  environments: ['prod'],
  requirements: ['cost'],
  mesh: 'none',
  gitops: 'argocd',
  services: [
    {
      name: 'export',
      workload: 'cronjob',
      language: 'python',
      schedule: '0 2 * * *',
      timeZone: 'Europe/Istanbul',
    },
    {
      name: 'backfill',
      workload: 'job',
      language: 'go',
      completions: 4,
      parallelism: 2,
    },
  ],
};

describe('POST /api/scaffolder/v2/dry-run with the cloud-native template', () => {
  it.each([
    ['shop (T2, EKS, two environments)', shopValues],
    ['nightly (T1 batch, platform-agnostic, Argo CD)', batchValues],
  ])('%s: returns a valid package with its report', async (_name, values) => {
    const { server } = await startTestBackend({
      features: [
        scaffolderPlugin,
        scaffolderModuleCloudNative,
        mockServices.rootConfig.factory({
          data: {
            cloudNative: {
              localPublish: {
                directory: path.join(os.tmpdir(), 'cno-dry-run'),
              },
            },
          },
        }),
      ],
    });
    const template = parse(
      await fs.readFile(path.join(TEMPLATE_DIR, 'template.yaml'), 'utf8'),
    );
    const response = await request(server)
      .post('/api/scaffolder/v2/dry-run')
      .send({
        template,
        values,
        secrets: {},
        directoryContents: await directoryContents(TEMPLATE_DIR),
      });
    expect({
      status: response.status,
      body: response.status === 200 ? 'ok' : response.body,
    }).toEqual({ status: 200, body: 'ok' });
    const files = (
      response.body.directoryContents as Array<{
        path: string;
        base64Content: string;
      }>
    ).map(f => ({
      path: f.path,
      content: Buffer.from(f.base64Content, 'base64').toString('utf8'),
    }));
    const pkg = files
      .filter(f => f.path.startsWith('deployment/'))
      .map(f => ({ ...f, path: f.path.slice('deployment/'.length) }));
    const report = pkg.find(f => f.path === REPORT_FILE);
    expect(report).toBeDefined();
    expect(parse(report!.content).kind).toBe('DeploymentReport');
    expect(files.map(f => f.path)).toContain('catalog-info.yaml');
    const spec = parse(pkg.find(f => f.path === 'architecture.yaml')!.content);
    const parsed = parseArchitecture(spec);
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
    const result = await validatePackage(
      createPlan(parsed.architecture),
      pkg.filter(f => f.path !== REPORT_FILE),
    );
    expect(result.findings.filter(f => f.severity === 'error')).toEqual([]);
    // The output shown on the Create page
    expect(JSON.stringify(response.body.output)).toMatch(/USD/);
  });
});
