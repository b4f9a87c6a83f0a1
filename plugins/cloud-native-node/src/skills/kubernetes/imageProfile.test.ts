import { generateKubernetesObjects } from './generator';
import {
  find,
  Loose,
  podSpecOf,
  singleServicePlan,
  svc,
} from './__fixtures__/plans';

/**
 * Prebuilt images run as their profile says (IMAGE-001): before, every pod
 * got the hardening of the images this package builds, so `postgres:16`
 * ran as uid 65532 on a read-only root (it cannot create
 * /var/run/postgresql) with its volume at /data while its data stayed in
 * /var/lib/postgresql/data (lost on restart), probed by TCP only.
 */
function statefulPod(image: string, extra: Record<string, unknown> = {}) {
  const plan = singleServicePlan(
    svc('db', 'stateful', { image, port: 5432, ...extra }),
  );
  const objects = generateKubernetesObjects(plan, 'prod');
  const statefulSet = find(objects, 'StatefulSet', 'db');
  return { statefulSet: statefulSet as Loose, pod: podSpecOf(statefulSet) };
}

describe('image profiles in the pod', () => {
  it('postgres: its user, its data directory on the volume, its runtime directory writable, pg_isready', () => {
    const { pod } = statefulPod('postgres:16.4-bookworm');
    expect(pod.securityContext).toMatchObject({
      runAsNonRoot: true,
      runAsUser: 999,
      runAsGroup: 999,
      fsGroup: 999,
    });
    const [container] = pod.containers;
    expect(container.env).toEqual([
      { name: 'PGDATA', value: '/var/lib/postgresql/data/pgdata' },
    ]);
    expect(container.volumeMounts).toEqual([
      { name: 'tmp', mountPath: '/tmp' },
      {
        name: 'writable-var-run-postgresql',
        mountPath: '/var/run/postgresql',
      },
      { name: 'data', mountPath: '/var/lib/postgresql/data' },
    ]);
    expect(pod.volumes).toContainEqual({
      name: 'writable-var-run-postgresql',
      emptyDir: { sizeLimit: '64Mi' },
    });
    expect(container.securityContext.readOnlyRootFilesystem).toBe(true);
    expect(container.readinessProbe.exec.command).toEqual([
      'pg_isready',
      '-h',
      '127.0.0.1',
    ]);
    expect(container.livenessProbe.exec.command[0]).toBe('pg_isready');
    expect(container.readinessProbe.tcpSocket).toBeUndefined();
  });

  it('elasticsearch: a read-only root, its config directory seeded from the image, data on the volume', () => {
    const { pod } = statefulPod(
      'docker.elastic.co/elasticsearch/elasticsearch:8.15.3',
    );
    const [container] = pod.containers;
    expect(container.securityContext.readOnlyRootFilesystem).toBe(true);
    expect(pod.securityContext).toMatchObject({
      runAsUser: 1000,
      runAsGroup: 1000,
      fsGroup: 1000,
    });
    expect(container.volumeMounts).toEqual(
      expect.arrayContaining([
        { name: 'data', mountPath: '/usr/share/elasticsearch/data' },
        {
          name: 'writable-usr-share-elasticsearch-config',
          mountPath: '/usr/share/elasticsearch/config',
        },
      ]),
    );
    // the image's own config files are copied into the emptyDir first
    expect(pod.initContainers[0]).toMatchObject({
      name: 'seed-usr-share-elasticsearch-config',
      image: 'docker.elastic.co/elasticsearch/elasticsearch:8.15.3',
      command: ['sh', '-c', 'cp -R /usr/share/elasticsearch/config/. /seed/'],
      volumeMounts: [
        { name: 'writable-usr-share-elasticsearch-config', mountPath: '/seed' },
      ],
    });
    // one node: no cluster to discover
    expect(container.env).toEqual([
      { name: 'discovery.type', value: 'single-node' },
      { name: 'node.store.allow_mmap', value: 'false' },
    ]);
  });

  it('several replicas of postgres become one (STATE-001)', () => {
    const { statefulSet } = statefulPod('postgres:16', {
      replicas: { min: 3, max: 3 },
    });
    expect(statefulSet.spec.replicas).toBe(1);
  });

  it('a declared profile is applied as declared', () => {
    const { pod } = statefulPod('ghcr.io/acme/ledger:2.1', {
      imageProfile: {
        user: 10001,
        dataPath: '/var/lib/ledger',
        writablePaths: ['/run/ledger'],
        probeCommand: ['ledger', 'health'],
      },
    });
    const [container] = pod.containers;
    expect(pod.securityContext).toMatchObject({
      runAsUser: 10001,
      runAsGroup: 10001,
      fsGroup: 10001,
    });
    expect(container.volumeMounts).toContainEqual({
      name: 'data',
      mountPath: '/var/lib/ledger',
    });
    expect(container.livenessProbe.exec.command).toEqual(['ledger', 'health']);
  });

  it('an undescribed prebuilt image keeps the generic hardening (and the plan asks)', () => {
    const { pod } = statefulPod('ghcr.io/acme/ledger:2.1');
    expect(pod.securityContext.runAsUser).toBe(65532);
    expect(pod.containers[0].volumeMounts).toContainEqual({
      name: 'data',
      mountPath: '/data',
    });
    expect(pod.containers[0].readinessProbe.tcpSocket).toBeDefined();
  });
});
