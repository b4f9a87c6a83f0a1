import { promises as fs } from 'node:fs';
import path from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { Finding, Tier } from '@internal/backstage-plugin-cloud-native-common';
import { KubernetesObject, ManifestFile } from '../../core/types';
import { lintDockerfile } from '../dockerfile';
import { GENERATED_WORKLOAD_KINDS } from '../consistency';
import { evaluatePolicies } from '.';
import {
  EXAMPLES_DIR,
  EXAMPLE_NAMES,
  listFiles,
} from '../../__fixtures__/examples';

/**
 * The committed example packages are what the generators produce: the policy
 * and Dockerfile rules must find no error in them (warnings and info are
 * reported in the package's findings, and listed in the task report).
 */
const EXAMPLES = EXAMPLES_DIR;

async function exists(file: string): Promise<boolean> {
  return fs
    .stat(file)
    .then(() => true)
    .catch(() => false);
}

interface ExamplePackage {
  name: string;
  tier: Tier;
  manifests: ManifestFile[];
  dockerfiles: Array<{ path: string; text: string }>;
}

async function loadExample(name: string): Promise<ExamplePackage> {
  const root = path.join(EXAMPLES, name, 'package');
  const architecture = parse(
    await fs.readFile(path.join(root, 'architecture.yaml'), 'utf8'),
  );
  const manifests: ManifestFile[] = [];
  for (const file of await listFiles(root, 'kubernetes')) {
    if (!file.endsWith('.yaml') && !file.endsWith('.yml')) continue;
    const text = await fs.readFile(path.join(root, file), 'utf8');
    const documents = parseAllDocuments(text);
    for (const document of documents) {
      expect(document.errors).toEqual([]);
    }
    manifests.push({
      path: file,
      environment: file.split('/')[1],
      objects: documents
        .map(d => d.toJS())
        .filter(o => o && typeof o === 'object') as KubernetesObject[],
    });
  }
  const dockerfiles = [];
  for (const file of await listFiles(root, 'containers')) {
    if (!/^containers\/[^/]+\/Dockerfile$/.test(file)) continue;
    dockerfiles.push({
      path: file,
      text: await fs.readFile(path.join(root, file), 'utf8'),
    });
  }
  return { name, tier: architecture.spec.tier, manifests, dockerfiles };
}

async function examples(): Promise<ExamplePackage[]> {
  const out: ExamplePackage[] = [];
  for (const entry of await fs.readdir(EXAMPLES, { withFileTypes: true })) {
    if (
      entry.isDirectory() &&
      (await exists(
        path.join(EXAMPLES, entry.name, 'package', 'architecture.yaml'),
      ))
    ) {
      out.push(await loadExample(entry.name));
    }
  }
  return out.sort((a, b) => a.name.localeCompare(b.name));
}

const describeFinding = (f: Finding) =>
  `${f.severity} ${f.ruleId} ${f.file} ${f.objectPath ?? ''}: ${f.message}`;

describe('example packages against the policy and Dockerfile rules', () => {
  let packages: ExamplePackage[];

  beforeAll(async () => {
    packages = await examples();
  });

  it('finds every example package with its manifests and Dockerfiles', () => {
    expect(packages.map(p => p.name)).toEqual(EXAMPLE_NAMES);
    const objects = packages.flatMap(p => p.manifests.flatMap(m => m.objects));
    expect(objects.length).toBeGreaterThan(100);
    const kinds = new Set(objects.map(o => o.kind));
    for (const kind of [
      ...GENERATED_WORKLOAD_KINDS,
      'Service',
      'Ingress',
      'HorizontalPodAutoscaler',
      'PodDisruptionBudget',
      'NetworkPolicy',
    ]) {
      expect(kinds).toContain(kind);
    }
    expect(packages.flatMap(p => p.dockerfiles).length).toBeGreaterThan(10);
  });

  it('have no error finding at their own tier', () => {
    const errors = packages.flatMap(p =>
      [
        ...evaluatePolicies(p.manifests, { tier: p.tier }),
        ...p.dockerfiles.flatMap(d =>
          lintDockerfile(d.path, d.text, { tier: p.tier }),
        ),
      ]
        .filter(f => f.severity === 'error')
        .map(f => `${p.name}: ${describeFinding(f)}`),
    );
    expect(errors).toEqual([]);
  });

  it('name every Service port after what it speaks (no HTTP port in front of a database or cache)', () => {
    const findings = packages.flatMap(p =>
      evaluatePolicies(p.manifests, { tier: p.tier })
        .filter(f => f.ruleId === 'policy/service-port-protocol')
        .map(f => `${p.name}: ${describeFinding(f)}`),
    );
    expect(findings).toEqual([]);
    // ...and the rule still sees the engine's former output: PostgreSQL
    // behind a port named http
    const shop = packages.find(p => p.name === 'shop-eks-t2')!;
    const former = structuredClone(shop.manifests);
    for (const object of former.flatMap(m => m.objects)) {
      if (object.kind === 'Service' && object.metadata.name === 'postgres') {
        (object.spec as { ports: unknown[] }).ports = [
          { name: 'http', port: 80, targetPort: 5432, protocol: 'TCP' },
        ];
      }
    }
    expect(
      evaluatePolicies(former, { tier: shop.tier })
        .filter(f => f.ruleId === 'policy/service-port-protocol')
        .map(f => f.objectPath),
    ).toEqual([
      'Service/postgres: spec.ports[0].name',
      'Service/postgres: spec.ports[0].name',
      'Service/postgres: spec.ports[0].name',
    ]);
  });

  it('are checked for real: a broken copy of an example has errors', () => {
    const shop = packages.find(p => p.name === 'shop-eks-t2')!;
    const broken = structuredClone(shop.manifests);
    for (const object of broken.flatMap(m => m.objects)) {
      if (object.kind === 'Service') {
        (object.spec as { selector: Record<string, string> }).selector = {
          app: 'nothing',
        };
      }
    }
    expect(
      evaluatePolicies(broken, { tier: shop.tier }).filter(
        f => f.ruleId === 'policy/service-selects-pods',
      ).length,
    ).toBeGreaterThan(0);
  });
});
