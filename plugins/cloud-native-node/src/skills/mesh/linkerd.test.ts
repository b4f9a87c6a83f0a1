import { find, Loose, podSpecOf } from '../kubernetes/__fixtures__/plans';
import { GOOGLE_LOAD_BALANCER_RANGES } from '../../plan/platform';
import {
  expectedCallers,
  LINKERD_SPEC,
  meshRun,
  objectsOf,
  planOf,
  runSkills,
  serviceObject,
} from './__fixtures__/plans';
import {
  isLinkerdObject,
  LINKERD_API_VERSIONS,
  validateLinkerdObject,
} from './index';

jest.setTimeout(60_000);

const SERVING = ['web', 'api', 'catalog', 'orders', 'db'];
const NOT_SERVING = ['mailer', 'node-agent', 'report'];

describe('kubernetes-servicemesh-configurator: Linkerd', () => {
  const run = meshRun(() => planOf(LINKERD_SPEC()));

  it('mesh auto picks Linkerd for more than five services at T2', () => {
    expect(run.plan.services.length).toBeGreaterThanOrEqual(6);
    expect(run.plan.mesh).toBe('linkerd');
    expect(run.plan.skills.map(s => s.id)).toContain(
      'kubernetes-servicemesh-configurator',
    );
  });

  it('writes mesh.yaml and one file per serving service, per environment', () => {
    expect(run.mesh.manifests.map(m => m.path)).toEqual(
      ['dev', 'prod'].flatMap(env => [
        `mesh/${env}/mesh.yaml`,
        ...SERVING.map(name => `mesh/${env}/${name}.yaml`),
      ]),
    );
    for (const name of NOT_SERVING) {
      expect(run.mesh.notes).toContainEqual(
        expect.stringMatching(new RegExp(`^${name}: no port, so no Server`)),
      );
    }
  });

  it('every Linkerd object passes validateLinkerdObject; anything else passes the schema validator', () => {
    const findings: string[] = [];
    let linkerd = 0;
    for (const manifest of run.mesh.manifests) {
      for (const object of manifest.objects) {
        const label = `${manifest.path} ${object.kind}/${object.metadata.name}`;
        if (isLinkerdObject(object)) {
          linkerd++;
          for (const issue of validateLinkerdObject(object)) {
            findings.push(`${label} ${issue.path}: ${issue.message}`);
          }
        } else {
          for (const finding of run.validator.validate(object)) {
            findings.push(`${label} ${finding.objectPath}: ${finding.message}`);
          }
        }
      }
    }
    expect(findings).toEqual([]);
    expect(linkerd).toBeGreaterThan(30);
  });

  it('the schema validator does not know Linkerd kinds (why validateLinkerdObject exists)', () => {
    const server = serviceObject(run.mesh, 'Server', 'api');
    expect(run.validator.validate(server).map(f => f.ruleId)).toEqual([
      'schema/unknown-kind',
    ]);
  });

  it('Server, HTTPRoute, AuthorizationPolicy, MeshTLSAuthentication and ServiceProfile for each serving service', () => {
    for (const environment of run.plan.environments) {
      for (const name of SERVING) {
        const objects = objectsOf(run.mesh, `mesh/${environment}/${name}.yaml`);
        const server = find(objects, 'Server', name) as Loose;
        expect(server.apiVersion).toBe(LINKERD_API_VERSIONS.Server);
        expect(server.spec.podSelector).toEqual({
          matchLabels: {
            'app.kubernetes.io/name': name,
            'app.kubernetes.io/part-of': 'shop',
          },
        });
        // db speaks tcp: the Server and its authorization only
        const tcp = name === 'db';
        expect(server.spec.port).toBe(tcp ? 'tcp' : 'http');
        expect(
          objects
            .filter(
              o =>
                (o.kind === 'HTTPRoute' && o.metadata.name === name) ||
                o.kind === 'ServiceProfile',
            )
            .map(o => `${o.kind}/${o.metadata.name}`),
        ).toEqual(
          tcp
            ? []
            : [
                `HTTPRoute/${name}`,
                `ServiceProfile/${name}.shop.svc.cluster.local`,
              ],
        );
        expect(
          (
            objects.find(
              o => o.kind === 'HTTPRoute' && o.metadata.name === name,
            ) as Loose
          )?.spec.parentRefs,
        ).toEqual(
          tcp
            ? undefined
            : [{ group: 'policy.linkerd.io', kind: 'Server', name }],
        );
        // every service with callers: MeshTLSAuthentication + a policy on
        // its Server (web, public and uncalled, is checked separately)
        const callers = expectedCallers(run.plan, name);
        const policy = objects.find(
          o => o.kind === 'AuthorizationPolicy' && o.metadata.name === name,
        );
        expect({ name, policy: policy?.spec }).toEqual({
          name,
          policy:
            callers.length > 0
              ? {
                  targetRef: {
                    group: 'policy.linkerd.io',
                    kind: 'Server',
                    name,
                  },
                  requiredAuthenticationRefs: [
                    {
                      group: 'policy.linkerd.io',
                      kind: 'MeshTLSAuthentication',
                      name,
                    },
                  ],
                }
              : undefined,
        });
        expect(
          objects.some(
            o => o.kind === 'MeshTLSAuthentication' && o.metadata.name === name,
          ),
        ).toBe(callers.length > 0);
      }
    }
  });

  it('the Server port is the container port the kubernetes skill names after the protocol', () => {
    for (const name of SERVING) {
      const workload = run.kubernetes.manifests
        .find(m => m.path === `kubernetes/prod/${name}.yaml`)!
        .objects.find(o => podSpecOf(o));
      const ports = podSpecOf(workload!).containers[0].ports;
      const server = serviceObject(run.mesh, 'Server', name);
      expect(ports).toContainEqual(
        expect.objectContaining({
          name: server.spec.port,
          containerPort: run.plan.services.find(s => s.name === name)!.service
            .port,
        }),
      );
    }
  });

  it('identityRefs are exactly the dependsOn callers (plus a replicated StatefulSet itself)', () => {
    for (const environment of run.plan.environments) {
      for (const name of SERVING) {
        const objects = objectsOf(run.mesh, `mesh/${environment}/${name}.yaml`);
        const statefulSet = run.kubernetes.manifests
          .find(m => m.path === `kubernetes/${environment}/${name}.yaml`)!
          .objects.find(o => o.kind === 'StatefulSet');
        const replicated = ((statefulSet?.spec as Loose)?.replicas ?? 0) > 1;
        const expected = [
          ...expectedCallers(run.plan, name),
          ...(replicated ? [name] : []),
        ].sort();
        const authentication = objects.find(
          o => o.kind === 'MeshTLSAuthentication',
        ) as Loose;
        const refs: Loose[] = authentication?.spec.identityRefs ?? [];
        expect(refs.filter(ref => ref.kind !== 'ServiceAccount')).toEqual([]);
        const actual = refs.map(ref => ref.name);
        expect({ environment, name, identities: actual }).toEqual({
          environment,
          name,
          identities: expected,
        });
      }
    }
    // the graph itself: db is called by catalog, orders and the report job
    expect(
      (
        find(
          objectsOf(run.mesh, 'mesh/dev/db.yaml'),
          'MeshTLSAuthentication',
          'db',
        ) as Loose
      ).spec.identityRefs,
    ).toEqual([
      { kind: 'ServiceAccount', name: 'catalog' },
      { kind: 'ServiceAccount', name: 'orders' },
      { kind: 'ServiceAccount', name: 'report' },
    ]);
  });

  it('web is public and nothing calls it: only the ingress controller may', () => {
    const objects = objectsOf(run.mesh, 'mesh/prod/web.yaml');
    expect(objects.some(o => o.kind === 'MeshTLSAuthentication')).toBe(false);
    expect(
      (find(objects, 'AuthorizationPolicy', 'web-ingress') as Loose).spec
        .requiredAuthenticationRefs,
    ).toEqual([
      {
        group: 'policy.linkerd.io',
        kind: 'MeshTLSAuthentication',
        name: 'ingress-controller',
      },
    ]);
    expect(
      find(
        objectsOf(run.mesh, 'mesh/prod/mesh.yaml'),
        'MeshTLSAuthentication',
        'ingress-controller',
      ).spec,
    ).toEqual({
      identities: [
        '*.ingress-nginx.serviceaccount.identity.linkerd.cluster.local',
      ],
    });
  });

  it('HTTP probes on the Server port get their own route, authorized from any network', () => {
    const objects = objectsOf(run.mesh, 'mesh/prod/api.yaml');
    expect(
      (find(objects, 'HTTPRoute', 'api-probes') as Loose).spec.rules,
    ).toEqual([
      {
        matches: [
          { path: { type: 'Exact', value: '/healthz' }, method: 'GET' },
        ],
      },
    ]);
    expect(
      (find(objects, 'AuthorizationPolicy', 'api-probes') as Loose).spec,
    ).toEqual({
      targetRef: {
        group: 'policy.linkerd.io',
        kind: 'HTTPRoute',
        name: 'api-probes',
      },
      requiredAuthenticationRefs: [
        {
          group: 'policy.linkerd.io',
          kind: 'NetworkAuthentication',
          name: 'any-network',
        },
      ],
    });
    // db's probes use another port (8008): no probe route on its Server
    expect(
      objectsOf(run.mesh, 'mesh/prod/db.yaml').some(
        o => o.metadata.name === 'db-probes',
      ),
    ).toBe(false);
  });

  it('ServiceProfile: retry budget, per-route timeouts, GET retryable', () => {
    const profile = find(
      objectsOf(run.mesh, 'mesh/prod/orders.yaml'),
      'ServiceProfile',
      'orders.shop.svc.cluster.local',
    ) as Loose;
    expect(profile.spec.retryBudget).toEqual({
      retryRatio: 0.2,
      minRetriesPerSecond: 10,
      ttl: '10s',
    });
    expect(profile.spec.routes.length).toBeGreaterThan(0);
    for (const route of profile.spec.routes) {
      expect(route.timeout).toBe('15s');
    }
    expect(profile.spec.routes[0]).toMatchObject({
      condition: { method: 'GET' },
      isRetryable: true,
    });
    expect(profile.spec.routes[1].isRetryable).toBeUndefined();
  });

  it('a database (tcp: stateful, health on a separate port) is opaque, HTTP services are HTTP/1', () => {
    expect(serviceObject(run.mesh, 'Server', 'db').spec).toMatchObject({
      port: 'tcp',
      proxyProtocol: 'opaque',
    });
    expect(serviceObject(run.mesh, 'Server', 'api').spec.proxyProtocol).toBe(
      'HTTP/1',
    );
  });

  it('injection is the Namespace annotation of the kubernetes skill, verified, not duplicated', () => {
    // kubernetes/<env>/namespace.yaml and namespace/<env>, two environments
    const namespaces = run.kubernetes.manifests
      .flatMap(m => m.objects)
      .filter(o => o.kind === 'Namespace');
    expect(namespaces).toHaveLength(4);
    for (const namespace of namespaces) {
      expect(namespace.metadata.annotations).toEqual({
        'linkerd.io/inject': 'enabled',
      });
    }
    expect(
      run.mesh.manifests.flatMap(m => m.objects).map(o => o.kind),
    ).not.toContain('Namespace');
    expect(run.mesh.notes).toContainEqual(
      expect.stringMatching(
        /^Sidecar injection: verified linkerd.io\/inject: enabled on Namespace \S+ in all 2 environment\(s\)/,
      ),
    );
  });

  it.each([
    ['gcp', 'load-balancers', GOOGLE_LOAD_BALANCER_RANGES],
    ['aws', 'any-network', ['0.0.0.0/0', '::/0']],
  ])(
    'on %s, public traffic is authorized by the NetworkAuthentication %s',
    (cloud, authentication, cidrs) => {
      const cloudPlan = planOf(
        LINKERD_SPEC({ cloud, tier: 'T3', mesh: 'linkerd' }),
      );
      const { mesh: output } = runSkills(cloudPlan);
      const objects = objectsOf(output, 'mesh/prod/web.yaml');
      expect(
        (find(objects, 'AuthorizationPolicy', 'web-ingress') as Loose).spec
          .requiredAuthenticationRefs,
      ).toEqual([
        {
          group: 'policy.linkerd.io',
          kind: 'NetworkAuthentication',
          name: authentication,
        },
      ]);
      const network = find(
        objectsOf(output, 'mesh/prod/mesh.yaml'),
        'NetworkAuthentication',
        authentication,
      ) as Loose;
      expect(network.spec.networks.map((n: Loose) => n.cidr)).toEqual(cidrs);
      // T3: Prometheus scrapes /metrics through its own route
      expect(
        (find(objects, 'HTTPRoute', 'web-metrics') as Loose).spec.rules[0]
          .matches,
      ).toEqual([
        { path: { type: 'Exact', value: '/metrics' }, method: 'GET' },
      ]);
      for (const object of output.manifests.flatMap(m => m.objects)) {
        expect(validateLinkerdObject(object)).toEqual([]);
      }
    },
  );
});
