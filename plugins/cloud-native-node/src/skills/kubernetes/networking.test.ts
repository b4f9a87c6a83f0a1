import { KubernetesObject } from '../../core/types';
import { buildEnvironment, generateKubernetesObjects } from './generator';
import {
  byKind,
  find,
  Loose,
  namesOf,
  planOf,
  SHOP_SPEC,
  shopObjects,
  singleServicePlan,
  spec,
  svc,
} from './__fixtures__/plans';

const NAME = 'app.kubernetes.io/name';

/** service → services, read back from the NetworkPolicies' pod selectors. */
function edges(policies: KubernetesObject[]) {
  const ingress = new Set<string>();
  const egress = new Set<string>();
  for (const policy of policies) {
    const policySpec = policy.spec as Loose;
    const self = policySpec.podSelector.matchLabels?.[NAME];
    if (!self) continue;
    for (const rule of policySpec.ingress ?? []) {
      for (const peer of rule.from ?? []) {
        const from = peer.podSelector?.matchLabels?.[NAME];
        if (from && !peer.namespaceSelector && from !== self) {
          ingress.add(`${from}->${self}`);
        }
      }
    }
    for (const rule of policySpec.egress ?? []) {
      for (const peer of rule.to ?? []) {
        const to = peer.podSelector?.matchLabels?.[NAME];
        if (to && !peer.namespaceSelector && to !== self) {
          egress.add(`${self}->${to}`);
        }
      }
    }
  }
  return { ingress: [...ingress].sort(), egress: [...egress].sort() };
}

describe('NetworkPolicy', () => {
  const shop = SHOP_SPEC({ tier: 'T2' });
  const plan = planOf(shop);
  const built = buildEnvironment(plan, 'prod');
  const objects = [...built.shared, ...built.services.flatMap(s => s.objects)];
  const policies = byKind(objects, 'NetworkPolicy');

  it('allows exactly the dependsOn graph, both directions', () => {
    const expected = shop.spec.services
      .flatMap(s => (s.dependsOn ?? []).map(d => `${s.name}->${d}`))
      .sort();
    expect(expected.length).toBeGreaterThan(5);
    const { ingress, egress } = edges(policies);
    expect(ingress).toEqual(expected);
    expect(egress).toEqual(expected);
  });

  it('opens the target container port of each edge', () => {
    const api = find(policies, 'NetworkPolicy', 'api').spec as Loose;
    const toDb = api.egress.find(
      (r: Loose) => r.to[0].podSelector?.matchLabels?.[NAME] === 'db',
    );
    expect(toDb.ports).toEqual([{ protocol: 'TCP', port: 5432 }]);
    const db = find(policies, 'NetworkPolicy', 'db').spec as Loose;
    expect(db.ingress[0].ports).toEqual([{ protocol: 'TCP', port: 5432 }]);
  });

  it('a service nobody depends on accepts nothing from other pods', () => {
    const mailer = find(policies, 'NetworkPolicy', 'mailer').spec as Loose;
    expect(mailer.ingress).toEqual([]);
    expect(mailer.policyTypes).toEqual(['Ingress', 'Egress']);
  });

  it('namespace default deny plus DNS egress', () => {
    const deny = find(built.shared, 'NetworkPolicy', 'default-deny-all')
      .spec as Loose;
    expect(deny).toEqual({
      podSelector: {},
      policyTypes: ['Ingress', 'Egress'],
    });
    const dns = find(built.shared, 'NetworkPolicy', 'allow-dns-egress')
      .spec as Loose;
    expect(dns.egress[0].to[0].namespaceSelector.matchLabels).toEqual({
      'kubernetes.io/metadata.name': 'kube-system',
    });
    expect(dns.egress[0].ports).toEqual([
      { protocol: 'UDP', port: 53 },
      { protocol: 'TCP', port: 53 },
    ]);
  });

  it('public services accept traffic from the ingress controller namespace', () => {
    const web = find(policies, 'NetworkPolicy', 'web').spec as Loose;
    expect(web.ingress).toContainEqual({
      from: [
        {
          namespaceSelector: {
            matchLabels: { 'kubernetes.io/metadata.name': 'ingress-nginx' },
          },
        },
      ],
      ports: [{ protocol: 'TCP', port: 3000 }],
    });
    const catalog = find(policies, 'NetworkPolicy', 'catalog').spec as Loose;
    expect(JSON.stringify(catalog.ingress)).not.toContain('ingress-nginx');
  });

  it('GKE load balancers are allowed by their source ranges', () => {
    const gcp = shopObjects({ cloud: 'gcp' });
    const web = find(gcp, 'NetworkPolicy', 'web').spec as Loose;
    expect(web.ingress).toContainEqual({
      from: [
        { ipBlock: { cidr: '130.211.0.0/22' } },
        { ipBlock: { cidr: '35.191.0.0/16' } },
      ],
      ports: [{ protocol: 'TCP', port: 3000 }],
    });
  });

  it('a StatefulSet with replicas talks to its own pods', () => {
    const db = find(policies, 'NetworkPolicy', 'db').spec as Loose;
    const self = {
      podSelector: {
        matchLabels: { [NAME]: 'db', 'app.kubernetes.io/part-of': 'shop' },
      },
    };
    expect(db.ingress).toContainEqual({ from: [self] });
    expect(db.egress).toContainEqual({ to: [self] });
  });

  it('with a mesh, pods reach the control plane', () => {
    const shared = buildEnvironment(
      planOf(SHOP_SPEC({ mesh: 'linkerd' })),
      'prod',
    ).shared;
    const mesh = find(
      shared,
      'NetworkPolicy',
      'allow-mesh-control-plane-egress',
    ).spec as Loose;
    expect(mesh.egress[0].to[0].namespaceSelector.matchLabels).toEqual({
      'kubernetes.io/metadata.name': 'linkerd',
    });
    expect(
      byKind(built.shared, 'NetworkPolicy').map(p => p.metadata.name),
    ).not.toContain('allow-mesh-control-plane-egress');
  });

  it('dependencies on serverless functions are reached over HTTPS', () => {
    const hybrid = planOf(
      spec({}, [
        svc('api', 'service', { dependsOn: ['thumb'] }),
        svc('thumb', 'function', { trigger: { type: 'queue' } }),
      ]),
    );
    const hybridObjects = generateKubernetesObjects(hybrid, 'prod');
    const api = find(hybridObjects, 'NetworkPolicy', 'api').spec as Loose;
    expect(api.egress).toEqual([
      {
        to: [{ ipBlock: { cidr: '0.0.0.0/0' } }],
        ports: [{ protocol: 'TCP', port: 443 }],
      },
    ]);
  });

  it('none at T1', () => {
    const t1 = shopObjects({ tier: 'T1' });
    expect(byKind(t1, 'NetworkPolicy')).toEqual([]);
  });
});

describe('Services and Ingress', () => {
  it('ClusterIP Service 80 → http for exposed services only', () => {
    const objects = shopObjects();
    const names = namesOf(objects, 'Service');
    // orders is blue-green (critical at T2): it also has a preview Service
    expect(names).toEqual([
      'api',
      'catalog',
      'db',
      'db-headless',
      'orders',
      'orders-preview',
      'web',
    ]);
    expect(
      (find(objects, 'Service', 'catalog').spec as Loose).selector,
    ).toEqual({
      [NAME]: 'catalog',
      'app.kubernetes.io/part-of': 'shop',
    });
  });

  it('a service with expose none gets no Service', () => {
    const objects = generateKubernetesObjects(
      singleServicePlan(svc('api', 'service', { expose: 'none' })),
      'prod',
    );
    expect(byKind(objects, 'Service')).toEqual([]);
  });

  it('Ingress per controller', () => {
    const ingressOf = (cloud: 'aws' | 'gcp' | 'azure' | 'platform-agnostic') =>
      find(
        generateKubernetesObjects(
          singleServicePlan(svc('web', 'service', { expose: 'public' }), {
            cloud,
          }),
          'prod',
        ),
        'Ingress',
        'web',
      ) as Loose;
    const alb = ingressOf('aws');
    expect(alb.spec.ingressClassName).toBe('alb');
    expect(alb.metadata.annotations).toMatchObject({
      'alb.ingress.kubernetes.io/scheme': 'internet-facing',
      'alb.ingress.kubernetes.io/target-type': 'ip',
    });
    const gce = ingressOf('gcp');
    expect(gce.spec.ingressClassName).toBeUndefined();
    expect(gce.metadata.annotations).toEqual({
      'kubernetes.io/ingress.class': 'gce',
    });
    expect(ingressOf('azure').spec.ingressClassName).toBe(
      'webapprouting.kubernetes.azure.com',
    );
    expect(ingressOf('platform-agnostic').spec.ingressClassName).toBe('nginx');
  });

  it('hosts and TLS by environment', () => {
    const plan = planOf(SHOP_SPEC());
    const host = (env: string) =>
      find(generateKubernetesObjects(plan, env), 'Ingress', 'web')
        .spec as Loose;
    expect(host('prod').rules[0].host).toBe('web.example.com');
    expect(host('prod').tls).toEqual([
      { hosts: ['web.example.com'], secretName: 'web-tls' },
    ]);
    expect(host('dev').rules[0].host).toBe('web.dev.example.com');
    expect(host('staging').rules[0].host).toBe('web.staging.example.com');
    expect(host('prod').rules[0].http.paths[0].backend.service).toEqual({
      name: 'web',
      port: { number: 80 },
    });
  });

  it('internal services have no Ingress', () => {
    const objects = shopObjects();
    expect(namesOf(objects, 'Ingress')).toEqual(['api', 'web']);
  });
});
