import { promises as fs } from 'node:fs';
import { parse } from 'yaml';
import {
  createPlan,
  DeploymentPlan,
} from '@internal/backstage-plugin-cloud-native-common';
import { parseSpecObject } from '../../../engine/loadSpec';
import { SkillOutput } from '../../../core/types';
import { kubernetesManifestGenerator } from '../../kubernetes';
import { planOf, spec, svc } from '../../kubernetes/__fixtures__/plans';
import { kubernetesServicemeshConfigurator } from '../generator';

export { planOf, spec, svc };

/**
 * The marketplace example (GKE, T3, Istio; canary gateway, blue-green
 * checkout, A/B recommendations), optionally with spec overrides. Tests pass
 * the path of examples/marketplace-gke-t3/architecture.yaml.
 */
export async function marketplacePlanFrom(
  file: string,
  overrides: Record<string, unknown> = {},
): Promise<DeploymentPlan> {
  const raw = parse(await fs.readFile(file, 'utf8'));
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
