import { promises as fs } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import {
  createPlan,
  DeploymentPlan,
} from '@internal/backstage-plugin-cloud-native-common';
import { parseSpecObject } from '../../../engine/loadSpec';
import { KubernetesObject, SkillOutput } from '../../../core/types';
import {
  createKubernetesSchemaValidator,
  KubernetesSchemaValidator,
} from '../../../validation/schema';
import { kubernetesManifestGenerator } from '../../kubernetes';
import {
  find,
  Loose,
  planOf,
  spec,
  svc,
} from '../../kubernetes/__fixtures__/plans';
import { kubernetesServicemeshConfigurator } from '../generator';

export { planOf, spec, svc };

// Test fixture only (never part of a build): the repository's example.
const MARKETPLACE = path.resolve(
  // eslint-disable-next-line no-restricted-syntax
  __dirname,
  '../../../../../../examples/marketplace-gke-t3/architecture.yaml',
);

/**
 * The marketplace example (GKE, T3, Istio; canary gateway, blue-green
 * checkout, A/B recommendations), optionally with spec overrides.
 */
export async function marketplacePlan(
  overrides: Record<string, unknown> = {},
): Promise<DeploymentPlan> {
  const raw = parse(await fs.readFile(MARKETPLACE, 'utf8'));
  raw.spec = { ...raw.spec, ...overrides };
  return createPlan(parseSpecObject(raw, 'marketplace'));
}

/**
 * Seven services, T2, mesh auto: more than five services without T3 or
 * compliance, so the plan picks Linkerd. A public web front end with an HTTP
 * health check on its port, internal APIs, a replicated database, a worker,
 * a daemon and a cron job.
 */
export const LINKERD_SPEC = (overrides: Record<string, unknown> = {}) =>
  spec(
    {
      environments: ['dev', 'prod'],
      mesh: 'auto',
      tier: 'T2',
      ...overrides,
    },
    [
      svc('web', 'service', {
        port: 3000,
        expose: 'public',
        dependsOn: ['api'],
        health: { path: '/ready', startupSeconds: 30 },
      }),
      svc('api', 'service', {
        port: 8080,
        dependsOn: ['catalog', 'orders'],
        health: { path: '/healthz' },
      }),
      svc('catalog', 'service', { port: 8080, dependsOn: ['db'] }),
      svc('orders', 'service', { port: 8080, dependsOn: ['db', 'catalog'] }),
      // Patroni (health on its REST port 8008): replicates itself
      svc('db', 'stateful', {
        image: 'registry.example.com/shop/patroni:16.4',
        port: 5432,
        storage: { size: '50Gi' },
        health: { path: '/healthz', port: 8008 },
      }),
      svc('mailer', 'worker', { dependsOn: ['orders'] }),
      svc('node-agent', 'daemon', { language: 'go' }),
      svc('report', 'cronjob', {
        schedule: '0 2 * * *',
        dependsOn: ['db'],
      }),
    ],
  );

/** Both skills, in plan order: the mesh skill sees the kubernetes output. */
export function runSkills(plan: DeploymentPlan): {
  kubernetes: SkillOutput;
  mesh: SkillOutput;
} {
  const kubernetes = kubernetesManifestGenerator.run({ plan, outputs: {} });
  const mesh = kubernetesServicemeshConfigurator.run({
    plan,
    outputs: { 'kubernetes-manifest-generator': kubernetes },
  });
  return { kubernetes, mesh };
}

/** What a mesh test suite reads: one plan, both skills' outputs, a validator. */
export interface MeshRun {
  plan: DeploymentPlan;
  kubernetes: SkillOutput;
  mesh: SkillOutput;
  validator: KubernetesSchemaValidator;
}

/**
 * Sets up a suite's {@link MeshRun} once, in `beforeAll` (planning and the
 * schema validator are slow): call it in a `describe` and read the fields in
 * its tests, not before.
 */
export function meshRun(
  makePlan: () => DeploymentPlan | Promise<DeploymentPlan>,
): MeshRun {
  const run = {} as MeshRun;
  beforeAll(async () => {
    run.plan = await makePlan();
    Object.assign(run, runSkills(run.plan));
    run.validator = await createKubernetesSchemaValidator();
  });
  return run;
}

/** The objects of one manifest file of a skill's output; throws when absent. */
export function objectsOf(
  output: SkillOutput,
  file: string,
): KubernetesObject[] {
  const manifest = output.manifests.find(m => m.path === file);
  if (!manifest) {
    throw new Error(
      `no ${file} among ${output.manifests.map(m => m.path).join(', ')}`,
    );
  }
  return manifest.objects;
}

/**
 * The object `kind`/`name` in service `name`'s own file of one environment
 * (`mesh/<environment>/<name>.yaml`, `kubernetes/<environment>/<name>.yaml`).
 */
export function serviceObject(
  output: SkillOutput,
  kind: string,
  name: string,
  environment = 'prod',
): Loose {
  const [dir] = output.manifests[0]?.path.split('/') ?? [];
  return find(
    objectsOf(output, `${dir}/${environment}/${name}.yaml`),
    kind,
    name,
  );
}

/**
 * The services that call `name`, computed from the plan independently of
 * the skill: Kubernetes services whose dependsOn lists it.
 */
export function expectedCallers(plan: DeploymentPlan, name: string): string[] {
  return plan.services
    .filter(
      s =>
        s.runtime === 'kubernetes' &&
        s.name !== name &&
        s.service.dependsOn.includes(name),
    )
    .map(s => s.name)
    .sort();
}
