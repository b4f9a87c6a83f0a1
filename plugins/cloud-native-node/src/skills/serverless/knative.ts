import { DeploymentPlan } from '@internal/backstage-plugin-cloud-native-common';
import { GeneratedFile, KubernetesObject } from '../../core/types';
import { toCompatYamlDocuments as toYamlDocuments } from './yaml';
import { FunctionContext } from './context';
import { standardCron } from './cron';
import { dnsName } from './names';
import { podSecurityLabels } from '../../plan/namespace';
import { JsonObject } from './types';

const KNATIVE_DIR = 'serverless/knative';

/** The broker event functions subscribe to. */
const BROKER = 'default';

/** CloudEvents `type` each trigger filters on. */
export const EVENT_TYPES = {
  queue: 'io.cloudnative.queue.message',
  stream: 'io.cloudnative.stream.record',
  storage: 'io.cloudnative.storage.object.created',
  schedule: 'dev.knative.sources.ping',
} as const;

function labels(plan: DeploymentPlan, fn?: FunctionContext) {
  return {
    'app.kubernetes.io/part-of': plan.name,
    'app.kubernetes.io/managed-by': 'cloud-native-orchestrator',
    ...(fn ? { 'app.kubernetes.io/name': fn.name } : {}),
  };
}

function deadLetterChannel(plan: DeploymentPlan): string {
  return dnsName(`${plan.name}-dead-letter`, 63);
}

const MAX_SCALE = { T1: '10', T2: '50', T3: '100' } as const;

/**
 * An env value the kubelet passes through unchanged. In `env[].value` it
 * expands `$(NAME)` references and turns `$$` into `$`, so doubling every
 * `$` yields exactly the value the user wrote (`$(HOME)` stays literal).
 */
function kubernetesEnvLiteral(value: string): string {
  return value.replace(/\$/g, '$$$$');
}

/** The file that creates the namespace; sorts first for `kubectl apply -f`. */
const KNATIVE_NAMESPACE_FILE = `${KNATIVE_DIR}/00-namespace.yaml`;

/**
 * The functions' namespace, with the tier's Pod Security Admission level,
 * when no Kubernetes workload of the package creates it already.
 */
function knativeNamespace(plan: DeploymentPlan): KubernetesObject {
  return {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: {
      name: plan.namespace,
      labels: {
        ...labels(plan),
        ...podSecurityLabels(plan),
      },
    },
  };
}

/** The Knative Serving Service of one function. */
function knativeService(
  plan: DeploymentPlan,
  fn: FunctionContext,
): KubernetesObject {
  const memory = `${fn.memoryMB}Mi`;
  const env: JsonObject[] = [
    ...Object.entries(fn.env).map(([name, value]) => ({
      name,
      value: kubernetesEnvLiteral(value),
    })),
    ...fn.secrets.map(name => ({
      name,
      valueFrom: { secretKeyRef: { name: `${fn.name}-secrets`, key: name } },
    })),
  ];
  return {
    apiVersion: 'serving.knative.dev/v1',
    kind: 'Service',
    metadata: {
      name: fn.name,
      namespace: plan.namespace,
      labels: {
        ...labels(plan, fn),
        // only public HTTP functions get an external route
        ...(fn.public
          ? {}
          : { 'networking.knative.dev/visibility': 'cluster-local' }),
      },
    },
    spec: {
      template: {
        metadata: {
          labels: labels(plan, fn),
          annotations: {
            'autoscaling.knative.dev/class': 'kpa.autoscaling.knative.dev',
            'autoscaling.knative.dev/metric': 'concurrency',
            'autoscaling.knative.dev/target':
              fn.trigger === 'http' ? '70' : '1',
            'autoscaling.knative.dev/min-scale': plan.tier === 'T3' ? '1' : '0',
            'autoscaling.knative.dev/max-scale': MAX_SCALE[plan.tier],
          },
        },
        spec: {
          containerConcurrency: fn.trigger === 'http' ? 100 : 1,
          timeoutSeconds: fn.timeoutSeconds,
          enableServiceLinks: false,
          containers: [
            {
              name: 'function',
              image: fn.plan.image,
              ports: [{ containerPort: fn.plan.service.port ?? 8080 }],
              ...(env.length > 0 ? { env } : {}),
              resources: {
                requests: { cpu: fn.plan.service.resources.cpu, memory },
                limits: { memory },
              },
              securityContext: {
                runAsNonRoot: true,
                allowPrivilegeEscalation: false,
                readOnlyRootFilesystem: true,
                capabilities: { drop: ['ALL'] },
                seccompProfile: { type: 'RuntimeDefault' },
              },
              volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }],
            },
          ],
          volumes: [{ name: 'tmp', emptyDir: {} }],
        },
      },
    },
  };
}

/** Eventing objects of an event function: a Trigger (and a PingSource). */
function knativeEventing(
  plan: DeploymentPlan,
  fn: FunctionContext,
): KubernetesObject[] {
  if (fn.trigger === 'http') return [];
  const objects: KubernetesObject[] = [];
  const attributes: Record<string, string> = {
    type: EVENT_TYPES[fn.trigger],
  };
  if (fn.trigger === 'schedule') {
    const ping = dnsName(`${fn.name}-schedule`, 63);
    objects.push({
      apiVersion: 'sources.knative.dev/v1',
      kind: 'PingSource',
      metadata: {
        name: ping,
        namespace: plan.namespace,
        labels: labels(plan, fn),
      },
      spec: {
        schedule: standardCron(fn.schedule ?? '@daily'),
        timezone: 'UTC',
        contentType: 'application/json',
        data: JSON.stringify({ function: fn.name }),
        sink: {
          ref: {
            apiVersion: 'eventing.knative.dev/v1',
            kind: 'Broker',
            name: BROKER,
          },
        },
      },
    });
    attributes.source = `/apis/v1/namespaces/${plan.namespace}/pingsources/${ping}`;
  } else if (fn.source) {
    attributes.source = fn.source.name;
  }
  objects.push({
    apiVersion: 'eventing.knative.dev/v1',
    kind: 'Trigger',
    metadata: {
      name: dnsName(`${fn.name}-trigger`, 63),
      namespace: plan.namespace,
      labels: labels(plan, fn),
    },
    spec: {
      broker: BROKER,
      filter: { attributes },
      subscriber: {
        ref: {
          apiVersion: 'serving.knative.dev/v1',
          kind: 'Service',
          name: fn.name,
        },
      },
      delivery: delivery(plan),
    },
  });
  return objects;
}

/**
 * How Knative delivers events to a subscriber (the Broker's default and each
 * Subscription): five exponential retries, then the dead-letter Channel.
 */
function delivery(plan: DeploymentPlan) {
  return {
    retry: 5,
    backoffPolicy: 'exponential',
    backoffDelay: 'PT1S',
    deadLetterSink: {
      ref: {
        apiVersion: 'messaging.knative.dev/v1',
        kind: 'Channel',
        name: deadLetterChannel(plan),
      },
    },
  };
}

/** Every file under serverless/knative. */
export function knativeFiles(
  plan: DeploymentPlan,
  fns: ReadonlyArray<FunctionContext>,
): GeneratedFile[] {
  const files: GeneratedFile[] = [];
  // With Kubernetes workloads, their skill writes the Namespace (per
  // environment); a functions-only package needs its own.
  if (plan.services.every(s => s.runtime !== 'kubernetes')) {
    files.push({
      path: KNATIVE_NAMESPACE_FILE,
      content: toYamlDocuments([knativeNamespace(plan)]),
    });
  }
  files.push(
    ...fns.map(fn => ({
      path: `${KNATIVE_DIR}/${fn.name}.yaml`,
      content: toYamlDocuments([
        knativeService(plan, fn),
        ...knativeEventing(plan, fn),
      ]),
    })),
  );
  if (fns.some(fn => fn.trigger !== 'http')) {
    const eventing: KubernetesObject[] = [
      {
        apiVersion: 'eventing.knative.dev/v1',
        kind: 'Broker',
        metadata: {
          name: BROKER,
          namespace: plan.namespace,
          labels: labels(plan),
        },
        spec: {
          delivery: delivery(plan),
        },
      },
      {
        apiVersion: 'messaging.knative.dev/v1',
        kind: 'Channel',
        metadata: {
          name: deadLetterChannel(plan),
          namespace: plan.namespace,
          labels: labels(plan),
        },
        spec: {},
      },
    ];
    // `_` sorts before function names: apply the broker first
    files.push({
      path: `${KNATIVE_DIR}/_eventing.yaml`,
      content: toYamlDocuments(eventing),
    });
  }
  return files;
}
