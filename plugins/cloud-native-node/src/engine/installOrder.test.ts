import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import {
  createPlan,
  DeploymentPlan,
} from '@internal/backstage-plugin-cloud-native-common';
import { EXAMPLES_DIR, EXAMPLE_NAMES } from '../__fixtures__/examples';
import {
  exampleText,
  MULTI_CLOUD_SPEC,
  planFromText,
  withSpec,
} from '../skills/cloud/__fixtures__/helpers';
import { parseSpecText } from './loadSpec';
import { generatePackage } from './orchestrate';
import { KubernetesObject } from '../core/types';

/**
 * Every path that installs a package, read from the package itself (its
 * files, as a user gets them): the guide's deploy commands, the Argo CD
 * Applications, the Flux Kustomizations and HelmReleases, the report's
 * steps. Two properties, on every example and on GitOps variants of them:
 *
 * A. The namespace has one owner. It is applied, with the labels of the
 *    rendered manifests' Namespace (Pod Security, mesh injection), before
 *    anything else; the Helm chart never renders it and no path lets Helm or
 *    a controller create it unlabelled (`--create-namespace`,
 *    `install.createNamespace`, `CreateNamespace=true` without the labels).
 * B. Prerequisites first. The cloud objects of a cluster
 *    (`cloud/<provider>/<env>`: StorageClasses, the secret store, node
 *    pools) are applied before its release, everywhere.
 * C. The mesh objects (`mesh/<env>`) before the release, in the guide and
 *    the report: the Rollouts' routes exist when they start, and the next
 *    deploy's apply does not meet the weights of a canary the release just
 *    started (a server-side apply conflict with the Rollouts controller).
 */

jest.setTimeout(120_000);

type Files = Map<string, string>;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Loose = any;

const CASES: Array<[string, () => DeploymentPlan]> = [
  ...[...EXAMPLE_NAMES, '../deploy'].map(
    (name): [string, () => DeploymentPlan] => [
      name,
      () =>
        createPlan(
          parseSpecText(
            readFileSync(
              path.join(EXAMPLES_DIR, name, 'architecture.yaml'),
              'utf8',
            ),
            name,
          ),
        ),
    ],
  ),
  ['marketplace with flux', () => withGitOps('marketplace-gke-t3', 'flux')],
  ['shop with argocd', () => withGitOps('shop-eks-t2', 'argocd')],
  ['shop with flux', () => withGitOps('shop-eks-t2', 'flux')],
  [
    'batch with flux (no cloud)',
    () => withGitOps('batch-platform-agnostic', 'flux'),
  ],
  ['web-app with argocd (manifests)', () => withGitOps('web-app-t1', 'argocd')],
  ['multi-cloud flux', () => planFromText(MULTI_CLOUD_SPEC)],
  [
    'multi-cloud argocd',
    () => planFromText(withSpec(MULTI_CLOUD_SPEC, { gitops: 'argocd' })),
  ],
];

/** An example with `spec.gitops` set (added when the example has none). */
function withGitOps(name: string, tool: string): DeploymentPlan {
  const text = exampleText(name);
  const plan = planFromText(
    /^ {2}gitops:/m.test(text)
      ? withSpec(text, { gitops: tool })
      : text.replace(/^spec:\n/m, `spec:\n  gitops: ${tool}\n`),
  );
  expect(plan.gitops).toBe(tool);
  return plan;
}

function objectsOf(files: Files, file: string): KubernetesObject[] {
  const content = files.get(file);
  if (content === undefined) return [];
  return parseAllDocuments(content)
    .map(doc => doc.toJS() as KubernetesObject | null)
    .filter((o): o is KubernetesObject => !!o && typeof o === 'object');
}

/** The objects `kubectl apply -k <dir>` (or `-f <file>`) applies. */
function applied(files: Files, target: string): KubernetesObject[] {
  const normal = path.posix.normalize(target.replace(/^\.\//, ''));
  if (/\.ya?ml$/.test(normal)) return objectsOf(files, normal);
  const kustomization = files.get(`${normal}/kustomization.yaml`);
  if (kustomization === undefined) {
    // Flux generates a kustomization of the directory's YAML files
    return [...files.keys()]
      .filter(f => f.startsWith(`${normal}/`) && /\.ya?ml$/.test(f))
      .flatMap(f => objectsOf(files, f));
  }
  const [doc] = objectsOf(files, `${normal}/kustomization.yaml`) as Loose[];
  return ((doc?.resources ?? []) as string[]).flatMap(resource =>
    applied(files, path.posix.join(normal, resource)),
  );
}

/** The Namespace of the rendered manifests of an environment: the reference. */
function referenceNamespace(
  files: Files,
  plan: DeploymentPlan,
  env: string,
): KubernetesObject {
  const found = objectsOf(files, `kubernetes/${env}/namespace.yaml`).find(
    o => o.kind === 'Namespace',
  );
  expect(found?.metadata.labels).toMatchObject({
    'pod-security.kubernetes.io/enforce': plan.tierFeatures.podSecurity,
  });
  return found!;
}

const isNamespace = (object: KubernetesObject, reference: KubernetesObject) =>
  object.kind === 'Namespace' &&
  JSON.stringify(object) === JSON.stringify(reference);

/** Every `cloud/<provider>/<env>` kustomization of the package. */
function cloudDirectories(files: Files, env: string): Map<string, string> {
  const dirs = new Map<string, string>();
  for (const file of files.keys()) {
    const match = new RegExp(
      `^cloud/([a-z]+)/${env}/kustomization\\.yaml$`,
    ).exec(file);
    if (match) dirs.set(match[1], `cloud/${match[1]}/${env}`);
  }
  return dirs;
}

/** A cluster's provider from a name (`<env>-<provider>...`), if several. */
function providerOf(name: string, providers: string[]): string | undefined {
  if (providers.length <= 1) return providers[0];
  return providers.find(p => new RegExp(`-${p}(-|$|\\.)`).test(name));
}

// --- the guide ------------------------------------------------------------

interface Segment {
  env: string;
  context: string;
  commands: string[];
}

function deploySegments(markdown: string): Segment[] {
  const start = markdown.search(
    /^## \d+\. Deploy, environment by environment$/m,
  );
  if (start < 0) return [];
  const rest = markdown.slice(start + 3);
  const end = rest.search(/^## /m);
  const section = end < 0 ? rest : rest.slice(0, end);
  const segments: Segment[] = [];
  let env = '';
  let inBlock = false;
  for (const line of section.split('\n')) {
    const heading = /^### (.+)$/.exec(line);
    if (heading) env = heading[1];
    if (/^```sh$/.test(line)) inBlock = true;
    else if (/^```$/.test(line)) inBlock = false;
    else if (inBlock) {
      const command = line.trim();
      if (command === '' || command.startsWith('#')) continue;
      const context = /^kubectl config use-context (\S+)/.exec(command);
      if (context) segments.push({ env, context: context[1], commands: [] });
      else segments[segments.length - 1].commands.push(command);
    }
  }
  return segments;
}

const releaseCommand = (env: string) => (command: string) =>
  /^helm upgrade --install /.test(command) ||
  command === `kubectl apply --server-side -k kubernetes/${env}`;

function targetsOf(command: string): string[] {
  if (!/^kubectl apply\b/.test(command)) return [];
  return [...command.matchAll(/\s-[fk]\s+(\S+)/g)].map(m => m[1]);
}

// --- GitOps ---------------------------------------------------------------

function gitopsObjects(
  files: Files,
  tool: string,
): Array<{ file: string; object: Loose }> {
  return [...files.keys()]
    .filter(f => f.startsWith(`gitops/${tool}/`) && f.endsWith('.yaml'))
    .flatMap(file => objectsOf(files, file).map(object => ({ file, object })));
}

const chartTemplatesRenderNamespace = (files: Files, plan: DeploymentPlan) =>
  [...files.keys()]
    .filter(f => f.startsWith(`helm/${plan.name}/templates/`))
    .some(f => /^kind: Namespace$/m.test(files.get(f)!));

/** The objects an Argo CD source syncs (a chart: whether it renders a Namespace). */
function argoSourceObjects(
  files: Files,
  plan: DeploymentPlan,
  source: Loose,
): KubernetesObject[] {
  if (source.helm) {
    return chartTemplatesRenderNamespace(files, plan)
      ? [
          {
            apiVersion: 'v1',
            kind: 'Namespace',
            metadata: { name: plan.namespace },
          },
        ]
      : [];
  }
  return applied(files, source.path);
}

/** A Flux Kustomization and every Kustomization it depends on, transitively. */
function fluxDependencies(all: Loose[], name: string): Loose[] {
  const byName = new Map(all.map(k => [k.metadata.name, k]));
  const seen: Loose[] = [];
  const visit = (n: string) => {
    const k = byName.get(n);
    if (!k || seen.includes(k)) return;
    seen.push(k);
    for (const d of k.spec.dependsOn ?? []) visit(d.name);
  };
  visit(name);
  return seen;
}

/** The Flux Kustomizations of a package, and its HelmReleases with their files. */
function fluxObjects(files: Files) {
  const objects = gitopsObjects(files, 'flux');
  return {
    kustomizations: objects
      .filter(o => o.object.kind === 'Kustomization')
      .map(o => o.object),
    releases: objects.filter(o => o.object.kind === 'HelmRelease'),
  };
}

describe.each(CASES)('%s', (_, planOf) => {
  const generated: { plan?: DeploymentPlan; files?: Files } = {};
  const loaded = () => ({ plan: generated.plan!, files: generated.files! });

  beforeAll(async () => {
    const plan = planOf();
    const pkg = await generatePackage(plan, { validate: false });
    generated.plan = plan;
    generated.files = new Map(pkg.files.map(f => [f.path, f.content]));
  });

  const kubernetes = () =>
    loaded().plan.services.some(s => s.runtime === 'kubernetes');
  const helm = () => loaded().plan.packaging === 'helm';
  const providers = (env: string) => [
    ...cloudDirectories(loaded().files, env).keys(),
  ];

  describe('A. the namespace has one owner', () => {
    it('the Helm chart does not render it', () => {
      const { plan, files } = loaded();
      if (!helm()) return;
      expect(chartTemplatesRenderNamespace(files, plan)).toBe(false);
    });

    it('every copy of it is the rendered manifests’ Namespace', () => {
      const { plan, files } = loaded();
      for (const env of kubernetes() ? plan.environments : []) {
        const reference = referenceNamespace(files, plan, env);
        const copies = [...files.keys()]
          .filter(
            file =>
              file.endsWith('.yaml') &&
              !file.startsWith('helm/') &&
              file.split('/').includes(env),
          )
          .flatMap(file =>
            objectsOf(files, file)
              .filter(
                object =>
                  object.kind === 'Namespace' &&
                  object.metadata.name === plan.namespace,
              )
              .map(object => ({ file, object })),
          );
        expect(copies.length).toBeGreaterThan(0);
        expect(copies).toEqual(
          copies.map(({ file }) => ({ file, object: reference })),
        );
      }
    });

    it('the guide applies it, labelled, before anything else; Helm never creates it', () => {
      const { plan, files } = loaded();
      const segments = deploySegments(files.get('docs/DEPLOYMENT.md') ?? '');
      expect(segments.length > 0).toBe(kubernetes());
      for (const segment of segments) {
        const reference = referenceNamespace(files, plan, segment.env);
        const applies = segment.commands.filter(c => targetsOf(c).length > 0);
        const first = applies[0];
        expect({ segment: segment.context, first }).toEqual({
          segment: segment.context,
          first: expect.any(String),
        });
        const objects = targetsOf(first).flatMap(t => applied(files, t));
        expect({
          first,
          namespace: objects.some(o => isNamespace(o, reference)),
        }).toEqual({
          first,
          namespace: true,
        });
        const release = segment.commands.find(releaseCommand(segment.env));
        expect(release).toBeDefined();
        expect(segment.commands.indexOf(first)).toBeLessThanOrEqual(
          segment.commands.indexOf(release!),
        );
        expect(
          segment.commands.filter(
            c =>
              /^helm upgrade --install /.test(c) &&
              c.includes('--create-namespace'),
          ),
        ).toEqual([]);
      }
    });

    it('Argo CD creates it only with its labels', () => {
      const { plan, files } = loaded();
      for (const { object: app } of gitopsObjects(files, 'argocd')) {
        if (app.kind !== 'Application') continue;
        const env =
          app.metadata.labels['cloud-native.backstage.io/environment'];
        const reference = referenceNamespace(files, plan, env);
        const synced = [app.spec.source, ...(app.spec.sources ?? [])]
          .filter(Boolean)
          .flatMap((s: Loose) => argoSourceObjects(files, plan, s));
        if (synced.some(o => o.kind === 'Namespace')) continue;
        expect(app.spec.syncPolicy.syncOptions).toContain(
          'CreateNamespace=true',
        );
        expect(app.spec.syncPolicy.managedNamespaceMetadata).toEqual({
          labels: reference.metadata.labels,
          ...(reference.metadata.annotations
            ? { annotations: reference.metadata.annotations }
            : {}),
        });
      }
    });

    it('Flux applies it before the HelmRelease, which never creates it', () => {
      const { plan, files } = loaded();
      const { kustomizations, releases } = fluxObjects(files);
      for (const { file, object: release } of releases) {
        expect(release.spec.install?.createNamespace).not.toBe(true);
        const env =
          release.metadata.labels['cloud-native.backstage.io/environment'];
        const reference = referenceNamespace(files, plan, env);
        // the Kustomization that applies the HelmRelease's file
        const carrier = kustomizations.find(k =>
          file.startsWith(`${k.spec.path.replace(/^\.\//, '')}/`),
        );
        expect({ file, carrier: carrier?.metadata.name }).toEqual({
          file,
          carrier: expect.any(String),
        });
        const before = fluxDependencies(
          kustomizations,
          carrier.metadata.name,
        ).slice(1);
        expect(
          before.some(k =>
            applied(files, k.spec.path).some(o => isNamespace(o, reference)),
          ),
        ).toBe(true);
      }
    });
  });

  describe('B. prerequisites first', () => {
    it('the guide applies the cloud objects of a cluster before its release', () => {
      const { files } = loaded();
      for (const segment of deploySegments(
        files.get('docs/DEPLOYMENT.md') ?? '',
      )) {
        const dirs = cloudDirectories(files, segment.env);
        const provider = providerOf(segment.context, [...dirs.keys()]);
        const release = segment.commands.findIndex(releaseCommand(segment.env));
        expect(release).toBeGreaterThanOrEqual(0);
        if (!provider) continue;
        const dir = dirs.get(provider)!;
        const at = segment.commands.findIndex(c => targetsOf(c).includes(dir));
        expect({
          segment: segment.context,
          dir,
          before: at >= 0 && at < release,
        }).toEqual({
          segment: segment.context,
          dir,
          before: true,
        });
      }
    });

    it('Argo CD syncs them in a wave before the chart, in the same Application', () => {
      const { files } = loaded();
      if (!helm()) return;
      for (const { file, object: app } of gitopsObjects(files, 'argocd')) {
        if (app.kind !== 'Application') continue;
        const env =
          app.metadata.labels['cloud-native.backstage.io/environment'];
        const provider = providerOf(path.basename(file), providers(env));
        if (!provider) continue;
        const dir = cloudDirectories(files, env).get(provider)!;
        const sources: Loose[] = app.spec.sources ?? [app.spec.source];
        const wave = (s: Loose) =>
          Number(
            s?.kustomize?.commonAnnotations?.['argocd.argoproj.io/sync-wave'] ??
              0,
          );
        const chart = sources.find(s => s.helm);
        const cloud = sources.find(s => s.path === dir);
        expect({ file, cloud: !!cloud }).toEqual({ file, cloud: true });
        expect(wave(cloud)).toBeLessThan(wave(chart));
      }
    });

    it('Flux applies the HelmRelease only once they are ready (dependsOn)', () => {
      const { files } = loaded();
      const { kustomizations, releases } = fluxObjects(files);
      for (const { file, object: release } of releases) {
        const env =
          release.metadata.labels['cloud-native.backstage.io/environment'];
        const provider = providerOf(release.metadata.name, providers(env));
        if (!provider) continue;
        const dir = cloudDirectories(files, env).get(provider)!;
        const carrier = kustomizations.find(k =>
          file.startsWith(`${k.spec.path.replace(/^\.\//, '')}/`),
        );
        expect(carrier).toBeDefined();
        const before = fluxDependencies(
          kustomizations,
          carrier.metadata.name,
        ).slice(1);
        expect(before.map(k => k.spec.path)).toContain(`./${dir}`);
      }
    });

    it('the guide applies the mesh objects before the release, once per cluster', () => {
      const { plan, files } = loaded();
      for (const segment of deploySegments(
        files.get('docs/DEPLOYMENT.md') ?? '',
      )) {
        const dir = `mesh/${segment.env}`;
        const at = segment.commands.flatMap((c, i) =>
          targetsOf(c).includes(dir) ? [i] : [],
        );
        const release = segment.commands.findIndex(releaseCommand(segment.env));
        expect({
          segment: segment.context,
          applied: at.length,
          before: at.every(i => i < release),
        }).toEqual({
          segment: segment.context,
          applied: plan.mesh === 'none' ? 0 : 1,
          before: true,
        });
        // the applied directory is one the package has
        expect(files.has(`${dir}/kustomization.yaml`)).toBe(
          plan.mesh !== 'none',
        );
      }
    });

    it('the report lists them before the workloads', () => {
      const { plan, files } = loaded();
      const report = objectsOf(files, 'deployment-report.yaml')[0] as Loose;
      const steps: string[] = report.deployment_guide.steps;
      for (const env of kubernetes() ? plan.environments : []) {
        const workloads = steps.flatMap((s, i) =>
          s.startsWith(`kubectl apply --server-side -k kubernetes/${env} `)
            ? [i]
            : [],
        );
        expect(workloads.length).toBeGreaterThan(0);
        // each cluster's cloud objects and mesh objects, then (its) workloads
        const mesh = plan.mesh === 'none' ? [] : [`mesh/${env}`];
        for (const dir of [...cloudDirectories(files, env).values(), ...mesh]) {
          const at = steps.findIndex(s => s.includes(` -k ${dir} `));
          expect({
            dir,
            before: at >= 0 && workloads.some(i => i > at),
          }).toEqual({ dir, before: true });
        }
      }
    });
  });
});
