import {
  byKind,
  find,
  Loose,
  namesOf,
  podSpecOf,
  shopObjects,
} from './__fixtures__/plans';

const objectsAt = (tier: 'T1' | 'T2' | 'T3', env = 'prod') =>
  shopObjects({ tier }, env);

describe('tier differences', () => {
  const t1 = objectsAt('T1');
  const t2 = objectsAt('T2');
  const t3 = objectsAt('T3');

  it('PodDisruptionBudgets only from T2', () => {
    expect(byKind(t1, 'PodDisruptionBudget')).toEqual([]);
    expect(namesOf(t2, 'PodDisruptionBudget')).toEqual([
      'api',
      'catalog',
      'db',
      'mailer',
      'orders',
      'web',
    ]);
    expect(
      (find(t2, 'PodDisruptionBudget', 'catalog').spec as Loose).maxUnavailable,
    ).toBe(1);
  });

  it('NetworkPolicies only from T2', () => {
    expect(byKind(t1, 'NetworkPolicy')).toEqual([]);
    expect(byKind(t2, 'NetworkPolicy').length).toBeGreaterThan(0);
  });

  it('Pod Security Admission: baseline at T1, restricted from T2; audit/warn restricted', () => {
    const labels = (objects: typeof t1) =>
      find(objects, 'Namespace', 'shop').metadata.labels!;
    expect(labels(t1)['pod-security.kubernetes.io/enforce']).toBe('baseline');
    expect(labels(t2)['pod-security.kubernetes.io/enforce']).toBe('restricted');
    expect(labels(t3)['pod-security.kubernetes.io/enforce']).toBe('restricted');
    for (const objects of [t1, t2, t3]) {
      expect(labels(objects)['pod-security.kubernetes.io/audit']).toBe(
        'restricted',
      );
      expect(labels(objects)['pod-security.kubernetes.io/warn']).toBe(
        'restricted',
      );
    }
  });

  it('maxUnavailable 25% at T1, 0 from T2', () => {
    const strategy = (objects: typeof t1) =>
      (find(objects, 'Deployment', 'catalog').spec as Loose).strategy
        .rollingUpdate;
    expect(strategy(t1).maxUnavailable).toBe('25%');
    expect(strategy(t2).maxUnavailable).toBe(0);
    expect(strategy(t3).maxUnavailable).toBe(0);
  });

  it('topology spread and preferred anti-affinity only at T3', () => {
    for (const objects of [t1, t2]) {
      for (const workload of objects.filter(o => podSpecOf(o))) {
        expect(podSpecOf(workload).topologySpreadConstraints).toBeUndefined();
        expect(
          podSpecOf(workload).affinity?.podAntiAffinity
            ?.preferredDuringSchedulingIgnoredDuringExecution,
        ).toBeUndefined();
      }
    }
    const catalog = podSpecOf(find(t3, 'Deployment', 'catalog'));
    expect(catalog.topologySpreadConstraints[0]).toMatchObject({
      maxSkew: 1,
      topologyKey: 'topology.kubernetes.io/zone',
      whenUnsatisfiable: 'DoNotSchedule',
      matchLabelKeys: ['pod-template-hash'],
    });
    expect(
      catalog.affinity.podAntiAffinity
        .preferredDuringSchedulingIgnoredDuringExecution[0].podAffinityTerm
        .topologyKey,
    ).toBe('kubernetes.io/hostname');
    expect(
      podSpecOf(find(t3, 'StatefulSet', 'db')).topologySpreadConstraints,
    ).toHaveLength(1);
    expect(
      podSpecOf(find(t3, 'DaemonSet', 'node-agent')).topologySpreadConstraints,
    ).toBeUndefined();
    expect(
      podSpecOf(find(t3, 'Job', 'reindex')).topologySpreadConstraints,
    ).toBeUndefined();
  });

  it('progressive delivery appears at T3 for high-traffic public services', () => {
    expect(byKind(t1, 'Rollout')).toEqual([]);
    expect(namesOf(t3, 'Rollout')).toEqual(['api', 'orders', 'web']);
    expect(
      (find(t3, 'Rollout', 'web').spec as Loose).strategy.canary,
    ).toBeDefined();
  });

  it('mesh injection on the namespace', () => {
    const istio = shopObjects({ mesh: 'istio' });
    expect(
      find(istio, 'Namespace', 'shop').metadata.labels!['istio-injection'],
    ).toBe('enabled');
    const linkerd = shopObjects({ mesh: 'linkerd' });
    const ns = find(linkerd, 'Namespace', 'shop').metadata;
    expect(ns.annotations).toEqual({ 'linkerd.io/inject': 'enabled' });
    expect(ns.labels!['istio-injection']).toBeUndefined();
    expect(find(t2, 'Namespace', 'shop').metadata.annotations).toBeUndefined();
  });
});

describe('development vs production profile', () => {
  const dev = objectsAt('T3', 'dev');
  const prod = objectsAt('T3', 'prod');

  it('dev: one replica, no HPA, no PDB', () => {
    expect(byKind(dev, 'HorizontalPodAutoscaler')).toEqual([]);
    expect(byKind(dev, 'PodDisruptionBudget')).toEqual([]);
    expect((find(dev, 'Deployment', 'catalog').spec as Loose).replicas).toBe(1);
    expect((find(dev, 'Rollout', 'web').spec as Loose).replicas).toBe(1);
    expect((find(dev, 'StatefulSet', 'db').spec as Loose).replicas).toBe(1);
  });

  it('prod: HPAs and PDBs; the HPA owns the replica count', () => {
    expect(byKind(prod, 'HorizontalPodAutoscaler').length).toBeGreaterThan(0);
    expect(byKind(prod, 'PodDisruptionBudget').length).toBeGreaterThan(0);
    expect(
      (find(prod, 'Deployment', 'catalog').spec as Loose).replicas,
    ).toBeUndefined();
    expect((find(prod, 'StatefulSet', 'db').spec as Loose).replicas).toBe(3);
  });

  it('tier features stay on in dev (security does not depend on the environment)', () => {
    expect(byKind(dev, 'NetworkPolicy').length).toBe(
      byKind(prod, 'NetworkPolicy').length,
    );
    expect(
      podSpecOf(find(dev, 'Deployment', 'catalog')).topologySpreadConstraints,
    ).toBeDefined();
  });

  it('every object carries the environment label', () => {
    for (const object of dev) {
      expect(
        object.metadata.labels!['cloud-native.backstage.io/environment'],
      ).toBe('dev');
    }
  });
});
