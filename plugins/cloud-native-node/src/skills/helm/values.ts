import { isDeepStrictEqual } from 'node:util';
import {
  DeploymentPlan,
  ServicePlan,
} from '@internal/backstage-plugin-cloud-native-common';
import { EnvironmentObjects, KubernetesObject } from '../../core/types';
import { environmentProfile, ServiceProfile } from '../../plan/profile';
import { selectorLabels, serviceLabels } from '../../plan/labels';
import { appProtocol, listenPort, portName } from '../../plan/workload';
import { sharedLabels } from '../../plan/labels';
import { MESH_NATIVE_SIDECAR_ANNOTATIONS } from '../../plan/platform';
import { scalingBehavior } from '../../plan/profile';
import { secretStoreName } from '../../plan/names';
import { workloadName } from '../../plan/names';
import { publicIngressSpec, servicePortSpec } from '../../plan/exposure';

/**
 * Values of the chart, derived from the objects of the manifest skill.
 *
 * For one environment, the manifest skill's objects are taken apart into
 * values: what people change per environment becomes a first-class key
 * (`replicas`, `autoscaling`, `podDisruptionBudget.enabled`, `resources`,
 * `image`, `ingress.host`), what the templates can compute is checked and
 * dropped (names, labels, selectors, envFrom, the config hash, Services
 * named by the Rollout strategy, the StatefulSet anti-affinity and peer
 * NetworkPolicy rules that depend on the replica count), and the rest is
 * kept as structured values under Kubernetes field names (`pod`,
 * `container`, `workload`, `job`, `networkPolicy`, `analysis`) that the
 * templates render with `toYaml`.
 *
 * Every object must be consumed and every computed part must match what
 * the templates compute: otherwise this throws, so a change of the
 * manifest skill that the chart does not follow fails loudly here (and in
 * the render tests) instead of producing a chart that deploys something
 * else.
 */

type Json = Record<string, unknown>;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Loose = any;

/** The values of one environment, complete. */
export interface ChartValues {
  environment: string;
  priorityClass?: Json;
  networkPolicies?: { enabled: boolean; namespaceWide: Record<string, Json> };
  externalSecrets: {
    refreshInterval: string;
    secretStoreRef: { kind: string; name: string };
    creationPolicy: string;
    remoteKeyPrefix: string;
  };
  services: Record<string, Json>;
  tests: Json;
}

/** The annotation of the pod template that the templates compute. */
export const CONFIG_HASH_ANNOTATION = 'cloud-native.backstage.io/config-hash';
/** Pinned image of the `helm test` Pod. */
export const TEST_IMAGE = 'busybox:1.36.1';

const REPLICATED = new Set(['Deployment', 'Rollout']);
/** app.kubernetes.io/component of the namespace-wide objects, by kind. */
const SHARED_COMPONENTS: Record<string, string> = {
  Namespace: 'namespace',
  PriorityClass: 'scheduling',
  NetworkPolicy: 'network-policy',
};
const LABEL_KEYS_OF_SHARED = [
  'app.kubernetes.io/name',
  'app.kubernetes.io/instance',
  'app.kubernetes.io/part-of',
  'app.kubernetes.io/component',
  'app.kubernetes.io/managed-by',
  'cloud-native.backstage.io/environment',
];

/** Thrown when the manifests have a shape the chart does not reproduce. */
export class ChartDerivationError extends Error {
  constructor(message: string) {
    super(`kubernetes-helm-builder: ${message}`);
    this.name = 'ChartDerivationError';
  }
}

function check(condition: boolean, message: string): asserts condition {
  if (!condition) throw new ChartDerivationError(message);
}

function same(actual: unknown, expected: unknown, what: string): void {
  check(
    isDeepStrictEqual(actual, expected),
    `${what} is ${JSON.stringify(actual)}, the chart renders ${JSON.stringify(
      expected,
    )}`,
  );
}

function clone<T>(value: T): T {
  return value === undefined ? value : JSON.parse(JSON.stringify(value));
}

/** Removes and returns a key. */
function take(record: Loose, key: string): Loose {
  const value = record?.[key];
  if (record) delete record[key];
  return value;
}

function nonEmpty<T extends object>(value: T | undefined): T | undefined {
  return value && Object.keys(value).length > 0 ? value : undefined;
}

/** `repo[:tag][@digest]` as the templates put it back together. */
export function splitImage(reference: string): {
  repository: string;
  tag?: string;
  digest?: string;
} {
  const at = reference.indexOf('@');
  const digest = at >= 0 ? reference.slice(at + 1) : undefined;
  const named = at >= 0 ? reference.slice(0, at) : reference;
  const colon = named.lastIndexOf(':');
  const hasTag = colon > named.lastIndexOf('/');
  return {
    repository: hasTag ? named.slice(0, colon) : named,
    ...(hasTag ? { tag: named.slice(colon + 1) } : {}),
    ...(digest ? { digest } : {}),
  };
}

/** The required anti-affinity the templates give a multi-replica StatefulSet. */
function statefulAntiAffinity(selector: Record<string, string>) {
  return {
    podAntiAffinity: {
      requiredDuringSchedulingIgnoredDuringExecution: [
        {
          labelSelector: { matchLabels: selector },
          topologyKey: 'kubernetes.io/hostname',
        },
      ],
    },
  };
}

function clusterIpSpec(
  servicePlan: ServicePlan,
  selector: Record<string, string>,
  port: number,
) {
  return {
    type: 'ClusterIP',
    selector,
    ports: [servicePortSpec(servicePlan, port)],
  };
}

interface ServiceContext {
  plan: DeploymentPlan;
  environment: string;
  servicePlan: ServicePlan;
  profile: ServiceProfile;
  objects: KubernetesObject[];
  consumed: Set<KubernetesObject>;
  base?: Json;
  externalSecrets: ChartValues['externalSecrets'];
}

function takeObject(
  context: ServiceContext,
  kind: string,
  name: string,
): Loose | undefined {
  const found = context.objects.find(
    o => o.kind === kind && o.metadata.name === name,
  );
  if (found) context.consumed.add(found);
  return found ? clone(found) : undefined;
}

/** Splits a pod template into podAnnotations, pod and container values. */
function podValues(
  context: ServiceContext,
  template: Loose,
  values: Json,
): void {
  const { servicePlan, plan, environment } = context;
  const name = servicePlan.name;
  const selector = selectorLabels(plan, name);
  same(
    template.metadata?.labels,
    serviceLabels(plan, servicePlan, environment),
    `${name}: pod labels`,
  );
  const annotations = { ...(template.metadata?.annotations ?? {}) };
  const hasConfig = Object.keys(servicePlan.service.env).length > 0;
  check(
    hasConfig === CONFIG_HASH_ANNOTATION in annotations,
    `${name}: config hash annotation without config (or the reverse)`,
  );
  delete annotations[CONFIG_HASH_ANNOTATION];

  const spec = template.spec;
  same(take(spec, 'serviceAccountName'), name, `${name}: serviceAccountName`);
  if (
    servicePlan.objectKind === 'StatefulSet' &&
    context.profile.replicas.min > 1
  ) {
    same(
      take(spec, 'affinity'),
      statefulAntiAffinity(selector),
      `${name}: StatefulSet anti-affinity`,
    );
  }
  const containers = take(spec, 'containers');
  check(
    Array.isArray(containers) && containers.length === 1,
    `${name}: the chart renders exactly one app container`,
  );
  const container = containers[0];
  same(take(container, 'name'), name, `${name}: container name`);
  same(take(container, 'image'), servicePlan.image, `${name}: image`);
  const pullPolicy = take(container, 'imagePullPolicy');
  const port = listenPort(servicePlan);
  same(
    take(container, 'ports'),
    port !== undefined
      ? [
          {
            name: portName(servicePlan),
            containerPort: port,
            protocol: 'TCP',
          },
        ]
      : undefined,
    `${name}: container ports`,
  );
  const envFrom = [
    ...(hasConfig ? [{ configMapRef: { name: `${name}-config` } }] : []),
    ...(servicePlan.service.secrets.length > 0
      ? [{ secretRef: { name: `${name}-secrets` } }]
      : []),
  ];
  same(
    take(container, 'envFrom'),
    envFrom.length > 0 ? envFrom : undefined,
    `${name}: envFrom`,
  );
  const resources = take(container, 'resources');
  check(resources !== undefined, `${name}: container without resources`);

  values.image = {
    ...splitImage(servicePlan.image),
    pullPolicy: pullPolicy ?? 'IfNotPresent',
  };
  values.resources = resources;
  values.podAnnotations = nonEmpty(annotations);
  values.pod = spec;
  values.container = container;
}

function autoscalingValues(context: ServiceContext, hpa: Loose): Json {
  const { profile, servicePlan } = context;
  const name = servicePlan.name;
  const range = {
    enabled: profile.autoscaling,
    minReplicas: Math.max(1, profile.replicas.min),
    maxReplicas: profile.replicas.max,
  };
  check(
    profile.autoscaling === (hpa !== undefined),
    `${name}: HorizontalPodAutoscaler ${
      hpa ? 'present' : 'absent'
    } but the profile says otherwise`,
  );
  if (!hpa) {
    const base = context.base?.autoscaling as Json | undefined;
    if (base) {
      const { enabled, minReplicas, maxReplicas, ...detail } = base;
      return { ...range, ...detail };
    }
    // Not autoscaled anywhere: what the manifest skill would write, so that
    // `autoscaling.enabled: true` gives a sensible HPA.
    return {
      ...range,
      targetCPUUtilizationPercentage: 70,
      targetMemoryUtilizationPercentage: 80,
      behavior: scalingBehavior(servicePlan.service.scaling),
    };
  }
  const spec = hpa.spec;
  same(
    take(spec, 'scaleTargetRef'),
    servicePlan.objectKind === 'Rollout'
      ? { apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', name }
      : { apiVersion: 'apps/v1', kind: 'Deployment', name },
    `${name}: HPA scaleTargetRef`,
  );
  same(take(spec, 'minReplicas'), range.minReplicas, `${name}: minReplicas`);
  same(take(spec, 'maxReplicas'), range.maxReplicas, `${name}: maxReplicas`);
  const metrics = take(spec, 'metrics');
  const behavior = take(spec, 'behavior');
  same(Object.keys(spec), [], `${name}: other HPA fields`);
  const target = (metric: Loose, resource: string) =>
    metric?.type === 'Resource' &&
    metric.resource?.name === resource &&
    isDeepStrictEqual(Object.keys(metric.resource.target), [
      'type',
      'averageUtilization',
    ]) &&
    metric.resource.target.type === 'Utilization'
      ? (metric.resource.target.averageUtilization as number)
      : undefined;
  const cpu = target(metrics?.[0], 'cpu');
  const memory = target(metrics?.[1], 'memory');
  const simple =
    Array.isArray(metrics) &&
    metrics.length === 2 &&
    cpu !== undefined &&
    memory !== undefined;
  return {
    ...range,
    ...(simple
      ? {
          targetCPUUtilizationPercentage: cpu,
          targetMemoryUtilizationPercentage: memory,
        }
      : { metrics }),
    ...(behavior ? { behavior } : {}),
  };
}

function disruptionBudgetValues(context: ServiceContext, pdb: Loose): Json {
  const { profile, servicePlan, plan } = context;
  const name = servicePlan.name;
  check(
    profile.podDisruptionBudget === (pdb !== undefined),
    `${name}: PodDisruptionBudget ${
      pdb ? 'present' : 'absent'
    } but the profile says otherwise`,
  );
  const enabled = profile.podDisruptionBudget;
  if (pdb) {
    const spec = pdb.spec;
    same(
      take(spec, 'selector'),
      { matchLabels: selectorLabels(plan, name) },
      `${name}: PDB selector`,
    );
    return { enabled, ...spec };
  }
  const base = context.base?.podDisruptionBudget as Json | undefined;
  if (base) return { ...base, enabled };
  const stateful = servicePlan.objectKind === 'StatefulSet';
  const size = profile.replicas.min;
  return {
    enabled,
    ...(stateful && size >= 3
      ? { minAvailable: Math.floor(size / 2) + 1 }
      : { maxUnavailable: 1 }),
    ...(stateful ? {} : { unhealthyPodEvictionPolicy: 'AlwaysAllow' }),
  };
}

function ingressValues(
  context: ServiceContext,
  ingress: Loose,
): Json | undefined {
  const name = context.servicePlan.name;
  if (!ingress) {
    const base = context.base?.ingress as Json | undefined;
    return base ? { ...base, enabled: false } : undefined;
  }
  const host = context.profile.host;
  check(host !== undefined, `${name}: Ingress without a public host`);
  const spec = ingress.spec;
  const port = spec.rules?.[0]?.http?.paths?.[0]?.backend?.service?.port;
  const servicePort = port?.number ?? port?.name;
  const tlsSecretName = spec.tls?.[0]?.secretName;
  const values: Json = {
    enabled: true,
    host,
    ...(spec.ingressClassName ? { className: spec.ingressClassName } : {}),
    ...(ingress.metadata.annotations
      ? { annotations: ingress.metadata.annotations }
      : {}),
    tlsSecretName,
    servicePort,
  };
  same(
    spec,
    publicIngressSpec({
      ingressClassName: spec.ingressClassName,
      host,
      tlsSecretName,
      serviceName: name,
      port:
        typeof servicePort === 'number'
          ? { number: servicePort }
          : { name: servicePort },
    }),
    `${name}: Ingress spec`,
  );
  return values;
}

/** The Services named by a Rollout strategy, as the templates find them. */
function strategyServiceNames(workload: Loose): string[] {
  const strategy = workload?.strategy;
  return [
    strategy?.blueGreen?.previewService,
    strategy?.canary?.canaryService,
  ].filter((n): n is string => typeof n === 'string');
}

/** The names and labels every part of a service's values is checked against. */
function serviceIdentity(context: ServiceContext) {
  const { servicePlan, plan, environment } = context;
  return {
    name: servicePlan.name,
    kind: servicePlan.objectKind,
    selector: selectorLabels(plan, servicePlan.name),
    labels: serviceLabels(plan, servicePlan, environment),
  };
}

/** The ConfigMap and the ExternalSecret of a service: its config and secrets. */
function configValues(context: ServiceContext, values: Json): void {
  const { name } = serviceIdentity(context);
  const configMap = takeObject(context, 'ConfigMap', `${name}-config`);
  if (configMap) values.config = configMap.data;
  const externalSecret = takeObject(
    context,
    'ExternalSecret',
    `${name}-secrets`,
  );
  if (externalSecret) {
    const secrets = (externalSecret.spec.data as Loose[]).map(
      d => d.secretKey as string,
    );
    const { externalSecrets } = context;
    same(
      externalSecret.spec,
      {
        refreshInterval: externalSecrets.refreshInterval,
        secretStoreRef: externalSecrets.secretStoreRef,
        target: {
          name: `${name}-secrets`,
          creationPolicy: externalSecrets.creationPolicy,
        },
        data: [...secrets].sort().map(secret => ({
          secretKey: secret,
          remoteRef: {
            key: `${externalSecrets.remoteKeyPrefix}/${name}/${secret}`,
          },
        })),
      },
      `${name}: ExternalSecret spec`,
    );
    values.secrets = secrets;
  }
}

/** The ClusterIP Service of a service and the Services of its Rollout strategy. */
function clusterServiceValues(
  context: ServiceContext,
  values: Json,
  spec: Loose,
): void {
  const { name, kind, selector } = serviceIdentity(context);
  const { servicePlan } = context;
  const clusterService = takeObject(context, 'Service', name);
  if (clusterService) {
    const port = clusterService.spec.ports?.[0]?.port;
    same(
      clusterService.spec,
      clusterIpSpec(servicePlan, selector, port),
      `${name}: Service spec`,
    );
    const annotations = clusterService.metadata.annotations;
    const app = appProtocol(servicePlan);
    values.service = {
      enabled: true,
      port,
      ...(app ? { appProtocol: app } : {}),
      ...(annotations ? { annotations } : {}),
    };
    for (const extra of kind === 'Rollout' ? strategyServiceNames(spec) : []) {
      const object = takeObject(context, 'Service', extra);
      check(object !== undefined, `${name}: the strategy names ${extra}`);
      same(
        object.spec,
        clusterIpSpec(servicePlan, selector, port),
        `${extra}: Service spec`,
      );
      same(
        object.metadata.annotations,
        annotations,
        `${extra}: Service annotations`,
      );
    }
    if (kind === 'StatefulSet') {
      const headless = takeObject(context, 'Service', `${name}-headless`);
      check(headless !== undefined, `${name}: no headless Service`);
      same(
        headless.spec,
        {
          clusterIP: 'None',
          publishNotReadyAddresses: true,
          selector,
          ports: [servicePortSpec(servicePlan, servicePlan.service.port!)],
        },
        `${name}: headless Service spec`,
      );
      same(
        headless.metadata.annotations,
        annotations,
        `${name}-headless: Service annotations`,
      );
    }
  }
}

/** The workload's own spec by kind; returns its pod template. */
function workloadSpecValues(
  context: ServiceContext,
  values: Json,
  spec: Loose,
): Loose {
  const { name, kind, selector, labels } = serviceIdentity(context);
  const { profile } = context;
  let podTemplate: Loose;
  switch (kind) {
    case 'Deployment':
    case 'Rollout':
    case 'StatefulSet':
    case 'DaemonSet': {
      const replicas = take(spec, 'replicas');
      if (
        kind === 'StatefulSet' ||
        (REPLICATED.has(kind) && !profile.autoscaling)
      ) {
        same(replicas, profile.replicas.min, `${name}: replicas`);
      } else {
        same(replicas, undefined, `${name}: replicas`);
      }
      same(
        take(spec, 'selector'),
        { matchLabels: selector },
        `${name}: selector`,
      );
      podTemplate = take(spec, 'template');
      if (kind === 'StatefulSet') {
        same(
          take(spec, 'serviceName'),
          `${name}-headless`,
          `${name}: serviceName`,
        );
        const claims = take(spec, 'volumeClaimTemplates');
        if (claims) {
          check(claims.length === 1, `${name}: one volume claim template`);
          const claim = claims[0];
          const persistence = {
            size: claim.spec?.resources?.requests?.storage,
            ...(claim.spec?.storageClassName
              ? { storageClass: claim.spec.storageClassName }
              : {}),
            accessModes: claim.spec?.accessModes,
          };
          same(
            claim,
            {
              apiVersion: 'v1',
              kind: 'PersistentVolumeClaim',
              metadata: { name: 'data', labels: selector },
              spec: {
                accessModes: persistence.accessModes,
                ...(persistence.storageClass
                  ? { storageClassName: persistence.storageClass }
                  : {}),
                resources: { requests: { storage: persistence.size } },
              },
            },
            `${name}: volume claim template`,
          );
          values.persistence = persistence;
        }
      }
      values.workload = spec;
      break;
    }
    case 'Job':
      podTemplate = take(spec, 'template');
      values.job = spec;
      break;
    case 'CronJob': {
      values.schedule = take(spec, 'schedule');
      const timeZone = take(spec, 'timeZone');
      if (timeZone !== undefined) values.timeZone = timeZone;
      const jobTemplate = take(spec, 'jobTemplate');
      same(jobTemplate.metadata, { labels }, `${name}: jobTemplate metadata`);
      podTemplate = take(jobTemplate.spec, 'template');
      values.workload = spec;
      values.job = jobTemplate.spec;
      break;
    }
    default:
      throw new ChartDerivationError(`${name}: no template for ${kind}`);
  }
  return podTemplate;
}

/** The AnalysisTemplate and the NetworkPolicy of a service. */
function analysisAndPolicyValues(context: ServiceContext, values: Json): void {
  const { name, kind, selector } = serviceIdentity(context);
  const { plan } = context;
  const { profile } = context;
  const analysis = takeObject(
    context,
    'AnalysisTemplate',
    `${name}-success-rate`,
  );
  if (analysis) {
    same(
      take(analysis.spec, 'args'),
      [{ name: 'service-name' }, { name: 'namespace', value: plan.namespace }],
      `${name}: AnalysisTemplate args`,
    );
    values.analysis = analysis.spec;
  }

  const policy = takeObject(context, 'NetworkPolicy', name);
  if (policy) {
    const policySpec = policy.spec;
    same(
      take(policySpec, 'podSelector'),
      { matchLabels: selector },
      `${name}: NetworkPolicy podSelector`,
    );
    if (kind === 'StatefulSet' && profile.replicas.min > 1) {
      // Peers of a replicated StatefulSet: the templates add these rules
      const self = { podSelector: { matchLabels: selector } };
      same(
        policySpec.ingress?.[policySpec.ingress.length - 1],
        { from: [self] },
        `${name}: NetworkPolicy peer ingress`,
      );
      same(policySpec.egress?.[0], { to: [self] }, `${name}: peer egress`);
      policySpec.ingress.pop();
      policySpec.egress.shift();
    }
    values.networkPolicy = policySpec;
  }
}

function serviceValues(context: ServiceContext): Json {
  const { servicePlan, plan, profile, environment } = context;
  const name = servicePlan.name;
  const kind = servicePlan.objectKind;
  const labels = serviceLabels(plan, servicePlan, environment);
  for (const object of context.objects) {
    same(
      object.metadata.labels,
      labels,
      `${name}: labels of ${object.kind}/${object.metadata.name}`,
    );
    check(
      object.metadata.namespace === plan.namespace,
      `${name}: ${object.kind}/${object.metadata.name} is not in ${plan.namespace}`,
    );
  }

  const values: Json = {
    kind,
    component: servicePlan.service.workload,
  };
  // Placeholders keep the key order of the file (filled in below)
  values.image = undefined;
  const port = listenPort(servicePlan);
  if (port !== undefined) {
    values.port = port;
    // http is the templates' default: HTTP services keep their values
    if (servicePlan.service.protocol !== 'http') {
      values.protocol = servicePlan.service.protocol;
    }
  }

  const serviceAccount = takeObject(context, 'ServiceAccount', name);
  check(serviceAccount !== undefined, `${name}: no ServiceAccount`);
  same(
    serviceAccount.automountServiceAccountToken,
    false,
    `${name}: ServiceAccount token`,
  );

  // The workload and its pod template
  const workload = takeObject(context, kind, workloadName(context.servicePlan));
  check(workload !== undefined, `${name}: no ${kind}`);
  const spec = workload.spec;
  if (REPLICATED.has(kind) || kind === 'StatefulSet') {
    values.replicas = profile.replicas.min;
  }
  if (REPLICATED.has(kind)) {
    values.autoscaling = autoscalingValues(
      context,
      takeObject(context, 'HorizontalPodAutoscaler', name),
    );
  }
  if (REPLICATED.has(kind) || kind === 'StatefulSet') {
    values.podDisruptionBudget = disruptionBudgetValues(
      context,
      takeObject(context, 'PodDisruptionBudget', name),
    );
  }
  values.resources = undefined;

  configValues(context, values);
  clusterServiceValues(context, values, spec);
  const ingress = ingressValues(context, takeObject(context, 'Ingress', name));
  if (ingress) values.ingress = ingress;

  const podTemplate = workloadSpecValues(context, values, spec);
  check(podTemplate !== undefined, `${name}: no pod template`);

  analysisAndPolicyValues(context, values);

  podValues(context, podTemplate, values);

  const left = context.objects.filter(o => !context.consumed.has(o));
  check(
    left.length === 0,
    `${name}: no template for ${left
      .map(o => `${o.kind}/${o.metadata.name}`)
      .join(', ')}`,
  );
  return Object.fromEntries(
    Object.entries(values).filter(([, value]) => value !== undefined),
  );
}

function testValues(plan: DeploymentPlan): Json {
  return {
    enabled: true,
    image: TEST_IMAGE,
    ...(plan.mesh !== 'none'
      ? {
          // a native sidecar proxy stops when the test ends
          podAnnotations: { ...MESH_NATIVE_SIDECAR_ANNOTATIONS[plan.mesh] },
          // the mesh denies by default: authorize the test pod
          meshAuthorization: plan.mesh,
        }
      : {}),
    resources: {
      requests: { cpu: '10m', memory: '16Mi' },
      limits: { cpu: '50m', memory: '16Mi' },
    },
  };
}

/**
 * The complete values of one environment, taken from the objects the
 * manifest skill built for it. `base` (the production values) fills in the
 * details of objects an environment does not have (the HPA behaviour of a
 * development environment without HPA), so that they do not show up as
 * differences.
 */
export function environmentValues(
  plan: DeploymentPlan,
  built: EnvironmentObjects,
  base?: ChartValues,
): ChartValues {
  const environment = built.environment;
  const profile = environmentProfile(plan, environment);
  let priorityClass: Json | undefined;
  const namespaceWide: Record<string, Json> = {};

  for (const object of built.shared) {
    const component = SHARED_COMPONENTS[object.kind] ?? 'network-policy';
    const expected = sharedLabels(plan, component, environment);
    const labels = { ...object.metadata.labels };
    for (const key of LABEL_KEYS_OF_SHARED) {
      same(labels[key], expected[key], `${object.kind} label ${key}`);
      delete labels[key];
    }
    const { apiVersion, kind, metadata, ...rest } = clone(object) as Loose;
    switch (object.kind) {
      case 'Namespace':
        // Not part of the release: namespace/<env> creates it before the
        // release is installed (a release cannot own its own namespace)
        same(object.metadata.name, plan.namespace, 'Namespace name');
        break;
      case 'PriorityClass':
        same(labels, {}, 'PriorityClass labels');
        priorityClass = { name: object.metadata.name, ...rest };
        break;
      case 'NetworkPolicy':
        same(labels, {}, 'NetworkPolicy labels');
        namespaceWide[object.metadata.name] = rest.spec;
        break;
      default:
        throw new ChartDerivationError(
          `no template for ${object.kind}/${object.metadata.name}`,
        );
    }
  }

  const externalSecrets: ChartValues['externalSecrets'] = {
    refreshInterval: '1h',
    secretStoreRef: {
      kind: 'ClusterSecretStore',
      name: secretStoreName(plan.name),
    },
    creationPolicy: 'Owner',
    remoteKeyPrefix: plan.name,
  };

  const services: Record<string, Json> = {};
  for (const group of built.services) {
    const servicePlan = plan.services.find(s => s.name === group.name)!;
    services[group.name] = serviceValues({
      plan,
      environment,
      servicePlan,
      profile: profile.services[group.name],
      objects: group.objects,
      consumed: new Set(),
      base: base?.services[group.name],
      externalSecrets,
    });
  }

  return {
    environment,
    ...(priorityClass ? { priorityClass } : {}),
    ...(plan.tierFeatures.networkPolicies
      ? { networkPolicies: { enabled: true, namespaceWide } }
      : {}),
    externalSecrets,
    services,
    tests: testValues(plan),
  };
}

function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * What `target` changes in `base`, as a Helm values override: maps are
 * merged key by key, lists and scalars replace, `null` deletes a key.
 * Undefined when nothing differs.
 */
export function valuesOverride(base: unknown, target: unknown): unknown {
  if (isRecord(base) && isRecord(target)) {
    const out: Json = {};
    for (const [key, value] of Object.entries(target)) {
      const changed = valuesOverride(base[key], value);
      if (changed !== undefined) out[key] = changed;
    }
    for (const key of Object.keys(base)) {
      if (!(key in target)) out[key] = null;
    }
    return Object.keys(out).length > 0 ? out : undefined;
  }
  return isDeepStrictEqual(base, target) ? undefined : target;
}
