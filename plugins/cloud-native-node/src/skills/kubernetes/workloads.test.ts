import { generateKubernetesObjects, buildEnvironment } from './generator';
import { jobName } from '../../plan/names';
import {
  byKind,
  find,
  Loose,
  planOf,
  podSpecOf,
  SHOP_SPEC,
  singleServicePlan,
  spec,
  svc,
} from './__fixtures__/plans';

const prod = (plan: ReturnType<typeof planOf>) =>
  generateKubernetesObjects(plan, 'prod');

describe('Deployment', () => {
  it('rolling: RollingUpdate with maxSurge 25% and the tier maxUnavailable', () => {
    const t1 = prod(singleServicePlan(svc('api', 'service'), { tier: 'T1' }));
    const t2 = prod(singleServicePlan(svc('api', 'service'), { tier: 'T2' }));
    const s1 = find(t1, 'Deployment', 'api').spec as Loose;
    const s2 = find(t2, 'Deployment', 'api').spec as Loose;
    expect(s1.strategy).toEqual({
      type: 'RollingUpdate',
      rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' },
    });
    expect(s2.strategy.rollingUpdate.maxUnavailable).toBe(0);
    expect(s2.revisionHistoryLimit).toBe(5);
    expect(byKind(t2, 'Rollout')).toEqual([]);
  });

  it('recreate: Recreate strategy', () => {
    const objects = prod(
      singleServicePlan(svc('api', 'service', { strategy: 'recreate' })),
    );
    expect((find(objects, 'Deployment', 'api').spec as Loose).strategy).toEqual(
      { type: 'Recreate' },
    );
  });

  it('omits replicas when an HPA owns the count, sets it otherwise', () => {
    const scaled = prod(
      singleServicePlan(
        svc('api', 'service', { replicas: { min: 2, max: 5 } }),
      ),
    );
    expect((find(scaled, 'Deployment', 'api').spec as Loose).replicas).toBe(
      undefined,
    );
    const hpa = find(scaled, 'HorizontalPodAutoscaler', 'api').spec as Loose;
    expect(hpa.minReplicas).toBe(2);
    expect(hpa.maxReplicas).toBe(5);
    expect(hpa.scaleTargetRef).toEqual({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      name: 'api',
    });

    const fixed = prod(
      singleServicePlan(
        svc('api', 'service', { replicas: { min: 2, max: 2 } }),
      ),
    );
    expect((find(fixed, 'Deployment', 'api').spec as Loose).replicas).toBe(2);
    expect(byKind(fixed, 'HorizontalPodAutoscaler')).toEqual([]);
  });

  it('HPA behaviour follows the scaling profile', () => {
    const behavior = (scaling: 'burst' | 'variable' | 'predictable') =>
      (
        find(
          prod(singleServicePlan(svc('api', 'service', { scaling }))),
          'HorizontalPodAutoscaler',
          'api',
        ).spec as Loose
      ).behavior;
    expect(behavior('burst').scaleUp).toEqual({
      stabilizationWindowSeconds: 0,
      selectPolicy: 'Max',
      policies: [
        { type: 'Percent', value: 100, periodSeconds: 15 },
        { type: 'Pods', value: 4, periodSeconds: 15 },
      ],
    });
    expect(behavior('variable').scaleUp.stabilizationWindowSeconds).toBe(30);
    expect(behavior('predictable').scaleUp).toBeUndefined();
    for (const scaling of ['burst', 'variable', 'predictable'] as const) {
      expect(behavior(scaling).scaleDown.stabilizationWindowSeconds).toBe(300);
    }
    const metrics = (
      find(
        prod(singleServicePlan(svc('api', 'service'))),
        'HorizontalPodAutoscaler',
        'api',
      ).spec as Loose
    ).metrics;
    expect(
      metrics.map((m: Loose) => [
        m.resource.name,
        m.resource.target.averageUtilization,
      ]),
    ).toEqual([
      ['cpu', 70],
      ['memory', 80],
    ]);
  });

  it('rerouted http functions are Deployments, scheduled ones CronJobs', () => {
    const plan = planOf(
      spec({ platform: 'kubernetes' }, [
        svc('resize', 'function', { timeoutSeconds: 1200 }),
        svc('nightly', 'function', {
          trigger: { type: 'schedule' },
          schedule: '0 3 * * *',
          timeoutSeconds: 1200,
        }),
      ]),
    );
    const objects = prod(plan);
    expect(find(objects, 'Deployment', 'resize')).toBeDefined();
    const cron = find(objects, 'CronJob', 'nightly').spec as Loose;
    expect(cron.schedule).toBe('0 3 * * *');
    expect(cron.timeZone).toBeUndefined();
    expect(cron.jobTemplate.spec.activeDeadlineSeconds).toBe(1200);
  });
});

describe('Rollout', () => {
  const canaryPlan = (
    cloud: 'aws' | 'platform-agnostic',
    mesh: 'none' | 'istio' | 'linkerd',
    // T3 on a managed cluster: the package collects the metrics its
    // analysis reads (plan/metrics.ts)
    tier: 'T2' | 'T3' = 'T3',
  ) =>
    singleServicePlan(
      svc('web', 'service', { expose: 'public', strategy: 'canary' }),
      { cloud, mesh, tier },
    );

  it('a rollback to one of the last 3 revisions is fast-tracked (rollbackWindow)', () => {
    for (const strategy of ['canary', 'blue-green'] as const) {
      const rolloutSpec = find(
        prod(singleServicePlan(svc('api', 'service', { strategy }))),
        'Rollout',
        'api',
      ).spec as Loose;
      expect(rolloutSpec.rollbackWindow).toEqual({ revisions: 3 });
      expect(rolloutSpec.rollbackWindow.revisions).toBeLessThanOrEqual(
        rolloutSpec.revisionHistoryLimit,
      );
    }
  });

  it('canary: 5 → 25 → 50 → 100 with pauses and background analysis', () => {
    const objects = prod(canaryPlan('aws', 'none'));
    const canary = (find(objects, 'Rollout', 'web').spec as Loose).strategy
      .canary;
    expect(canary.steps).toEqual([
      { setWeight: 5 },
      { pause: { duration: '5m' } },
      { setWeight: 25 },
      { pause: { duration: '5m' } },
      { setWeight: 50 },
      { pause: { duration: '5m' } },
      { setWeight: 100 },
    ]);
    expect(canary.stableService).toBe('web');
    expect(canary.canaryService).toBe('web-canary');
    expect(find(objects, 'Service', 'web')).toBeDefined();
    expect(find(objects, 'Service', 'web-canary')).toBeDefined();
    expect(canary.analysis.templates).toEqual([
      { templateName: 'web-success-rate' },
    ]);
    expect(canary.analysis.args).toEqual([
      { name: 'service-name', value: 'web-canary' },
    ]);
    const template = find(objects, 'AnalysisTemplate', 'web-success-rate')
      .spec as Loose;
    expect(template.metrics[0].successCondition).toBe('result[0] >= 0.99');
    expect(template.metrics[0].failureLimit).toBe(2);
    expect(template.metrics[0].interval).toBe('1m');
    // the application's metric, which the package's ServiceMonitor scrapes
    expect(template.metrics[0].provider.prometheus.query).toContain(
      'http_requests_total',
    );
    expect(template.metrics[0].count).toBeUndefined();
  });

  it('canary without collected metrics: the same steps, no analysis (it would never conclude)', () => {
    for (const plan of [
      canaryPlan('aws', 'none', 'T2'),
      // ingress-nginx's metrics are the cluster's, not the package's
      canaryPlan('platform-agnostic', 'none'),
    ]) {
      const objects = prod(plan);
      const canary = (find(objects, 'Rollout', 'web').spec as Loose).strategy
        .canary;
      expect(canary.steps).toHaveLength(7);
      expect(canary.analysis).toBeUndefined();
      expect(canary.trafficRouting).toBeDefined();
      expect(byKind(objects, 'AnalysisTemplate')).toEqual([]);
    }
  });

  it('canary traffic routing per router', () => {
    const routing = (plan: ReturnType<typeof canaryPlan>) =>
      (find(prod(plan), 'Rollout', 'web').spec as Loose).strategy.canary
        .trafficRouting;
    expect(routing(canaryPlan('platform-agnostic', 'none'))).toEqual({
      nginx: { stableIngress: 'web' },
    });
    expect(routing(canaryPlan('aws', 'none'))).toEqual({
      alb: { ingress: 'web', servicePort: 80 },
    });
    expect(routing(canaryPlan('aws', 'istio'))).toEqual({
      istio: { virtualService: { name: 'web', routes: ['primary'] } },
    });
    expect(routing(canaryPlan('aws', 'linkerd'))).toBeUndefined();
  });

  it('ALB canary: the Ingress backend points at the use-annotation action', () => {
    const objects = prod(canaryPlan('aws', 'none'));
    const ingress = find(objects, 'Ingress', 'web').spec as Loose;
    expect(ingress.rules[0].http.paths[0].backend.service).toEqual({
      name: 'web',
      port: { name: 'use-annotation' },
    });
  });

  it('canary without a traffic router is replica-weighted and says so', () => {
    const plan = canaryPlan('aws', 'linkerd');
    const built = buildEnvironment(plan, 'prod');
    expect(built.notes.join('\n')).toMatch(/web: no traffic router.*replica/);
    const canary = (
      find(built.services[0].objects, 'Rollout', 'web').spec as Loose
    ).strategy.canary;
    // The main Service keeps selecting stable and canary pods (a
    // stableService would pin it to the stable pods: the canary would get no
    // traffic and its analysis no data); the canary Service scopes the
    // analysis to the canary pods.
    expect(canary.trafficRouting).toBeUndefined();
    expect(canary).not.toHaveProperty('stableService');
    expect(canary.canaryService).toBe('web-canary');
    expect(canary.analysis.args).toEqual([
      { name: 'service-name', value: 'web-canary' },
    ]);
  });

  it('istio analysis reads Istio telemetry', () => {
    const template = find(
      prod(canaryPlan('aws', 'istio')),
      'AnalysisTemplate',
      'web-success-rate',
    ).spec as Loose;
    expect(template.metrics[0].provider.prometheus.query).toContain(
      'istio_requests_total',
    );
  });

  it('blue-green: active/preview Services, pre-promotion analysis, scale-down delay', () => {
    const plan = (tier: 'T2' | 'T3') =>
      singleServicePlan(svc('orders', 'service', { strategy: 'blue-green' }), {
        tier,
        cloud: 'aws',
      });
    // T2: no metrics are collected, so no analysis: promotion on readiness
    const t2 = (find(prod(plan('T2')), 'Rollout', 'orders').spec as Loose)
      .strategy.blueGreen;
    expect(t2.autoPromotionEnabled).toBe(true);
    expect(t2).not.toHaveProperty('prePromotionAnalysis');
    const objects = prod(plan('T3'));
    const blueGreen = (find(objects, 'Rollout', 'orders').spec as Loose)
      .strategy.blueGreen;
    expect(blueGreen).toEqual({
      activeService: 'orders',
      previewService: 'orders-preview',
      // T3: a person promotes after the pre-promotion analysis
      autoPromotionEnabled: false,
      prePromotionAnalysis: {
        templates: [{ templateName: 'orders-success-rate' }],
        args: [{ name: 'service-name', value: 'orders-preview' }],
      },
      scaleDownDelaySeconds: 30,
    });
    expect(find(objects, 'Service', 'orders')).toBeDefined();
    expect(find(objects, 'Service', 'orders-preview')).toBeDefined();
    expect(byKind(objects, 'Service').map(s => s.metadata.name)).not.toContain(
      'orders-canary',
    );
    expect(
      (find(objects, 'AnalysisTemplate', 'orders-success-rate').spec as Loose)
        .metrics[0].count,
    ).toBe(5);
  });

  it('critical services become blue-green Rollouts from T2 (plan rule STRAT-021)', () => {
    const objects = prod(planOf(SHOP_SPEC({ tier: 'T2' })));
    expect(
      (find(objects, 'Rollout', 'orders').spec as Loose).strategy.blueGreen,
    ).toBeDefined();
  });

  it('ab-testing with Istio: header route x-variant: b managed by the Rollout', () => {
    const plan = singleServicePlan(
      svc('shop', 'service', { strategy: 'ab-testing', expose: 'public' }),
      { mesh: 'istio' },
    );
    const objects = prod(plan);
    const canary = (find(objects, 'Rollout', 'shop').spec as Loose).strategy
      .canary;
    expect(canary.trafficRouting).toEqual({
      istio: { virtualService: { name: 'shop', routes: ['primary'] } },
      managedRoutes: [{ name: 'ab-variant-b' }],
    });
    expect(canary.steps).toContainEqual({
      setHeaderRoute: {
        name: 'ab-variant-b',
        match: [{ headerName: 'x-variant', headerValue: { exact: 'b' } }],
      },
    });
    expect(canary.steps).toContainEqual({ pause: {} });
    expect(canary.steps.some((s: Loose) => 'setWeight' in s)).toBe(false);
  });

  it('ab-testing without Istio falls back to blue-green with a note', () => {
    const plan = singleServicePlan(
      svc('shop', 'service', { strategy: 'ab-testing' }),
      { mesh: 'linkerd' },
    );
    const built = buildEnvironment(plan, 'prod');
    const rollout = built.services[0].objects.find(o => o.kind === 'Rollout')!;
    expect((rollout.spec as Loose).strategy.blueGreen.activeService).toBe(
      'shop',
    );
    expect((rollout.spec as Loose).strategy.canary).toBeUndefined();
    expect(built.notes.join('\n')).toMatch(
      /shop: A\/B testing needs header routing.*blue-green/,
    );
  });

  it('a blue-green worker without a port becomes a replica-weighted canary', () => {
    const plan = singleServicePlan(
      svc('mailer', 'worker', { strategy: 'blue-green' }),
    );
    const built = buildEnvironment(plan, 'prod');
    const objects = built.services[0].objects;
    const canary = (find(objects, 'Rollout', 'mailer').spec as Loose).strategy
      .canary;
    expect(canary.stableService).toBeUndefined();
    expect(canary.trafficRouting).toBeUndefined();
    expect(byKind(objects, 'Service')).toEqual([]);
    expect(byKind(objects, 'AnalysisTemplate')).toEqual([]);
    expect(built.notes.join('\n')).toMatch(
      /mailer: blue-green needs a Service/,
    );
  });

  it('HPA targets the Rollout', () => {
    const objects = prod(canaryPlan('platform-agnostic', 'none'));
    expect(
      (find(objects, 'HorizontalPodAutoscaler', 'web').spec as Loose)
        .scaleTargetRef,
    ).toEqual({
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Rollout',
      name: 'web',
    });
  });
});

describe('StatefulSet', () => {
  const objects = prod(planOf(SHOP_SPEC({ tier: 'T2' })));
  const set = find(objects, 'StatefulSet', 'db').spec as Loose;

  it('has a headless and a ClusterIP Service, both on its own tcp port (PROTO-010)', () => {
    const headless = find(objects, 'Service', 'db-headless').spec as Loose;
    expect(headless.clusterIP).toBe('None');
    expect(headless.publishNotReadyAddresses).toBe(true);
    expect(headless.ports[0].port).toBe(5432);
    const clusterIp = find(objects, 'Service', 'db').spec as Loose;
    expect(clusterIp.type).toBe('ClusterIP');
    expect(clusterIp.ports).toEqual([
      { name: 'tcp', port: 5432, targetPort: 'tcp', protocol: 'TCP' },
    ]);
    expect(headless.ports).toEqual(clusterIp.ports);
    expect(set.serviceName).toBe('db-headless');
  });

  it('orders pods, retains claims, and uses the storage class', () => {
    expect(set.podManagementPolicy).toBe('OrderedReady');
    expect(set.updateStrategy).toEqual({ type: 'RollingUpdate' });
    expect(set.replicas).toBe(3);
    expect(set.persistentVolumeClaimRetentionPolicy).toEqual({
      whenDeleted: 'Retain',
      whenScaled: 'Retain',
    });
    expect(set.volumeClaimTemplates[0].spec).toEqual({
      accessModes: ['ReadWriteOnce'],
      storageClassName: 'gp3',
      resources: { requests: { storage: '50Gi' } },
    });
    expect(set.template.spec.containers[0].volumeMounts).toContainEqual({
      name: 'data',
      mountPath: '/data',
    });
    expect(set.template.spec.terminationGracePeriodSeconds).toBe(120);
    expect(set.template.spec.securityContext.fsGroup).toBe(65532);
  });

  it('omits storageClassName when the spec has no class', () => {
    const o = prod(singleServicePlan(svc('db', 'stateful')));
    const claim = (find(o, 'StatefulSet', 'db').spec as Loose)
      .volumeClaimTemplates[0].spec;
    expect(claim.storageClassName).toBeUndefined();
    expect(claim.resources.requests.storage).toBe('10Gi');
  });

  it('requires hostname anti-affinity only with several replicas', () => {
    expect(
      set.template.spec.affinity.podAntiAffinity
        .requiredDuringSchedulingIgnoredDuringExecution,
    ).toEqual([
      {
        labelSelector: {
          matchLabels: {
            'app.kubernetes.io/name': 'db',
            'app.kubernetes.io/part-of': 'shop',
          },
        },
        topologyKey: 'kubernetes.io/hostname',
      },
    ]);
    const dev = generateKubernetesObjects(
      planOf(SHOP_SPEC({ tier: 'T2' })),
      'dev',
    );
    const devSet = find(dev, 'StatefulSet', 'db').spec as Loose;
    expect(devSet.replicas).toBe(1);
    expect(devSet.template.spec.affinity).toBeUndefined();
  });

  it('PDB keeps a quorum', () => {
    expect(
      (find(objects, 'PodDisruptionBudget', 'db').spec as Loose).minAvailable,
    ).toBe(2);
    expect(
      byKind(objects, 'HorizontalPodAutoscaler').map(h => h.metadata.name),
    ).not.toContain('db');
  });

  it('stateful and daemon workloads never become Rollouts, even at T3', () => {
    const t3 = prod(planOf(SHOP_SPEC({ tier: 'T3' })));
    const rollouts = byKind(t3, 'Rollout').map(r => r.metadata.name);
    expect(rollouts).not.toContain('db');
    expect(rollouts).not.toContain('node-agent');
    expect(find(t3, 'StatefulSet', 'db')).toBeDefined();
    expect(find(t3, 'DaemonSet', 'node-agent')).toBeDefined();
    expect(rollouts.sort()).toEqual(['api', 'orders', 'web']);
  });
});

describe('DaemonSet', () => {
  const built = buildEnvironment(planOf(SHOP_SPEC()), 'prod');
  const objects = [...built.shared, ...built.services.flatMap(s => s.objects)];
  const daemon = find(objects, 'DaemonSet', 'node-agent').spec as Loose;

  it('tolerates control-plane and unhealthy nodes', () => {
    const tolerated = (key: string, effect: string) => ({
      key,
      operator: 'Exists',
      effect,
    });
    expect(daemon.template.spec.tolerations).toEqual([
      tolerated('node-role.kubernetes.io/control-plane', 'NoSchedule'),
      tolerated('node.kubernetes.io/not-ready', 'NoExecute'),
      tolerated('node.kubernetes.io/unreachable', 'NoExecute'),
    ]);
    expect(daemon.updateStrategy.rollingUpdate.maxUnavailable).toBe(1);
  });

  it('references a non-default PriorityClass in namespace.yaml', () => {
    expect(daemon.template.spec.priorityClassName).toBe('shop-node-critical');
    const priority = find(
      built.shared,
      'PriorityClass',
      'shop-node-critical',
    ) as Loose;
    expect(priority.apiVersion).toBe('scheduling.k8s.io/v1');
    expect(priority.globalDefault).toBe(false);
    expect(priority.value).toBe(100000);
  });

  it('no PriorityClass without daemons', () => {
    const shared = buildEnvironment(
      singleServicePlan(svc('api', 'service')),
      'prod',
    ).shared;
    expect(byKind(shared, 'PriorityClass')).toEqual([]);
  });

  it('no replicas, HPA or PDB for daemons', () => {
    expect(daemon.replicas).toBeUndefined();
    const names = [
      ...byKind(objects, 'HorizontalPodAutoscaler'),
      ...byKind(objects, 'PodDisruptionBudget'),
    ].map(o => o.metadata.name);
    expect(names).not.toContain('node-agent');
  });
});

describe('Job and CronJob', () => {
  const objects = prod(planOf(SHOP_SPEC()));

  it('indexed job: completions > 1 → Indexed with a per-index backoff', () => {
    const job = find(objects, 'Job', 'reindex').spec as Loose;
    expect(job.completionMode).toBe('Indexed');
    expect(job.completions).toBe(8);
    expect(job.parallelism).toBe(2);
    expect(job.backoffLimitPerIndex).toBe(2);
    expect(job.backoffLimit).toBeUndefined();
    expect(job.activeDeadlineSeconds).toBe(1800);
    expect(job.ttlSecondsAfterFinished).toBe(86400);
    expect(job.template.spec.restartPolicy).toBe('Never');
    expect(job.podFailurePolicy.rules[0]).toEqual({
      action: 'Ignore',
      onPodConditions: [{ type: 'DisruptionTarget', status: 'True' }],
    });
  });

  it('work-queue job: parallelism without completions runs N pods on one queue', () => {
    // before: parallelism was capped at the default 1 completion, so the
    // work-queue pattern could not be expressed
    const job = find(
      prod(singleServicePlan(svc('drain', 'job', { parallelism: 4 }))),
      'Job',
      'drain',
    ).spec as Loose;
    expect(job.parallelism).toBe(4);
    expect(job.completions).toBeUndefined();
    expect(job.completionMode).toBeUndefined();
    expect(job.backoffLimit).toBe(4);
  });

  it('single job: NonIndexed with backoffLimit', () => {
    const job = find(
      prod(singleServicePlan(svc('migrate', 'job'))),
      'Job',
      'migrate',
    ).spec as Loose;
    expect(job.completionMode).toBeUndefined();
    expect(job.backoffLimit).toBe(4);
    expect(job.activeDeadlineSeconds).toBe(3600);
  });

  it('a Job is named after its image, so a new image is a new Job (its template is immutable)', () => {
    const named = (image: string) =>
      find(
        prod(singleServicePlan(svc('migrate', 'job', { image }))),
        'Job',
        'migrate',
      ).metadata.name;
    const v1 = named('registry.example.com/shop/migrate:1.0.0');
    expect(v1).toMatch(/^migrate-[0-9a-f]{8}$/);
    expect(v1).toBe(
      jobName('migrate', 'registry.example.com/shop/migrate:1.0.0'),
    );
    // same image, same name: a re-apply changes nothing
    expect(named('registry.example.com/shop/migrate:1.0.0')).toBe(v1);
    // a new tag or digest: a new Job, never an update of the old one
    expect(named('registry.example.com/shop/migrate:1.0.1')).not.toBe(v1);
    expect(
      named(`registry.example.com/shop/migrate@sha256:${'a'.repeat(64)}`),
    ).not.toBe(v1);
    // at most 63 characters for the longest name the spec accepts (54)
    expect(jobName('a'.repeat(54), 'x:1')).toHaveLength(63);
  });

  it('cronjob: schedule, timeZone, Forbid, history limits, deadline', () => {
    const cron = find(objects, 'CronJob', 'report').spec as Loose;
    expect(cron).toMatchObject({
      schedule: '0 2 * * *',
      timeZone: 'Europe/Istanbul',
      concurrencyPolicy: 'Forbid',
      successfulJobsHistoryLimit: 3,
      failedJobsHistoryLimit: 1,
      startingDeadlineSeconds: 300,
    });
    expect(cron.jobTemplate.spec).toMatchObject({
      activeDeadlineSeconds: 3600,
      backoffLimit: 4,
      ttlSecondsAfterFinished: 86400,
    });
  });

  it('batch pods have no probes, preStop hook, or init containers', () => {
    for (const name of ['reindex', 'report']) {
      const kind = name === 'report' ? 'CronJob' : 'Job';
      const pod = podSpecOf(find(objects, kind, name));
      const container = pod.containers[0];
      expect(container.livenessProbe).toBeUndefined();
      expect(container.readinessProbe).toBeUndefined();
      expect(container.startupProbe).toBeUndefined();
      expect(container.lifecycle).toBeUndefined();
      expect(pod.initContainers).toBeUndefined();
    }
  });
});
