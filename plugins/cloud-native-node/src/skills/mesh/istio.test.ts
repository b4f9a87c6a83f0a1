import { KubernetesObject } from '../../core/types';
import { find, Loose } from '../kubernetes/__fixtures__/plans';
import { GOOGLE_LOAD_BALANCER_RANGES } from '../../plan/platform';
import {
  expectedCallers,
  marketplacePlan,
  meshRun,
  objectsOf,
  runSkills,
  serviceObject,
} from './__fixtures__/plans';
import {
  AB_HEADER_ROUTE,
  ALLOW_NOTHING_POLICY,
  ISTIO_INGRESS_GATEWAY_PRINCIPAL,
} from './index';

jest.setTimeout(60_000);

/** Every principal of every rule of an AuthorizationPolicy. */
function principalsOf(policy: KubernetesObject): string[] {
  const rules: Loose[] = (policy.spec as Loose).rules ?? [];
  return rules
    .flatMap(rule => rule.from ?? [])
    .flatMap((from: Loose) => from.source?.principals ?? [])
    .sort();
}

describe('kubernetes-servicemesh-configurator: Istio (marketplace example)', () => {
  const run = meshRun(() => marketplacePlan());

  it('is an Istio plan with the strategies this suite relies on', () => {
    expect(run.plan.mesh).toBe('istio');
    expect(run.plan.tier).toBe('T3');
    const strategy = (name: string) =>
      run.plan.services.find(s => s.name === name)!.strategy;
    expect(strategy('gateway')).toBe('canary');
    expect(strategy('checkout')).toBe('blue-green');
    expect(strategy('recommendations')).toBe('ab-testing');
  });

  it('every object passes the strict schema validator', () => {
    const findings: string[] = [];
    const kinds = new Set<string>();
    for (const manifest of run.mesh.manifests) {
      for (const object of manifest.objects) {
        kinds.add(`${object.apiVersion}/${object.kind}`);
        for (const finding of run.validator.validate(object)) {
          findings.push(
            `${manifest.path} ${object.kind}/${object.metadata.name} ${finding.ruleId} ${finding.objectPath}: ${finding.message}`,
          );
        }
      }
    }
    expect(findings).toEqual([]);
    expect([...kinds].sort()).toEqual([
      'networking.istio.io/v1/DestinationRule',
      'networking.istio.io/v1/VirtualService',
      'security.istio.io/v1/AuthorizationPolicy',
      'security.istio.io/v1/PeerAuthentication',
    ]);
  });

  it('the validator does see a broken Istio object (the test can fail)', () => {
    const virtualService = structuredClone(
      serviceObject(run.mesh, 'VirtualService', 'gateway'),
    ) as Loose;
    virtualService.spec.http[0].retries.attempts = 'three';
    virtualService.spec.http[0].retry = {};
    const findings = run.validator.validate(virtualService);
    expect(findings.map(f => f.ruleId).sort()).toEqual([
      'schema/invalid',
      'schema/unknown-field',
    ]);
  });

  it('every Istio-routed Rollout finds its VirtualService and routes, weighted 100/0', () => {
    const routed = run.plan.environments.flatMap(environment =>
      run.plan.services.flatMap(({ name }) => {
        const rollout = run.kubernetes.manifests
          .find(m => m.path === `kubernetes/${environment}/${name}.yaml`)
          ?.objects.find(o => o.kind === 'Rollout') as Loose;
        const canary = rollout?.spec.strategy.canary;
        return canary?.trafficRouting?.istio
          ? [{ environment, name, canary }]
          : [];
      }),
    );
    // gateway (canary) and recommendations (A/B) in both environments
    expect(routed.map(r => `${r.environment}/${r.name}`)).toEqual([
      'staging/gateway',
      'staging/recommendations',
      'prod/gateway',
      'prod/recommendations',
    ]);
    for (const { environment, name, canary } of routed) {
      const { virtualService: reference } = canary.trafficRouting.istio;
      const virtualService = find(
        objectsOf(run.mesh, `mesh/${environment}/${name}.yaml`),
        'VirtualService',
        reference.name,
      ) as Loose;
      const weights = reference.routes.map((routeName: string) =>
        virtualService.spec.http
          .find((r: Loose) => r.name === routeName)
          ?.route.map((d: Loose) => [d.destination.host, d.weight]),
      );
      expect(weights).toEqual(
        reference.routes.map(() => [
          [canary.stableService, 100],
          [canary.canaryService, 0],
        ]),
      );
    }
  });

  it('the canary gateway: one weighted route, the name the Rollout references', () => {
    const rollout = serviceObject(run.kubernetes, 'Rollout', 'gateway');
    const virtualService = serviceObject(run.mesh, 'VirtualService', 'gateway');
    expect(virtualService.spec.hosts).toEqual([
      'gateway',
      'gateway.marketplace.svc.cluster.local',
    ]);
    expect(virtualService.spec.http.map((r: Loose) => r.name)).toEqual(
      rollout.spec.strategy.canary.trafficRouting.istio.virtualService.routes,
    );
    const [route] = virtualService.spec.http;
    expect(route.timeout).toBe('15s');
    expect(route.retries).toEqual({
      attempts: 3,
      perTryTimeout: '5s',
      retryOn: '5xx,reset,connect-failure,refused-stream',
    });
  });

  it('the A/B service: an x-variant: b header route to the canary before the weighted route', () => {
    const rollout = serviceObject(run.kubernetes, 'Rollout', 'recommendations');
    const http = serviceObject(run.mesh, 'VirtualService', 'recommendations')
      .spec.http;
    expect(http.map((r: Loose) => r.name)).toEqual([
      AB_HEADER_ROUTE,
      'primary',
    ]);
    expect(http[0].match).toEqual([
      { headers: { 'x-variant': { exact: 'b' } } },
    ]);
    expect(http[0].route).toEqual([
      {
        destination: {
          host: rollout.spec.strategy.canary.canaryService,
          port: { number: 80 },
        },
      },
    ]);
    // The header match agrees with the Rollout's setHeaderRoute step...
    const step = rollout.spec.strategy.canary.steps.find(
      (s: Loose) => s.setHeaderRoute,
    ).setHeaderRoute;
    expect(step.match).toEqual([
      { headerName: 'x-variant', headerValue: { exact: 'b' } },
    ]);
    // ...but is not one of its managed routes, which Argo Rollouts deletes
    // after every rollout.
    const managed =
      rollout.spec.strategy.canary.trafficRouting.managedRoutes.map(
        (r: Loose) => r.name,
      );
    expect(managed).not.toContain(AB_HEADER_ROUTE);
  });

  it('the blue-green service routes to its active Service only', () => {
    const rollout = serviceObject(run.kubernetes, 'Rollout', 'checkout');
    const virtualService = serviceObject(
      run.mesh,
      'VirtualService',
      'checkout',
    );
    expect(virtualService.spec.http).toHaveLength(1);
    expect(virtualService.spec.http[0].route).toEqual([
      {
        destination: {
          host: rollout.spec.strategy.blueGreen.activeService,
          port: { number: 80 },
        },
      },
    ]);
    // the preview Service gets the same traffic policy
    expect(
      find(
        objectsOf(run.mesh, 'mesh/prod/checkout.yaml'),
        'DestinationRule',
        'checkout-preview',
      ).spec,
    ).toMatchObject({ host: 'checkout-preview.marketplace.svc.cluster.local' });
  });

  it('VirtualServices and DestinationRules name Services the kubernetes skill writes', () => {
    const missing: string[] = [];
    for (const manifest of run.mesh.manifests) {
      const services = new Set(
        run.kubernetes.manifests
          .filter(m => m.environment === manifest.environment)
          .flatMap(m => m.objects)
          .filter(o => o.kind === 'Service')
          .map(o => o.metadata.name),
      );
      const hosts = manifest.objects.flatMap(object => {
        const objectSpec = object.spec as Loose;
        if (object.kind === 'VirtualService') {
          return objectSpec.http.flatMap((route: Loose) =>
            route.route.map((d: Loose) => d.destination.host as string),
          );
        }
        if (object.kind === 'DestinationRule') {
          return [
            (objectSpec.host as string).replace(
              '.marketplace.svc.cluster.local',
              '',
            ),
          ];
        }
        return [];
      });
      missing.push(
        ...hosts
          .filter((host: string) => !services.has(host))
          .map((host: string) => `${manifest.path}: ${host}`),
      );
    }
    expect(missing).toEqual([]);
    const drHosts = run.mesh.manifests
      .flatMap(m => m.objects)
      .filter(o => o.kind === 'DestinationRule')
      .map(o => [o.metadata.name, (o.spec as Loose).host]);
    expect(drHosts.length).toBeGreaterThan(0);
    expect(drHosts).toEqual(
      drHosts.map(([n]) => [n, `${n}.marketplace.svc.cluster.local`]),
    );
  });

  it('every DestinationRule has circuit breaking, a connection pool and ISTIO_MUTUAL', () => {
    const rules = run.mesh.manifests
      .flatMap(m => m.objects)
      .filter(o => o.kind === 'DestinationRule');
    // 7 serving services + gateway/recommendations canary + checkout/catalog preview, twice
    expect(rules.length).toBeGreaterThanOrEqual(2 * 7);
    for (const rule of rules) {
      const policy = (rule.spec as Loose).trafficPolicy;
      expect(policy.outlierDetection).toEqual({
        consecutive5xxErrors: 5,
        interval: '30s',
        baseEjectionTime: '30s',
        maxEjectionPercent: 50,
      });
      expect(policy.connectionPool.tcp.maxConnections).toBeGreaterThan(0);
      expect(policy.tls).toEqual({ mode: 'ISTIO_MUTUAL' });
      expect(policy).not.toHaveProperty('subsets');
      // Redis (sessions) speaks tcp: no HTTP settings
      expect(Object.keys(policy.connectionPool).sort()).toEqual(
        rule.metadata.name === 'sessions' ? ['tcp'] : ['http', 'tcp'],
      );
      expect(policy.connectionPool.http?.http2MaxRequests ?? 1).toBeGreaterThan(
        0,
      );
      expect(
        policy.connectionPool.http?.maxRequestsPerConnection ?? 2,
      ).toBeGreaterThan(1);
    }
  });

  it('AuthorizationPolicy principals are exactly the dependsOn graph', () => {
    const replicasOf = (environment: string, name: string): number =>
      (
        run.kubernetes.manifests
          .find(m => m.path === `kubernetes/${environment}/${name}.yaml`)!
          .objects.find(o => o.kind === 'StatefulSet')?.spec as Loose
      )?.replicas ?? 0;
    for (const environment of run.plan.environments) {
      for (const servicePlan of run.plan.services.filter(
        s => s.runtime === 'kubernetes',
      )) {
        const { name } = servicePlan;
        const policy = serviceObject(
          run.mesh,
          'AuthorizationPolicy',
          name,
          environment,
        );
        const principal = (sa: string) =>
          `cluster.local/ns/marketplace/sa/${sa}`;
        const expected = [
          ...expectedCallers(run.plan, name).map(principal),
          ...(servicePlan.service.expose === 'public'
            ? [ISTIO_INGRESS_GATEWAY_PRINCIPAL]
            : []),
          // a replicated StatefulSet talks to its own pods
          ...(replicasOf(environment, name) > 1 ? [principal(name)] : []),
        ].sort();
        expect({ name, principals: principalsOf(policy) }).toEqual({
          name,
          principals: expected,
        });
        expect((policy.spec as Loose).action).toBe('ALLOW');
        expect((policy.spec as Loose).selector.matchLabels).toEqual({
          'app.kubernetes.io/name': name,
          'app.kubernetes.io/part-of': 'marketplace',
        });
      }
    }
    // spot checks of the graph itself
    const catalog = serviceObject(run.mesh, 'AuthorizationPolicy', 'catalog');
    expect(catalog.spec.rules[0]).toEqual({
      from: [
        {
          source: {
            principals: [
              'cluster.local/ns/marketplace/sa/gateway',
              'cluster.local/ns/marketplace/sa/recommendations',
            ],
          },
        },
      ],
      to: [{ operation: { ports: ['8080'] } }],
    });
    // nothing calls the log agent: an ALLOW policy without rules (deny all)
    const agent = serviceObject(run.mesh, 'AuthorizationPolicy', 'log-agent');
    expect(agent.spec.rules).toBeUndefined();
  });

  it('public services accept the GKE load balancer in plaintext on their port only', () => {
    const objects = objectsOf(run.mesh, 'mesh/prod/gateway.yaml');
    const policy = find(objects, 'AuthorizationPolicy', 'gateway') as Loose;
    expect(policy.spec.rules).toContainEqual({
      from: [{ source: { ipBlocks: GOOGLE_LOAD_BALANCER_RANGES } }],
      to: [{ operation: { ports: ['8080'] } }],
    });
    expect(
      find(objects, 'PeerAuthentication', 'gateway').spec as Loose,
    ).toEqual({
      selector: {
        matchLabels: {
          'app.kubernetes.io/name': 'gateway',
          'app.kubernetes.io/part-of': 'marketplace',
        },
      },
      portLevelMtls: { '8080': { mode: 'PERMISSIVE' } },
    });
    // internal services get no such exception
    expect(
      objectsOf(run.mesh, 'mesh/prod/catalog.yaml').some(
        o => o.kind === 'PeerAuthentication',
      ),
    ).toBe(false);
  });

  it('mesh.yaml: STRICT mTLS and the namespace-wide allow-nothing policy', () => {
    const shared = objectsOf(run.mesh, 'mesh/prod/mesh.yaml');
    expect(shared.map(o => `${o.kind}/${o.metadata.name}`)).toEqual([
      'PeerAuthentication/default',
      `AuthorizationPolicy/${ALLOW_NOTHING_POLICY}`,
    ]);
    expect(find(shared, 'PeerAuthentication', 'default').spec).toEqual({
      mtls: { mode: 'STRICT' },
    });
    expect(
      find(shared, 'AuthorizationPolicy', ALLOW_NOTHING_POLICY).spec,
    ).toEqual({});
    for (const object of shared) {
      expect(object.metadata.namespace).toBe('marketplace');
    }
  });

  it.each([
    ['T1', 'PERMISSIVE'],
    ['T2', 'STRICT'],
    ['T3', 'STRICT'],
  ])('PeerAuthentication at %s is %s', async (tier, mode) => {
    const tiered = await marketplacePlan({ tier });
    const { mesh: output } = runSkills(tiered);
    for (const environment of tiered.environments) {
      const peer = find(
        objectsOf(output, `mesh/${environment}/mesh.yaml`),
        'PeerAuthentication',
        'default',
      );
      expect(peer.spec).toEqual({ mtls: { mode } });
    }
    // the per-port plaintext exception only exists under STRICT
    const exceptions = output.manifests
      .flatMap(m => m.objects)
      .filter(
        o => o.kind === 'PeerAuthentication' && o.metadata.name !== 'default',
      );
    expect(exceptions.length > 0).toBe(mode === 'STRICT');
  });

  it('notes: versions, the verified injection label, one line per service', () => {
    expect(run.mesh.notes[0]).toContain('networking.istio.io/v1');
    expect(run.mesh.notes[1]).toMatch(
      /^Sidecar injection: verified istio-injection/,
    );
    // functions (the example's Cloud Run / Cloud Functions) are not meshed
    for (const servicePlan of run.plan.services.filter(
      s => s.runtime === 'kubernetes',
    )) {
      expect(
        run.mesh.notes.filter(n => n.startsWith(`${servicePlan.name}: `)),
      ).toHaveLength(1);
    }
  });
});
