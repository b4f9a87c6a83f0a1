import { asNumber, asString, isRecord as isObj } from '../../core/json';
import { KubernetesObject, ManifestFile } from '../../core/types';

/** The shared JSON guards, under the names the policy rules read. */
export { asNumber, asString, isRecord as isObj } from '../../core/json';

/** A plain JSON object (anything else reads as an empty one). */
export type Obj = Record<string, unknown>;

export function asObj(value: unknown): Obj {
  return isObj(value) ? value : {};
}

export function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

export function asStringMap(value: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, entry] of Object.entries(asObj(value))) {
    if (typeof entry === 'string') out[key] = entry;
    else if (typeof entry === 'number' || typeof entry === 'boolean') {
      out[key] = String(entry);
    }
  }
  return out;
}

/** Reads a dotted path (`spec.template.spec`) from an object. */
export function at(root: unknown, path: string): unknown {
  let current: unknown = root;
  for (const key of path.split('.')) {
    if (!isObj(current)) return undefined;
    current = current[key];
  }
  return current;
}

export function nameOf(object: KubernetesObject): string {
  return asString(asObj(object.metadata).name) ?? '(unnamed)';
}

export function namespaceOf(object: KubernetesObject): string | undefined {
  return asString(asObj(object.metadata).namespace);
}

/** Objects without a namespace take the one kustomize/kubectl gives them. */
export function sameNamespace(
  a: KubernetesObject,
  b: KubernetesObject,
): boolean {
  const left = namespaceOf(a);
  const right = namespaceOf(b);
  return left === undefined || right === undefined || left === right;
}

/** Deep equality of plain JSON data, ignoring key order. */
export function sameData(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) {
      return false;
    }
    return a.every((entry, i) => sameData(entry, b[i]));
  }
  if (isObj(a) && isObj(b)) {
    const keys = Object.keys(a);
    if (keys.length !== Object.keys(b).length) return false;
    return keys.every(key => key in b && sameData(a[key], b[key]));
  }
  return false;
}

// ---------------------------------------------------------------------------
// Label selectors

/** Does a `{ matchLabels, matchExpressions }` selector select these labels? */
export function labelSelectorMatches(
  selector: unknown,
  labels: Record<string, string>,
): boolean {
  const sel = asObj(selector);
  const matchLabels = asStringMap(sel.matchLabels);
  const expressions = asArray(sel.matchExpressions).map(asObj);
  if (Object.keys(matchLabels).length === 0 && expressions.length === 0) {
    // An empty selector selects everything.
    return true;
  }
  return (
    mapSelectorMatches(matchLabels, labels) &&
    expressions.every(expression => {
      const key = asString(expression.key) ?? '';
      const values = asArray(expression.values).map(String);
      const has = Object.prototype.hasOwnProperty.call(labels, key);
      switch (expression.operator) {
        case 'In':
          return has && values.includes(labels[key]);
        case 'NotIn':
          return !has || !values.includes(labels[key]);
        case 'Exists':
          return has;
        case 'DoesNotExist':
          return !has;
        default:
          return false;
      }
    })
  );
}

/** Does a plain `key: value` selector (Service, PDB matchLabels) match? */
export function mapSelectorMatches(
  selector: Record<string, string>,
  labels: Record<string, string>,
): boolean {
  return Object.entries(selector).every(
    ([key, value]) => labels[key] === value,
  );
}

// ---------------------------------------------------------------------------
// Workloads: objects with a Pod template

/** Kinds with a Pod template, and where it is. */
const POD_TEMPLATE: Record<string, { spec: string; labels: string }> = {
  Pod: { spec: 'spec', labels: 'metadata.labels' },
  Deployment: {
    spec: 'spec.template.spec',
    labels: 'spec.template.metadata.labels',
  },
  StatefulSet: {
    spec: 'spec.template.spec',
    labels: 'spec.template.metadata.labels',
  },
  DaemonSet: {
    spec: 'spec.template.spec',
    labels: 'spec.template.metadata.labels',
  },
  ReplicaSet: {
    spec: 'spec.template.spec',
    labels: 'spec.template.metadata.labels',
  },
  Job: {
    spec: 'spec.template.spec',
    labels: 'spec.template.metadata.labels',
  },
  CronJob: {
    spec: 'spec.jobTemplate.spec.template.spec',
    labels: 'spec.jobTemplate.spec.template.metadata.labels',
  },
  Rollout: {
    spec: 'spec.template.spec',
    labels: 'spec.template.metadata.labels',
  },
};

/** Every kind with a Pod template. */
export const WORKLOAD_KINDS = Object.keys(POD_TEMPLATE);
/** Workloads whose Pods run until stopped (not Jobs). */
export const LONG_RUNNING_KINDS = [
  'Pod',
  'Deployment',
  'StatefulSet',
  'DaemonSet',
  'ReplicaSet',
  'Rollout',
];
/** Workloads with a replica count. */
export const REPLICATED_KINDS = [
  'Deployment',
  'StatefulSet',
  'ReplicaSet',
  'Rollout',
];
export const JOB_KINDS = ['Job', 'CronJob'];

export interface ContainerRef {
  container: Obj;
  /** Path of the container inside the object */
  path: string;
  name: string;
  /** An entry of `initContainers` */
  init: boolean;
  /** An init container with `restartPolicy: Always` (native sidecar) */
  sidecar: boolean;
}

export interface Workload {
  object: KubernetesObject;
  file: ManifestFile;
  kind: string;
  name: string;
  /** The Pod spec */
  pod: Obj;
  /** Path of the Pod spec inside the object */
  podPath: string;
  /** Labels of the Pods it creates */
  podLabels: Record<string, string>;
  podLabelsPath: string;
  /** Regular containers, then init containers */
  containers: ContainerRef[];
  /** Pods run until stopped (not a Job) */
  longRunning: boolean;
}

export function toWorkload(
  object: KubernetesObject,
  file: ManifestFile,
): Workload | undefined {
  const where = POD_TEMPLATE[object.kind];
  if (!where) return undefined;
  const pod = at(object, where.spec);
  if (!isObj(pod)) return undefined; // e.g. a Rollout with a workloadRef
  const refs = (field: 'containers' | 'initContainers'): ContainerRef[] =>
    asArray(pod[field]).map((entry, i) => {
      const container = asObj(entry);
      const init = field === 'initContainers';
      return {
        container,
        path: `${where.spec}.${field}[${i}]`,
        name: asString(container.name) ?? `#${i}`,
        init,
        // A native sidecar: an init container that keeps running
        sidecar: init && container.restartPolicy === 'Always',
      };
    });
  const containers = [...refs('containers'), ...refs('initContainers')];
  return {
    object,
    file,
    kind: object.kind,
    name: nameOf(object),
    pod,
    podPath: where.spec,
    podLabels: asStringMap(at(object, where.labels)),
    podLabelsPath: where.labels,
    containers,
    longRunning:
      LONG_RUNNING_KINDS.includes(object.kind) &&
      (object.kind !== 'Pod' ||
        (asString(pod.restartPolicy) ?? 'Always') === 'Always'),
  };
}

/** Containers that run for the life of the Pod (not run-to-completion init). */
export function longRunningContainers(workload: Workload): ContainerRef[] {
  if (!workload.longRunning) return [];
  return workload.containers.filter(c => !c.init || c.sidecar);
}

/** Declared ports of a container. */
export function containerPorts(
  container: Obj,
): Array<{ name?: string; port?: number; hostPort?: number; index: number }> {
  return asArray(container.ports).map((entry, index) => {
    const port = asObj(entry);
    return {
      name: asString(port.name),
      port: asNumber(port.containerPort),
      hostPort: asNumber(port.hostPort),
      index,
    };
  });
}

// ---------------------------------------------------------------------------
// The index over one environment

export interface Located {
  object: KubernetesObject;
  file: ManifestFile;
}

/**
 * The autoscalers the index knows: where each names its target and its
 * replica bounds (KEDA's target kind defaults to Deployment, and its minimum
 * to 0; the HPA's minimum to 1).
 */
const AUTOSCALERS: ReadonlyArray<{
  kind: string;
  defaultTargetKind?: string;
  minPath: string;
  defaultMin: number;
  maxPath: string;
}> = [
  {
    kind: 'HorizontalPodAutoscaler',
    minPath: 'spec.minReplicas',
    defaultMin: 1,
    maxPath: 'spec.maxReplicas',
  },
  {
    kind: 'ScaledObject',
    defaultTargetKind: 'Deployment',
    minPath: 'spec.minReplicaCount',
    defaultMin: 0,
    maxPath: 'spec.maxReplicaCount',
  },
];

/** Every object of one environment, with the lookups cross-object rules need. */
export class ObjectIndex {
  readonly objects: Located[];
  readonly workloads: Workload[];
  private readonly byKind = new Map<string, Located[]>();

  constructor(objects: Located[]) {
    this.objects = objects;
    this.workloads = [];
    for (const located of objects) {
      const list = this.byKind.get(located.object.kind) ?? [];
      list.push(located);
      this.byKind.set(located.object.kind, list);
      const workload = toWorkload(located.object, located.file);
      if (workload) this.workloads.push(workload);
    }
  }

  ofKind(...kinds: string[]): Located[] {
    return kinds.flatMap(kind => this.byKind.get(kind) ?? []);
  }

  /** An object by kind and name in the same namespace as `near`. */
  find(
    kind: string,
    name: string,
    near: KubernetesObject,
  ): Located | undefined {
    return this.ofKind(kind).find(
      l => nameOf(l.object) === name && sameNamespace(l.object, near),
    );
  }

  workloadOf(object: KubernetesObject): Workload | undefined {
    return this.workloads.find(w => w.object === object);
  }

  /** Workloads whose Pods a selector (label selector form) selects. */
  selectedBy(selector: unknown, near: KubernetesObject): Workload[] {
    return this.workloads.filter(
      w =>
        sameNamespace(w.object, near) &&
        labelSelectorMatches(selector, w.podLabels),
    );
  }

  /** Workloads whose Pods a plain `key: value` selector selects. */
  selectedByMap(
    selector: Record<string, string>,
    near: KubernetesObject,
  ): Workload[] {
    return this.workloads.filter(
      w =>
        sameNamespace(w.object, near) &&
        mapSelectorMatches(selector, w.podLabels),
    );
  }

  /** Autoscalers (HPA, KEDA ScaledObject) that scale this workload. */
  scalersOf(workload: Workload): Array<{
    object: KubernetesObject;
    min: number;
    max?: number;
  }> {
    const out: Array<{ object: KubernetesObject; min: number; max?: number }> =
      [];
    for (const scaler of AUTOSCALERS) {
      for (const { object } of this.ofKind(scaler.kind)) {
        const ref = asObj(at(object, 'spec.scaleTargetRef'));
        if (
          (asString(ref.kind) ?? scaler.defaultTargetKind) === workload.kind &&
          ref.name === workload.name &&
          sameNamespace(object, workload.object)
        ) {
          out.push({
            object,
            min: asNumber(at(object, scaler.minPath)) ?? scaler.defaultMin,
            max: asNumber(at(object, scaler.maxPath)),
          });
        }
      }
    }
    return out;
  }

  /**
   * The fewest replicas the workload runs with: the autoscaler minimum when
   * one scales it, else `spec.replicas` (default 1). Undefined for kinds
   * without replicas.
   */
  minReplicas(workload: Workload): number | undefined {
    if (!REPLICATED_KINDS.includes(workload.kind)) return undefined;
    const scalers = this.scalersOf(workload);
    if (scalers.length > 0) return Math.min(...scalers.map(s => s.min));
    return asNumber(at(workload.object, 'spec.replicas')) ?? 1;
  }

  /** PodDisruptionBudgets that select the workload's Pods. */
  budgetsOf(workload: Workload): KubernetesObject[] {
    return this.ofKind('PodDisruptionBudget')
      .map(l => l.object)
      .filter(
        pdb =>
          sameNamespace(pdb, workload.object) &&
          isObj(at(pdb, 'spec.selector')) &&
          labelSelectorMatches(at(pdb, 'spec.selector'), workload.podLabels),
      );
  }
}

/** Environment names that mean production. */
export function isProductionEnvironment(environment: string): boolean {
  return /^(prod|production|prd|live)([-_.].*)?$/i.test(environment);
}

// ---------------------------------------------------------------------------
// Well-known non-HTTP ports and images

/** Ports of well-known protocols that are not HTTP. */
export const NON_HTTP_PORTS: Record<number, string> = {
  22: 'SSH',
  25: 'SMTP',
  53: 'DNS',
  1433: 'SQL Server',
  1521: 'Oracle',
  2181: 'ZooKeeper',
  3306: 'MySQL',
  4222: 'NATS',
  5432: 'PostgreSQL',
  5672: 'AMQP',
  6379: 'Redis',
  9042: 'Cassandra',
  9092: 'Kafka',
  9300: 'Elasticsearch transport',
  11211: 'Memcached',
  26257: 'CockroachDB',
  27017: 'MongoDB',
};

/** Images of servers that do not speak HTTP on their main port. */
export const NON_HTTP_IMAGES: Array<{ pattern: RegExp; what: string }> = [
  { pattern: /(^|\/)postgres(ql)?(:|@|$)/, what: 'PostgreSQL' },
  { pattern: /(^|\/)(mysql|mariadb)(:|@|$)/, what: 'MySQL' },
  { pattern: /(^|\/)(redis|valkey)(:|@|$)/, what: 'Redis' },
  { pattern: /(^|\/)mongo(db)?(:|@|$)/, what: 'MongoDB' },
  { pattern: /(^|\/)memcached(:|@|$)/, what: 'Memcached' },
  { pattern: /(^|\/)(cassandra|scylla)(:|@|$)/, what: 'Cassandra' },
];

/** Resolves a port (name or number) against a container's declared ports. */
export function resolveContainerPort(
  container: Obj,
  port: unknown,
): number | undefined {
  if (typeof port === 'number') return port;
  if (typeof port === 'string') {
    if (/^\d+$/.test(port)) return Number(port);
    return containerPorts(container).find(p => p.name === port)?.port;
  }
  return undefined;
}
