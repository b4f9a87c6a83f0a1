import { explainInvalidCron } from '@internal/backstage-plugin-cloud-native-common';
import {
  formatPath,
  modelFamily,
  s,
  StrictIssue,
  StrictSchema,
} from '../../core/strict';

/**
 * Strict models of the Knative objects this skill writes
 * (`serverless/knative/*.yaml`): the Serving `Service`, and the Eventing
 * `Trigger`, `Broker`, `PingSource` and `Channel`.
 *
 * What they are: HAND-WRITTEN strict TypeScript models, built with the small
 * zod-like builder of `core/strict.ts` (`s.object`, `s.string`, ...; not
 * zod itself: this package does not depend on zod), the way the Linkerd
 * models are (`../mesh/linkerdSchemas.ts`). No `@kubernetes-models/*`
 * package ships the Knative kinds, and the kubernetes-models PodSpec is not
 * reused: the schema registry loads it asynchronously (ESM), and a Knative
 * revision does not take a full PodSpec anyway, but the restricted subset
 * below.
 *
 * Which API: the `v1` APIs of Knative Serving and Eventing 1.15 and later
 * (`serving.knative.dev/v1`, `eventing.knative.dev/v1`,
 * `sources.knative.dev/v1`, `messaging.knative.dev/v1`), transcribed from
 * - Serving: the CRD schema `config/core/300-resources/service.yaml`, the
 *   field masks of `pkg/apis/serving/fieldmask.go` (the restricted PodSpec:
 *   what Knative lets through of a Kubernetes PodSpec / Container / Volume)
 *   and the webhook rules of `pkg/apis/serving/k8s_validation.go`,
 *   `metadata_validation.go`, `v1/service_validation.go`;
 * - Eventing: `pkg/apis/eventing/v1/{trigger,broker}_types.go`,
 *   `pkg/apis/sources/v1/ping_types.go` + `ping_validation.go`,
 *   `pkg/apis/messaging/v1/channel_types.go`,
 *   `pkg/apis/duck/v1/delivery_types.go` and knative.dev/pkg
 *   `apis/duck/v1/{destination,knative_reference,source_types}.go`;
 * with the DEFAULT `config-features` of those releases: fields behind a
 * feature flag that is disabled by default (`affinity`, `nodeSelector`,
 * `tolerations`, pod `securityContext`, `initContainers`,
 * `persistentVolumeClaim`, `fieldRef`, `capabilities.add`, ...) are errors
 * naming the flag; `emptyDir` volumes (enabled by default since 1.8) and
 * `/tmp` mounts (no longer reserved since 1.13) are allowed.
 *
 * Strictness: every object is strict (an unknown field is an error with its
 * path, like zod's `.strict()`), including `metadata`; types, enums,
 * patterns and required fields are checked, plus the webhook rules a schema
 * cannot express (reserved ports, paths, env names and container names,
 * one serving port, probe handlers, volumes that must be mounted, a
 * Destination's ref/uri, ISO-8601 delivery durations, PingSource cron,
 * timezone and JSON data, the autoscaling annotations). Bounds that depend on
 * the cluster's `config-defaults` (`max-revision-timeout-seconds`, 600 by
 * default; `container-concurrency-max-limit`, 1000 by default) are not
 * checked. Eventing fields the generator does not write and whose shape is
 * not modelled here (Trigger `filters` / `brokerRef`, Channel
 * `subscribers`) are reported as unknown, like any typo: add them when the
 * generator starts using them.
 */

/** The API version of each modelled kind. */
export const KNATIVE_API_VERSIONS = {
  Service: 'serving.knative.dev/v1',
  Trigger: 'eventing.knative.dev/v1',
  Broker: 'eventing.knative.dev/v1',
  PingSource: 'sources.knative.dev/v1',
  Channel: 'messaging.knative.dev/v1',
} as const;

export type KnativeKind = keyof typeof KNATIVE_API_VERSIONS;

type Segment = string | number;
type Report = (message: string, at?: Segment[]) => void;

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_SUBDOMAIN =
  /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
/** `prefix/name` of a label or annotation key (Kubernetes qualified name) */
const QUALIFIED_NAME =
  /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
/** Kubernetes env var names (the classic rule, as kubectl documents it) */
const ENV_NAME = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;
/** A Kubernetes resource quantity (`100m`, `512Mi`, `1.5`, `1e3`) */
const QUANTITY =
  /^[+-]?(([0-9]+(\.[0-9]*)?)|(\.[0-9]+))(([KMGTPE]i)|[numkMGTPE]|([eE][+-]?(([0-9]+(\.[0-9]*)?)|(\.[0-9]+))))?$/;
/** An image reference: registry/path[:tag][@digest] */
const IMAGE =
  /^[a-z0-9]+([._-][a-z0-9]+)*(:[0-9]+)?(\/[a-z0-9]+([._-]+[a-z0-9]+)*)*(:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?(@[A-Za-z0-9]+:[A-Fa-f0-9]{6,})?$/;
/** An API version: `v1` or `group/version` */
const API_VERSION =
  /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?v[0-9]+((alpha|beta)[0-9]+)?$/;
const KIND = /^[A-Z][A-Za-z0-9]*$/;
/**
 * An ISO-8601 duration as Eventing parses it (`github.com/rickb777/date`
 * `period.Parse`): `PT1S`, `PT0.5S`, `P1D`, `PT1H30M`.
 */
const ISO_DURATION =
  /^-?P(?=\d|T\d)(\d+(\.\d+)?Y)?(\d+(\.\d+)?M)?(\d+(\.\d+)?W)?(\d+(\.\d+)?D)?(T(?=\d)(\d+(\.\d+)?H)?(\d+(\.\d+)?M)?(\d+(\.\d+)?S)?)?$/;
/** A Go duration (`time.ParseDuration`): the autoscaling windows */
const GO_DURATION = /^([0-9]+(\.[0-9]+)?(ns|us|µs|ms|s|m|h))+$/;
/** Trigger filter attribute names (eventing `validAttributeName`) */
const ATTRIBUTE_NAME = /^[a-z][a-z0-9]*$/;
/** CloudEvents extension names of `ceOverrides` */
const EXTENSION_NAME = /^[a-zA-Z0-9]+$/;
const BASE64 = /^([A-Za-z0-9+/]{4})*([A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Knative's reserved ports (queue-proxy, activator, metrics, profiling). */
const RESERVED_PORTS = [8008, 8012, 8013, 8022, 9090, 9091];
/** Env vars the queue-proxy / runtime contract sets. */
const RESERVED_ENV = ['PORT', 'K_SERVICE', 'K_CONFIGURATION', 'K_REVISION'];
/** Mount paths Knative reserves (1.13 removed /tmp and /var/log). */
const RESERVED_PATHS = ['/', '/dev', '/dev/log', '/var'];
const MAX_INT32 = 2147483647;

// --- schema helpers -------------------------------------------------------

/**
 * `inner`, then `rule` when `inner` found nothing (the zod `.superRefine`
 * equivalent): `report(message, at)` adds an issue at `path` + `at`.
 */
function refine(
  inner: StrictSchema,
  rule: (value: any, report: Report) => void,
): StrictSchema {
  return {
    expected: inner.expected,
    isOptional: inner.isOptional,
    check(value, path, issues) {
      const before = issues.length;
      inner.check(value, path, issues);
      if (issues.length > before) return;
      rule(value, (message, at = []) =>
        issues.push({ path: formatPath([...path, ...at]), message }),
      );
    },
  };
}

/** A field Knative only accepts with a feature flag (off by default). */
function featureGated(flag: string): StrictSchema {
  return {
    expected: `nothing (needs the Knative feature flag ${flag})`,
    isOptional: true,
    check(_value, path, issues) {
      issues.push({
        path: formatPath(path),
        message: `needs the Knative feature flag "${flag}" (config-features), which is disabled by default`,
      });
    },
  };
}

/** A field the API defines but rejects in a spec (status-only, ...). */
function disallowed(reason: string): StrictSchema {
  return {
    expected: 'nothing',
    isOptional: true,
    check(_value, path, issues) {
      issues.push({ path: formatPath(path), message: reason });
    },
  };
}

/** A map whose keys and values are both checked. */
function map(key: StrictSchema, value: StrictSchema): StrictSchema {
  const values = s.record(value);
  return {
    expected: values.expected,
    isOptional: false,
    check(record, path, issues) {
      values.check(record, path, issues);
      if (typeof record !== 'object' || record === null) return;
      for (const name of Object.keys(record)) {
        const problems: StrictIssue[] = [];
        key.check(name, [], problems);
        for (const problem of problems) {
          issues.push({
            path: formatPath([...path, name]),
            message: `key: ${problem.message}`,
          });
        }
      }
    },
  };
}

/** A boolean Knative accepts only as `false`. */
function onlyFalse(what: string): StrictSchema {
  return {
    expected: 'false',
    isOptional: true,
    check(value, path, issues) {
      if (value !== false) {
        issues.push({
          path: formatPath(path),
          message: `${what} can only be set to false, got ${JSON.stringify(
            value,
          )}`,
        });
      }
    },
  };
}

/** Any JSON object (the spec of a channel template: the channel's own). */
const anyObject: StrictSchema = {
  expected: 'object',
  isOptional: false,
  check(value, path, issues) {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      issues.push({ path: formatPath(path), message: 'expected an object' });
    }
  },
};

const int = (min = 0, max = MAX_INT32) => s.number({ integer: true, min, max });
const nonEmpty = s.string({ minLength: 1 });
const dnsLabel = s.string({
  pattern: DNS_LABEL,
  patternName: 'a DNS-1123 label',
  minLength: 1,
  maxLength: 63,
});
const dnsSubdomain = s.string({
  pattern: DNS_SUBDOMAIN,
  patternName: 'a DNS-1123 subdomain',
  minLength: 1,
  maxLength: 253,
});
const qualifiedName = refine(
  s.string({
    pattern: QUALIFIED_NAME,
    patternName: 'a qualified name ([prefix/]name)',
  }),
  (key: string, report) => {
    const name = key.includes('/') ? key.slice(key.indexOf('/') + 1) : key;
    if (name.length > 63) report('the name part must be at most 63 characters');
    if (key.includes('/') && key.indexOf('/') > 253) {
      report('the prefix must be at most 253 characters');
    }
  },
);
const labels = map(
  qualifiedName,
  s.string({
    pattern: LABEL_VALUE,
    patternName: 'a label value',
    maxLength: 63,
  }),
);
const annotations = map(qualifiedName, s.string());
const quantity = s.union([
  s.number({ min: 0 }),
  s.string({ pattern: QUANTITY, patternName: 'a resource quantity' }),
]);
const intOrString = s.union([int(1, 65535), nonEmpty]);
const isoDuration = s.string({
  pattern: ISO_DURATION,
  patternName: 'an ISO-8601 duration (e.g. PT1S, PT0.5S, PT1M)',
});
const stringList = s.array(s.string());

/** Object metadata of a Knative object: strict, as the generator writes it. */
function metadata(options: { labels?: StrictSchema } = {}): StrictSchema {
  return s.object({
    name: dnsLabel,
    namespace: s.optional(dnsLabel),
    labels: s.optional(options.labels ?? labels),
    annotations: s.optional(annotations),
  });
}

function resource(
  apiVersion: string,
  resourceKind: string,
  spec: StrictSchema,
  objectMetadata = metadata(),
): StrictSchema {
  return s.object({
    apiVersion: s.literal(apiVersion),
    kind: s.literal(resourceKind),
    metadata: objectMetadata,
    spec,
  });
}

// --- Serving: the restricted PodSpec ---------------------------------------

const keyToPath = s.object({
  key: nonEmpty,
  path: refine(nonEmpty, (path: string, report) => {
    if (path.startsWith('/') || path.split('/').includes('..')) {
      report('must be a relative path without ..');
    }
  }),
  mode: s.optional(int(0, 0o777)),
});

const localReference = s.object({ name: nonEmpty });

const secretKeySelector = s.object({
  name: nonEmpty,
  key: nonEmpty,
  optional: s.optional(s.boolean()),
});

const envVar = refine(
  s.object({
    name: refine(
      s.string({
        pattern: ENV_NAME,
        patternName: 'an environment variable name',
        minLength: 1,
      }),
      (name: string, report) => {
        if (RESERVED_ENV.includes(name)) {
          report(
            `"${name}" is a reserved environment variable (Knative sets it)`,
          );
        }
      },
    ),
    value: s.optional(s.string()),
    valueFrom: s.optional(
      s.object(
        {
          configMapKeyRef: s.optional(secretKeySelector),
          secretKeyRef: s.optional(secretKeySelector),
          fieldRef: featureGated('kubernetes.podspec-fieldref'),
          resourceFieldRef: featureGated('kubernetes.podspec-fieldref'),
        },
        { exactlyOneOf: [['configMapKeyRef', 'secretKeyRef']] },
      ),
    ),
  }),
  (env, report) => {
    if (env.value !== undefined && env.value !== '' && env.valueFrom) {
      report('value and valueFrom are mutually exclusive', ['valueFrom']);
    }
  },
);

const envFromSource = s.object(
  {
    prefix: s.optional(
      s.string({ pattern: ENV_NAME, patternName: 'an env var name prefix' }),
    ),
    configMapRef: s.optional(
      s.object({ name: nonEmpty, optional: s.optional(s.boolean()) }),
    ),
    secretRef: s.optional(
      s.object({ name: nonEmpty, optional: s.optional(s.boolean()) }),
    ),
  },
  { exactlyOneOf: [['configMapRef', 'secretRef']] },
);

const probe = s.object(
  {
    exec: s.optional(
      s.object({ command: s.array(s.string(), { minItems: 1 }) }),
    ),
    httpGet: s.optional(
      s.object({
        host: s.optional(s.string()),
        httpHeaders: s.optional(
          s.array(s.object({ name: nonEmpty, value: s.string() })),
        ),
        path: s.optional(s.string()),
        port: s.optional(intOrString),
        scheme: s.optional(s.enum(['HTTP', 'HTTPS'])),
      }),
    ),
    tcpSocket: s.optional(
      s.object({ host: s.optional(s.string()), port: s.optional(intOrString) }),
    ),
    grpc: s.optional(
      s.object({ port: int(1, 65535), service: s.optional(s.string()) }),
    ),
    initialDelaySeconds: s.optional(int()),
    periodSeconds: s.optional(int()),
    timeoutSeconds: s.optional(int()),
    successThreshold: s.optional(int(1)),
    failureThreshold: s.optional(int()),
  },
  { exactlyOneOf: [['exec', 'httpGet', 'tcpSocket', 'grpc']] },
);

const containerPort = s.object({
  containerPort: refine(int(1, 65535), (port: number, report) => {
    if (RESERVED_PORTS.includes(port)) {
      report(
        `port ${port} is reserved by Knative (${RESERVED_PORTS.join(', ')})`,
      );
    }
  }),
  // the name selects the protocol queue-proxy speaks to the container
  name: s.optional(s.enum(['', 'http1', 'h2c'])),
  protocol: s.optional(s.literal('TCP')),
  hostIP: disallowed('hostIP is not allowed in a Knative revision'),
  hostPort: disallowed('hostPort is not allowed in a Knative revision'),
});

const securityContext = s.object({
  allowPrivilegeEscalation: s.optional(s.boolean()),
  capabilities: s.optional(
    s.object({
      add: featureGated('kubernetes.containerspec-addcapabilities'),
      drop: s.optional(stringList),
    }),
  ),
  privileged: onlyFalse('privileged'),
  readOnlyRootFilesystem: s.optional(s.boolean()),
  runAsGroup: s.optional(int(0)),
  runAsNonRoot: s.optional(s.boolean()),
  runAsUser: s.optional(int(0)),
  seccompProfile: s.optional(
    refine(
      s.object({
        type: s.enum(['RuntimeDefault', 'Unconfined', 'Localhost']),
        localhostProfile: s.optional(nonEmpty),
      }),
      (profile, report) => {
        if ((profile.type === 'Localhost') !== !!profile.localhostProfile) {
          report(
            'localhostProfile is required for type Localhost, and only then',
            ['localhostProfile'],
          );
        }
      },
    ),
  ),
});

const volumeMount = s.object({
  name: nonEmpty,
  mountPath: refine(nonEmpty, (mountPath: string, report) => {
    const clean = mountPath.replace(/\/+$/, '') || '/';
    if (!mountPath.startsWith('/')) report('must be an absolute path');
    else if (RESERVED_PATHS.includes(clean)) {
      report(`mountPath "${clean}" is a reserved path`);
    } else if (mountPath.includes(':')) report('must not contain ":"');
  }),
  readOnly: s.optional(s.boolean()),
  subPath: s.optional(s.string()),
  mountPropagation: disallowed(
    'mountPropagation is not allowed in a Knative revision',
  ),
});

const container = s.object({
  name: s.optional(
    refine(dnsLabel, (name: string, report) => {
      if (name === 'queue-proxy') {
        report('"queue-proxy" is a reserved container name');
      }
    }),
  ),
  image: s.string({
    pattern: IMAGE,
    patternName: 'an image reference',
    minLength: 1,
  }),
  args: s.optional(stringList),
  command: s.optional(stringList),
  env: s.optional(s.array(envVar)),
  envFrom: s.optional(s.array(envFromSource)),
  imagePullPolicy: s.optional(s.enum(['Always', 'IfNotPresent', 'Never'])),
  livenessProbe: s.optional(probe),
  readinessProbe: s.optional(probe),
  startupProbe: s.optional(probe),
  ports: s.optional(s.array(containerPort)),
  resources: s.optional(
    s.object({
      limits: s.optional(map(qualifiedName, quantity)),
      requests: s.optional(map(qualifiedName, quantity)),
    }),
  ),
  securityContext: s.optional(securityContext),
  terminationMessagePath: s.optional(s.string()),
  terminationMessagePolicy: s.optional(
    s.enum(['File', 'FallbackToLogsOnError']),
  ),
  volumeMounts: s.optional(s.array(volumeMount)),
  workingDir: s.optional(s.string()),
  lifecycle: disallowed(
    'lifecycle hooks are not allowed in a Knative revision',
  ),
  stdin: disallowed('stdin is not allowed in a Knative revision'),
  stdinOnce: disallowed('stdinOnce is not allowed in a Knative revision'),
  tty: disallowed('tty is not allowed in a Knative revision'),
  volumeDevices: disallowed(
    'volumeDevices are not allowed in a Knative revision',
  ),
});

const keyedVolumeSource = (nameKey: 'name' | 'secretName') =>
  s.object({
    [nameKey]: nonEmpty,
    items: s.optional(s.array(keyToPath)),
    defaultMode: s.optional(int(0, 0o777)),
    optional: s.optional(s.boolean()),
  });

const volume = s.object(
  {
    name: dnsLabel,
    secret: s.optional(keyedVolumeSource('secretName')),
    configMap: s.optional(keyedVolumeSource('name')),
    projected: s.optional(
      s.object({
        defaultMode: s.optional(int(0, 0o777)),
        sources: s.array(
          s.object(
            {
              secret: s.optional(
                s.object({
                  name: nonEmpty,
                  items: s.optional(s.array(keyToPath)),
                  optional: s.optional(s.boolean()),
                }),
              ),
              configMap: s.optional(
                s.object({
                  name: nonEmpty,
                  items: s.optional(s.array(keyToPath)),
                  optional: s.optional(s.boolean()),
                }),
              ),
              serviceAccountToken: s.optional(
                s.object({
                  audience: s.optional(s.string()),
                  expirationSeconds: s.optional(int(600)),
                  path: nonEmpty,
                }),
              ),
              downwardAPI: disallowed(
                'downwardAPI projections are not allowed in a Knative revision',
              ),
            },
            {
              exactlyOneOf: [['secret', 'configMap', 'serviceAccountToken']],
            },
          ),
        ),
      }),
    ),
    emptyDir: s.optional(
      s.object({
        medium: s.optional(s.enum(['', 'Memory'])),
        sizeLimit: s.optional(quantity),
      }),
    ),
    persistentVolumeClaim: featureGated(
      'kubernetes.podspec-persistent-volume-claim',
    ),
    hostPath: featureGated('kubernetes.podspec-volumes-hostpath'),
  },
  { exactlyOneOf: [['secret', 'configMap', 'projected', 'emptyDir']] },
);

/** RevisionSpec: the restricted PodSpec plus Knative's own fields. */
const revisionSpec = refine(
  s.object({
    containers: s.array(container, { minItems: 1 }),
    volumes: s.optional(s.array(volume)),
    serviceAccountName: s.optional(dnsSubdomain),
    imagePullSecrets: s.optional(s.array(localReference)),
    enableServiceLinks: s.optional(s.boolean()),
    // Knative only lets it be set to false
    automountServiceAccountToken: onlyFalse('automountServiceAccountToken'),
    containerConcurrency: s.optional(int(0, Number.MAX_SAFE_INTEGER)),
    timeoutSeconds: s.optional(int(0, Number.MAX_SAFE_INTEGER)),
    responseStartTimeoutSeconds: s.optional(int(0, Number.MAX_SAFE_INTEGER)),
    idleTimeoutSeconds: s.optional(int(0, Number.MAX_SAFE_INTEGER)),
    affinity: featureGated('kubernetes.podspec-affinity'),
    dnsConfig: featureGated('kubernetes.podspec-dnsconfig'),
    dnsPolicy: featureGated('kubernetes.podspec-dnspolicy'),
    hostAliases: featureGated('kubernetes.podspec-hostaliases'),
    hostIPC: featureGated('kubernetes.podspec-hostipc'),
    hostNetwork: featureGated('kubernetes.podspec-hostnetwork'),
    hostPID: featureGated('kubernetes.podspec-hostpid'),
    initContainers: featureGated('kubernetes.podspec-init-containers'),
    nodeSelector: featureGated('kubernetes.podspec-nodeselector'),
    priorityClassName: featureGated('kubernetes.podspec-priorityclassname'),
    runtimeClassName: featureGated('kubernetes.podspec-runtimeclassname'),
    schedulerName: featureGated('kubernetes.podspec-schedulername'),
    securityContext: featureGated('kubernetes.podspec-securitycontext'),
    shareProcessNamespace: featureGated(
      'kubernetes.podspec-shareprocessnamespace',
    ),
    tolerations: featureGated('kubernetes.podspec-tolerations'),
    topologySpreadConstraints: featureGated(
      'kubernetes.podspec-topologyspreadconstraints',
    ),
  }),
  (spec, report) => checkPodSpecRules(spec, report),
);

/** The cross-field rules of `ValidatePodSpec` / `ValidateContainer`. */
function checkPodSpecRules(spec: any, report: Report): void {
  const containers: any[] = spec.containers;
  const volumes: any[] = spec.volumes ?? [];
  const volumeNames = new Set<string>();
  volumes.forEach((declared, index) => {
    if (volumeNames.has(declared.name)) {
      report(`duplicate volume name "${declared.name}"`, [
        'volumes',
        index,
        'name',
      ]);
    }
    volumeNames.add(declared.name);
  });
  const mounted = new Set<string>();
  const names = new Set<string>();
  containers.forEach((c, index) => {
    const at: Segment[] = ['containers', index];
    if (c.name !== undefined) {
      if (names.has(c.name)) {
        report(`duplicate container name "${c.name}"`, [...at, 'name']);
      }
      names.add(c.name);
    }
    const envNames = new Set<string>();
    (c.env ?? []).forEach((env: any, i: number) => {
      if (envNames.has(env.name)) {
        report(`duplicate environment variable "${env.name}"`, [
          ...at,
          'env',
          i,
          'name',
        ]);
      }
      envNames.add(env.name);
    });
    const paths = new Set<string>();
    (c.volumeMounts ?? []).forEach((mount: any, i: number) => {
      mounted.add(mount.name);
      if (!volumeNames.has(mount.name)) {
        report(`volumeMount "${mount.name}" has no matching volume`, [
          ...at,
          'volumeMounts',
          i,
          'name',
        ]);
      }
      const clean = mount.mountPath.replace(/\/+$/, '');
      if (paths.has(clean)) {
        report(`mountPath "${mount.mountPath}" must be unique`, [
          ...at,
          'volumeMounts',
          i,
          'mountPath',
        ]);
      }
      paths.add(clean);
    });
  });
  volumes.forEach((declared, index) => {
    if (!mounted.has(declared.name)) {
      report(`volume "${declared.name}" is not mounted by any container`, [
        'volumes',
        index,
        'name',
      ]);
    }
  });
  const withPorts = containers.filter(c => (c.ports ?? []).length > 0);
  if (containers.length === 1) {
    if ((containers[0].ports ?? []).length > 1) {
      report('more than one container port is set: only one is allowed', [
        'containers',
        0,
        'ports',
      ]);
    }
  } else if (
    withPorts.length !== 1 ||
    (withPorts[0].ports ?? []).length !== 1
  ) {
    report(
      'with several containers, exactly one (the serving container) must set exactly one port',
      ['containers'],
    );
  }
}

// --- Serving: the autoscaling annotations ----------------------------------

const KPA = 'kpa.autoscaling.knative.dev';
const HPA = 'hpa.autoscaling.knative.dev';

type AnnotationRule = (value: string) => string | undefined;

const nonNegativeInteger: AnnotationRule = value =>
  /^[0-9]+$/.test(value) ? undefined : 'must be a non-negative integer';
const positiveNumber: AnnotationRule = value =>
  /^[0-9]+(\.[0-9]+)?$/.test(value) && Number(value) >= 0.01
    ? undefined
    : 'must be a number of at least 0.01';
const percentage: AnnotationRule = value =>
  /^[0-9]+(\.[0-9]+)?$/.test(value) &&
  Number(value) >= 1 &&
  Number(value) <= 100
    ? undefined
    : 'must be a percentage between 1 and 100';
const goDuration: AnnotationRule = value =>
  GO_DURATION.test(value) ? undefined : 'must be a duration such as 60s or 2m';

/**
 * The `autoscaling.knative.dev/*` annotations Knative reads (with their
 * camelCase aliases). An unknown key there is silently ignored by Knative,
 * so a typo is reported here.
 */
const AUTOSCALING: Record<string, AnnotationRule> = {
  class: value =>
    [KPA, HPA].includes(value) ? undefined : `must be ${KPA} or ${HPA}`,
  metric: value =>
    /^[A-Za-z][-A-Za-z0-9_.]*$/.test(value)
      ? undefined
      : 'must be a metric name (concurrency, rps, cpu, memory, ...)',
  target: positiveNumber,
  'target-utilization-percentage': percentage,
  targetUtilizationPercentage: percentage,
  'target-burst-capacity': value =>
    /^-?[0-9]+(\.[0-9]+)?$/.test(value) && Number(value) >= -1
      ? undefined
      : 'must be -1, 0 or a positive number',
  targetBurstCapacity: value =>
    /^-?[0-9]+(\.[0-9]+)?$/.test(value) && Number(value) >= -1
      ? undefined
      : 'must be -1, 0 or a positive number',
  window: goDuration,
  'panic-window-percentage': percentage,
  panicWindowPercentage: percentage,
  'panic-threshold-percentage': value =>
    /^[0-9]+(\.[0-9]+)?$/.test(value) && Number(value) >= 110
      ? undefined
      : 'must be a percentage of at least 110',
  panicThresholdPercentage: value =>
    /^[0-9]+(\.[0-9]+)?$/.test(value) && Number(value) >= 110
      ? undefined
      : 'must be a percentage of at least 110',
  'min-scale': nonNegativeInteger,
  minScale: nonNegativeInteger,
  'max-scale': nonNegativeInteger,
  maxScale: nonNegativeInteger,
  'initial-scale': nonNegativeInteger,
  initialScale: nonNegativeInteger,
  'activation-scale': value =>
    /^[0-9]+$/.test(value) && Number(value) >= 1
      ? undefined
      : 'must be an integer of at least 1',
  'scale-down-delay': goDuration,
  'scale-to-zero-pod-retention-period': goDuration,
  'metric-aggregation-algorithm': value =>
    ['linear', 'weightedExponential'].includes(value)
      ? undefined
      : 'must be linear or weightedExponential',
};

const METRICS_BY_CLASS: Record<string, string[]> = {
  [KPA]: ['concurrency', 'rps'],
};

function checkAutoscalingAnnotations(
  annotationMap: Record<string, string>,
  report: Report,
): void {
  const prefix = 'autoscaling.knative.dev/';
  for (const [key, value] of Object.entries(annotationMap)) {
    if (!key.startsWith(prefix)) continue;
    const rule = AUTOSCALING[key.slice(prefix.length)];
    if (!rule) {
      report(
        `unknown autoscaling annotation (Knative ignores it; known: ${Object.keys(
          AUTOSCALING,
        ).join(', ')})`,
        [key],
      );
      continue;
    }
    const problem = rule(value);
    if (problem) report(`${JSON.stringify(value)} ${problem}`, [key]);
  }
  const get = (name: string, alias: string) =>
    annotationMap[`${prefix}${name}`] ?? annotationMap[`${prefix}${alias}`];
  const cls = annotationMap[`${prefix}class`] ?? KPA;
  const metric = annotationMap[`${prefix}metric`];
  const allowed = METRICS_BY_CLASS[cls];
  if (metric !== undefined && allowed && !allowed.includes(metric)) {
    report(`metric "${metric}" is not supported by ${cls} (${allowed})`, [
      `${prefix}metric`,
    ]);
  }
  const min = Number(get('min-scale', 'minScale') ?? 0);
  const max = Number(get('max-scale', 'maxScale') ?? 0);
  if (max > 0 && min > max) {
    report(`min-scale (${min}) must not exceed max-scale (${max})`, [
      `${prefix}min-scale`,
    ]);
  }
}

const revisionTemplate = s.object({
  metadata: s.optional(
    s.object({
      name: s.optional(dnsLabel),
      labels: s.optional(labels),
      annotations: s.optional(
        refine(annotations, (value, report) =>
          checkAutoscalingAnnotations(value, report),
        ),
      ),
    }),
  ),
  spec: revisionSpec,
});

const trafficTarget = refine(
  s.object({
    revisionName: s.optional(dnsLabel),
    latestRevision: s.optional(s.boolean()),
    percent: s.optional(int(0, 100)),
    tag: s.optional(dnsLabel),
    configurationName: disallowed(
      'configurationName is implied by the Service: use latestRevision or revisionName',
    ),
    url: disallowed('url is set in status only'),
  }),
  (target, report) => {
    if (!target.revisionName && target.latestRevision !== true) {
      report('set revisionName, or latestRevision: true');
    }
    if (target.revisionName && target.latestRevision === true) {
      report('latestRevision must be false when revisionName is set', [
        'latestRevision',
      ]);
    }
  },
);

const serviceLabels = refine(labels, (value, report) => {
  for (const [key, label] of Object.entries<string>(value)) {
    if (key === 'networking.knative.dev/visibility') {
      if (label !== 'cluster-local') {
        report(`must be "cluster-local", got ${JSON.stringify(label)}`, [key]);
      }
    } else if (key.startsWith('serving.knative.dev/')) {
      report('serving.knative.dev/ labels are set by Knative', [key]);
    }
  }
});

/** Service, serving.knative.dev/v1 */
const service = resource(
  KNATIVE_API_VERSIONS.Service,
  'Service',
  s.object({
    template: revisionTemplate,
    traffic: s.optional(
      refine(s.array(trafficTarget, { minItems: 1 }), (targets, report) => {
        const total = targets.reduce(
          (sum: number, t: any) => sum + (t.percent ?? 0),
          0,
        );
        if (total !== 100) {
          report(`the percents must add up to 100, got ${total}`);
        }
      }),
    ),
  }),
  metadata({ labels: serviceLabels }),
);

// --- Eventing --------------------------------------------------------------

const kReference = s.object({
  apiVersion: s.string({ pattern: API_VERSION, patternName: 'an API version' }),
  kind: s.string({ pattern: KIND, patternName: 'a kind' }),
  name: dnsSubdomain,
  namespace: s.optional(dnsLabel),
  group: featureGated('kreference-group'),
});

function isAbsoluteUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return !!url.protocol && !!url.host;
  } catch {
    return false;
  }
}

/** duckv1.Destination: a ref, an absolute uri, or a ref and a relative uri */
const destination = refine(
  s.object({
    ref: s.optional(kReference),
    uri: s.optional(nonEmpty),
    CACerts: s.optional(
      s.string({
        pattern: /-----BEGIN CERTIFICATE-----/,
        patternName: 'PEM certificates',
      }),
    ),
    audience: s.optional(nonEmpty),
  }),
  (dest, report) => {
    if (!dest.ref && dest.uri === undefined) {
      report('expected a ref or a uri, got neither');
    } else if (!dest.ref && !isAbsoluteUrl(dest.uri)) {
      report('must be an absolute URL (scheme and host) when there is no ref', [
        'uri',
      ]);
    } else if (dest.ref && dest.uri !== undefined && isAbsoluteUrl(dest.uri)) {
      report('an absolute uri is not allowed with a ref (relative only)', [
        'uri',
      ]);
    }
  },
);

/** eventing duck/v1 DeliverySpec */
const delivery = s.object({
  deadLetterSink: s.optional(destination),
  retry: s.optional(int(0)),
  backoffPolicy: s.optional(s.enum(['linear', 'exponential'])),
  backoffDelay: s.optional(isoDuration),
  timeout: s.optional(
    refine(isoDuration, (value: string, report) => {
      if (!/[1-9]/.test(value)) report('must be greater than 0');
    }),
  ),
  retryAfterMax: featureGated('delivery-retryafter'),
  format: s.optional(s.enum(['json', 'binary'])),
});

const attributeMap = map(
  s.string({
    pattern: ATTRIBUTE_NAME,
    patternName: 'a CloudEvents attribute name (lower-case letters and digits)',
  }),
  s.string(),
);

/** Trigger, eventing.knative.dev/v1 */
const trigger = resource(
  KNATIVE_API_VERSIONS.Trigger,
  'Trigger',
  s.object({
    broker: nonEmpty,
    filter: s.optional(s.object({ attributes: s.optional(attributeMap) })),
    subscriber: destination,
    delivery: s.optional(delivery),
  }),
);

/** Broker, eventing.knative.dev/v1 */
const broker = resource(
  KNATIVE_API_VERSIONS.Broker,
  'Broker',
  s.object({
    config: s.optional(kReference),
    delivery: s.optional(delivery),
  }),
);

/** Channel, messaging.knative.dev/v1 */
const channel = resource(
  KNATIVE_API_VERSIONS.Channel,
  'Channel',
  s.object({
    channelTemplate: s.optional(
      s.object({
        apiVersion: s.string({
          pattern: API_VERSION,
          patternName: 'an API version',
        }),
        kind: s.string({ pattern: KIND, patternName: 'a kind' }),
        spec: s.optional(anyObject),
      }),
    ),
    delivery: s.optional(delivery),
  }),
);

function isTimeZone(zone: string): boolean {
  try {
    return !!new Intl.DateTimeFormat('en-US', { timeZone: zone });
  } catch {
    return false;
  }
}

function isJsonObject(text: string): boolean {
  try {
    const value = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value);
  } catch {
    return false;
  }
}

/** PingSource, sources.knative.dev/v1 */
const pingSource = resource(
  KNATIVE_API_VERSIONS.PingSource,
  'PingSource',
  refine(
    s.object({
      schedule: s.optional(
        refine(s.string(), (schedule: string, report) => {
          const problem = schedule.includes('@every')
            ? 'the @every descriptor is not supported'
            : explainInvalidCron(schedule);
          if (problem) report(problem);
        }),
      ),
      timezone: s.optional(
        refine(s.string(), (zone: string, report) => {
          if (!isTimeZone(zone)) report(`unknown IANA time zone "${zone}"`);
        }),
      ),
      contentType: s.optional(s.string()),
      data: s.optional(s.string()),
      dataBase64: s.optional(
        s.string({ pattern: BASE64, patternName: 'base64' }),
      ),
      sink: destination,
      ceOverrides: s.optional(
        s.object({
          extensions: s.optional(
            map(
              s.string({
                pattern: EXTENSION_NAME,
                patternName: 'a CloudEvents extension name (letters, digits)',
              }),
              s.string(),
            ),
          ),
        }),
      ),
    }),
    (spec, report) => {
      if (spec.data && spec.dataBase64) {
        report('data and dataBase64 are mutually exclusive', ['dataBase64']);
      }
      if (
        spec.contentType === 'application/json' &&
        spec.data &&
        !isJsonObject(spec.data)
      ) {
        report('contentType is application/json: data must be a JSON object', [
          'data',
        ]);
      }
    },
  ),
);

const MODELS: Record<KnativeKind, StrictSchema> = {
  Service: service,
  Trigger: trigger,
  Broker: broker,
  PingSource: pingSource,
  Channel: channel,
};

const KNATIVE = modelFamily({
  name: 'Knative',
  group: 'knative.dev',
  models: MODELS,
  apiVersions: KNATIVE_API_VERSIONS,
});

/** True for an object of a Knative API group (`*.knative.dev`). */
export const isKnativeObject = KNATIVE.isMember;

/**
 * Validates one Knative object against the strict models above. An empty
 * array means valid; otherwise one entry per problem, by field path
 * (`spec.template.spec.containers[0].ports[0].containerPort`).
 */
export const validateKnativeObject = KNATIVE.validate;
