import { parseArchitecture } from '../spec/normalize';
import { ArchitectureSpecInput } from '../spec/schema';
import { createPlan } from './rules';
import { spec, svc } from '../__fixtures__/specs';

function plan(input: ArchitectureSpecInput) {
  const result = parseArchitecture(input);
  if (!result.ok) throw new Error(JSON.stringify(result.issues));
  return createPlan(result.architecture);
}
const ruleIds = (p: ReturnType<typeof plan>) => p.decisions.map(d => d.ruleId);
const skillIds = (p: ReturnType<typeof plan>) => p.skills.map(s => s.id);

describe('platform rules', () => {
  it('PLAT-010: a stateful service means Kubernetes', () => {
    const p = plan(spec({}, [svc('db', 'stateful', { port: 5432 })]));
    expect(p.platform).toBe('kubernetes');
    expect(ruleIds(p)).toContain('PLAT-010');
  });

  it('PLAT-011: more than 5 services means Kubernetes', () => {
    const services = ['a', 'b', 'c', 'd', 'e', 'f'].map(n => svc(n, 'job'));
    const p = plan(spec({}, services));
    expect(p.platform).toBe('kubernetes');
    expect(ruleIds(p)).toContain('PLAT-011');
  });

  it('PLAT-012: complex networking means Kubernetes', () => {
    const p = plan(
      spec({}, [
        svc('a', 'job', { dependsOn: ['b', 'c', 'd'] }),
        svc('b', 'job'),
        svc('c', 'job'),
        svc('d', 'job'),
      ]),
    );
    expect(ruleIds(p)).toContain('PLAT-012');
  });

  it('PLAT-020: stateless event-driven functions with cost go serverless', () => {
    const p = plan(
      spec({ type: 'event-driven', requirements: ['cost'] }, [
        svc('ingest', 'function', { trigger: { type: 'queue' } }),
        svc('api', 'function'),
      ]),
    );
    expect(p.platform).toBe('serverless');
    expect(ruleIds(p)).toContain('PLAT-020');
    expect(p.questions).toEqual([]);
    expect(skillIds(p)).toEqual(['cloud-serverless-designer']);
  });

  it('PLAT-021: functions without the event-driven/cost signals go serverless with a question', () => {
    const p = plan(spec({}, [svc('api', 'function')]));
    expect(p.platform).toBe('serverless');
    expect(ruleIds(p)).toContain('PLAT-021');
    expect(p.questions.map(q => q.id)).toContain('Q-PLATFORM-SERVERLESS');
  });

  it('PLAT-030: functions beside services make a hybrid with all applicable skills', () => {
    const p = plan(
      spec({ cloud: 'azure' }, [
        svc('api', 'service', { port: 8080 }),
        svc('resize', 'function', { trigger: { type: 'storage' } }),
      ]),
    );
    expect(p.platform).toBe('hybrid');
    expect(p.services.map(s => s.runtime)).toEqual([
      'kubernetes',
      'serverless',
    ]);
    expect(ruleIds(p)).toEqual(
      expect.arrayContaining(['PLAT-030', 'SKILL-015']),
    );
  });

  it('PLAT-031: a function over 15 minutes is rerouted to Kubernetes', () => {
    const p = plan(
      spec({ type: 'event-driven', requirements: ['cost'] }, [
        svc('crunch', 'function', { timeoutSeconds: 3600 }),
        svc('api', 'function'),
      ]),
    );
    expect(p.platform).toBe('hybrid');
    const crunch = p.services.find(s => s.name === 'crunch')!;
    expect(crunch.runtime).toBe('kubernetes');
    expect(crunch.objectKind).toBe('Deployment');
    expect(ruleIds(p)).toContain('PLAT-031');
  });

  it('PLAT-040: batch-only work runs on Kubernetes', () => {
    const p = plan(
      spec({ type: 'batch', cloud: 'platform-agnostic' }, [
        svc('import', 'job', { completions: 10, parallelism: 2 }),
        svc('nightly', 'cronjob'),
      ]),
    );
    expect(p.platform).toBe('kubernetes');
    expect(ruleIds(p)).toContain('PLAT-040');
    expect(skillIds(p)).not.toContain('cloud-kubernetes-integrator');
  });

  it('PLAT-001: an explicit platform is honoured', () => {
    const p = plan(spec({ platform: 'kubernetes' }, [svc('api', 'function')]));
    expect(p.platform).toBe('kubernetes');
    expect(p.services[0].runtime).toBe('kubernetes');
    expect(ruleIds(p)).toContain('PLAT-001');
  });
});

describe('skill matrix', () => {
  it('single-service web app: container + manifests + cloud', () => {
    const p = plan(spec({ tier: 'T1' }));
    expect(skillIds(p)).toEqual([
      'container-image-optimizer',
      'kubernetes-manifest-generator',
      'cloud-kubernetes-integrator',
    ]);
    expect(p.packaging).toBe('manifests');
  });

  it('2–5 microservices add Helm (SKILL-011), in dependency order', () => {
    const p = plan(
      spec({}, [
        svc('web', 'service', { port: 8080 }),
        svc('api', 'service', { port: 8080 }),
      ]),
    );
    expect(skillIds(p)).toEqual([
      'container-image-optimizer',
      'kubernetes-manifest-generator',
      'kubernetes-helm-builder',
      'cloud-kubernetes-integrator',
    ]);
    expect(p.skills[2].dependsOn).toEqual(['kubernetes-manifest-generator']);
  });

  it('multi-environment means Helm even for one service', () => {
    const p = plan(spec({ environments: ['dev', 'prod'] }));
    expect(p.packaging).toBe('helm');
  });

  it('more than 5 services add a mesh (SKILL-012, MESH-002)', () => {
    const services = ['a', 'b', 'c', 'd', 'e', 'f'].map(n =>
      svc(n, 'service', { port: 8080 }),
    );
    const t3 = plan(spec({ tier: 'T3', cloud: 'gcp' }, services));
    expect(t3.mesh).toBe('istio');
    expect(skillIds(t3)).toContain('kubernetes-servicemesh-configurator');
    const t2 = plan(spec({ tier: 'T2' }, services));
    expect(t2.mesh).toBe('linkerd');
  });

  it('prebuilt images need no container skill', () => {
    const p = plan(
      spec({}, [
        { name: 'web', workload: 'service', image: 'nginx:1.27', port: 80 },
      ]),
    );
    expect(skillIds(p)).not.toContain('container-image-optimizer');
  });

  it('serverless needs the container skill only for a custom runtime (SKILL-002)', () => {
    const p = plan(
      spec({ type: 'event-driven', requirements: ['cost'] }, [
        svc('legacy', 'function', { language: 'php' }),
        svc('api', 'function', { language: 'node' }),
      ]),
    );
    expect(skillIds(p)[0]).toBe('container-image-optimizer');
    expect(p.services.map(s => s.buildsImage)).toEqual([true, false]);
  });

  it.each([
    ['platform-agnostic', [true, true, false]],
    ['multi-cloud', [true, true, false]],
    ['gcp', [true, false, false]],
    ['aws', [false, false, false]],
    ['azure', [false, false, false]],
  ] as const)(
    'SKILL-002 on %s: functions that run as containers (Knative, Cloud Run) build an image, unless they name one',
    (cloud, expected) => {
      const p = plan(
        spec({ type: 'event-driven', requirements: ['cost'], cloud }, [
          svc('web', 'function', {
            language: 'node',
            trigger: { type: 'http' },
          }),
          svc('jobs', 'function', {
            language: 'go',
            trigger: { type: 'queue', source: 'jobs' },
          }),
          svc('prebuilt', 'function', {
            image: 'registry.example.com/prebuilt:1.0.0',
            trigger: { type: 'http' },
          }),
        ]),
      );
      expect(p.platform).toBe('serverless');
      expect(p.services.map(s => s.buildsImage)).toEqual(expected);
      expect(skillIds(p).includes('container-image-optimizer')).toBe(
        expected.some(Boolean),
      );
    },
  );
});

describe('tiers', () => {
  it.each([
    ['T1', false, false, 'baseline', '25%'],
    ['T2', true, false, 'restricted', 0],
    ['T3', true, true, 'restricted', 0],
  ] as const)('%s features', (tier, pdb, spread, psa, maxUnavailable) => {
    const p = plan(spec({ tier }));
    expect(p.tierFeatures.podDisruptionBudgets).toBe(pdb);
    expect(p.tierFeatures.networkPolicies).toBe(pdb);
    expect(p.tierFeatures.topologySpread).toBe(spread);
    expect(p.tierFeatures.podSecurity).toBe(psa);
    expect(p.tierFeatures.maxUnavailable).toBe(maxUnavailable);
    expect(ruleIds(p)).toContain(`TIER-${tier}`);
  });
});

describe('strategy rules', () => {
  /** What STRAT-020 reads as a high-traffic public service. */
  const highTrafficPublic = { expose: 'public', scaling: 'burst' } as const;
  const strategyOf = (p: ReturnType<typeof plan>, name: string) =>
    p.services.find(s => s.name === name)!;

  it('STRAT-020: canary with Rollouts for high-traffic public T3 services', () => {
    const p = plan(
      spec({ tier: 'T3' }, [
        svc('web', 'service', { port: 8080, ...highTrafficPublic }),
      ]),
    );
    const web = strategyOf(p, 'web');
    expect(web.strategy).toBe('canary');
    expect(web.objectKind).toBe('Rollout');
    expect(p.trafficRouter).toBe('alb');
  });

  it('STRAT-021: blue-green for services others depend on (T2+)', () => {
    const p = plan(
      spec({}, [
        svc('core', 'service', { port: 8080 }),
        svc('a', 'worker', { dependsOn: ['core'] }),
        svc('b', 'worker', { dependsOn: ['core'] }),
      ]),
    );
    expect(strategyOf(p, 'core').strategy).toBe('blue-green');
    expect(strategyOf(p, 'a').strategy).toBe('rolling');
  });

  it('STRAT-010: never Rollouts for stateful or daemon workloads', () => {
    const p = plan(
      spec({ tier: 'T3' }, [
        svc('db', 'stateful', { port: 5432, ...highTrafficPublic }),
        svc('agent', 'daemon'),
        svc('a', 'worker', { dependsOn: ['db'] }),
        svc('b', 'worker', { dependsOn: ['db'] }),
      ]),
    );
    expect(strategyOf(p, 'db')).toMatchObject({
      strategy: 'rolling',
      objectKind: 'StatefulSet',
    });
    expect(strategyOf(p, 'agent')).toMatchObject({
      strategy: 'rolling',
      objectKind: 'DaemonSet',
    });
  });

  it('STRAT-011 and STRAT-001', () => {
    const p = plan(
      spec({}, [
        svc('nightly', 'cronjob'),
        svc('web', 'service', { port: 8080, strategy: 'recreate' }),
      ]),
    );
    expect(strategyOf(p, 'nightly').strategy).toBe('none');
    expect(strategyOf(p, 'web')).toMatchObject({
      strategy: 'recreate',
      objectKind: 'Deployment',
    });
  });

  it('STRAT-030: rolling by default', () => {
    const p = plan(spec({ tier: 'T1' }));
    expect(p.services[0].strategy).toBe('rolling');
    expect(p.services[0].decisions.map(d => d.ruleId)).toContain('STRAT-030');
  });

  it('MESH-003: a/b testing with mesh auto chooses Istio', () => {
    const p = plan(
      spec({}, [svc('web', 'service', { port: 8080, strategy: 'ab-testing' })]),
    );
    expect(p.mesh).toBe('istio');
    expect(p.services[0].objectKind).toBe('Rollout');
  });
});

describe('protocol rules', () => {
  /** A tcp message broker: what a traffic router cannot weigh (PROTO-020). */
  const broker = (extra: Parameters<typeof svc>[2]) =>
    svc('broker', 'service', { port: 4222, protocol: 'tcp', ...extra });
  const servicePlan = (p: ReturnType<typeof plan>, name: string) =>
    p.services.find(s => s.name === name)!;
  const serviceRuleIds = (p: ReturnType<typeof plan>, name: string) =>
    servicePlan(p, name).decisions.map(d => d.ruleId);

  it('PROTO-010: a stateful service without health.path speaks tcp on its own port', () => {
    const p = plan(
      spec({}, [
        { name: 'db', workload: 'stateful', image: 'postgres:16', port: 5432 },
        svc('api', 'service', { port: 8080, dependsOn: ['db'] }),
      ]),
    );
    expect(servicePlan(p, 'db').service.protocol).toBe('tcp');
    expect(servicePlan(p, 'db').decisions).toContainEqual({
      ruleId: 'PROTO-010',
      rationale: expect.stringMatching(/^tcp for a stateful .*own port: 5432$/),
    });
    // HTTP by default needs no rationale
    expect(
      serviceRuleIds(p, 'api').filter(id => id.startsWith('PROTO')),
    ).toEqual([]);
  });

  it('PROTO-001: an explicit protocol is honoured and recorded when not the default', () => {
    const p = plan(
      spec({}, [
        svc('rpc', 'service', { port: 9090, protocol: 'grpc' }),
        {
          name: 'cache',
          workload: 'stateful',
          image: 'registry.example.com/http-cache:1.0.0',
          port: 8080,
          protocol: 'http',
        },
      ]),
    );
    expect(servicePlan(p, 'rpc').decisions).toContainEqual({
      ruleId: 'PROTO-001',
      rationale: 'An explicit protocol is honoured: grpc, Service port 9090',
    });
    expect(servicePlan(p, 'cache').decisions).toContainEqual({
      ruleId: 'PROTO-001',
      rationale: 'An explicit protocol is honoured: http',
    });
  });

  it('PROTO-020: a tcp service gets no traffic router; its canary is weighted by replicas', () => {
    const p = plan(
      spec({ tier: 'T3', mesh: 'istio' }, [
        broker({ strategy: 'canary' }),
        svc('api', 'service', { port: 8080, strategy: 'canary' }),
      ]),
    );
    expect(servicePlan(p, 'broker')).toMatchObject({
      strategy: 'canary',
      objectKind: 'Rollout',
    });
    expect(servicePlan(p, 'broker').decisions).toContainEqual({
      ruleId: 'PROTO-020',
      rationale: expect.stringMatching(
        /canary by replica count \(istio weighs HTTP requests, not pooled TCP connections\)$/,
      ),
    });
    expect(serviceRuleIds(p, 'api')).not.toContain('PROTO-020');
  });

  it('PROTO-020: auto strategies never pick a router-based canary for tcp', () => {
    const p = plan(
      spec({ tier: 'T3', mesh: 'istio' }, [
        broker({ scaling: 'burst' }),
        svc('a', 'worker', { dependsOn: ['broker'] }),
        svc('b', 'worker', { dependsOn: ['broker'] }),
      ]),
    );
    // critical at T3 but not routable: blue-green (selector switch)
    expect(servicePlan(p, 'broker').strategy).toBe('blue-green');
    expect(serviceRuleIds(p, 'broker')).toEqual([
      'SKILL-001',
      'STRAT-021',
      'PROTO-001',
      'PROTO-020',
    ]);
  });
});

describe('questions and complexity', () => {
  it('asks instead of assuming silently', () => {
    const p = plan(
      spec({ cloud: 'platform-agnostic' }, [
        svc('web', 'service', { port: 8080, expose: 'public' }),
      ]),
    );
    expect(p.questions.map(q => q.id)).toContain('Q-INGRESS-CONTROLLER');
  });

  it('scores complexity', () => {
    expect(plan(spec({ tier: 'T1' })).complexity.level).toBe('low');
    const services = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'].map(n =>
      svc(n, 'service', { port: 8080 }),
    );
    expect(
      plan(
        spec(
          { tier: 'T3', environments: ['dev', 'staging', 'prod'] },
          services,
        ),
      ).complexity.level,
    ).toBe('high');
  });

  it('is deterministic', () => {
    expect(plan(spec())).toEqual(plan(spec()));
  });
});
