import { Tier } from '@internal/backstage-plugin-cloud-native-common';
import { KubernetesObject, ManifestFile } from '../../core/types';
import { evaluatePolicies, policyRules } from '.';
import { parseQuantity } from './rules/resources';
import { parseImage } from './rules/images';

type Any = any; // fixtures are mutated freely

const secureContainer = () => ({
  allowPrivilegeEscalation: false,
  privileged: false,
  readOnlyRootFilesystem: true,
  capabilities: { drop: ['ALL'] },
});

const resources = () => ({
  requests: { cpu: '100m', memory: '128Mi' },
  limits: { cpu: '500m', memory: '128Mi' },
});

const podSecurity = () => ({
  runAsNonRoot: true,
  runAsUser: 65532,
  runAsGroup: 65532,
  seccompProfile: { type: 'RuntimeDefault' },
});

const meta = (name: string, extra: Any = {}) => ({
  name,
  namespace: 'shop',
  labels: { 'app.kubernetes.io/part-of': 'shop' },
  ...extra,
});

function jobPod(name: string): Any {
  return {
    metadata: { labels: { app: name } },
    spec: {
      serviceAccountName: 'batch',
      automountServiceAccountToken: false,
      securityContext: podSecurity(),
      restartPolicy: 'Never',
      containers: [
        {
          name,
          image: `registry.example.com/shop/${name}:1.0.0`,
          imagePullPolicy: 'IfNotPresent',
          resources: resources(),
          securityContext: secureContainer(),
        },
      ],
    },
  };
}

/**
 * A package that follows every rule at every tier. Each failing fixture below
 * breaks one thing in it.
 */
function baseline() {
  const objects = {
    namespace: {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: {
        name: 'shop',
        labels: { 'pod-security.kubernetes.io/enforce': 'restricted' },
      },
    } as Any,
    denyAll: {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: meta('default-deny-all'),
      spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] },
    } as Any,
    serviceAccount: {
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: meta('api'),
      automountServiceAccountToken: false,
    } as Any,
    batchAccount: {
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: meta('batch'),
      automountServiceAccountToken: false,
    } as Any,
    role: {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'Role',
      metadata: meta('api'),
      rules: [{ apiGroups: [''], resources: ['configmaps'], verbs: ['get'] }],
    } as Any,
    roleBinding: {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: meta('api'),
      roleRef: {
        apiGroup: 'rbac.authorization.k8s.io',
        kind: 'Role',
        name: 'api',
      },
      subjects: [{ kind: 'ServiceAccount', name: 'api', namespace: 'shop' }],
    } as Any,
    externalSecret: {
      apiVersion: 'external-secrets.io/v1',
      kind: 'ExternalSecret',
      metadata: meta('api-secrets'),
      spec: {
        secretStoreRef: { kind: 'ClusterSecretStore', name: 'shop' },
        target: { name: 'api-secrets' },
        data: [{ secretKey: 'DB_PASSWORD', remoteRef: { key: 'shop/db' } }],
      },
    } as Any,
    configMap: {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: meta('api-config'),
      data: { LOG_LEVEL: 'info', TIMEOUT_SECONDS: '30' },
    } as Any,
    deployment: {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: meta('api'),
      spec: {
        selector: { matchLabels: { app: 'api' } },
        strategy: {
          type: 'RollingUpdate',
          rollingUpdate: { maxSurge: 1, maxUnavailable: 0 },
        },
        template: {
          metadata: { labels: { app: 'api', tier: 'backend' } },
          spec: {
            serviceAccountName: 'api',
            automountServiceAccountToken: false,
            securityContext: podSecurity(),
            topologySpreadConstraints: [
              {
                maxSkew: 1,
                topologyKey: 'topology.kubernetes.io/zone',
                whenUnsatisfiable: 'ScheduleAnyway',
                labelSelector: { matchLabels: { app: 'api' } },
              },
            ],
            initContainers: [
              {
                name: 'wait-for-db',
                image: 'busybox:1.36',
                command: ['sh', '-c', 'until nc -z db 5432; do sleep 2; done'],
                resources: resources(),
                securityContext: secureContainer(),
              },
            ],
            containers: [
              {
                name: 'api',
                image: 'registry.example.com/shop/api:1.0.0',
                imagePullPolicy: 'IfNotPresent',
                ports: [{ name: 'http', containerPort: 8080 }],
                env: [
                  { name: 'LOG_LEVEL', value: 'info' },
                  {
                    name: 'DB_PASSWORD',
                    valueFrom: {
                      secretKeyRef: { name: 'api-secrets', key: 'DB_PASSWORD' },
                    },
                  },
                ],
                envFrom: [
                  { configMapRef: { name: 'api-config' } },
                  { secretRef: { name: 'api-secrets' } },
                ],
                resources: resources(),
                securityContext: secureContainer(),
                readinessProbe: {
                  httpGet: { path: '/ready', port: 'http' },
                  periodSeconds: 5,
                },
                livenessProbe: {
                  httpGet: { path: '/healthz', port: 'http' },
                  periodSeconds: 10,
                  failureThreshold: 6,
                },
              },
            ],
          },
        },
      },
    } as Any,
    service: {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: meta('api'),
      spec: {
        type: 'ClusterIP',
        selector: { app: 'api' },
        ports: [{ name: 'http', port: 80, targetPort: 'http' }],
      },
    } as Any,
    hpa: {
      apiVersion: 'autoscaling/v2',
      kind: 'HorizontalPodAutoscaler',
      metadata: meta('api'),
      spec: {
        scaleTargetRef: {
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          name: 'api',
        },
        minReplicas: 2,
        maxReplicas: 5,
      },
    } as Any,
    pdb: {
      apiVersion: 'policy/v1',
      kind: 'PodDisruptionBudget',
      metadata: meta('api'),
      spec: {
        maxUnavailable: 1,
        unhealthyPodEvictionPolicy: 'AlwaysAllow',
        selector: { matchLabels: { app: 'api' } },
      },
    } as Any,
    networkPolicy: {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: meta('api'),
      spec: {
        podSelector: { matchLabels: { app: 'api' } },
        policyTypes: ['Ingress'],
        ingress: [{ ports: [{ port: 8080 }] }],
      },
    } as Any,
    ingress: {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: meta('api'),
      spec: {
        rules: [
          {
            host: 'api.example.com',
            http: {
              paths: [
                {
                  path: '/',
                  pathType: 'Prefix',
                  backend: { service: { name: 'api', port: { number: 80 } } },
                },
              ],
            },
          },
        ],
      },
    } as Any,
    job: {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: meta('migrate'),
      spec: {
        backoffLimit: 2,
        activeDeadlineSeconds: 600,
        ttlSecondsAfterFinished: 3600,
        template: jobPod('migrate'),
      },
    } as Any,
    cronJob: {
      apiVersion: 'batch/v1',
      kind: 'CronJob',
      metadata: meta('report'),
      spec: {
        schedule: '0 1 * * *',
        concurrencyPolicy: 'Forbid',
        startingDeadlineSeconds: 300,
        successfulJobsHistoryLimit: 3,
        failedJobsHistoryLimit: 1,
        jobTemplate: {
          spec: {
            backoffLimit: 2,
            activeDeadlineSeconds: 3600,
            template: jobPod('report'),
          },
        },
      },
    } as Any,
  };
  return {
    objects,
    extra: [] as Any[],
    /** Objects of a second environment (staging) */
    otherEnvironment: [] as Any[],
    environment: 'prod',
    tier: 'T3' as Tier,
  };
}

type Fixture = ReturnType<typeof baseline>;

const api = (f: Fixture) => f.objects.deployment.spec.template.spec;
const apiContainer = (f: Fixture) => api(f).containers[0];

/** What the engine writes for a non-HTTP service: a named port, TCP probes on it. */
function engineTcpService(
  f: Fixture,
  port: { name: string; containerPort: number },
  servicePort: Record<string, unknown> = {},
) {
  apiContainer(f).ports[0] = port;
  apiContainer(f).readinessProbe = {
    tcpSocket: { port: port.name },
    periodSeconds: 5,
  };
  apiContainer(f).livenessProbe = {
    tcpSocket: { port: port.name },
    periodSeconds: 10,
    failureThreshold: 6,
  };
  f.objects.service.spec.ports[0] = {
    name: port.name,
    port: port.containerPort,
    targetPort: port.name,
    ...servicePort,
  };
}

function run(f: Fixture, tier: Tier = f.tier) {
  const files: ManifestFile[] = [
    {
      path: `kubernetes/${f.environment}/shop.yaml`,
      environment: f.environment,
      objects: [...Object.values(f.objects), ...f.extra] as KubernetesObject[],
    },
  ];
  if (f.otherEnvironment.length > 0) {
    files.push({
      path: 'kubernetes/staging/shop.yaml',
      environment: 'staging',
      objects: f.otherEnvironment as KubernetesObject[],
    });
  }
  return evaluatePolicies(files, { tier });
}

function fixture(mutate?: (f: Fixture) => void): Fixture {
  const f = baseline();
  mutate?.(f);
  return f;
}

const statefulSet = (serviceName: string): Any => ({
  apiVersion: 'apps/v1',
  kind: 'StatefulSet',
  metadata: meta('db'),
  spec: {
    serviceName,
    replicas: 1,
    selector: { matchLabels: { app: 'db' } },
    template: {
      metadata: { labels: { app: 'db' } },
      spec: {
        serviceAccountName: 'api',
        containers: [{ name: 'db', image: 'postgres:16.4' }],
      },
    },
  },
});

type Mutation = (f: Fixture) => void;

/** The JSON action of an ALB weighted forward to [Service, port] pairs. */
const action = (targets: Array<[string, number | string]>) =>
  JSON.stringify({
    type: 'forward',
    forwardConfig: {
      targetGroups: targets.map(([serviceName, servicePort], i) => ({
        serviceName,
        servicePort,
        weight: i === 0 ? 100 : 0,
      })),
    },
  });

/**
 * The Ingress as an ALB canary (AWS Load Balancer Controller): backend port
 * `use-annotation`, the action in `alb.ingress.kubernetes.io/actions.api`
 * when given; the canary Service `api-canary` next to `api`.
 */
function albCanary(f: Fixture, actionJson?: string) {
  const ingress = f.objects.ingress;
  ingress.spec.ingressClassName = 'alb';
  ingress.metadata.annotations = {
    'alb.ingress.kubernetes.io/scheme': 'internet-facing',
    ...(actionJson !== undefined
      ? { 'alb.ingress.kubernetes.io/actions.api': actionJson }
      : {}),
  };
  ingress.spec.rules[0].http.paths[0].backend.service.port = {
    name: 'use-annotation',
  };
  f.extra.push({
    ...f.objects.service,
    metadata: meta('api-canary'),
  });
}

/** An Argo Rollout whose canary routes traffic through the ALB Ingress api. */
const albRollout = (alb: Any = {}): Any => {
  const { canaryService = 'api-canary', ...routing } = alb;
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Rollout',
    metadata: meta('api'),
    spec: {
      selector: { matchLabels: { app: 'api' } },
      template: { metadata: { labels: { app: 'api' } }, spec: {} },
      strategy: {
        canary: {
          stableService: 'api',
          canaryService,
          trafficRouting: {
            alb: { ingress: 'api', servicePort: 80, ...routing },
          },
        },
      },
    },
  };
};

/**
 * For every rule: mutations that violate it, and fixtures that satisfy it
 * (the baseline is always one of the latter).
 */
const cases: Record<string, { fail: Mutation[]; pass?: Mutation[] }> = {
  // security
  'run-as-non-root': {
    fail: [
      f => {
        delete api(f).securityContext.runAsNonRoot;
        delete api(f).securityContext.runAsUser;
      },
      f => {
        apiContainer(f).securityContext.runAsUser = 0;
      },
    ],
    pass: [
      f => {
        delete api(f).securityContext.runAsNonRoot;
      },
    ],
  },
  'run-as-user-numeric': {
    fail: [
      f => {
        delete api(f).securityContext.runAsUser;
      },
      f => {
        api(f).securityContext.runAsGroup = 0;
      },
    ],
    pass: [
      f => {
        delete api(f).securityContext.runAsUser;
        api(f).containers[0].securityContext.runAsUser = 1000;
        api(f).initContainers[0].securityContext.runAsUser = 1000;
      },
    ],
  },
  'no-privilege-escalation': {
    fail: [
      f => {
        delete apiContainer(f).securityContext.allowPrivilegeEscalation;
      },
      f => {
        api(f).initContainers[0].securityContext.allowPrivilegeEscalation =
          true;
      },
    ],
  },
  'no-privileged-container': {
    fail: [
      f => {
        apiContainer(f).securityContext.privileged = true;
      },
    ],
  },
  'read-only-root-filesystem': {
    fail: [
      f => {
        apiContainer(f).securityContext.readOnlyRootFilesystem = false;
      },
    ],
  },
  'drop-all-capabilities': {
    fail: [
      f => {
        apiContainer(f).securityContext.capabilities = { drop: ['NET_RAW'] };
      },
      f => {
        delete apiContainer(f).securityContext.capabilities;
      },
    ],
  },
  'no-added-capabilities': {
    fail: [
      f => {
        apiContainer(f).securityContext.capabilities.add = ['SYS_ADMIN'];
      },
      f => {
        apiContainer(f).securityContext.capabilities.add = ['CAP_NET_RAW'];
      },
    ],
    pass: [
      f => {
        apiContainer(f).securityContext.capabilities.add = ['NET_BIND_SERVICE'];
      },
    ],
  },
  'seccomp-profile': {
    fail: [
      f => {
        delete api(f).securityContext.seccompProfile;
      },
      f => {
        apiContainer(f).securityContext.seccompProfile = { type: 'Unconfined' };
      },
    ],
    pass: [
      f => {
        delete api(f).securityContext.seccompProfile;
        for (const c of [...api(f).containers, ...api(f).initContainers]) {
          c.securityContext.seccompProfile = {
            type: 'Localhost',
            localhostProfile: 'profiles/api.json',
          };
        }
      },
    ],
  },
  'host-network': {
    fail: [
      f => {
        api(f).hostNetwork = true;
      },
    ],
    pass: [
      f => {
        api(f).hostNetwork = false;
      },
    ],
  },
  'host-pid': {
    fail: [
      f => {
        api(f).hostPID = true;
      },
    ],
  },
  'host-ipc': {
    fail: [
      f => {
        api(f).hostIPC = true;
      },
    ],
  },
  'host-path-volume': {
    fail: [
      f => {
        api(f).volumes = [
          { name: 'docker', hostPath: { path: '/var/run/docker.sock' } },
        ];
      },
    ],
    pass: [
      f => {
        api(f).volumes = [{ name: 'tmp', emptyDir: {} }];
      },
    ],
  },
  'host-port': {
    fail: [
      f => {
        apiContainer(f).ports[0].hostPort = 8080;
      },
    ],
  },
  'unsafe-sysctls': {
    fail: [
      f => {
        api(f).securityContext.sysctls = [
          { name: 'net.core.somaxconn', value: '1024' },
        ];
      },
    ],
    pass: [
      f => {
        api(f).securityContext.sysctls = [
          { name: 'net.ipv4.ip_local_port_range', value: '1024 65535' },
        ];
      },
    ],
  },
  'unsafe-proc-mount': {
    fail: [
      f => {
        apiContainer(f).securityContext.procMount = 'Unmasked';
      },
    ],
  },
  'namespace-pod-security': {
    fail: [
      f => {
        delete f.objects.namespace.metadata.labels;
      },
      f => {
        f.objects.namespace.metadata.labels[
          'pod-security.kubernetes.io/enforce'
        ] = 'baseline';
      },
    ],
    pass: [
      f => {
        f.objects.namespace.metadata.labels[
          'pod-security.kubernetes.io/enforce'
        ] = 'baseline';
        f.tier = 'T1';
      },
    ],
  },
  // rbac
  'dedicated-service-account': {
    fail: [
      f => {
        delete api(f).serviceAccountName;
      },
      f => {
        api(f).serviceAccountName = 'default';
      },
    ],
  },
  'service-account-exists': {
    fail: [
      f => {
        api(f).serviceAccountName = 'ghost';
      },
    ],
  },
  'automount-service-account-token': {
    fail: [
      f => {
        delete f.objects.cronJob.spec.jobTemplate.spec.template.spec
          .automountServiceAccountToken;
        delete f.objects.batchAccount.automountServiceAccountToken;
      },
    ],
    pass: [
      // The api ServiceAccount is bound to a Role: it needs its token.
      f => {
        api(f).automountServiceAccountToken = true;
      },
      // Disabled on the ServiceAccount instead of the Pod.
      f => {
        delete f.objects.cronJob.spec.jobTemplate.spec.template.spec
          .automountServiceAccountToken;
      },
    ],
  },
  'rbac-no-wildcards': {
    fail: [
      f => {
        f.objects.role.rules[0].verbs = ['*'];
      },
      f => {
        f.objects.role.rules[0].resources = ['*'];
      },
    ],
  },
  'no-cluster-admin-binding': {
    fail: [
      f => {
        f.objects.roleBinding.roleRef = {
          apiGroup: 'rbac.authorization.k8s.io',
          kind: 'ClusterRole',
          name: 'cluster-admin',
        };
      },
    ],
  },
  'rbac-escalation-verbs': {
    fail: [
      f => {
        f.objects.role.rules.push({
          apiGroups: ['rbac.authorization.k8s.io'],
          resources: ['roles'],
          verbs: ['bind', 'escalate'],
        });
      },
    ],
  },
  'rbac-secret-access': {
    fail: [
      f => {
        f.objects.role.rules.push({
          apiGroups: [''],
          resources: ['secrets'],
          verbs: ['get', 'list'],
        });
      },
    ],
    pass: [
      f => {
        f.objects.role.rules.push({
          apiGroups: [''],
          resources: ['secrets'],
          resourceNames: ['api-secrets'],
          verbs: ['get'],
        });
      },
    ],
  },
  'rbac-pod-exec': {
    fail: [
      f => {
        f.objects.role.rules.push({
          apiGroups: [''],
          resources: ['pods/exec'],
          verbs: ['create'],
        });
      },
    ],
  },
  // secrets
  'env-literal-secret': {
    fail: [
      f => {
        apiContainer(f).env.push({ name: 'DB_PASSWORD', value: 'hunter2' });
      },
      f => {
        apiContainer(f).env.push({
          name: 'UPSTREAM',
          value: 'postgres://app:s3cret@db:5432/app',
        });
      },
    ],
    pass: [
      f => {
        apiContainer(f).env.push({ name: 'TOKEN_TTL_SECONDS', value: '3600' });
      },
    ],
  },
  'env-secret-from-configmap': {
    fail: [
      f => {
        apiContainer(f).env.push({
          name: 'API_TOKEN',
          valueFrom: { configMapKeyRef: { name: 'api-config', key: 'token' } },
        });
      },
    ],
    pass: [
      f => {
        apiContainer(f).env.push({
          name: 'LOG_FORMAT',
          valueFrom: { configMapKeyRef: { name: 'api-config', key: 'fmt' } },
        });
      },
    ],
  },
  'configmap-credentials': {
    fail: [
      f => {
        f.objects.configMap.data.STRIPE_API_KEY =
          'sk_live_abcdefghijklmnop1234';
      },
    ],
  },
  'no-secret-literals': {
    fail: [
      f => {
        f.extra.push({
          apiVersion: 'v1',
          kind: 'Secret',
          metadata: meta('db'),
          stringData: { password: 'hunter2' },
        });
      },
    ],
    pass: [
      f => {
        f.extra.push({
          apiVersion: 'v1',
          kind: 'Secret',
          metadata: meta('api-token', {
            annotations: { 'kubernetes.io/service-account.name': 'api' },
          }),
          type: 'kubernetes.io/service-account-token',
        });
      },
    ],
  },
  'secret-reference-resolves': {
    fail: [
      f => {
        apiContainer(f).envFrom.push({ secretRef: { name: 'missing' } });
      },
      f => {
        api(f).volumes = [{ name: 'tls', secret: { secretName: 'missing' } }];
      },
    ],
    pass: [
      f => {
        apiContainer(f).envFrom.push({
          secretRef: { name: 'missing', optional: true },
        });
      },
    ],
  },
  // resources
  'cpu-requests': {
    fail: [
      f => {
        delete apiContainer(f).resources.requests.cpu;
      },
      f => {
        delete api(f).initContainers[0].resources;
      },
    ],
  },
  'memory-requests': {
    fail: [
      f => {
        delete apiContainer(f).resources.requests.memory;
      },
    ],
  },
  'memory-limits': {
    fail: [
      f => {
        delete apiContainer(f).resources.limits.memory;
      },
    ],
  },
  'cpu-limits': {
    fail: [
      f => {
        delete apiContainer(f).resources.limits.cpu;
      },
    ],
  },
  'limits-not-below-requests': {
    fail: [
      f => {
        apiContainer(f).resources.limits.memory = '64Mi';
      },
      f => {
        apiContainer(f).resources.requests.cpu = '1';
        apiContainer(f).resources.limits.cpu = '900m';
      },
    ],
    pass: [
      f => {
        apiContainer(f).resources.requests.memory = '512Mi';
        apiContainer(f).resources.limits.memory = '1Gi';
      },
    ],
  },
  // probes
  'readiness-probe': {
    fail: [
      f => {
        delete apiContainer(f).readinessProbe;
      },
    ],
    pass: [
      // A worker (no ports) needs no readiness probe.
      f => {
        delete apiContainer(f).readinessProbe;
        delete apiContainer(f).ports;
        apiContainer(f).livenessProbe = {
          exec: { command: ['/healthcheck'] },
        };
        f.objects.service.spec.ports[0].targetPort = 8080;
      },
    ],
  },
  'liveness-probe': {
    fail: [
      f => {
        delete apiContainer(f).livenessProbe;
      },
      // A native sidecar runs for the life of the Pod.
      f => {
        api(f).initContainers[0].restartPolicy = 'Always';
      },
    ],
    pass: [
      // Jobs run to completion.
      f => {
        f.objects.job.spec.template.spec.containers[0].livenessProbe =
          undefined;
      },
    ],
  },
  'probes-not-identical': {
    fail: [
      f => {
        apiContainer(f).livenessProbe = structuredClone(
          apiContainer(f).readinessProbe,
        );
      },
    ],
    pass: [
      // Same endpoint, more lenient timing.
      f => {
        apiContainer(f).livenessProbe = {
          ...structuredClone(apiContainer(f).readinessProbe),
          failureThreshold: 6,
        };
      },
    ],
  },
  'startup-probe-for-slow-start': {
    fail: [
      f => {
        apiContainer(f).livenessProbe.initialDelaySeconds = 90;
      },
    ],
    pass: [
      f => {
        apiContainer(f).livenessProbe.initialDelaySeconds = 90;
        apiContainer(f).startupProbe = {
          httpGet: { path: '/healthz', port: 'http' },
          periodSeconds: 5,
          failureThreshold: 24,
        };
      },
    ],
  },
  'probe-port-exists': {
    fail: [
      f => {
        apiContainer(f).readinessProbe.httpGet.port = 'metrics';
      },
    ],
    pass: [
      f => {
        apiContainer(f).readinessProbe.httpGet.port = 9090;
      },
    ],
  },
  'probe-protocol': {
    fail: [
      f => {
        apiContainer(f).ports[0].containerPort = 5432;
      },
      f => {
        apiContainer(f).image = 'postgres:16.4-bookworm';
      },
    ],
    pass: [
      f => {
        apiContainer(f).ports[0].containerPort = 5432;
        apiContainer(f).readinessProbe = {
          tcpSocket: { port: 'http' },
          periodSeconds: 5,
        };
        apiContainer(f).livenessProbe = {
          exec: { command: ['pg_isready'] },
          periodSeconds: 10,
        };
      },
    ],
  },
  // images
  'image-tag-not-latest': {
    fail: [
      f => {
        apiContainer(f).image = 'registry.example.com/shop/api:latest';
      },
    ],
    pass: [
      f => {
        apiContainer(
          f,
        ).image = `registry.example.com/shop/api:latest@sha256:${'a'.repeat(
          64,
        )}`;
      },
    ],
  },
  'image-tag-required': {
    fail: [
      f => {
        apiContainer(f).image = 'registry.example.com:5000/shop/api';
      },
    ],
    pass: [
      f => {
        apiContainer(
          f,
        ).image = `registry.example.com:5000/shop/api@sha256:${'b'.repeat(64)}`;
      },
    ],
  },
  'image-pull-policy': {
    fail: [
      f => {
        apiContainer(f).imagePullPolicy = 'Never';
      },
      f => {
        apiContainer(f).image = 'registry.example.com/shop/api:latest';
        apiContainer(f).imagePullPolicy = 'IfNotPresent';
      },
    ],
    pass: [
      f => {
        apiContainer(f).image = 'registry.example.com/shop/api:latest';
        apiContainer(f).imagePullPolicy = 'Always';
      },
      f => {
        delete apiContainer(f).imagePullPolicy;
      },
    ],
  },
  // networking
  'service-selects-pods': {
    fail: [
      f => {
        f.objects.service.spec.selector = { app: 'ghost' };
      },
      // The Pods exist, but in another environment.
      f => {
        f.otherEnvironment.push(f.objects.deployment);
        delete (f.objects as Any).deployment;
      },
    ],
    pass: [
      f => {
        f.objects.service.spec = {
          type: 'ExternalName',
          externalName: 'db.example.com',
        };
      },
    ],
  },
  'service-target-port': {
    fail: [
      f => {
        f.objects.service.spec.ports[0].targetPort = 'grpc';
      },
      f => {
        f.objects.service.spec.ports[0].targetPort = 9090;
      },
    ],
    pass: [
      f => {
        f.objects.service.spec.ports[0].targetPort = 8080;
      },
    ],
  },
  'service-port-protocol': {
    fail: [
      f => {
        apiContainer(f).ports[0].containerPort = 5432;
      },
      // the engine's old output: PostgreSQL behind `http` on port 80
      f => {
        apiContainer(f).ports[0].containerPort = 5432;
        f.objects.service.spec.ports[0] = {
          name: 'http',
          port: 80,
          targetPort: 'http',
        };
      },
      // a Redis image on an unusual port
      f => {
        apiContainer(f).image = 'redis:7.4-bookworm';
        apiContainer(f).ports[0].containerPort = 6380;
      },
      // appProtocol wins over the name
      f => {
        apiContainer(f).ports[0].containerPort = 5432;
        f.objects.service.spec.ports[0].name = 'tcp';
        f.objects.service.spec.ports[0].appProtocol = 'kubernetes.io/h2c';
      },
      f => {
        apiContainer(f).ports[0].containerPort = 6379;
        f.objects.service.spec.ports[0].name = 'grpc';
      },
    ],
    pass: [
      f => {
        apiContainer(f).ports[0].containerPort = 5432;
        f.objects.service.spec.ports[0].name = 'tcp-postgres';
      },
      // what the engine writes for a tcp service
      f => {
        apiContainer(f).image = 'postgres:16.4-bookworm';
        engineTcpService(f, { name: 'tcp', containerPort: 5432 });
      },
      // ... and for a grpc service
      f => {
        engineTcpService(
          f,
          { name: 'grpc', containerPort: 9090 },
          { appProtocol: 'kubernetes.io/h2c' },
        );
      },
    ],
  },
  'ingress-backend-exists': {
    fail: [
      // ALB, port use-annotation: no action annotation, no Rollout writing it
      f => albCanary(f),
      // ... an Ingress of another class reads no annotation
      f => {
        albCanary(f, action([['api', 80]]));
        f.objects.ingress.spec.ingressClassName = 'nginx';
      },
      f => albCanary(f, '{"type": "forward", targetGroups: []}'),
      f =>
        albCanary(
          f,
          action([
            ['api', 80],
            ['ghost', 80],
          ]),
        ),
      f =>
        albCanary(
          f,
          action([
            ['api', 80],
            ['api-canary', 81],
          ]),
        ),
      f => albCanary(f, action([['api', 'grpc']])),
      f => albCanary(f, '{"type": "forward", "forwardConfig": {}}'),
      f => albCanary(f, '{"forwardConfig": {"targetGroups": []}}'),
      // the Rollout that writes the action forwards to a missing Service
      f => {
        albCanary(f);
        f.extra.push(albRollout({ canaryService: 'api-preview' }));
      },
      f => {
        albCanary(f);
        f.extra.push(albRollout({ servicePort: 8080 }));
      },
      f => {
        f.objects.ingress.spec.rules[0].http.paths[0].backend.service.name =
          'ghost';
      },
      f => {
        f.objects.ingress.spec.rules[0].http.paths[0].backend.service.port = {
          number: 81,
        };
      },
      f => {
        f.extra.push({
          apiVersion: 'gateway.networking.k8s.io/v1',
          kind: 'HTTPRoute',
          metadata: meta('api'),
          spec: { rules: [{ backendRefs: [{ name: 'ghost', port: 80 }] }] },
        });
      },
    ],
    pass: [
      // ALB canary: the action annotation forwards to Services of the package
      f =>
        albCanary(
          f,
          action([
            ['api', 80],
            ['api-canary', '80'],
          ]),
        ),
      f =>
        albCanary(
          f,
          action([
            ['api', 'http'],
            ['api-canary', 80],
          ]),
        ),
      f => {
        albCanary(f, action([['api', 80]]));
        delete f.objects.ingress.spec.ingressClassName;
        f.objects.ingress.metadata.annotations['kubernetes.io/ingress.class'] =
          'alb';
      },
      f =>
        albCanary(
          f,
          JSON.stringify({
            type: 'forward',
            forwardConfig: {
              targetGroups: [
                {
                  targetGroupARN:
                    'arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/api/0123456789abcdef',
                },
              ],
            },
          }),
        ),
      f =>
        albCanary(
          f,
          '{"type": "fixed-response", "fixedResponseConfig": {"contentType": "text/plain", "statusCode": "503"}}',
        ),
      // ... or no annotation: the Argo Rollout with ALB traffic routing on
      // this Ingress writes it (the generated ALB canary)
      f => {
        albCanary(f);
        f.extra.push(albRollout());
      },
      f => {
        albCanary(f);
        f.extra.push(
          albRollout({ ingress: undefined, ingresses: ['other', 'api'] }),
        );
      },
      f => {
        f.objects.ingress.spec.rules[0].http.paths[0].backend.service.port = {
          name: 'http',
        };
        f.extra.push({
          apiVersion: 'gateway.networking.k8s.io/v1',
          kind: 'HTTPRoute',
          metadata: meta('api'),
          spec: { rules: [{ backendRefs: [{ name: 'api', port: 80 }] }] },
        });
      },
    ],
  },
  'network-policy-default-deny': {
    fail: [
      f => {
        delete f.objects.denyAll;
      },
      f => {
        f.objects.denyAll.spec.policyTypes = ['Ingress'];
      },
    ],
    pass: [
      f => {
        delete f.objects.denyAll;
        f.tier = 'T1';
      },
    ],
  },
  'network-policy-selects-pods': {
    fail: [
      f => {
        f.objects.networkPolicy.spec.podSelector = {
          matchLabels: { app: 'ghost' },
        };
      },
    ],
    pass: [
      f => {
        f.objects.networkPolicy.spec.podSelector = {
          matchExpressions: [
            { key: 'app', operator: 'In', values: ['api', 'web'] },
          ],
        };
      },
    ],
  },
  'service-type': {
    fail: [
      f => {
        f.objects.service.spec.type = 'LoadBalancer';
      },
      f => {
        f.objects.service.spec.type = 'NodePort';
      },
    ],
    pass: [
      f => {
        f.objects.service.spec.type = 'LoadBalancer';
        f.objects.service.metadata.annotations = {
          'networking.gke.io/load-balancer-type': 'Internal',
        };
      },
      f => {
        f.objects.service.spec.type = 'NodePort';
        f.objects.service.metadata.annotations = {
          'ignore-check.cloud-native.backstage.io/service-type':
            'bare-metal cluster without a load balancer',
        };
      },
    ],
  },
  'ssh-port': {
    fail: [
      f => {
        apiContainer(f).ports.push({ name: 'ssh', containerPort: 22 });
      },
    ],
  },
  // availability
  'selector-matches-template': {
    fail: [
      f => {
        f.objects.deployment.spec.selector = { matchLabels: { app: 'web' } };
      },
      f => {
        delete f.objects.deployment.spec.selector;
      },
    ],
  },
  'min-replicas': {
    fail: [
      f => {
        f.objects.hpa.spec.minReplicas = 1;
      },
      f => {
        delete f.objects.hpa;
        f.objects.deployment.spec.replicas = 1;
      },
    ],
    pass: [
      f => {
        f.objects.hpa.spec.minReplicas = 1;
        f.environment = 'staging';
      },
      f => {
        f.objects.hpa.spec.minReplicas = 1;
        f.tier = 'T1';
      },
    ],
  },
  'pdb-present': {
    fail: [
      f => {
        delete f.objects.pdb;
      },
    ],
    pass: [
      f => {
        delete f.objects.pdb;
        delete f.objects.hpa;
        f.objects.deployment.spec.replicas = 1;
      },
    ],
  },
  'pdb-selects-pods': {
    fail: [
      f => {
        f.objects.pdb.spec.selector = { matchLabels: { app: 'ghost' } };
      },
    ],
  },
  'pdb-allows-disruption': {
    fail: [
      f => {
        f.objects.pdb.spec.maxUnavailable = 0;
      },
      f => {
        delete f.objects.pdb.spec.maxUnavailable;
        f.objects.pdb.spec.minAvailable = 2;
      },
    ],
    pass: [
      f => {
        delete f.objects.pdb.spec.maxUnavailable;
        f.objects.pdb.spec.minAvailable = 1;
      },
    ],
  },
  'pdb-unhealthy-pod-eviction-policy': {
    fail: [
      f => {
        delete f.objects.pdb.spec.unhealthyPodEvictionPolicy;
      },
    ],
    pass: [
      f => {
        f.objects.pdb.spec.unhealthyPodEvictionPolicy = 'IfHealthyBudget';
      },
    ],
  },
  'spread-replicas': {
    fail: [
      f => {
        delete api(f).topologySpreadConstraints;
      },
    ],
    pass: [
      f => {
        delete api(f).topologySpreadConstraints;
        api(f).affinity = {
          podAntiAffinity: {
            preferredDuringSchedulingIgnoredDuringExecution: [
              {
                weight: 100,
                podAffinityTerm: {
                  topologyKey: 'kubernetes.io/hostname',
                  labelSelector: { matchLabels: { app: 'api' } },
                },
              },
            ],
          },
        };
      },
      f => {
        delete api(f).topologySpreadConstraints;
        f.tier = 'T2';
      },
    ],
  },
  'autoscaler-target-exists': {
    fail: [
      f => {
        f.objects.hpa.spec.scaleTargetRef.name = 'ghost';
      },
      f => {
        f.objects.hpa.spec.scaleTargetRef.kind = 'StatefulSet';
      },
    ],
  },
  'autoscaler-replica-range': {
    fail: [
      f => {
        f.objects.hpa.spec.minReplicas = 6;
      },
    ],
    pass: [
      f => {
        f.objects.hpa.spec.minReplicas = 5;
      },
    ],
  },
  'rolling-update-max-unavailable': {
    fail: [
      f => {
        f.objects.deployment.spec.strategy.rollingUpdate.maxUnavailable = '25%';
      },
      f => {
        delete f.objects.deployment.spec.strategy;
      },
    ],
    pass: [
      f => {
        f.objects.deployment.spec.strategy.rollingUpdate.maxUnavailable = '0%';
      },
    ],
  },
  'replicas-with-autoscaler': {
    fail: [
      f => {
        f.objects.deployment.spec.replicas = 3;
      },
    ],
  },
  'statefulset-headless-service': {
    fail: [
      f => {
        f.extra.push(statefulSet('db-headless'));
      },
      f => {
        f.extra.push(statefulSet('db-headless'), {
          apiVersion: 'v1',
          kind: 'Service',
          metadata: meta('db-headless'),
          spec: { selector: { app: 'db' }, ports: [{ port: 5432 }] },
        });
      },
    ],
    pass: [
      f => {
        f.extra.push(statefulSet('db-headless'), {
          apiVersion: 'v1',
          kind: 'Service',
          metadata: meta('db-headless'),
          spec: {
            clusterIP: 'None',
            selector: { app: 'db' },
            ports: [{ port: 5432 }],
          },
        });
      },
    ],
  },
  // jobs
  'job-backoff-limit': {
    fail: [
      f => {
        delete f.objects.job.spec.backoffLimit;
      },
    ],
    pass: [
      f => {
        delete f.objects.job.spec.backoffLimit;
        f.objects.job.spec.completionMode = 'Indexed';
        f.objects.job.spec.completions = 4;
        f.objects.job.spec.backoffLimitPerIndex = 1;
      },
    ],
  },
  'job-active-deadline': {
    fail: [
      f => {
        delete f.objects.cronJob.spec.jobTemplate.spec.activeDeadlineSeconds;
      },
    ],
  },
  'job-ttl-after-finished': {
    fail: [
      f => {
        delete f.objects.job.spec.ttlSecondsAfterFinished;
      },
    ],
  },
  'job-restart-policy': {
    fail: [
      f => {
        delete f.objects.job.spec.template.spec.restartPolicy;
      },
      f => {
        f.objects.cronJob.spec.jobTemplate.spec.template.spec.restartPolicy =
          'Always';
      },
    ],
    pass: [
      f => {
        f.objects.job.spec.template.spec.restartPolicy = 'OnFailure';
      },
    ],
  },
  'cronjob-concurrency-policy': {
    fail: [
      f => {
        delete f.objects.cronJob.spec.concurrencyPolicy;
      },
      f => {
        f.objects.cronJob.spec.concurrencyPolicy = 'Allow';
      },
    ],
    pass: [
      f => {
        f.objects.cronJob.spec.concurrencyPolicy = 'Replace';
      },
    ],
  },
  'cronjob-starting-deadline': {
    fail: [
      f => {
        delete f.objects.cronJob.spec.startingDeadlineSeconds;
      },
    ],
  },
  'cronjob-history-limits': {
    fail: [
      f => {
        delete f.objects.cronJob.spec.failedJobsHistoryLimit;
      },
    ],
  },
};

const ids = (findings: ReturnType<typeof run>) =>
  new Set(findings.map(f => f.ruleId));

describe('policy registry', () => {
  it('has at least 40 rules with unique ids and anchors', () => {
    expect(policyRules.length).toBeGreaterThanOrEqual(40);
    const seen = new Set<string>();
    for (const rule of policyRules) {
      expect(seen.has(rule.id)).toBe(false);
      seen.add(rule.id);
      expect(rule.id).toMatch(/^[a-z0-9-]+$/);
      expect(rule.anchors.length).toBeGreaterThanOrEqual(1);
      rule.anchors.forEach(a => expect(a).toMatch(/^[a-z0-9-]+:\S+$/));
      expect(rule.appliesTo.length).toBeGreaterThan(0);
      expect(rule.description.length).toBeGreaterThan(10);
      for (const tier of ['T1', 'T2', 'T3'] as const) {
        expect(['error', 'warning', 'info', 'off']).toContain(
          rule.severity[tier],
        );
      }
    }
  });

  it('makes security and rbac rules errors from T2 and warnings at T1, unless broken', () => {
    for (const rule of policyRules.filter(r =>
      ['security', 'rbac'].includes(r.category),
    )) {
      expect([
        `${rule.id}: warning,error,error`,
        `${rule.id}: error,error,error`,
        `${rule.id}: warning,warning,warning`,
      ]).toContain(
        `${rule.id}: ${rule.severity.T1},${rule.severity.T2},${rule.severity.T3}`,
      );
      expect(rule.severity.T2).not.toBe('off');
    }
  });

  it('has a failing and a passing fixture for every rule', () => {
    expect(Object.keys(cases).sort()).toEqual(
      policyRules.map(r => r.id).sort(),
    );
  });
});

describe('policy rules', () => {
  it.each(['T1', 'T2', 'T3'] as const)(
    'the baseline package has no finding at %s',
    tier => {
      expect(run(fixture(), tier)).toEqual([]);
    },
  );

  describe.each(Object.entries(cases))('%s', (id, { fail, pass = [] }) => {
    it.each(fail.map((m, i) => [i, m] as const))(
      'failing fixture %i yields the rule',
      (_i, mutate) => {
        const findings = run(fixture(mutate));
        expect(ids(findings)).toContain(`policy/${id}`);
        const own = findings.filter(f => f.ruleId === `policy/${id}`);
        const rule = policyRules.find(r => r.id === id)!;
        for (const finding of own) {
          expect(finding.anchors).toEqual(rule.anchors);
          expect(finding.file).toMatch(/^kubernetes\/\w+\/shop\.yaml$/);
          expect(finding.objectPath).toMatch(/^[A-Za-z]+\/[a-z-]+(: \S+)?$/);
          expect(finding.message.length).toBeGreaterThan(10);
        }
      },
    );
    const passing: Array<[number, Mutation | undefined]> = [
      [-1, undefined],
      ...pass.map((m, i): [number, Mutation] => [i, m]),
    ];
    it.each(passing)(
      'passing fixture %i (-1: the baseline) does not',
      (_i, mutate) => {
        expect(ids(run(fixture(mutate)))).not.toContain(`policy/${id}`);
      },
    );
  });
});

describe('evaluatePolicies', () => {
  const rootContainer = fixture(f => {
    apiContainer(f).securityContext.runAsUser = 0;
  });
  const severityOf = (
    findings: ReturnType<typeof run>,
    id = 'policy/run-as-non-root',
  ) => findings.find(f => f.ruleId === id)?.severity;

  it('makes the same security violation a warning at T1 and an error at T2/T3', () => {
    expect(severityOf(run(rootContainer, 'T1'))).toBe('warning');
    expect(severityOf(run(rootContainer, 'T2'))).toBe('error');
    expect(severityOf(run(rootContainer, 'T3'))).toBe('error');
  });

  it('keeps broken configuration an error at every tier', () => {
    const broken = fixture(f => {
      f.objects.service.spec.selector = { app: 'nothing' };
    });
    for (const tier of ['T1', 'T2', 'T3'] as const) {
      expect(severityOf(run(broken, tier), 'policy/service-selects-pods')).toBe(
        'error',
      );
    }
  });

  it('switches tier features on from their tier', () => {
    const noPdb = fixture(f => {
      delete f.objects.pdb;
    });
    expect(severityOf(run(noPdb, 'T1'), 'policy/pdb-present')).toBeUndefined();
    expect(severityOf(run(noPdb, 'T2'), 'policy/pdb-present')).toBe('warning');
  });

  it('applies severity overrides: off, downgrade, and enabling below the tier', () => {
    const files = (f: Fixture): ManifestFile[] => [
      {
        path: 'kubernetes/prod/shop.yaml',
        environment: 'prod',
        objects: Object.values(f.objects) as KubernetesObject[],
      },
    ];
    expect(
      severityOf(
        evaluatePolicies(files(rootContainer), {
          tier: 'T3',
          severityOverrides: { 'run-as-non-root': 'off' },
        }),
      ),
    ).toBeUndefined();
    expect(
      severityOf(
        evaluatePolicies(files(rootContainer), {
          tier: 'T3',
          severityOverrides: { 'policy/run-as-non-root': 'info' },
        }),
      ),
    ).toBe('info');
    const noPdb = fixture(f => {
      delete f.objects.pdb;
    });
    expect(
      severityOf(
        evaluatePolicies(files(noPdb), {
          tier: 'T1',
          severityOverrides: { 'pdb-present': 'error' },
        }),
        'policy/pdb-present',
      ),
    ).toBe('error');
  });

  it('shapes findings: ruleId, file, Kind/name: path, anchors', () => {
    const finding = run(rootContainer).find(
      f => f.ruleId === 'policy/run-as-non-root',
    );
    expect(finding).toEqual({
      ruleId: 'policy/run-as-non-root',
      severity: 'error',
      file: 'kubernetes/prod/shop.yaml',
      objectPath:
        'Deployment/api: spec.template.spec.containers[0].securityContext.runAsUser',
      message: expect.stringContaining('container "api" runs as root'),
      anchors: [
        'kube-linter:run-as-non-root',
        'polaris:runAsRootAllowed',
        'kube-score:container-security-context-user-group-id',
      ],
    });
  });

  it('finds CronJob and Rollout Pod templates', () => {
    const f = fixture(x => {
      x.objects.cronJob.spec.jobTemplate.spec.template.spec.hostPID = true;
      x.extra.push({
        apiVersion: 'argoproj.io/v1alpha1',
        kind: 'Rollout',
        metadata: meta('web'),
        spec: {
          selector: { matchLabels: { app: 'web' } },
          template: {
            metadata: { labels: { app: 'web' } },
            spec: { hostNetwork: true, containers: [] },
          },
        },
      });
    });
    const paths = run(f)
      .filter(x =>
        ['policy/host-pid', 'policy/host-network'].includes(x.ruleId),
      )
      .map(x => x.objectPath);
    expect(paths).toEqual([
      'CronJob/report: spec.jobTemplate.spec.template.spec.hostPID',
      'Rollout/web: spec.template.spec.hostNetwork',
    ]);
  });

  it('honours ignore-check annotations with a reason', () => {
    const ignored = (value: string) =>
      fixture(f => {
        f.objects.deployment.metadata.annotations = {
          'ignore-check.cloud-native.backstage.io/host-network': value,
          'ignore-check.kube-linter.io/host-pid': 'node exporter',
        };
        api(f).hostNetwork = true;
        api(f).hostPID = true;
      });
    expect(ids(run(ignored('node agent')))).not.toContain(
      'policy/host-network',
    );
    expect(ids(run(ignored('node agent')))).not.toContain('policy/host-pid');
    // An empty reason is not a reason.
    expect(ids(run(ignored(' ')))).toContain('policy/host-network');
  });

  it('tolerates objects without metadata or spec', () => {
    const findings = evaluatePolicies(
      [
        {
          path: 'kubernetes/prod/kustomization.yaml',
          environment: 'prod',
          objects: [
            {
              apiVersion: 'kustomize.config.k8s.io/v1beta1',
              kind: 'Kustomization',
            } as unknown as KubernetesObject,
            { apiVersion: 'apps/v1', kind: 'Deployment' } as KubernetesObject,
            { apiVersion: 'v1', kind: 'Service' } as KubernetesObject,
          ],
        },
      ],
      { tier: 'T3' },
    );
    expect(findings.every(f => typeof f.message === 'string')).toBe(true);
  });
});

describe('robustness', () => {
  it('does not throw on malformed objects of any kind', () => {
    const kinds = [...new Set(policyRules.flatMap(r => r.appliesTo))];
    const garbage = [
      'x',
      5,
      null,
      [],
      { template: 'x', selector: 'x', ports: 'x', rules: 'x' },
    ];
    for (const value of garbage) {
      const objects = kinds.map(
        kind =>
          ({
            apiVersion: 'v1',
            kind,
            metadata: { name: 'x', labels: value, annotations: value },
            spec: value,
            rules: value,
            data: value,
            subjects: value,
            roleRef: value,
          } as unknown as KubernetesObject),
      );
      expect(() =>
        evaluatePolicies([{ path: 'k.yaml', environment: 'prod', objects }], {
          tier: 'T3',
        }),
      ).not.toThrow();
    }
  });
});

describe('helpers', () => {
  it('parses quantities', () => {
    expect(parseQuantity('500m')).toBeCloseTo(0.5);
    expect(parseQuantity('2')).toBe(2);
    expect(parseQuantity(0.25)).toBe(0.25);
    expect(parseQuantity('1Gi')).toBe(2 ** 30);
    expect(parseQuantity('128M')).toBe(128e6);
    expect(parseQuantity('1e3')).toBe(1000);
    expect(parseQuantity('lots')).toBeUndefined();
  });

  it('parses image references', () => {
    expect(parseImage('nginx')).toEqual({ repository: 'nginx' });
    expect(parseImage('registry:5000/team/app:1.2')).toMatchObject({
      tag: '1.2',
    });
    expect(parseImage('registry:5000/team/app').tag).toBeUndefined();
    expect(parseImage('app@sha256:abc')).toMatchObject({
      digest: 'sha256:abc',
    });
  });
});
