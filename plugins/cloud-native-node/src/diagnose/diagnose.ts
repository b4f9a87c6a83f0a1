import {
  at,
  bool,
  isRecord,
  JsonObject,
  listItems,
  num,
  records,
  shellWord,
  str,
  stringMap,
} from './guards';

/**
 * Classifies unhealthy pods (and stuck Deployments, HPAs without metrics,
 * PDBs that block drains) by the troubleshooting decision tree of
 * docs/TROUBLESHOOTING.md, from the JSON that kubectl prints.
 */

/** @public */
export type DiagnosisCategory =
  | 'scheduling'
  | 'resources'
  | 'storage'
  | 'image'
  | 'credentials'
  | 'registry'
  | 'application'
  | 'config'
  | 'memory'
  | 'volume'
  | 'network'
  | 'probe'
  | 'rollout'
  | 'metrics'
  | 'disruption';

/** @public */
export interface Diagnosis {
  /** The pod, for pod diagnoses */
  pod?: string;
  /** `deployment/<name>`, `hpa/<name>`, `pdb/<name>` for object diagnoses */
  object?: string;
  namespace: string;
  /**
   * The pod's `status.phase` (Pending, Running, Failed...), or the failing
   * condition of an object (`Progressing=False`)
   */
  phase: string;
  category: DiagnosisCategory;
  /** What kubectl shows, then what it means */
  reason: string;
  /** Status fields and events the classification is based on */
  evidence: string[];
  resolution: string;
  /** The exact command to run next, with the names of this object */
  nextCommand: string;
}

/** @public */
export interface DiagnoseExtra {
  /** `kubectl get deployments -o json` (Argo Rollouts are read too) */
  deployments?: unknown;
  /** `kubectl get hpa -o json` */
  hpas?: unknown;
  /** `kubectl get pdb -o json` */
  pdbs?: unknown;
}

// --------------------------------------------------------------------------
// Reading the JSON

interface EventInfo {
  kind: string;
  name: string;
  namespace?: string;
  type: string;
  reason: string;
  message: string;
  count: number;
  time: string;
  order: number;
}

interface Terminated {
  reason?: string;
  exitCode?: number;
  message?: string;
  finishedAt?: string;
}

interface ContainerInfo {
  name: string;
  init: boolean;
  /** A native sidecar (init container with restartPolicy Always) */
  sidecar: boolean;
  image?: string;
  ready: boolean;
  restartCount: number;
  waiting?: { reason?: string; message?: string };
  running: boolean;
  terminated?: Terminated;
  lastTerminated?: Terminated;
  memoryLimit?: string;
}

interface PodInfo {
  name?: string;
  namespace: string;
  phase: string;
  statusReason?: string;
  statusMessage?: string;
  nodeName?: string;
  labels: Record<string, string>;
  conditions: Condition[];
  containers: ContainerInfo[];
  claims: string[];
  requests: string[];
}

function eventsOf(document: unknown): EventInfo[] {
  const out: EventInfo[] = [];
  listItems(document).forEach((item, order) => {
    // core/v1 Event (kubectl get events) or events.k8s.io/v1 Event
    const target = isRecord(item.involvedObject)
      ? item.involvedObject
      : item.regarding;
    const kind = str(at(target, 'kind'));
    const name = str(at(target, 'name'));
    if (!kind || !name) return;
    const count =
      num(item.count) ??
      num(at(item, 'series', 'count')) ??
      num(item.deprecatedCount) ??
      1;
    out.push({
      kind,
      name,
      namespace:
        str(at(target, 'namespace')) ?? str(at(item, 'metadata', 'namespace')),
      type: str(item.type) ?? 'Normal',
      reason: str(item.reason) ?? '',
      message: (str(item.message) ?? str(item.note) ?? '').trim(),
      count,
      time:
        str(item.lastTimestamp) ??
        str(at(item, 'series', 'lastObservedTime')) ??
        str(item.eventTime) ??
        str(item.deprecatedLastTimestamp) ??
        str(item.firstTimestamp) ??
        '',
      order,
    });
  });
  // Oldest first; events without a time keep their order.
  return out.sort((a, b) => {
    if (a.time === b.time) return a.order - b.order;
    return a.time < b.time ? -1 : 1;
  });
}

function terminated(value: unknown): Terminated | undefined {
  if (!isRecord(value)) return undefined;
  return {
    reason: str(value.reason),
    exitCode: num(value.exitCode),
    message: str(value.message),
    finishedAt: str(value.finishedAt),
  };
}

function podInfo(item: JsonObject): PodInfo {
  const metadata = isRecord(item.metadata) ? item.metadata : {};
  const spec = isRecord(item.spec) ? item.spec : {};
  const status = isRecord(item.status) ? item.status : {};
  const specContainers = new Map<string, JsonObject>();
  const sidecars = new Set<string>();
  for (const container of records(spec.initContainers)) {
    const name = str(container.name);
    if (!name) continue;
    specContainers.set(`init:${name}`, container);
    if (container.restartPolicy === 'Always') sidecars.add(name);
  }
  for (const container of records(spec.containers)) {
    const name = str(container.name);
    if (name) specContainers.set(`main:${name}`, container);
  }
  const requests: string[] = [];
  for (const container of records(spec.containers)) {
    const req = stringMap(at(container, 'resources', 'requests'));
    const parts = Object.keys(req)
      .sort()
      .map(key => `${key} ${req[key]}`);
    if (parts.length > 0) {
      requests.push(`${str(container.name) ?? '?'}: ${parts.join(', ')}`);
    }
  }
  const containers: ContainerInfo[] = [];
  const read = (list: unknown, init: boolean) => {
    for (const cs of records(list)) {
      const name = str(cs.name) ?? '?';
      const state = isRecord(cs.state) ? cs.state : {};
      const waiting = isRecord(state.waiting) ? state.waiting : undefined;
      const specContainer = specContainers.get(
        `${init ? 'init' : 'main'}:${name}`,
      );
      containers.push({
        name,
        init,
        sidecar: init && sidecars.has(name),
        image: str(cs.image) ?? str(specContainer?.image),
        ready: bool(cs.ready) ?? false,
        restartCount: num(cs.restartCount) ?? 0,
        waiting: waiting && {
          reason: str(waiting.reason),
          message: str(waiting.message),
        },
        running: isRecord(state.running),
        terminated: terminated(state.terminated),
        lastTerminated: terminated(at(cs, 'lastState', 'terminated')),
        memoryLimit: str(at(specContainer, 'resources', 'limits', 'memory')),
      });
    }
  };
  read(status.initContainerStatuses, true);
  read(status.containerStatuses, false);
  return {
    name: str(metadata.name),
    namespace: str(metadata.namespace) ?? 'default',
    phase: str(status.phase) ?? 'Unknown',
    statusReason: str(status.reason),
    statusMessage: str(status.message),
    nodeName: str(spec.nodeName),
    labels: stringMap(metadata.labels),
    conditions: records(status.conditions).map(c => ({
      type: str(c.type) ?? '',
      status: str(c.status) ?? '',
      reason: str(c.reason),
      message: str(c.message),
    })),
    containers,
    claims: records(spec.volumes)
      .map(v => str(at(v, 'persistentVolumeClaim', 'claimName')))
      .filter((c): c is string => c !== undefined),
    requests,
  };
}

// --------------------------------------------------------------------------
// Helpers

const POD = '<pod>';

function describe(e: EventInfo): string {
  return `event ${e.type} ${e.reason}${e.count > 1 ? ` (x${e.count})` : ''}: ${
    e.message
  }`;
}

/** The latest events of an object with one of the reasons, newest last. */
function eventsFor(
  events: EventInfo[],
  kind: string,
  name: string | undefined,
  namespace: string,
  reasons?: ReadonlyArray<string>,
): EventInfo[] {
  if (!name) return [];
  return events.filter(
    e =>
      e.kind === kind &&
      e.name === name &&
      (e.namespace === undefined || e.namespace === namespace) &&
      (!reasons || reasons.includes(e.reason)),
  );
}

/** At most `limit` evidence lines, distinct messages, newest kept. */
function evidenceOf(events: EventInfo[], limit = 3): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const e of [...events].reverse()) {
    const key = `${e.reason}|${e.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(describe(e));
    if (out.length === limit) break;
  }
  return out.reverse();
}

/** The pod name for a command (the placeholder stays readable). */
function podName(pod: PodInfo): string {
  return pod.name ? shellWord(pod.name) : POD;
}

function ns(namespace: string): string {
  return shellWord(namespace);
}

function terminationText(t: Terminated): string {
  const parts = [t.reason ?? 'terminated'];
  if (t.exitCode !== undefined) parts.push(`exit code ${t.exitCode}`);
  return parts.join(', ');
}

function base(
  pod: PodInfo,
  fields: Omit<Diagnosis, 'pod' | 'namespace' | 'phase'>,
): Diagnosis {
  return {
    ...(pod.name ? { pod: pod.name } : {}),
    namespace: pod.namespace,
    phase: pod.phase,
    ...fields,
  };
}

// --------------------------------------------------------------------------
// Pending: scheduling, resources, storage

const STORAGE_PATTERN =
  /unbound (immediate )?persistentvolumeclaims|persistentvolumeclaim "[^"]*" not found|volume node affinity conflict|didn't find available persistent volumes|waiting for first consumer|pvc[^:]*is being deleted/i;
const RESOURCES_PATTERN =
  /insufficient [a-z0-9](?:[a-z0-9./-]*[a-z0-9])?|too many pods/i;

/** A status condition as kubectl reports it (Pods, Deployments, HPAs). */
interface Condition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
}

/**
 * The evidence line of a condition, `condition Type=Status (reason): message`,
 * or nothing when the object does not report it. `noReason` stands in the
 * brackets when the condition gives no reason.
 */
function conditionEvidence(
  condition: Condition | undefined,
  noReason = '',
): string[] {
  if (!condition) return [];
  const message = condition.message ? `: ${condition.message}` : '';
  return [
    `condition ${condition.type}=${condition.status} (${
      condition.reason ?? noReason
    })${message}`,
  ];
}

function unschedulable(
  pod: PodInfo,
  events: EventInfo[],
): Diagnosis | undefined {
  const condition = pod.conditions.find(c => c.type === 'PodScheduled');
  const scheduling = eventsFor(events, 'Pod', pod.name, pod.namespace, [
    'FailedScheduling',
  ]);
  const notScheduled =
    (condition?.status === 'False' &&
      (condition.reason ?? 'Unschedulable') === 'Unschedulable') ||
    (pod.phase === 'Pending' && !pod.nodeName && scheduling.length > 0);
  if (!notScheduled) return undefined;
  const messages = [
    condition?.message ?? '',
    ...scheduling.map(e => e.message),
  ].filter(Boolean);
  const latest =
    scheduling[scheduling.length - 1]?.message ?? condition?.message ?? '';
  const evidence = [
    ...conditionEvidence(condition, 'no reason'),
    ...evidenceOf(scheduling),
  ];
  const text = latest || messages.join(' ');
  if (
    STORAGE_PATTERN.test(text) ||
    messages.some(m => STORAGE_PATTERN.test(m))
  ) {
    const claim = pod.claims[0];
    return base(pod, {
      category: 'storage',
      reason: `Unschedulable: ${
        /volume node affinity conflict/i.test(text)
          ? 'the bound volume is in a zone where no node can run the pod'
          : `PersistentVolumeClaim${claim ? ` ${claim}` : ''} is not bound`
      }`,
      evidence: [
        ...evidence,
        ...(pod.claims.length > 0 ? [`claims: ${pod.claims.join(', ')}`] : []),
      ],
      resolution:
        "Check the claim and its StorageClass: the class must exist, its CSI driver/provisioner must run, and the zone must have capacity (WaitForFirstConsumer binds in the pod's zone). A volume bound in one zone pins the pod to nodes of that zone.",
      nextCommand: claim
        ? `kubectl describe pvc ${shellWord(claim)} -n ${ns(pod.namespace)}`
        : `kubectl get pvc -n ${ns(pod.namespace)}`,
    });
  }
  const insufficient = [
    ...new Set(
      (text.match(new RegExp(RESOURCES_PATTERN.source, 'gi')) ?? []).map(m =>
        m.toLowerCase(),
      ),
    ),
  ];
  if (insufficient.length > 0) {
    return base(pod, {
      category: 'resources',
      reason: `Unschedulable: ${insufficient.join(
        ', ',
      )}: the pod's requests do not fit the free capacity of any node`,
      evidence: [...evidence, ...pod.requests.map(r => `requests of ${r}`)],
      resolution:
        'Add nodes or a larger node pool (or let the cluster autoscaler/Karpenter scale), free capacity, or lower the requests if the service really needs less. Compare the requests with `kubectl describe nodes` (Allocated resources).',
      nextCommand: `kubectl describe pod ${podName(pod)} -n ${ns(
        pod.namespace,
      )}`,
    });
  }
  const what: string[] = [];
  if (/taint/i.test(text)) what.push('node taints it does not tolerate');
  if (/affinity|selector/i.test(text)) what.push('node selector or affinity');
  if (/anti-affinity/i.test(text)) what.push('pod anti-affinity');
  if (/topology spread/i.test(text)) what.push('topology spread constraints');
  if (
    /unschedulable/i.test(text) &&
    /node\(s\) were unschedulable/i.test(text)
  ) {
    what.push('cordoned nodes');
  }
  if (/free ports/i.test(text)) what.push('host ports in use');
  return base(pod, {
    category: 'scheduling',
    reason: `Unschedulable: ${
      what.length > 0 ? [...new Set(what)].join(', ') : text || 'no node fits'
    }`,
    evidence,
    resolution:
      'No node accepts the pod. Compare its tolerations, nodeSelector, affinity and topology spread with the nodes (`kubectl get nodes --show-labels`, taints, zones): add matching nodes (in more zones for a zone spread), or relax the constraint.',
    nextCommand: `kubectl describe pod ${podName(pod)} -n ${ns(pod.namespace)}`,
  });
}

// --------------------------------------------------------------------------
// Containers

const IMAGE_REASONS = new Set([
  'ImagePullBackOff',
  'ErrImagePull',
  'InvalidImageName',
  'ErrImageNeverPull',
  'RegistryUnavailable',
  'ImageInspectError',
]);
const CREDENTIALS_PATTERN =
  /unauthorized|pull access denied|authorization failed|failed to authorize|authentication required|403 forbidden|\bdenied\b|no basic auth credentials|access denied/i;
const REGISTRY_PATTERN =
  /no such host|i\/o timeout|connection refused|dial tcp|tls: |x509|network is unreachable|timeout exceeded|connection reset/i;
const TAG_PATTERN =
  /manifest unknown|not found|notfound|no matching manifest|name unknown/i;

function imageDiagnosis(
  pod: PodInfo,
  container: ContainerInfo,
  events: EventInfo[],
): Diagnosis {
  const pull = eventsFor(events, 'Pod', pod.name, pod.namespace, [
    'Failed',
    'BackOff',
    'ErrImagePull',
    'InspectFailed',
  ]).filter(
    e =>
      e.type === 'Warning' &&
      (!container.image ||
        e.message.includes(container.image) ||
        /pull|image/i.test(e.message)),
  );
  const messages = [
    container.waiting?.message ?? '',
    ...pull.map(e => e.message),
  ].join('\n');
  const waitingReason = container.waiting?.reason ?? 'ErrImagePull';
  // "Error: ErrImagePull" and back-off events repeat the status; the
  // registry's answer is in the others.
  const telling = pull.filter(
    e => e.reason !== 'BackOff' && !/^Error: /.test(e.message),
  );
  const evidence = [
    `container ${container.name}${
      container.init ? ' (init)' : ''
    }: waiting ${waitingReason}${
      container.waiting?.message ? `: ${container.waiting.message}` : ''
    }`,
    ...(container.image ? [`image ${container.image}`] : []),
    ...evidenceOf(telling.length > 0 ? telling : pull),
  ];
  const where = `${podName(pod)} -n ${ns(pod.namespace)}`;
  const field = container.init ? 'initContainers' : 'containers';
  // Credentials first: "pull access denied, repository does not exist or
  // may require authorization" also says "does not exist".
  if (CREDENTIALS_PATTERN.test(messages)) {
    return base(pod, {
      category: 'credentials',
      reason: `${waitingReason}: the registry refused the pull (no or wrong credentials)`,
      evidence,
      resolution:
        "Give the nodes read access to the registry (EKS: AmazonEC2ContainerRegistryReadOnly on the node role; GKE: roles/artifactregistry.reader for the node service account; AKS: az aks update --attach-acr) or add an imagePullSecret to the pod's ServiceAccount; check that the repository name is right.",
      nextCommand: `kubectl get pod ${where} -o jsonpath='{.spec.imagePullSecrets}{"\\n"}{.spec.serviceAccountName}{"\\n"}'`,
    });
  }
  if (REGISTRY_PATTERN.test(messages)) {
    return base(pod, {
      category: 'registry',
      reason: `${waitingReason}: the registry cannot be reached (DNS, network or TLS)`,
      evidence,
      resolution:
        'Check the registry host name in the image reference, DNS resolution from the nodes, egress (NAT, firewall, private endpoint) and the registry certificate.',
      nextCommand: `kubectl get events -n ${ns(
        pod.namespace,
      )} --field-selector involvedObject.name=${podName(pod)},reason=Failed`,
    });
  }
  let what = 'the image cannot be pulled';
  if (waitingReason === 'InvalidImageName') {
    what = 'the image reference is not valid';
  } else if (TAG_PATTERN.test(messages)) {
    what = 'the image tag (or repository) does not exist in the registry';
  }
  return base(pod, {
    category: 'image',
    reason: `${waitingReason}: ${what}`,
    evidence,
    resolution:
      'Push the image (build, scan, push) or deploy a tag that exists; compare the exact reference with the registry (`docker manifest inspect <image>`).',
    nextCommand: `kubectl get pod ${where} -o jsonpath='{.spec.${field}[?(@.name=="${container.name}")].image}'`,
  });
}

function configDiagnosis(
  pod: PodInfo,
  container: ContainerInfo,
  events: EventInfo[],
): Diagnosis {
  const message = container.waiting?.message ?? '';
  const failed = eventsFor(events, 'Pod', pod.name, pod.namespace, ['Failed']);
  const text = [message, ...failed.map(e => e.message)].join('\n');
  const namespace = ns(pod.namespace);
  let nextCommand = `kubectl describe pod ${podName(pod)} -n ${namespace}`;
  let what = 'a referenced ConfigMap or Secret (or one of its keys) is missing';
  const missingSecret = /secret "([^"]+)" not found/i.exec(text);
  const missingConfigMap = /configmap "([^"]+)" not found/i.exec(text);
  const missingKey =
    /couldn't find key (\S+) in (Secret|ConfigMap) ([^/\s]+)\/(\S+)/i.exec(
      text,
    );
  if (missingKey) {
    what = `key ${missingKey[1]} is missing in ${missingKey[2]} ${missingKey[4]}`;
    nextCommand =
      missingKey[2].toLowerCase() === 'secret'
        ? `kubectl describe secret ${shellWord(missingKey[4])} -n ${namespace}`
        : `kubectl get configmap ${shellWord(
            missingKey[4],
          )} -n ${namespace} -o yaml`;
  } else if (missingSecret) {
    what = `Secret ${missingSecret[1]} does not exist`;
    nextCommand = `kubectl get secret,externalsecret ${shellWord(
      missingSecret[1],
    )} -n ${namespace}`;
  } else if (missingConfigMap) {
    what = `ConfigMap ${missingConfigMap[1]} does not exist`;
    nextCommand = `kubectl get configmap ${shellWord(
      missingConfigMap[1],
    )} -n ${namespace}`;
  } else if (
    /executable file not found|no such file or directory|permission denied/i.test(
      text,
    )
  ) {
    what = 'the container command cannot be started';
  }
  return base(pod, {
    category: 'config',
    reason: `${
      container.waiting?.reason ?? 'CreateContainerConfigError'
    }: ${what}`,
    evidence: [
      `container ${container.name}: waiting ${container.waiting?.reason ?? ''}${
        message ? `: ${message}` : ''
      }`,
      ...evidenceOf(failed),
    ],
    resolution: missingSecret
      ? 'Create the Secret. When it comes from the External Secrets Operator, check the ExternalSecret (Ready, SecretSynced), its ClusterSecretStore and the remote keys.'
      : 'Create the missing ConfigMap/Secret or key (deploy the whole environment), or fix the reference in the pod spec.',
    nextCommand,
  });
}

const LIVENESS = /liveness probe failed|failed liveness probe/i;

function crashDiagnosis(
  pod: PodInfo,
  container: ContainerInfo,
  events: EventInfo[],
): Diagnosis {
  const last = container.lastTerminated ?? container.terminated;
  const where = `${podName(pod)} -n ${ns(pod.namespace)}`;
  const status =
    container.waiting?.reason ??
    (container.terminated ? 'Error' : 'CrashLoopBackOff');
  const evidence = [
    `container ${container.name}${
      container.init ? ' (init)' : ''
    }: ${status}, ${container.restartCount} restart(s)`,
  ];
  if (last) {
    evidence.push(
      `last terminated: ${terminationText(last)}${
        last.finishedAt ? ` at ${last.finishedAt}` : ''
      }${last.message ? `: ${last.message.trim()}` : ''}`,
    );
  }
  const probeEvents = eventsFor(events, 'Pod', pod.name, pod.namespace, [
    'Unhealthy',
    'Killing',
  ]).filter(e => LIVENESS.test(e.message));
  const logs = `kubectl logs ${where} -c ${shellWord(
    container.name,
  )} --previous`;
  if (last?.reason === 'OOMKilled') {
    return base(pod, {
      category: 'memory',
      reason: `${status}: container ${
        container.name
      } was OOMKilled (memory limit ${container.memoryLimit ?? 'unknown'})`,
      evidence: [
        ...evidence,
        ...(container.memoryLimit
          ? [`memory limit ${container.memoryLimit}`]
          : []),
      ],
      resolution:
        'The container used more memory than its limit. Raise the memory request/limit (limit = request for memory), or lower the usage (heap size below the limit for the JVM/Node.js, a leak).',
      nextCommand: `kubectl describe pod ${where}`,
    });
  }
  if (
    probeEvents.length > 0 &&
    (last?.exitCode === undefined ||
      last.exitCode === 137 ||
      last.exitCode === 143 ||
      last.exitCode === 0)
  ) {
    return base(pod, {
      category: 'probe',
      reason: `${status}: the liveness probe of ${container.name} fails, so the kubelet restarts it`,
      evidence: [...evidence, ...evidenceOf(probeEvents)],
      resolution:
        'Fix the health endpoint, or give slow starts a startup probe / longer initial delay so the liveness probe does not kill a starting container.',
      nextCommand: `kubectl get events -n ${ns(
        pod.namespace,
      )} --field-selector involvedObject.name=${podName(pod)},reason=Unhealthy`,
    });
  }
  if (
    last &&
    (last.exitCode === 126 ||
      last.exitCode === 127 ||
      last.reason === 'ContainerCannotRun' ||
      last.reason === 'StartError')
  ) {
    return base(pod, {
      category: 'config',
      reason: `${status}: the command of ${
        container.name
      } cannot run (${terminationText(last)})`,
      evidence,
      resolution:
        'The entrypoint or command is missing or not executable in the image (exit 126/127): fix the command/args or the image.',
      nextCommand: `kubectl describe pod ${where}`,
    });
  }
  return base(pod, {
    category: 'application',
    reason: `${status}: container ${container.name} exits${
      last ? ` (${terminationText(last)})` : ''
    }: the application fails at start`,
    evidence,
    resolution:
      'Read the logs of the crashed container: a configuration error, a missing environment variable or Secret value, an unreachable dependency. Fix the application or its configuration.',
    nextCommand: logs,
  });
}

const SANDBOX = ['FailedCreatePodSandBox', 'FailedKillPodSandBox'];
const MOUNT = ['FailedMount', 'FailedAttachVolume', 'FailedMapVolume'];

function creatingDiagnosis(pod: PodInfo, events: EventInfo[]): Diagnosis {
  const mount = eventsFor(events, 'Pod', pod.name, pod.namespace, MOUNT);
  const sandbox = eventsFor(events, 'Pod', pod.name, pod.namespace, SANDBOX);
  const where = `${podName(pod)} -n ${ns(pod.namespace)}`;
  const latestMount = mount[mount.length - 1];
  const latestSandbox = sandbox[sandbox.length - 1];
  const useNetwork =
    latestSandbox !== undefined &&
    (latestMount === undefined || latestSandbox.time >= latestMount.time);
  if (useNetwork) {
    return base(pod, {
      category: 'network',
      reason: `ContainerCreating: the pod sandbox cannot be created (CNI)`,
      evidence: [
        ...(pod.nodeName ? [`node ${pod.nodeName}`] : []),
        ...evidenceOf(sandbox),
      ],
      resolution:
        'The CNI plugin of the node fails: check its pod on that node (restart it), pod IP exhaustion (subnet, ENI/prefix limits) and the node network; cordon the node if it keeps failing.',
      nextCommand: pod.nodeName
        ? `kubectl get pods -n kube-system -o wide --field-selector spec.nodeName=${shellWord(
            pod.nodeName,
          )}`
        : `kubectl describe pod ${where}`,
    });
  }
  const attach = mount.some(e => e.reason === 'FailedAttachVolume');
  return base(pod, {
    category: 'volume',
    reason: latestMount
      ? `ContainerCreating: ${
          attach
            ? 'a volume cannot be attached to the node'
            : 'a volume cannot be mounted'
        }`
      : 'ContainerCreating: stuck, no event explains it (events expire after an hour); volumes are the usual cause',
    evidence: [
      ...(pod.nodeName ? [`node ${pod.nodeName}`] : []),
      ...(pod.claims.length > 0 ? [`claims: ${pod.claims.join(', ')}`] : []),
      ...evidenceOf(mount),
    ],
    resolution: attach
      ? "The volume is still attached elsewhere (Multi-Attach) or in another zone: wait for the detach, drain/delete the old node's pod, check the CSI controller and VolumeAttachments."
      : 'Create the missing Secret/ConfigMap of a volume, or check the CSI node plugin and the PersistentVolume of the claim.',
    nextCommand: `kubectl describe pod ${where}`,
  });
}

function initWaitDiagnosis(pod: PodInfo, container: ContainerInfo): Diagnosis {
  const dependency = /^wait-for-(.+)$/.exec(container.name)?.[1];
  const logs = `kubectl logs ${podName(pod)} -n ${ns(
    pod.namespace,
  )} -c ${shellWord(container.name)}`;
  if (dependency) {
    return base(pod, {
      category: 'network',
      reason: `Init: the init container ${container.name} is still waiting for ${dependency}`,
      evidence: [
        `init container ${container.name}: running (the main containers wait for it)`,
      ],
      resolution: `The dependency ${dependency} does not answer: make it Ready first, and check that NetworkPolicies allow the call (its dependsOn).`,
      nextCommand: logs,
    });
  }
  return base(pod, {
    category: 'application',
    reason: `Init: the init container ${container.name} has not finished`,
    evidence: [`init container ${container.name}: running`],
    resolution:
      'Read its logs: it blocks the main containers until it exits 0.',
    nextCommand: logs,
  });
}

function notReadyDiagnosis(
  pod: PodInfo,
  container: ContainerInfo,
  events: EventInfo[],
): Diagnosis {
  const unhealthy = eventsFor(events, 'Pod', pod.name, pod.namespace, [
    'Unhealthy',
  ]);
  const readiness = unhealthy.filter(e => /readiness|startup/i.test(e.message));
  const ready = pod.conditions.find(c => c.type === 'Ready');
  return base(pod, {
    category: 'probe',
    reason: `Running but not ready: the ${
      readiness.some(e => /startup/i.test(e.message)) &&
      !readiness.some(e => /readiness/i.test(e.message))
        ? 'startup'
        : 'readiness'
    } probe of ${container.name} fails`,
    evidence: [
      `container ${container.name}: running, ready=false, ${container.restartCount} restart(s)`,
      ...(ready
        ? [
            `condition Ready=${ready.status}${
              ready.reason ? ` (${ready.reason})` : ''
            }${ready.message ? `: ${ready.message}` : ''}`,
          ]
        : []),
      ...evidenceOf(readiness.length > 0 ? readiness : unhealthy),
    ],
    resolution:
      'The pod gets no traffic until the probe passes: check the probe path and port against what the application serves, its dependencies, and the startup time (a startup probe for slow starts).',
    nextCommand: `kubectl get events -n ${ns(
      pod.namespace,
    )} --field-selector involvedObject.name=${podName(pod)},reason=Unhealthy`,
  });
}

function classifyPod(pod: PodInfo, events: EventInfo[]): Diagnosis | undefined {
  if (pod.phase === 'Succeeded') return undefined;
  if (pod.phase === 'Failed' && pod.statusReason === 'Evicted') {
    return base(pod, {
      category: 'resources',
      reason: `Evicted: ${
        pod.statusMessage ?? 'the node ran out of a resource'
      }`,
      evidence: [
        `status.reason Evicted${
          pod.statusMessage ? `: ${pod.statusMessage}` : ''
        }`,
        ...(pod.nodeName ? [`node ${pod.nodeName}`] : []),
      ],
      resolution:
        'The node was under pressure (memory, disk, PIDs). Set requests close to real usage, add capacity, and delete the evicted pods.',
      nextCommand: `kubectl describe node ${shellWord(
        pod.nodeName ?? '<node>',
      )}`,
    });
  }
  const scheduling = unschedulable(pod, events);
  if (scheduling) return scheduling;

  const ordered = [
    ...pod.containers.filter(c => c.init),
    ...pod.containers.filter(c => !c.init),
  ];
  for (const container of ordered) {
    const reason = container.waiting?.reason;
    if (reason && IMAGE_REASONS.has(reason)) {
      return imageDiagnosis(pod, container, events);
    }
    if (
      reason === 'CreateContainerConfigError' ||
      reason === 'CreateContainerError'
    ) {
      return configDiagnosis(pod, container, events);
    }
    const crashed =
      reason === 'CrashLoopBackOff' ||
      reason === 'RunContainerError' ||
      (container.terminated !== undefined &&
        (container.terminated.exitCode ?? 0) !== 0 &&
        (!container.init || pod.phase !== 'Running'));
    if (crashed) return crashDiagnosis(pod, container, events);
  }
  // Restarting but running right now: the last crash still tells why.
  const restarted = ordered.find(
    c => c.lastTerminated && c.restartCount > 0 && !c.ready && c.running,
  );
  const waitingCreate = ordered.find(
    c =>
      c.waiting?.reason === 'ContainerCreating' ||
      c.waiting?.reason === 'PodInitializing',
  );
  const mountOrSandbox = eventsFor(events, 'Pod', pod.name, pod.namespace, [
    ...MOUNT,
    ...SANDBOX,
  ]);
  const initRunning = pod.containers.find(
    c => c.init && !c.sidecar && c.running,
  );
  if (pod.phase === 'Pending') {
    if (initRunning) return initWaitDiagnosis(pod, initRunning);
    if (
      waitingCreate ||
      mountOrSandbox.length > 0 ||
      pod.containers.length === 0
    ) {
      if (
        pod.containers.length === 0 &&
        mountOrSandbox.length === 0 &&
        !pod.nodeName
      ) {
        return base(pod, {
          category: 'scheduling',
          reason: 'Pending: not scheduled yet, and no event says why',
          evidence: pod.conditions.map(c => `condition ${c.type}=${c.status}`),
          resolution:
            'Look at the pod events and the scheduler: a pod without a node and without FailedScheduling events may wait for the scheduler or a scheduling gate.',
          nextCommand: `kubectl describe pod ${podName(pod)} -n ${ns(
            pod.namespace,
          )}`,
        });
      }
      return creatingDiagnosis(pod, events);
    }
  }
  if (restarted && restarted.lastTerminated?.reason === 'OOMKilled') {
    return crashDiagnosis(pod, restarted, events);
  }
  const notReady = pod.containers.find(c => !c.init && c.running && !c.ready);
  if (pod.phase === 'Running' && notReady) {
    return notReadyDiagnosis(pod, notReady, events);
  }
  if (pod.phase === 'Pending') {
    return base(pod, {
      category: 'scheduling',
      reason: 'Pending: no container status explains it yet',
      evidence: pod.conditions.map(
        c =>
          `condition ${c.type}=${c.status}${c.reason ? ` (${c.reason})` : ''}`,
      ),
      resolution:
        'Read the pod events; re-run the diagnosis when the pod has container statuses.',
      nextCommand: `kubectl describe pod ${podName(pod)} -n ${ns(
        pod.namespace,
      )}`,
    });
  }
  if (pod.phase === 'Failed') {
    return base(pod, {
      category: 'application',
      reason: `Failed${pod.statusReason ? `: ${pod.statusReason}` : ''}`,
      evidence: [
        ...(pod.statusMessage ? [pod.statusMessage] : []),
        ...pod.containers
          .filter(c => c.terminated)
          .map(c => `container ${c.name}: ${terminationText(c.terminated!)}`),
      ],
      resolution: 'Read the logs of the failed containers.',
      nextCommand: `kubectl describe pod ${podName(pod)} -n ${ns(
        pod.namespace,
      )}`,
    });
  }
  return undefined;
}

// --------------------------------------------------------------------------
// Deployments, HPAs, PDBs

function conditionsOf(item: JsonObject) {
  return records(at(item, 'status', 'conditions')).map(c => ({
    type: str(c.type) ?? '',
    status: str(c.status) ?? '',
    reason: str(c.reason),
    message: str(c.message),
  }));
}

function metaOf(item: JsonObject) {
  return {
    name: str(at(item, 'metadata', 'name')),
    namespace: str(at(item, 'metadata', 'namespace')) ?? 'default',
  };
}

function matches(
  labels: Record<string, string>,
  selector: Record<string, string>,
) {
  const keys = Object.keys(selector);
  return keys.length > 0 && keys.every(k => labels[k] === selector[k]);
}

function stuckRollouts(
  document: unknown,
  pods: Array<{ pod: PodInfo; diagnosis?: Diagnosis }>,
): Diagnosis[] {
  const out: Diagnosis[] = [];
  for (const item of listItems(document)) {
    const kind = str(item.kind) ?? 'Deployment';
    const { name, namespace } = metaOf(item);
    const progressing = conditionsOf(item).find(c => c.type === 'Progressing');
    const stuck =
      progressing?.status === 'False' &&
      ['ProgressDeadlineExceeded', 'RolloutAborted'].includes(
        progressing.reason ?? '',
      );
    if (!stuck || !progressing) continue;
    const rollout = kind === 'Rollout';
    const resource = rollout ? 'rollout' : 'deployment';
    const status = isRecord(item.status) ? item.status : {};
    const counts = [
      'replicas',
      'updatedReplicas',
      'readyReplicas',
      'availableReplicas',
      'unavailableReplicas',
    ]
      .filter(key => num(status[key]) !== undefined)
      .map(key => `${key} ${num(status[key])}`);
    const replicaFailure = conditionsOf(item).find(
      c => c.type === 'ReplicaFailure' && c.status === 'True',
    );
    const selector = stringMap(at(item, 'spec', 'selector', 'matchLabels'));
    const related = pods.filter(
      p =>
        p.pod.namespace === namespace &&
        matches(p.pod.labels, selector) &&
        p.diagnosis,
    );
    const objectName = shellWord(name ?? '<name>');
    let resolution =
      'The new pods do not become available in time: check them (events, readiness), the PodDisruptionBudget and quota, room for the surge pod; or roll back.';
    if (replicaFailure) {
      resolution =
        'New pods cannot even be created (ResourceQuota, LimitRange, admission): fix that, then the rollout continues.';
    } else if (related.length > 0) {
      resolution =
        'The new pods do not become available: fix the pod diagnoses listed in the evidence, or roll back.';
    }
    out.push({
      object: `${resource}/${name ?? '<name>'}`,
      namespace,
      phase: 'Progressing=False',
      category: 'rollout',
      reason: `${progressing.reason}: the ${
        rollout ? 'Rollout' : 'Deployment'
      } stopped making progress${
        progressing.message ? ` (${progressing.message})` : ''
      }`,
      evidence: [
        ...conditionEvidence(progressing),
        ...(counts.length > 0 ? [counts.join(', ')] : []),
        ...conditionEvidence(replicaFailure),
        ...related.map(
          p =>
            `pod ${p.pod.name}: ${p.diagnosis!.category} (${
              p.diagnosis!.reason
            })`,
        ),
      ],
      resolution,
      nextCommand: rollout
        ? `kubectl argo rollouts get rollout ${objectName} -n ${ns(namespace)}`
        : `kubectl rollout status deployment/${objectName} -n ${ns(namespace)}`,
    });
  }
  return out;
}

const METRICS_FAILURES = /^Failed/;

function missingMetrics(document: unknown, events: EventInfo[]): Diagnosis[] {
  const out: Diagnosis[] = [];
  for (const item of listItems(document)) {
    const { name, namespace } = metaOf(item);
    const active = conditionsOf(item).find(c => c.type === 'ScalingActive');
    const failing = eventsFor(
      events,
      'HorizontalPodAutoscaler',
      name,
      namespace,
    ).filter(
      e => e.type === 'Warning' && /^Failed(Get|Compute)/.test(e.reason),
    );
    const inactive =
      active?.status === 'False' && METRICS_FAILURES.test(active.reason ?? '');
    if (!inactive && failing.length === 0) continue;
    const text = [active?.message ?? '', ...failing.map(e => e.message)].join(
      '\n',
    );
    const missingRequest = /missing request for (\w+)/i.exec(text);
    const metricsApi =
      /metrics\.k8s\.io|resource metrics api|unable to fetch metrics|no metrics returned|custom\.metrics|external\.metrics/i.test(
        text,
      );
    const objectName = shellWord(name ?? '<name>');
    out.push({
      object: `hpa/${name ?? '<name>'}`,
      namespace,
      phase: active
        ? `ScalingActive=${active.status}`
        : 'ScalingActive=Unknown',
      category: 'metrics',
      reason: missingRequest
        ? `${
            active?.reason ?? failing[failing.length - 1].reason
          }: a target container has no ${
            missingRequest[1]
          } request, so utilization cannot be computed`
        : `${
            active?.reason ?? failing[failing.length - 1].reason
          }: the HPA gets no metrics (TARGETS <unknown>)`,
      evidence: [...conditionEvidence(active), ...evidenceOf(failing)],
      resolution: missingRequest
        ? `Set a ${missingRequest[1]} request on every container of the target (sidecars included).`
        : 'Install or repair metrics-server (the metrics.k8s.io API); for custom or external metrics, the adapter (Prometheus Adapter, KEDA).',
      nextCommand:
        metricsApi && !missingRequest
          ? 'kubectl get apiservice v1beta1.metrics.k8s.io'
          : `kubectl describe hpa ${objectName} -n ${ns(namespace)}`,
    });
  }
  return out;
}

function blockingBudgets(document: unknown): Diagnosis[] {
  const out: Diagnosis[] = [];
  for (const item of listItems(document)) {
    const { name, namespace } = metaOf(item);
    const status = isRecord(item.status) ? item.status : {};
    const allowed = num(status.disruptionsAllowed);
    const current = num(status.currentHealthy);
    const desired = num(status.desiredHealthy);
    const expected = num(status.expectedPods);
    if (allowed !== 0 || current === undefined || desired === undefined)
      continue;
    if (current > desired || expected === 0) continue;
    const spec = isRecord(item.spec) ? item.spec : {};
    const maxUnavailable = spec.maxUnavailable;
    const minAvailable = spec.minAvailable;
    const never =
      maxUnavailable === 0 ||
      maxUnavailable === '0%' ||
      minAvailable === '100%' ||
      (typeof minAvailable === 'number' &&
        expected !== undefined &&
        minAvailable >= expected);
    const unhealthy = expected !== undefined ? expected - current : undefined;
    const objectName = shellWord(name ?? '<name>');
    out.push({
      object: `pdb/${name ?? '<name>'}`,
      namespace,
      phase: 'DisruptionAllowed=False',
      category: 'disruption',
      reason: never
        ? 'the budget never allows an eviction: node drains and upgrades block'
        : `0 disruptions allowed: ${
            unhealthy && unhealthy > 0
              ? `${unhealthy} pod(s) already unhealthy`
              : 'no healthy pod above the minimum'
          }, so node drains block`,
      evidence: [
        [
          `currentHealthy ${current}`,
          `desiredHealthy ${desired}`,
          ...(expected !== undefined ? [`expectedPods ${expected}`] : []),
          'disruptionsAllowed 0',
        ].join(', '),
        ...(minAvailable !== undefined
          ? [`spec.minAvailable ${String(minAvailable)}`]
          : []),
        ...(maxUnavailable !== undefined
          ? [`spec.maxUnavailable ${String(maxUnavailable)}`]
          : []),
      ],
      resolution: never
        ? 'Allow at least one disruption (maxUnavailable ≥ 1, or minAvailable below the replica count), or add replicas.'
        : 'Make the unhealthy pods healthy (or add replicas) before draining; do not delete the PDB to force a drain in production.',
      nextCommand: `kubectl describe pdb ${objectName} -n ${ns(namespace)}`,
    });
  }
  return out;
}

// --------------------------------------------------------------------------

/**
 * Classifies every unhealthy pod of `kubectl get pods -o json` with the
 * events of `kubectl get events -o json` (core/v1 or events.k8s.io/v1), and
 * optionally stuck Deployments/Rollouts, HPAs without metrics and PDBs that
 * block drains. One diagnosis per unhealthy pod (its most telling problem),
 * in input order, then one per object. Healthy pods give nothing.
 *
 * Accepts a List, an array, a single object or the same as JSON text;
 * anything malformed is skipped: it never throws.
 *
 * @public
 */
export function diagnosePods(
  podsJson: unknown,
  eventsJson?: unknown,
  extra?: DiagnoseExtra,
): Diagnosis[] {
  const events = eventsOf(eventsJson);
  const pods = listItems(podsJson)
    .filter(item => item.kind === undefined || item.kind === 'Pod')
    .map(item => {
      const pod = podInfo(item);
      let diagnosis: Diagnosis | undefined;
      try {
        diagnosis = classifyPod(pod, events);
      } catch {
        diagnosis = undefined;
      }
      return { pod, diagnosis };
    });
  const out: Diagnosis[] = pods
    .map(p => p.diagnosis)
    .filter((d): d is Diagnosis => d !== undefined);
  out.push(
    ...stuckRollouts(extra?.deployments, pods),
    ...missingMetrics(extra?.hpas, events),
    ...blockingBudgets(extra?.pdbs),
  );
  return out;
}
