import type { IContainer } from 'kubernetes-models/v1/Container';
import type { IPodSpec } from 'kubernetes-models/v1/PodSpec';
import type { WorkloadObjectKind } from '@internal/backstage-plugin-cloud-native-common';

/**
 * values.schema.json: a strict JSON Schema (draft-07, which both Helm 3's
 * and Helm 4's validators implement) of the values. Objects the chart owns
 * refuse unknown keys (`additionalProperties: false`), so `helm lint
 * --strict` and every install reject a typo such as `replica:` or
 * `container.livenesProbe` instead of silently ignoring it. Structures
 * that are Kubernetes API objects themselves (a probe, a NetworkPolicy
 * rule) are left open: the API server validates those.
 *
 * The schema does not depend on the plan, so a service can be added to
 * the values as long as it has the required keys.
 */

type Schema = Record<string, unknown>;

const DNS_LABEL = '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$';

/** Pod spec fields `pod` may set (the app container is rendered apart). */
const POD_FIELDS: Array<keyof IPodSpec> = [
  'activeDeadlineSeconds',
  'affinity',
  'automountServiceAccountToken',
  'dnsConfig',
  'dnsPolicy',
  'enableServiceLinks',
  'ephemeralContainers',
  'hostAliases',
  'hostIPC',
  'hostNetwork',
  'hostPID',
  'hostUsers',
  'hostname',
  'imagePullSecrets',
  'initContainers',
  'nodeName',
  'nodeSelector',
  'os',
  'overhead',
  'preemptionPolicy',
  'priority',
  'priorityClassName',
  'readinessGates',
  'resourceClaims',
  'resources',
  'restartPolicy',
  'runtimeClassName',
  'schedulerName',
  'schedulingGates',
  'securityContext',
  'setHostnameAsFQDN',
  'shareProcessNamespace',
  'subdomain',
  'terminationGracePeriodSeconds',
  'tolerations',
  'topologySpreadConstraints',
  'volumes',
];

/** Container fields `container` may set (name, image, ports, envFrom and resources have their own keys). */
const CONTAINER_FIELDS: Array<keyof IContainer> = [
  'args',
  'command',
  'env',
  'lifecycle',
  'livenessProbe',
  'readinessProbe',
  'resizePolicy',
  'restartPolicy',
  'securityContext',
  'startupProbe',
  'stdin',
  'stdinOnce',
  'terminationMessagePath',
  'terminationMessagePolicy',
  'tty',
  'volumeDevices',
  'volumeMounts',
  'workingDir',
];

const ARRAY_FIELDS = new Set<string>([
  'ephemeralContainers',
  'hostAliases',
  'imagePullSecrets',
  'initContainers',
  'readinessGates',
  'resourceClaims',
  'schedulingGates',
  'tolerations',
  'topologySpreadConstraints',
  'volumes',
  'args',
  'command',
  'env',
  'resizePolicy',
  'volumeDevices',
  'volumeMounts',
]);

function fieldsSchema(fields: string[], description: string): Schema {
  return {
    type: 'object',
    description,
    additionalProperties: false,
    properties: Object.fromEntries(
      [...fields]
        .sort()
        .map(field => [
          field,
          ARRAY_FIELDS.has(field) ? { type: 'array' } : {},
        ]),
    ),
  };
}

/**
 * An object the chart owns: it may have no keys but `properties` (so a
 * typo fails validation), and must have the `required` ones.
 */
function ownedObject(
  properties: Record<string, Schema>,
  required?: string[],
): Schema {
  return {
    type: 'object',
    additionalProperties: false,
    ...(required && { required }),
    properties,
  };
}

/** An owned object switched on and off by its required `enabled`. */
function switchable(
  properties: Record<string, Schema>,
  required: string[] = [],
): Schema {
  return ownedObject({ enabled: { type: 'boolean' }, ...properties }, [
    'enabled',
    ...required,
  ]);
}

const stringMap: Schema = {
  type: 'object',
  additionalProperties: { type: 'string' },
};
const quantity: Schema = {
  type: ['string', 'number'],
  pattern: '^[0-9]+(\\.[0-9]+)?(m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei)?$',
};
const resourceList: Schema = ownedObject({
  cpu: quantity,
  memory: quantity,
  'ephemeral-storage': quantity,
});
const intOrPercent: Schema = {
  type: ['integer', 'string'],
  pattern: '^[0-9]+%$',
};

/**
 * The workload kinds of the chart's services, in schema order (a Function
 * runs on a serverless platform, not from the chart). A Record of the
 * plan's kinds, so a new kind does not compile until it is decided here.
 */
const CHARTED_KINDS: Record<Exclude<WorkloadObjectKind, 'Function'>, true> = {
  Deployment: true,
  Rollout: true,
  StatefulSet: true,
  DaemonSet: true,
  Job: true,
  CronJob: true,
};

const serviceSchema: Schema = {
  type: 'object',
  description: 'One service of the application; the key is its name',
  additionalProperties: false,
  required: ['kind', 'component', 'image', 'resources'],
  properties: {
    kind: { enum: Object.keys(CHARTED_KINDS) },
    component: {
      type: 'string',
      minLength: 1,
      description: 'app.kubernetes.io/component',
    },
    image: ownedObject(
      {
        repository: { type: 'string', minLength: 1 },
        tag: { type: 'string', pattern: '^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$' },
        digest: { type: 'string', pattern: '^[a-z0-9]+:[a-fA-F0-9]{32,}$' },
        pullPolicy: { enum: ['Always', 'IfNotPresent', 'Never'] },
      },
      ['repository'],
    ),
    port: {
      type: 'integer',
      minimum: 1,
      maximum: 65535,
      description: 'Container port, named after the protocol',
    },
    protocol: {
      enum: ['http', 'grpc', 'tcp'],
      description:
        'What the port speaks (default http): the name of the container and Service ports, which meshes read',
    },
    replicas: { type: 'integer', minimum: 0 },
    autoscaling: switchable({
      minReplicas: { type: 'integer', minimum: 1 },
      maxReplicas: { type: 'integer', minimum: 1 },
      targetCPUUtilizationPercentage: { type: 'integer', minimum: 1 },
      targetMemoryUtilizationPercentage: { type: 'integer', minimum: 1 },
      metrics: { type: 'array', description: 'Replaces the two targets' },
      behavior: { type: 'object' },
    }),
    podDisruptionBudget: switchable({
      minAvailable: intOrPercent,
      maxUnavailable: intOrPercent,
      unhealthyPodEvictionPolicy: {
        enum: ['IfHealthyBudget', 'AlwaysAllow'],
      },
    }),
    resources: ownedObject({ requests: resourceList, limits: resourceList }),
    config: {
      ...stringMap,
      description: 'Environment variables (ConfigMap <name>-config)',
      propertyNames: { pattern: '^[A-Za-z_][A-Za-z0-9_]*$' },
    },
    secrets: {
      type: 'array',
      description: 'Secret names, synced into the Secret <name>-secrets',
      uniqueItems: true,
      items: { type: 'string', pattern: '^[A-Za-z_][A-Za-z0-9_]*$' },
    },
    service: switchable(
      {
        port: {
          type: 'integer',
          minimum: 1,
          maximum: 65535,
          description: '80 for http, the container port for grpc and tcp',
        },
        appProtocol: {
          type: 'string',
          minLength: 1,
          description:
            'appProtocol of the Service ports (kubernetes.io/h2c for grpc)',
        },
        annotations: {
          ...stringMap,
          description:
            'Annotations of the Services (Linkerd opaque ports for tcp)',
        },
      },
      ['port'],
    ),
    ingress: switchable(
      {
        host: {
          type: 'string',
          pattern:
            '^(\\*\\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$',
        },
        className: { type: 'string' },
        annotations: stringMap,
        tlsSecretName: { type: 'string', pattern: DNS_LABEL },
        servicePort: {
          type: ['integer', 'string'],
          description: 'A port number, or a port name such as use-annotation',
        },
      },
      ['host'],
    ),
    persistence: ownedObject(
      {
        size: quantity,
        storageClass: { type: 'string' },
        accessModes: {
          type: 'array',
          items: {
            enum: [
              'ReadWriteOnce',
              'ReadOnlyMany',
              'ReadWriteMany',
              'ReadWriteOncePod',
            ],
          },
        },
      },
      ['size'],
    ),
    schedule: { type: 'string', minLength: 1 },
    timeZone: { type: 'string' },
    workload: {
      type: 'object',
      description:
        'Other fields of the workload spec (strategy, revisionHistoryLimit, ...)',
    },
    job: { type: 'object', description: 'Job spec fields' },
    analysis: ownedObject({
      metrics: { type: 'array' },
      dryRun: { type: 'array' },
      measurementRetention: { type: 'array' },
    }),
    networkPolicy: ownedObject({
      policyTypes: {
        type: 'array',
        items: { enum: ['Ingress', 'Egress'] },
      },
      ingress: { type: 'array' },
      egress: { type: 'array' },
    }),
    podAnnotations: stringMap,
    pod: fieldsSchema(POD_FIELDS, 'Pod spec fields'),
    container: fieldsSchema(
      CONTAINER_FIELDS,
      'Fields of the app container besides image, port, config, secrets and resources',
    ),
  },
  allOf: [
    {
      if: {
        properties: {
          kind: { enum: ['Deployment', 'Rollout', 'StatefulSet'] },
        },
      },
      then: { required: ['replicas'] },
    },
    {
      if: { properties: { kind: { const: 'CronJob' } } },
      then: { required: ['schedule'] },
    },
  ],
};

/** The values.schema.json document. */
export function valuesSchema(chartName: string): Schema {
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    title: `Values of the ${chartName} chart`,
    type: 'object',
    additionalProperties: false,
    required: ['environment', 'externalSecrets', 'services'],
    properties: {
      global: {
        type: 'object',
        description: 'Reserved by Helm for parent charts',
      },
      environment: {
        type: 'string',
        minLength: 1,
        description: 'The cloud-native.backstage.io/environment label',
      },
      priorityClass: ownedObject(
        {
          name: { type: 'string', pattern: DNS_LABEL },
          value: { type: 'integer' },
          globalDefault: { type: 'boolean' },
          preemptionPolicy: { enum: ['PreemptLowerPriority', 'Never'] },
          description: { type: 'string' },
        },
        ['name', 'value'],
      ),
      networkPolicies: switchable({
        namespaceWide: {
          type: 'object',
          description: 'NetworkPolicy specs by policy name',
          additionalProperties: { type: 'object' },
        },
      }),
      externalSecrets: ownedObject(
        {
          refreshInterval: { type: 'string' },
          secretStoreRef: ownedObject(
            {
              kind: { enum: ['ClusterSecretStore', 'SecretStore'] },
              name: { type: 'string', minLength: 1 },
            },
            ['kind', 'name'],
          ),
          creationPolicy: { enum: ['Owner', 'Orphan', 'Merge', 'None'] },
          remoteKeyPrefix: { type: 'string' },
        },
        [
          'refreshInterval',
          'secretStoreRef',
          'creationPolicy',
          'remoteKeyPrefix',
        ],
      ),
      services: {
        type: 'object',
        propertyNames: { pattern: DNS_LABEL, maxLength: 63 },
        additionalProperties: { $ref: '#/definitions/service' },
      },
      tests: switchable({
        image: { type: 'string', minLength: 1 },
        podAnnotations: stringMap,
        meshAuthorization: {
          enum: ['istio', 'linkerd'],
          description:
            'Authorize the test pod in the mesh (which denies by default)',
        },
        resources: ownedObject({
          requests: resourceList,
          limits: resourceList,
        }),
      }),
    },
    definitions: { service: serviceSchema },
  };
}
