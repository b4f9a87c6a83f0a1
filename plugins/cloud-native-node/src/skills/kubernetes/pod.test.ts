import { KubernetesObject } from '../../core/types';
import { buildEnvironment, generateKubernetesObjects } from './generator';
import { nativeSidecar } from './pod';
import {
  find,
  Loose,
  planOf,
  podSpecOf,
  podTemplateOf,
  SHOP_SPEC,
  shopObjects,
  singleServicePlan,
  spec,
  svc,
} from './__fixtures__/plans';
import { RESTRICTED_CONTAINER_SECURITY_CONTEXT } from '../../../testkit/k8sHardening';

/** Plans that together cover every workload kind, strategy, tier and mesh. */
const PLANS = [
  planOf(SHOP_SPEC({ tier: 'T1' })),
  planOf(SHOP_SPEC({ tier: 'T2', cloud: 'aws' })),
  planOf(SHOP_SPEC({ tier: 'T3', mesh: 'istio', cloud: 'gcp' })),
  planOf(SHOP_SPEC({ tier: 'T3', mesh: 'linkerd', cloud: 'azure' })),
  planOf(
    spec({ tier: 'T3', mesh: 'istio' }, [
      svc('shop', 'service', { strategy: 'ab-testing', expose: 'public' }),
      svc('resize', 'function', { timeoutSeconds: 1200 }),
      svc('thumb', 'function', { trigger: { type: 'queue' } }),
    ]),
  ),
];

function allObjects(): Array<{ env: string; object: KubernetesObject }> {
  return PLANS.flatMap(plan =>
    plan.environments.flatMap(env =>
      generateKubernetesObjects(plan, env).map(object => ({ env, object })),
    ),
  );
}

describe('every pod is hardened', () => {
  const workloads = allObjects().filter(({ object }) => podSpecOf(object));

  it('covers every workload kind', () => {
    expect(new Set(workloads.map(w => w.object.kind))).toEqual(
      new Set([
        'Deployment',
        'Rollout',
        'StatefulSet',
        'DaemonSet',
        'Job',
        'CronJob',
      ]),
    );
  });

  it('pod security context: non-root numeric user, RuntimeDefault seccomp, no token', () => {
    for (const { object } of workloads) {
      const pod = podSpecOf(object);
      expect(pod.securityContext).toMatchObject({
        runAsNonRoot: true,
        runAsUser: 65532,
        runAsGroup: 65532,
        seccompProfile: { type: 'RuntimeDefault' },
      });
      expect(pod.automountServiceAccountToken).toBe(false);
      // the service's own ServiceAccount (a Job is named after its image)
      expect(pod.serviceAccountName).toBe(
        object.metadata.labels!['app.kubernetes.io/name'],
      );
      expect(pod.volumes).toContainEqual({
        name: 'tmp',
        emptyDir: { sizeLimit: '256Mi' },
      });
    }
  });

  it('every container (app and init) is restricted, pinned and limited', () => {
    let containers = 0;
    for (const { object } of workloads) {
      const pod = podSpecOf(object);
      for (const container of [
        ...(pod.initContainers ?? []),
        ...pod.containers,
      ]) {
        containers++;
        expect(container.securityContext).toEqual(
          RESTRICTED_CONTAINER_SECURITY_CONTEXT,
        );
        expect(container.image).not.toMatch(/:latest$/);
        expect(container.image).toMatch(/:[A-Za-z0-9_.-]+$/);
        expect(container.imagePullPolicy).toBe('IfNotPresent');
        expect(container.resources.requests.cpu).toBeDefined();
        expect(container.resources.requests.memory).toBeDefined();
        expect(container.resources.limits.cpu).toBeDefined();
        expect(container.resources.limits.memory).toBeDefined();
      }
      for (const container of pod.containers) {
        expect(container.volumeMounts).toContainEqual({
          name: 'tmp',
          mountPath: '/tmp',
        });
      }
    }
    expect(containers).toBeGreaterThan(50);
  });

  it('every ServiceAccount has no API token', () => {
    const accounts = allObjects().filter(
      o => o.object.kind === 'ServiceAccount',
    );
    expect(accounts.length).toBeGreaterThan(0);
    for (const { object } of accounts) {
      expect(object.automountServiceAccountToken).toBe(false);
    }
  });
});

describe('app container', () => {
  const plan = planOf(SHOP_SPEC({ tier: 'T2' }));
  const objects = generateKubernetesObjects(plan, 'prod');

  it('image from the plan, named http port, limits derived from requests', () => {
    const pod = podSpecOf(find(objects, 'Deployment', 'catalog'));
    const container = pod.containers[0];
    expect(container.image).toBe(
      plan.services.find(s => s.name === 'catalog')!.image,
    );
    expect(container.ports).toEqual([
      { name: 'http', containerPort: 8080, protocol: 'TCP' },
    ]);
    expect(container.resources).toEqual({
      requests: { cpu: '100m', memory: '128Mi' },
      limits: { cpu: '400m', memory: '128Mi' },
    });
  });

  it('serving pods drain with a native preStop sleep; workers do not', () => {
    const api = podSpecOf(find(objects, 'Deployment', 'catalog'));
    expect(api.containers[0].lifecycle).toEqual({
      preStop: { sleep: { seconds: 5 } },
    });
    const mailer = podSpecOf(find(objects, 'Deployment', 'mailer'));
    expect(mailer.containers[0].lifecycle).toBeUndefined();
  });

  it('env from the ConfigMap, secrets from the ExternalSecret target', () => {
    const rollout = find(shopObjects({ tier: 'T1' }), 'Deployment', 'api');
    const container = podSpecOf(rollout).containers[0];
    expect(container.envFrom).toEqual([
      { configMapRef: { name: 'api-config' } },
      { secretRef: { name: 'api-secrets' } },
    ]);
    expect(
      podSpecOf(find(objects, 'Deployment', 'catalog')).containers[0].envFrom,
    ).toBeUndefined();
  });

  it('a config hash rolls pods when env changes', () => {
    const hash = (value: string) =>
      podTemplateOf(
        find(
          generateKubernetesObjects(
            singleServicePlan(svc('api', 'service', { env: { MODE: value } })),
            'prod',
          ),
          'Deployment',
          'api',
        ),
      ).metadata.annotations['cloud-native.backstage.io/config-hash'];
    expect(hash('a')).toMatch(/^[0-9a-f]{16}$/);
    expect(hash('a')).toBe(hash('a'));
    expect(hash('a')).not.toBe(hash('b'));
  });
});

describe('probe decision matrix', () => {
  const objects = shopObjects();
  const container = (kind: string, name: string) =>
    podSpecOf(find(objects, kind, name)).containers[0];

  it('startup probe when startupSeconds > 0: failureThreshold = ceil(s / 5)', () => {
    const web = container('Deployment', 'web');
    // as liveness: started once the process accepts connections, whether or
    // not its dependencies are up (the readiness path /ready may ask them)
    expect(web.startupProbe).toEqual({
      tcpSocket: { port: 'http' },
      periodSeconds: 5,
      timeoutSeconds: 2,
      failureThreshold: 6,
    });
    expect(container('Deployment', 'catalog').startupProbe).toBeUndefined();
    const slow = podSpecOf(
      find(
        generateKubernetesObjects(
          singleServicePlan(
            svc('api', 'service', {
              health: { path: '/h', startupSeconds: 61 },
            }),
          ),
          'prod',
        ),
        'Deployment',
        'api',
      ),
    ).containers[0];
    expect(slow.startupProbe.failureThreshold).toBe(13);
  });

  it('readiness on the health path; liveness does not reuse it (it may check the database)', () => {
    const catalog = container('Deployment', 'catalog');
    expect(catalog.readinessProbe.httpGet).toEqual({
      path: '/healthz',
      port: 'http',
    });
    // before: liveness on /healthz, so a database outage restarted catalog
    expect(catalog.livenessProbe.httpGet).toBeUndefined();
    expect(catalog.livenessProbe.tcpSocket).toEqual({ port: 'http' });
    expect(catalog.livenessProbe.periodSeconds).toBeGreaterThan(
      catalog.readinessProbe.periodSeconds,
    );
  });

  it('liveness on health.livenessPath when the spec declares one', () => {
    const api = podSpecOf(
      find(
        generateKubernetesObjects(
          singleServicePlan(
            svc('api', 'service', {
              port: 8080,
              health: { path: '/readyz', livenessPath: '/livez' },
            }),
          ),
          'prod',
        ),
        'Deployment',
        'api',
      ),
    ).containers[0];
    expect(api.readinessProbe.httpGet).toEqual({
      path: '/readyz',
      port: 'http',
    });
    expect(api.livenessProbe.httpGet).toEqual({ path: '/livez', port: 'http' });
  });

  it('a health port other than the container port is used by number', () => {
    expect(container('StatefulSet', 'db').readinessProbe.httpGet).toEqual({
      path: '/healthz',
      port: 8008,
    });
  });

  it('a worker with a port but no health path gets TCP probes', () => {
    const worker = podSpecOf(
      find(
        generateKubernetesObjects(
          singleServicePlan(svc('consumer', 'worker', { port: 9000 })),
          'prod',
        ),
        'Deployment',
        'consumer',
      ),
    ).containers[0];
    expect(worker.readinessProbe.tcpSocket).toEqual({ port: 'http' });
    expect(worker.livenessProbe.tcpSocket).toEqual({ port: 'http' });
  });

  it('a worker without port or health gets no probes and a note', () => {
    expect(container('Deployment', 'mailer').livenessProbe).toBeUndefined();
    expect(container('Deployment', 'mailer').readinessProbe).toBeUndefined();
    expect(
      buildEnvironment(planOf(SHOP_SPEC()), 'prod').notes.join('\n'),
    ).toMatch(/mailer: no port and no health endpoint/);
  });

  it('a daemon with a health path but no port: liveness only', () => {
    const agent = podSpecOf(
      find(
        generateKubernetesObjects(
          singleServicePlan(
            svc('agent', 'daemon', { health: { path: '/live', port: 9100 } }),
          ),
          'prod',
        ),
        'DaemonSet',
        'agent',
      ),
    ).containers[0];
    expect(agent.livenessProbe.tcpSocket).toEqual({ port: 9100 });
    expect(agent.readinessProbe).toBeUndefined();
  });
});

describe('wait-for-dependency init containers', () => {
  const objects = shopObjects();
  const inits = (kind: string, name: string) =>
    (podSpecOf(find(objects, kind, name)).initContainers ?? []).map(
      (c: Loose) => c.name,
    );

  it('one per dependency with a Service, in dependsOn order', () => {
    expect(inits('Deployment', 'api')).toEqual([
      'wait-for-catalog',
      'wait-for-orders',
      'wait-for-db',
    ]);
    const wait = podSpecOf(find(objects, 'Deployment', 'api'))
      .initContainers[0];
    expect(wait.image).toBe('busybox:1.36');
    expect(wait.command).toEqual([
      'sh',
      '-c',
      'until nc -z -w 2 catalog 80; do echo waiting for catalog; sleep 2; done',
    ]);
    expect(wait.restartPolicy).toBeUndefined();
  });

  it('workers wait too; jobs and cron jobs do not', () => {
    expect(inits('Deployment', 'mailer')).toEqual(['wait-for-orders']);
    expect(inits('CronJob', 'report')).toEqual([]);
  });
});

describe('mesh and observability annotations', () => {
  it('asks Istio and Linkerd for native sidecars', () => {
    const istio = shopObjects({ mesh: 'istio' });
    expect(
      podTemplateOf(find(istio, 'Job', 'reindex')).metadata.annotations,
    ).toMatchObject({ 'sidecar.istio.io/nativeSidecar': 'true' });
    const linkerd = shopObjects({ mesh: 'linkerd' });
    expect(
      podTemplateOf(find(linkerd, 'Deployment', 'catalog')).metadata
        .annotations,
    ).toMatchObject({
      'config.alpha.linkerd.io/proxy-enable-native-sidecar': 'true',
    });
    const none = shopObjects();
    expect(
      podTemplateOf(find(none, 'Deployment', 'catalog')).metadata.annotations,
    ).toBeUndefined();
  });

  it('Prometheus scrape annotations on serving pods at T3 only', () => {
    const t3 = shopObjects({ tier: 'T3' });
    expect(
      podTemplateOf(find(t3, 'Deployment', 'catalog')).metadata.annotations,
    ).toEqual({
      'prometheus.io/path': '/metrics',
      'prometheus.io/port': '8080',
      'prometheus.io/scrape': 'true',
    });
    expect(
      podTemplateOf(find(t3, 'Deployment', 'mailer')).metadata.annotations,
    ).toBeUndefined();
    const t2 = shopObjects({ tier: 'T2' });
    expect(
      podTemplateOf(find(t2, 'Deployment', 'catalog')).metadata.annotations,
    ).toBeUndefined();
  });
});

describe('nativeSidecar helper', () => {
  it('makes an always-restarting, hardened init container', () => {
    const sidecar = nativeSidecar({
      name: 'shipper',
      image: 'fluent-bit:3.1.4',
    });
    expect(sidecar.restartPolicy).toBe('Always');
    expect(sidecar.securityContext?.readOnlyRootFilesystem).toBe(true);
    expect(sidecar.securityContext?.capabilities).toEqual({ drop: ['ALL'] });
  });

  it('is not emitted by default', () => {
    for (const plan of PLANS) {
      for (const object of generateKubernetesObjects(
        plan,
        plan.environments[0],
      )) {
        const pod = podSpecOf(object);
        for (const init of pod?.initContainers ?? []) {
          expect(init.restartPolicy).toBeUndefined();
        }
      }
    }
  });
});
