import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Diagnosis, diagnosePods } from '.';

const FIXTURES = path.join(__dirname, '__fixtures__');

function fixture(name: string): unknown {
  const file = path.join(FIXTURES, `${name}.json`);
  return existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : undefined;
}

/** Runs one fixture case: <case>.pods.json, .events.json and the extras. */
function diagnoseCase(name: string): Diagnosis[] {
  return diagnosePods(fixture(`${name}.pods`), fixture(`${name}.events`), {
    deployments: fixture(`${name}.deployments`),
    hpas: fixture(`${name}.hpas`),
    pdbs: fixture(`${name}.pdbs`),
  });
}

function only(list: Diagnosis[]): Diagnosis {
  expect(list).toHaveLength(1);
  return list[0];
}

/** A minimal pod in kubectl's shape, for variations of the fixtures. */
function pod(
  name: string,
  status: Record<string, unknown>,
  spec: Record<string, unknown> = {},
) {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'shop', labels: { app: name } },
    spec: {
      containers: [
        { name: 'api', image: 'registry.example.com/shop/api:1.0.0' },
      ],
      ...spec,
    },
    status,
  };
}

function kubeList(...items: unknown[]) {
  return { apiVersion: 'v1', kind: 'List', metadata: {}, items };
}

function podEvent(
  podName: string,
  reason: string,
  message: string,
  extra: Record<string, unknown> = {},
) {
  return {
    apiVersion: 'v1',
    kind: 'Event',
    involvedObject: { kind: 'Pod', name: podName, namespace: 'shop' },
    reason,
    message,
    type: 'Warning',
    count: 1,
    firstTimestamp: '2025-06-02T10:00:00Z',
    lastTimestamp: '2025-06-02T10:00:00Z',
    ...extra,
  };
}

/** The status of a pod whose container api crash-loops with an exit code. */
function crashLooping(exitCode: number, restartCount: number) {
  return {
    phase: 'Running',
    containerStatuses: [
      {
        name: 'api',
        ready: false,
        restartCount,
        state: { waiting: { reason: 'CrashLoopBackOff' } },
        lastState: { terminated: { exitCode, reason: 'Error' } },
      },
    ],
  };
}

const running = { running: { startedAt: '2025-06-02T10:00:00Z' } };

/** Evidence lines that contain each text. */
const mentions = (...texts: string[]) =>
  expect.arrayContaining(texts.map(t => expect.stringContaining(t)));

/** One fixture case: <fixture>.pods.json (and .events, extras) → one diagnosis. */
const FIXTURE_CASES: Array<{
  title: string;
  fixture: string;
  expected: Record<string, unknown>;
  /** Texts no evidence line may contain */
  notInEvidence?: string[];
}> = [
  {
    title: 'Pending with Insufficient cpu → resources',
    fixture: 'pending-insufficient-cpu',
    expected: {
      pod: 'api-7c5f9d8b6-k2v9x',
      namespace: 'shop',
      phase: 'Pending',
      category: 'resources',
      reason:
        "Unschedulable: insufficient cpu: the pod's requests do not fit the free capacity of any node",
      evidence: expect.arrayContaining([
        'requests of api: cpu 500m, memory 768Mi',
        expect.stringContaining('FailedScheduling (x4)'),
      ]),
      nextCommand: 'kubectl describe pod api-7c5f9d8b6-k2v9x -n shop',
    },
  },
  {
    title: 'Pending with an unbound PersistentVolumeClaim → storage',
    fixture: 'pending-unbound-pvc',
    expected: {
      pod: 'postgres-0',
      category: 'storage',
      reason:
        'Unschedulable: PersistentVolumeClaim data-postgres-0 is not bound',
      nextCommand: 'kubectl describe pvc data-postgres-0 -n shop',
    },
  },
  {
    title: 'Pending on taints and topology spread → scheduling',
    fixture: 'pending-untolerated-taint',
    expected: {
      pod: 'gateway-6f7d9c5b8-tq4zr',
      namespace: 'marketplace',
      category: 'scheduling',
      reason:
        'Unschedulable: node taints it does not tolerate, topology spread constraints',
      nextCommand:
        'kubectl describe pod gateway-6f7d9c5b8-tq4zr -n marketplace',
    },
  },
  {
    title: 'ImagePullBackOff with manifest unknown → image (tag)',
    fixture: 'image-manifest-unknown',
    // The status echo events are not evidence when the registry answered.
    notInEvidence: ['Error: ErrImagePull'],
    expected: {
      pod: 'orders-5d4f8b7c9-h8w2n',
      category: 'image',
      reason:
        'ImagePullBackOff: the image tag (or repository) does not exist in the registry',
      evidence: mentions('manifest unknown'),
      nextCommand: `kubectl get pod orders-5d4f8b7c9-h8w2n -n shop -o jsonpath='{.spec.containers[?(@.name=="orders")].image}'`,
    },
  },
  {
    title: 'ErrImagePull with 403 Forbidden → credentials',
    fixture: 'image-unauthorized',
    expected: {
      pod: 'cart-84c6d7f9b5-2lmnp',
      namespace: 'marketplace',
      category: 'credentials',
      nextCommand: expect.stringContaining(
        'kubectl get pod cart-84c6d7f9b5-2lmnp -n marketplace',
      ),
    },
  },
  {
    title: 'ImagePullBackOff with no such host → registry',
    fixture: 'image-no-such-host',
    expected: {
      pod: 'storefront-7b9f6c4d8-r5t7j',
      category: 'registry',
      evidence: mentions('no such host'),
      nextCommand:
        'kubectl get events -n shop --field-selector involvedObject.name=storefront-7b9f6c4d8-r5t7j,reason=Failed',
    },
  },
  {
    title: 'CrashLoopBackOff after OOMKilled → memory',
    fixture: 'crashloop-oomkilled',
    expected: {
      pod: 'api-7c5f9d8b6-w4fz8',
      phase: 'Running',
      category: 'memory',
      reason:
        'CrashLoopBackOff: container api was OOMKilled (memory limit 768Mi)',
      evidence: expect.arrayContaining([
        'last terminated: OOMKilled, exit code 137 at 2025-06-02T13:21:48Z',
      ]),
      nextCommand: 'kubectl describe pod api-7c5f9d8b6-w4fz8 -n shop',
    },
  },
  {
    title: 'CrashLoopBackOff with exit code 1 → application',
    fixture: 'crashloop-exit-code-1',
    expected: {
      pod: 'orders-5d4f8b7c9-9pkd2',
      category: 'application',
      evidence: mentions("KeyError: 'QUEUE_URL'"),
      nextCommand:
        'kubectl logs orders-5d4f8b7c9-9pkd2 -n shop -c orders --previous',
    },
  },
  {
    title: 'CreateContainerConfigError on a missing Secret → config',
    fixture: 'create-container-config-error',
    expected: {
      pod: 'checkout-5fbb8d4c7-mw6ts',
      category: 'config',
      reason:
        'CreateContainerConfigError: Secret checkout-secrets does not exist',
      nextCommand:
        'kubectl get secret,externalsecret checkout-secrets -n marketplace',
    },
  },
  {
    title: 'ContainerCreating with FailedAttachVolume / FailedMount → volume',
    fixture: 'container-creating-failed-mount',
    expected: {
      pod: 'search-1',
      category: 'volume',
      reason: 'ContainerCreating: a volume cannot be attached to the node',
      evidence: mentions('Multi-Attach error'),
      nextCommand: 'kubectl describe pod search-1 -n marketplace',
    },
  },
  {
    title: 'ContainerCreating with FailedCreatePodSandBox → network',
    fixture: 'container-creating-sandbox',
    expected: {
      pod: 'storefront-6d9c7b8f5d-zz8kq',
      category: 'network',
      nextCommand:
        'kubectl get pods -n kube-system -o wide --field-selector spec.nodeName=ip-10-0-2-117.eu-west-1.compute.internal',
    },
  },
  {
    title: 'Running but not ready with Unhealthy events → probe',
    fixture: 'running-not-ready',
    expected: {
      pod: 'catalog-59d8f7b6c4-6hzxw',
      phase: 'Running',
      category: 'probe',
      reason: 'Running but not ready: the readiness probe of catalog fails',
      evidence: expect.arrayContaining([
        'event Warning Unhealthy (x42): Readiness probe failed: HTTP probe failed with statuscode: 503',
      ]),
      nextCommand:
        'kubectl get events -n marketplace --field-selector involvedObject.name=catalog-59d8f7b6c4-6hzxw,reason=Unhealthy',
    },
  },
  {
    title:
      'an HPA with ScalingActive=False / FailedGetResourceMetric → metrics',
    fixture: 'hpa-unknown-metrics',
    expected: {
      object: 'hpa/api',
      phase: 'ScalingActive=False',
      category: 'metrics',
      reason:
        'FailedGetResourceMetric: the HPA gets no metrics (TARGETS <unknown>)',
      nextCommand: 'kubectl get apiservice v1beta1.metrics.k8s.io',
    },
  },
  {
    title:
      'a PDB with 0 disruptions allowed and currentHealthy <= desiredHealthy → disruption',
    fixture: 'pdb-blocking-drain',
    expected: {
      object: 'pdb/postgres',
      category: 'disruption',
      reason:
        '0 disruptions allowed: 1 pod(s) already unhealthy, so node drains block',
      nextCommand: 'kubectl describe pdb postgres -n shop',
    },
  },
];

describe('diagnosePods: the fixtures, one per branch of the decision tree', () => {
  it.each(FIXTURE_CASES)(
    '$title',
    ({ fixture: name, expected, notInEvidence = [] }) => {
      const d = only(diagnoseCase(name));
      expect(d).toMatchObject(expected);
      for (const text of notInEvidence) {
        expect(d.evidence.filter(e => e.includes(text))).toEqual([]);
      }
    },
  );

  it('a Deployment with ProgressDeadlineExceeded → rollout, with its failing pod as evidence', () => {
    const diagnoses = diagnoseCase('deployment-progress-deadline');
    expect(diagnoses.map(d => d.category)).toEqual(['application', 'rollout']);
    const d = diagnoses[1];
    expect(d).toMatchObject({
      object: 'deployment/storefront',
      namespace: 'shop',
      phase: 'Progressing=False',
      category: 'rollout',
      nextCommand: 'kubectl rollout status deployment/storefront -n shop',
    });
    expect(d.pod).toBeUndefined();
    expect(
      d.evidence.some(e => e.startsWith('pod storefront-8f6c5d9b7-q7rkt:')),
    ).toBe(true);
    // the healthy pod of the same Deployment is not blamed
    expect(
      d.evidence.some(e => e.includes('storefront-6d9c7b8f5d-7xq2m')),
    ).toBe(false);
  });

  it('healthy pods give no diagnosis', () => {
    const pods = fixture('hpa-unknown-metrics.pods');
    expect(diagnosePods(pods, fixture('hpa-unknown-metrics.events'))).toEqual(
      [],
    );
  });
});

describe('diagnosePods: variations', () => {
  it('reads events.k8s.io/v1 events (regarding, note) and JSON text', () => {
    const pods = kubeList(
      pod('api-1', {
        phase: 'Pending',
        conditions: [{ type: 'PodScheduled', status: 'False' }],
      }),
    );
    const events = {
      kind: 'EventList',
      apiVersion: 'events.k8s.io/v1',
      items: [
        {
          regarding: { kind: 'Pod', name: 'api-1', namespace: 'shop' },
          reason: 'FailedScheduling',
          note: '0/5 nodes are available: 5 Insufficient memory.',
          type: 'Warning',
          eventTime: '2025-06-02T10:00:00.000000Z',
          series: { count: 3 },
        },
      ],
    };
    const d = only(diagnosePods(JSON.stringify(pods), JSON.stringify(events)));
    expect(d.category).toBe('resources');
    expect(d.reason).toContain('insufficient memory');
    expect(d.evidence).toContain(
      'event Warning FailedScheduling (x3): 0/5 nodes are available: 5 Insufficient memory.',
    );
  });

  it('an unbound claim wins over resources in the same message', () => {
    const d = only(
      diagnosePods(
        kubeList(
          pod('db-0', {
            phase: 'Pending',
            conditions: [
              {
                type: 'PodScheduled',
                status: 'False',
                reason: 'Unschedulable',
                message:
                  '0/3 nodes are available: 1 Insufficient cpu, 2 node(s) had volume node affinity conflict.',
              },
            ],
          }),
        ),
      ),
    );
    expect(d.category).toBe('storage');
  });

  it('a liveness probe that kills the container → probe', () => {
    const d = only(
      diagnosePods(
        kubeList(pod('api-1', crashLooping(137, 3))),
        kubeList(
          podEvent(
            'api-1',
            'Unhealthy',
            'Liveness probe failed: Get "http://10.0.1.5:8080/healthz": context deadline exceeded',
          ),
          podEvent(
            'api-1',
            'Killing',
            'Container api failed liveness probe, will be restarted',
            { type: 'Normal' },
          ),
        ),
      ),
    );
    expect(d.category).toBe('probe');
    expect(d.reason).toContain('liveness probe of api fails');
  });

  it('exit code 127 → config (the command cannot run)', () => {
    const d = only(diagnosePods(kubeList(pod('api-1', crashLooping(127, 2)))));
    expect(d.category).toBe('config');
  });

  it('a missing key of a Secret → config, describes the Secret (keys, no values)', () => {
    const d = only(
      diagnosePods(
        kubeList(
          pod('api-1', {
            phase: 'Pending',
            containerStatuses: [
              {
                name: 'api',
                ready: false,
                restartCount: 0,
                state: {
                  waiting: {
                    reason: 'CreateContainerConfigError',
                    message:
                      "couldn't find key DATABASE_URL in Secret shop/api-secrets",
                  },
                },
              },
            ],
          }),
        ),
      ),
    );
    expect(d).toMatchObject({
      category: 'config',
      reason:
        'CreateContainerConfigError: key DATABASE_URL is missing in Secret api-secrets',
      nextCommand: 'kubectl describe secret api-secrets -n shop',
    });
  });

  it('an OOMKilled container that is running again but not ready → memory', () => {
    const d = only(
      diagnosePods(
        kubeList(
          pod('api-1', {
            phase: 'Running',
            containerStatuses: [
              {
                name: 'api',
                ready: false,
                restartCount: 1,
                state: running,
                lastState: {
                  terminated: { exitCode: 137, reason: 'OOMKilled' },
                },
              },
            ],
          }),
        ),
      ),
    );
    expect(d.category).toBe('memory');
  });

  it('an init container wait-for-<dependency> that never ends → network', () => {
    const d = only(
      diagnosePods(
        kubeList(
          pod(
            'storefront-1',
            {
              phase: 'Pending',
              initContainerStatuses: [
                {
                  name: 'wait-for-api',
                  ready: false,
                  restartCount: 0,
                  state: running,
                },
              ],
              containerStatuses: [
                {
                  name: 'storefront',
                  ready: false,
                  restartCount: 0,
                  state: { waiting: { reason: 'PodInitializing' } },
                },
              ],
            },
            {
              initContainers: [{ name: 'wait-for-api', image: 'busybox:1.36' }],
            },
          ),
        ),
      ),
    );
    expect(d).toMatchObject({
      category: 'network',
      reason: 'Init: the init container wait-for-api is still waiting for api',
      nextCommand: 'kubectl logs storefront-1 -n shop -c wait-for-api',
    });
  });

  it('a running native sidecar is not a stuck init container', () => {
    const d = only(
      diagnosePods(
        kubeList(
          pod(
            'api-1',
            {
              phase: 'Running',
              initContainerStatuses: [
                {
                  name: 'istio-proxy',
                  ready: true,
                  restartCount: 0,
                  state: running,
                },
              ],
              containerStatuses: [
                { name: 'api', ready: false, restartCount: 0, state: running },
              ],
            },
            {
              initContainers: [
                { name: 'istio-proxy', restartPolicy: 'Always' },
              ],
            },
          ),
        ),
      ),
    );
    expect(d.category).toBe('probe');
  });

  it('an evicted pod → resources', () => {
    const d = only(
      diagnosePods(
        kubeList(
          pod(
            'api-1',
            {
              phase: 'Failed',
              reason: 'Evicted',
              message: 'The node was low on resource: memory.',
            },
            { nodeName: 'node-a' },
          ),
        ),
      ),
    );
    expect(d).toMatchObject({
      category: 'resources',
      nextCommand: 'kubectl describe node node-a',
    });
  });

  it('an HPA target without requests → metrics, describes the HPA', () => {
    const d = only(
      diagnosePods(kubeList(), undefined, {
        hpas: kubeList({
          kind: 'HorizontalPodAutoscaler',
          metadata: { name: 'orders', namespace: 'shop' },
          status: {
            conditions: [
              {
                type: 'ScalingActive',
                status: 'False',
                reason: 'FailedGetResourceMetric',
                message:
                  'the HPA was unable to compute the replica count: failed to get cpu utilization: missing request for cpu in container istio-proxy of Pod orders-1',
              },
            ],
          },
        }),
      }),
    );
    expect(d.reason).toContain('no cpu request');
    expect(d.nextCommand).toBe('kubectl describe hpa orders -n shop');
  });

  it('a PDB that never allows a disruption, and healthy PDBs are ignored', () => {
    const pdbs = kubeList(
      {
        kind: 'PodDisruptionBudget',
        metadata: { name: 'api', namespace: 'shop' },
        spec: { maxUnavailable: 0 },
        status: {
          currentHealthy: 3,
          desiredHealthy: 3,
          disruptionsAllowed: 0,
          expectedPods: 3,
        },
      },
      {
        kind: 'PodDisruptionBudget',
        metadata: { name: 'web', namespace: 'shop' },
        status: {
          currentHealthy: 3,
          desiredHealthy: 2,
          disruptionsAllowed: 1,
          expectedPods: 3,
        },
      },
      {
        kind: 'PodDisruptionBudget',
        metadata: { name: 'idle', namespace: 'shop' },
        status: {
          currentHealthy: 0,
          desiredHealthy: 0,
          disruptionsAllowed: 0,
          expectedPods: 0,
        },
      },
    );
    const d = only(diagnosePods(kubeList(), undefined, { pdbs }));
    expect(d.object).toBe('pdb/api');
    expect(d.reason).toBe(
      'the budget never allows an eviction: node drains and upgrades block',
    );
  });

  it('an aborted Argo Rollout → rollout, with the plugin command', () => {
    const d = only(
      diagnosePods(kubeList(), undefined, {
        deployments: kubeList({
          apiVersion: 'argoproj.io/v1alpha1',
          kind: 'Rollout',
          metadata: { name: 'gateway', namespace: 'marketplace' },
          status: {
            conditions: [
              {
                type: 'Progressing',
                status: 'False',
                reason: 'RolloutAborted',
                message:
                  'Rollout aborted update to revision 3: Metric "success-rate" assessed Failed',
              },
            ],
          },
        }),
      }),
    );
    expect(d).toMatchObject({
      object: 'rollout/gateway',
      category: 'rollout',
      nextCommand: 'kubectl argo rollouts get rollout gateway -n marketplace',
    });
  });

  it('quotes names that are not shell-safe in the command', () => {
    const d = only(
      diagnosePods(
        kubeList({
          ...pod("api'; rm -rf /", crashLooping(1, 1)),
        }),
      ),
    );
    expect(d.nextCommand).toBe(
      `kubectl logs 'api'\\''; rm -rf /' -n shop -c api --previous`,
    );
  });
});

describe('diagnosePods: malformed input never throws', () => {
  it.each([
    ['undefined', undefined],
    ['null', null],
    ['a number', 42],
    ['text that is not JSON', 'kubectl: command not found'],
    ['a List whose items is not an array', { kind: 'List', items: 'nope' }],
    ['a List of junk', { kind: 'List', items: [null, 1, 'x', [], {}] }],
    ['a non-Pod object', { kind: 'Service', metadata: { name: 'api' } }],
  ])('%s → []', (_, input) => {
    expect(
      diagnosePods(input, input, {
        deployments: input,
        hpas: input,
        pdbs: input,
      }),
    ).toEqual([]);
  });

  it('fields of the wrong type read as absent', () => {
    const weird = kubeList({
      kind: 'Pod',
      metadata: { name: 7, namespace: ['x'], labels: 'y' },
      spec: { containers: 'none', volumes: {} },
      status: {
        phase: 'Running',
        conditions: 'Ready',
        containerStatuses: [null, { name: 3, state: 'waiting', ready: 'no' }],
      },
    });
    expect(() =>
      diagnosePods(weird, { items: [{ involvedObject: 'Pod' }, null] }),
    ).not.toThrow();
  });

  it('a pod without a name still gets a diagnosis from what is known', () => {
    const d = only(
      diagnosePods([
        {
          status: {
            phase: 'Running',
            containerStatuses: [
              {
                name: 'worker',
                ready: false,
                restartCount: 5,
                state: { waiting: { reason: 'CrashLoopBackOff' } },
              },
            ],
          },
        },
      ]),
    );
    expect(d.pod).toBeUndefined();
    expect(d).toMatchObject({
      namespace: 'default',
      phase: 'Running',
      category: 'application',
      nextCommand: 'kubectl logs <pod> -n default -c worker --previous',
    });
  });

  it('is deterministic', () => {
    expect(diagnoseCase('deployment-progress-deadline')).toEqual(
      diagnoseCase('deployment-progress-deadline'),
    );
  });
});
