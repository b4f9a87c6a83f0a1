import { promises as fs } from 'node:fs';
import path from 'node:path';
import { parseSpecText } from './loadSpec';
import { createPlan } from '@internal/backstage-plugin-cloud-native-common';
import { orchestrate } from './orchestrate';

// Each run renders and lints Helm charts and builds kustomizations for real
jest.setTimeout(180_000);

/**
 * The committed example packages (examples/<name>/package) are goldens: the
 * engine must reproduce them byte for byte. After an intended change to the
 * output, regenerate them with `yarn examples:update` and review the diff.
 */
const EXAMPLES = path.resolve(__dirname, '../../../../examples');

async function listFiles(root: string, dir = ''): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await fs.readdir(path.join(root, dir), {
    withFileTypes: true,
  })) {
    const relative = dir ? `${dir}/${entry.name}` : entry.name;
    if (entry.isDirectory()) out.push(...(await listFiles(root, relative)));
    else out.push(relative);
  }
  return out.sort();
}

async function exampleNames(): Promise<string[]> {
  const names: string[] = [];
  for (const entry of await fs.readdir(EXAMPLES, { withFileTypes: true })) {
    if (
      entry.isDirectory() &&
      (await fs
        .stat(path.join(EXAMPLES, entry.name, 'architecture.yaml'))
        .then(() => true)
        .catch(() => false))
    ) {
      names.push(entry.name);
    }
  }
  return names.sort();
}

describe('example packages', () => {
  it('there are examples for every workload kind and strategy', async () => {
    const kinds = new Set<string>();
    const strategies = new Set<string>();
    for (const name of await exampleNames()) {
      const text = await fs.readFile(
        path.join(EXAMPLES, name, 'architecture.yaml'),
        'utf8',
      );
      const plan = createPlan(parseSpecText(text, name));
      plan.services.forEach(s => {
        kinds.add(s.service.workload);
        strategies.add(s.strategy);
      });
    }
    expect([...kinds].sort()).toEqual([
      'cronjob',
      'daemon',
      'function',
      'job',
      'service',
      'stateful',
      'worker',
    ]);
    expect([...strategies].sort()).toEqual([
      'ab-testing',
      'blue-green',
      'canary',
      'none',
      'recreate',
      'rolling',
    ]);
  });

  it.each([
    'batch-platform-agnostic',
    'events-serverless-aws',
    'hybrid-aks',
    'marketplace-gke-t3',
    'shop-eks-t2',
    'web-app-t1',
  ])('%s: the engine reproduces the committed package', async name => {
    const dir = path.join(EXAMPLES, name);
    const text = await fs.readFile(path.join(dir, 'architecture.yaml'), 'utf8');
    const first = await orchestrate(parseSpecText(text, name));
    const second = await orchestrate(parseSpecText(text, name));
    // Same spec → byte-identical package
    expect(second.files).toEqual(first.files);
    expect(first.findings.filter(f => f.severity === 'error')).toEqual([]);

    const golden = path.join(dir, 'package');
    const onDisk = await listFiles(golden);
    expect(onDisk).toEqual(first.files.map(f => f.path));
    for (const file of first.files) {
      expect({
        path: file.path,
        content: await fs.readFile(path.join(golden, file.path), 'utf8'),
      }).toEqual({ path: file.path, content: file.content });
    }
  });
});
