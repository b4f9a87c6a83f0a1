import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type * as K8s from '@kubernetes/client-node';
import { Finding } from '@internal/backstage-plugin-cloud-native-common';
import {
  KubernetesObject,
  ManifestFile,
  ServerDryRunOptions,
} from '../core/types';
import { importEsm } from './schema/esmLoader';
import { KUBERNETES_BUILTIN_GROUPS } from './builtinGroups';
import { compareStrings } from '../core/collections';

/**
 * Optional server-side dry run: every object of a package is sent to a
 * configured cluster as a server-side apply with `dryRun=All`, so the API
 * server runs its whole admission chain (defaulting, schema and CRD
 * validation, admission webhooks, quota) and persists nothing.
 *
 * Why server-side apply (PATCH `application/apply-patch+yaml`, `force=true`)
 * rather than create (POST): a package is re-applied over objects that already
 * exist; create answers 409 AlreadyExists for those and checks nothing, while
 * apply checks both new and existing objects, like `kubectl apply
 * --server-side --dry-run=server` and the GitOps controllers do. `force`
 * takes over fields owned by other managers (kubectl, Argo CD, Flux) instead
 * of answering 409 Conflict: the dry run checks the content, not ownership.
 * `fieldValidation=Strict` makes unknown or duplicate fields an error (the
 * API server would otherwise drop them with a warning).
 *
 * `@kubernetes/client-node` provides the kubeconfig (contexts, tokens, exec
 * and OIDC plugins, client certificates, TLS, proxies), the API discovery
 * (`/api/v1`, `/apis/<group>/<version>`: resource names and scopes) and the
 * transport. The body is the manifest's JSON as written: the client's typed
 * serializer keeps only the fields its models know, which would hide exactly
 * the mistakes a dry run must show (a misspelt field would be dropped before
 * the API server saw it).
 */

/** Field manager of the dry-run applies. */
const SERVER_DRY_RUN_FIELD_MANAGER = 'cloud-native-orchestrator';

const DEFAULT_REQUEST_TIMEOUT_MS = 10_000;
const DEFAULT_TIMEOUT_MS = 120_000;
const DEFAULT_CONCURRENCY = 4;

/** The result of the dry run: one tool check and its findings. */
export interface ServerDryRunResult {
  check: {
    area: 'server_dry_run';
    check: string;
    status: 'pass' | 'fail' | 'skipped';
    reason?: string;
  };
  findings: Finding[];
}

/** The dry run is misconfigured; `field` names the option (or CLI flag). */
export class ServerDryRunConfigError extends Error {
  readonly field: 'kubeconfig' | 'context' | 'namespace';

  constructor(field: 'kubeconfig' | 'context' | 'namespace', message: string) {
    super(message);
    this.name = 'ServerDryRunConfigError';
    this.field = field;
  }
}

type ClientNode = typeof K8s;

let clientNode: Promise<ClientNode> | undefined;
function loadClientNode(): Promise<ClientNode> {
  clientNode ??= importEsm<ClientNode>('@kubernetes/client-node');
  return clientNode;
}

/** The cluster a dry run talks to. */
export interface DryRunCluster {
  kubeConfig: K8s.KubeConfig;
  context: string;
  server: string;
  /** Where the kubeconfig came from (file paths, or `in-cluster`) */
  source: string;
}

const SERVICE_ACCOUNT_TOKEN =
  '/var/run/secrets/kubernetes.io/serviceaccount/token';

/** A DNS-1123 label, which a namespace name must be. */
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

/**
 * Loads the kubeconfig like kubectl: `options.kubeconfig`, else the files of
 * `KUBECONFIG` (merged, missing ones ignored), else `~/.kube/config`, else the
 * in-cluster service account. Never falls back to `localhost:8080`.
 *
 * @throws ServerDryRunConfigError naming the option at fault
 */
export async function loadDryRunCluster(
  options: ServerDryRunOptions,
): Promise<DryRunCluster> {
  const k8s = await loadClientNode();
  if (options.namespace !== undefined && !DNS_LABEL.test(options.namespace)) {
    throw new ServerDryRunConfigError(
      'namespace',
      `"${options.namespace}" is not a valid namespace name (a DNS-1123 label: lower-case letters, digits and '-', at most 63 characters)`,
    );
  }
  const kc = new k8s.KubeConfig();
  let source: string;
  const envFiles = (process.env.KUBECONFIG ?? '')
    .split(path.delimiter)
    .filter(f => f.length > 0);
  // like kubectl and client-node: $HOME first
  const homeConfig = path.join(
    process.env.HOME || os.homedir(),
    '.kube',
    'config',
  );
  if (options.kubeconfig !== undefined) {
    if (options.kubeconfig.trim() === '') {
      throw new ServerDryRunConfigError('kubeconfig', 'must not be empty');
    }
    loadFile(kc, options.kubeconfig);
    source = options.kubeconfig;
  } else if (envFiles.length > 0) {
    const present = envFiles.filter(f => fs.existsSync(f));
    if (present.length === 0) {
      throw new ServerDryRunConfigError(
        'kubeconfig',
        `none of the KUBECONFIG files exists (${envFiles.join(
          path.delimiter,
        )})`,
      );
    }
    loadFile(kc, present[0]);
    for (const file of present.slice(1)) {
      const other = new k8s.KubeConfig();
      loadFile(other, file);
      // kubectl: the first file to set a value wins
      mergeKubeConfigs(kc, other);
    }
    source = present.join(path.delimiter);
  } else if (fs.existsSync(homeConfig)) {
    loadFile(kc, homeConfig);
    source = homeConfig;
  } else if (
    process.env.KUBERNETES_SERVICE_HOST &&
    fs.existsSync(SERVICE_ACCOUNT_TOKEN)
  ) {
    kc.loadFromCluster();
    source = 'in-cluster';
  } else {
    throw new ServerDryRunConfigError(
      'kubeconfig',
      'no kubeconfig found: pass one, set KUBECONFIG or create ~/.kube/config',
    );
  }

  const names = kc.getContexts().map(c => c.name);
  if (names.length === 0) {
    throw new ServerDryRunConfigError(
      'kubeconfig',
      `${source} is not a usable kubeconfig: it has no contexts`,
    );
  }
  const context = options.context ?? kc.getCurrentContext();
  if (options.context !== undefined && !names.includes(options.context)) {
    throw new ServerDryRunConfigError(
      'context',
      `no context "${options.context}" in ${source} (contexts: ${
        names.join(', ') || 'none'
      })`,
    );
  }
  if (!context || !names.includes(context)) {
    throw new ServerDryRunConfigError(
      'context',
      `${source} has no ${
        context
          ? `context "${context}" (its current-context)`
          : 'current-context'
      }: choose one of ${names.join(', ') || '(no contexts)'}`,
    );
  }
  kc.setCurrentContext(context);
  const cluster = kc.getCurrentCluster();
  if (!cluster?.server) {
    throw new ServerDryRunConfigError(
      'context',
      `context "${context}" of ${source} names no cluster with a server`,
    );
  }
  return { kubeConfig: kc, context, server: cluster.server, source };
}

function loadFile(kc: K8s.KubeConfig, file: string): void {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new ServerDryRunConfigError(
      'kubeconfig',
      `cannot read ${file}: ${
        (error as NodeJS.ErrnoException).code ?? (error as Error).message
      }`,
    );
  }
  try {
    kc.loadFromString(text);
    kc.makePathsAbsolute(path.dirname(path.resolve(file)));
  } catch (error) {
    throw new ServerDryRunConfigError(
      'kubeconfig',
      `${file} is not a valid kubeconfig: ${firstLine(error)}`,
    );
  }
}

/** Adds the entries of `other` that `kc` lacks (the first file wins). */
function mergeKubeConfigs(kc: K8s.KubeConfig, other: K8s.KubeConfig): void {
  const add = <T extends { name: string }>(into: T[], from: T[]) => {
    for (const entry of from) {
      if (!into.some(e => e.name === entry.name)) into.push(entry);
    }
  };
  add(kc.clusters, other.clusters);
  add(kc.users, other.users);
  add(kc.contexts, other.contexts);
  if (!kc.getCurrentContext()) kc.setCurrentContext(other.getCurrentContext());
}

// ---------------------------------------------------------------------------
// Order

/** Built-in cluster-scoped kinds (besides Namespace and CRDs). */
const BUILTIN_CLUSTER_SCOPED = new Set([
  'APIService',
  'CSIDriver',
  'ClusterRole',
  'ClusterRoleBinding',
  'IngressClass',
  'MutatingWebhookConfiguration',
  'PersistentVolume',
  'PriorityClass',
  'RuntimeClass',
  'StorageClass',
  'ValidatingAdmissionPolicy',
  'ValidatingAdmissionPolicyBinding',
  'ValidatingWebhookConfiguration',
]);

/** Helm's install order, which kubectl users know. */
const INSTALL_ORDER = [
  'Namespace',
  'CustomResourceDefinition',
  'PriorityClass',
  'StorageClass',
  'PersistentVolume',
  'ClusterRole',
  'ClusterRoleBinding',
  'IngressClass',
  'RuntimeClass',
  'ResourceQuota',
  'LimitRange',
  'NetworkPolicy',
  'PodDisruptionBudget',
  'ServiceAccount',
  'Secret',
  'ConfigMap',
  'PersistentVolumeClaim',
  'Role',
  'RoleBinding',
  'Service',
  'DaemonSet',
  'Pod',
  'ReplicationController',
  'ReplicaSet',
  'Deployment',
  'HorizontalPodAutoscaler',
  'StatefulSet',
  'Job',
  'CronJob',
  'Ingress',
];

function groupOf(apiVersion: string): string {
  return apiVersion.includes('/') ? apiVersion.split('/')[0] : '';
}

/**
 * The phase of an object; phases run one after the other: 0 Namespaces and
 * CRDs, 1 other built-in cluster-scoped objects, 2 built-in namespaced
 * objects, 3 custom resources.
 */
export function dryRunPhase(object: KubernetesObject): 0 | 1 | 2 | 3 {
  if (!KUBERNETES_BUILTIN_GROUPS.has(groupOf(object.apiVersion))) return 3;
  if (
    object.kind === 'Namespace' ||
    object.kind === 'CustomResourceDefinition'
  ) {
    return 0;
  }
  return BUILTIN_CLUSTER_SCOPED.has(object.kind) ? 1 : 2;
}

/** An object to send, with where it was written. */
export interface DryRunItem {
  file: string;
  /** Position of the document in its file */
  index: number;
  object: KubernetesObject;
}

/**
 * The objects of the manifests in the order they are sent: by phase, then
 * install order of the kind, then file and position. Kustomize patches
 * (partial objects) are left out.
 */
export function dryRunOrder(
  manifests: ReadonlyArray<ManifestFile>,
  environments?: ReadonlyArray<string>,
): DryRunItem[] {
  const items: DryRunItem[] = [];
  for (const manifest of manifests) {
    if (manifest.path.includes('/patches/')) continue;
    if (
      environments &&
      manifest.environment !== '*' &&
      !environments.includes(manifest.environment)
    ) {
      continue;
    }
    manifest.objects.forEach((object, index) =>
      items.push({ file: manifest.path, index, object }),
    );
  }
  const rank = (kind: string) => {
    const i = INSTALL_ORDER.indexOf(kind);
    return i < 0 ? INSTALL_ORDER.length : i;
  };
  return items.sort(
    (a, b) =>
      dryRunPhase(a.object) - dryRunPhase(b.object) ||
      rank(a.object.kind) - rank(b.object.kind) ||
      compareStrings(a.file, b.file) ||
      a.index - b.index,
  );
}

// ---------------------------------------------------------------------------
// Client

/** A non-2xx answer of the API server. */
class HttpStatusError extends Error {
  readonly code: number;
  readonly body: unknown;

  constructor(code: number, body: unknown) {
    super(`HTTP ${code}: ${statusMessage(body) ?? ''}`);
    this.name = 'HttpStatusError';
    this.code = code;
    this.body = body;
  }
}

/** No answer in time: of one request, or the whole dry run ran out. */
class DryRunTimeout extends Error {
  readonly overall: boolean;

  constructor(overall: boolean, ms: number) {
    super(`no answer within ${seconds(ms)}`);
    this.name = 'DryRunTimeout';
    this.overall = overall;
  }
}

interface AppliedObject {
  warnings: string[];
}

interface DryRunApi {
  /** The API resource of a kind, undefined when the cluster does not serve it */
  discover(
    apiVersion: string,
    kind: string,
  ): Promise<K8s.V1APIResource | undefined>;
  /** Server-side apply with dryRun=All; throws HttpStatusError when rejected */
  apply(object: KubernetesObject, signal: AbortSignal): Promise<AppliedObject>;
}

interface DryRunApiSettings {
  namespace?: string;
  requestTimeoutMs: number;
  /** Aborted when the whole dry run ends or times out */
  run: AbortSignal;
}

function createDryRunApi(
  k8s: ClientNode,
  kc: K8s.KubeConfig,
  settings: DryRunApiSettings,
): DryRunApi {
  /**
   * KubernetesObjectApi with an apply that sends the manifest verbatim, a
   * timeout on every request (discovery included), and plain JSON answers.
   */
  class DryRunObjectApi extends k8s.KubernetesObjectApi implements DryRunApi {
    configure(): this {
      this.setDefaultNamespace(kc);
      if (settings.namespace) this.defaultNamespace = settings.namespace;
      return this;
    }

    discover(apiVersion: string, kind: string) {
      return this.resource(apiVersion, kind);
    }

    async apply(
      object: KubernetesObject,
      signal: AbortSignal,
    ): Promise<AppliedObject> {
      // specUriPath defaults metadata.namespace of namespaced kinds: the body
      // must name the namespace of the URL
      const spec = JSON.parse(JSON.stringify(object)) as KubernetesObject;
      const uri = await this.specUriPath(spec, 'patch');
      const request = this.configuration.baseServer.makeRequestContext(
        uri,
        k8s.HttpMethod.PATCH,
      );
      request.setHeaderParam('Accept', 'application/json');
      request.setHeaderParam('Content-Type', k8s.PatchStrategy.ServerSideApply);
      request.setQueryParam('dryRun', 'All');
      request.setQueryParam('fieldManager', SERVER_DRY_RUN_FIELD_MANAGER);
      request.setQueryParam('force', 'true');
      request.setQueryParam('fieldValidation', 'Strict');
      request.setBody(JSON.stringify(spec));
      request.setSignal(signal);
      const answer = await this.requestPromise<KubernetesObject>(request);
      return {
        warnings: (answer as { warnings?: string[] }).warnings ?? [],
      };
    }

    protected requestPromise<T extends K8s.KubernetesObject>(
      request: K8s.RequestContext,
      type?: string,
      options?: K8s.Configuration,
    ): Promise<T> {
      if (!request.getSignal()) {
        request.setSignal(
          AbortSignal.any([
            settings.run,
            AbortSignal.timeout(settings.requestTimeoutMs),
          ]),
        );
      }
      return super.requestPromise<T>(request, type, options);
    }

    protected async processResponse<T extends K8s.KubernetesObject>(
      response: K8s.ResponseContext,
    ): Promise<T> {
      const text = await response.body.text();
      let body: unknown = undefined;
      try {
        body = text ? JSON.parse(text) : undefined;
      } catch {
        body = text;
      }
      if (response.httpStatusCode < 200 || response.httpStatusCode > 299) {
        throw new HttpStatusError(response.httpStatusCode, body);
      }
      const result = (body && typeof body === 'object' ? body : {}) as Record<
        string,
        unknown
      >;
      const warnings = parseWarnings(response.headers.warning);
      // discovery answers are read as they are; apply answers carry warnings
      return (warnings.length > 0
        ? { ...result, warnings }
        : result) as unknown as T;
    }
  }
  return kc.makeApiClient(DryRunObjectApi).configure();
}

/** `Warning` headers: `299 - "text", 299 - "other"`. */
function parseWarnings(header: string | undefined): string[] {
  if (!header) return [];
  const out: string[] = [];
  for (const match of header.matchAll(/\d{3} \S+ "((?:[^"\\]|\\.)*)"/g)) {
    out.push(match[1].replace(/\\(.)/g, '$1'));
  }
  return out;
}

/**
 * Runs `fn` with a signal aborted after `ms` or when the dry run ends;
 * settles by then even when `fn` ignores the signal (an exec credential
 * plugin that hangs).
 */
function bounded<T>(
  run: AbortSignal,
  ms: number,
  overallMs: number,
  fn: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    if (run.aborted) {
      reject(new DryRunTimeout(true, overallMs));
      return;
    }
    const controller = new AbortController();
    const timer = setTimeout(() => {
      finish();
      controller.abort();
      reject(new DryRunTimeout(false, ms));
    }, ms);
    function finish() {
      clearTimeout(timer);
      run.removeEventListener('abort', onRunAbort);
    }
    function onRunAbort() {
      finish();
      controller.abort();
      reject(new DryRunTimeout(true, overallMs));
    }
    run.addEventListener('abort', onRunAbort, { once: true });
    fn(controller.signal).then(
      value => {
        finish();
        resolve(value);
      },
      error => {
        finish();
        reject(error);
      },
    );
  });
}

// ---------------------------------------------------------------------------
// The dry run

/**
 * Sends every object of the manifests to the cluster with `dryRun=All`.
 * Never throws: an unusable kubeconfig, an unreachable cluster or a failed
 * authentication make the check fail with the reason.
 */
export async function runServerDryRun(
  manifests: ReadonlyArray<ManifestFile>,
  options: ServerDryRunOptions,
): Promise<ServerDryRunResult> {
  const requestTimeoutMs = positive(
    options.requestTimeoutMs,
    DEFAULT_REQUEST_TIMEOUT_MS,
  );
  const timeoutMs = positive(options.timeoutMs, DEFAULT_TIMEOUT_MS);
  const concurrency = Math.floor(
    positive(options.concurrency, DEFAULT_CONCURRENCY),
  );
  const items = dryRunOrder(manifests, options.environments);

  let cluster: DryRunCluster;
  try {
    cluster = await loadDryRunCluster(options);
  } catch (error) {
    const reason =
      error instanceof ServerDryRunConfigError
        ? `${error.field}: ${error.message}`
        : firstLine(error);
    return unavailable('server-side dry run', reason);
  }
  const checkName = `server-side dry run (context ${cluster.context}, ${cluster.server})`;
  if (items.length === 0) {
    return {
      check: {
        area: 'server_dry_run',
        check: checkName,
        status: 'skipped',
        reason: 'the package has no Kubernetes objects to send',
      },
      findings: [],
    };
  }

  const k8s = await loadClientNode();
  const run = new AbortController();
  const overall = setTimeout(() => run.abort(), timeoutMs);
  const call = <T>(fn: (signal: AbortSignal) => Promise<T>) =>
    bounded(run.signal, requestTimeoutMs, timeoutMs, fn);
  try {
    let api: DryRunApi;
    try {
      api = createDryRunApi(k8s, cluster.kubeConfig, {
        namespace: options.namespace,
        requestTimeoutMs,
        run: run.signal,
      });
      // Reachable, and are the credentials accepted? (core API discovery)
      await call(() => api.discover('v1', 'Namespace'));
    } catch (error) {
      return unavailable(checkName, describeUnavailable(error, cluster));
    }
    return await sendAll(api, items, call, {
      checkName,
      run: run.signal,
      timeoutMs,
      concurrency,
    });
  } finally {
    clearTimeout(overall);
    // ends whatever still hangs (requests of a timed-out dry run)
    run.abort();
  }
}

type Call = <T>(fn: (signal: AbortSignal) => Promise<T>) => Promise<T>;

interface SendSettings {
  checkName: string;
  run: AbortSignal;
  timeoutMs: number;
  concurrency: number;
}

/** Whether the cluster serves a kind; `error` when discovery failed. */
type KindDiscovery = { served: boolean; error?: string };

/** What the dry run found, object by object, and how many ended how. */
interface DryRunTally {
  /** Per object, so that the findings come in send order, not answer order */
  found: Map<DryRunItem, Finding[]>;
  counts: {
    accepted: number;
    rejected: number;
    failed: number;
    notChecked: number;
  };
}

function addFindings(tally: DryRunTally, item: DryRunItem, ...more: Finding[]) {
  tally.found.set(item, [...(tally.found.get(item) ?? []), ...more]);
}

function dryRunFinding(
  item: DryRunItem,
  ruleId: string,
  severity: Finding['severity'],
  message: string,
  field?: string,
): Finding {
  const where = `${item.object.kind}/${item.object.metadata.name}`;
  return {
    ruleId,
    severity,
    file: item.file,
    objectPath: field ? `${where}: ${field}` : where,
    message,
    anchors: ['kubectl-apply-server-dry-run'],
  };
}

/**
 * What the package itself creates: a dry run persists nothing, so objects
 * in a new namespace, or of a CRD of the package, cannot be checked yet.
 */
function packageCreates(items: DryRunItem[]) {
  return {
    namespaces: new Set(
      items
        .filter(i => i.object.kind === 'Namespace')
        .map(i => i.object.metadata.name),
    ),
    crds: new Set(
      items
        .filter(i => i.object.kind === 'CustomResourceDefinition')
        .map(i => {
          const spec = i.object.spec as
            | { group?: string; names?: { kind?: string } }
            | undefined;
          return `${spec?.group ?? ''}/${spec?.names?.kind ?? ''}`;
        }),
    ),
  };
}

const kindKey = (object: KubernetesObject) =>
  `${object.apiVersion}|${object.kind}`;

/** Discovery, once per kind, in order (the client caches per group version) */
async function discoverKinds(
  api: DryRunApi,
  items: DryRunItem[],
  call: Call,
  run: AbortSignal,
): Promise<Map<string, KindDiscovery>> {
  const kinds = new Map<string, KindDiscovery>();
  for (const { object } of items) {
    const key = kindKey(object);
    if (kinds.has(key) || run.aborted) continue;
    try {
      const resource = await call(() =>
        api.discover(object.apiVersion, object.kind),
      );
      kinds.set(key, { served: resource !== undefined });
    } catch (error) {
      if (error instanceof HttpStatusError && error.code === 404) {
        kinds.set(key, { served: false });
      } else if (!(error instanceof DryRunTimeout && error.overall)) {
        kinds.set(key, {
          served: false,
          error: `API discovery of ${object.apiVersion} failed: ${describeError(
            error,
          )}`,
        });
      }
    }
  }
  return kinds;
}

/** A request about the object failed: the object is not checked. */
function requestFailed(tally: DryRunTally, item: DryRunItem, message: string) {
  tally.counts.failed++;
  addFindings(
    tally,
    item,
    dryRunFinding(item, 'server-dry-run/request-failed', 'error', message),
  );
}

/** An object the package itself makes uncheckable (its namespace or CRD). */
function notChecked(tally: DryRunTally, item: DryRunItem, why: string) {
  tally.counts.notChecked++;
  addFindings(
    tally,
    item,
    dryRunFinding(
      item,
      'server-dry-run/not-checked',
      'info',
      `not checked: ${why} (a dry run persists nothing)`,
    ),
  );
}

/** An object whose kind the cluster does not serve: not checked, or rejected. */
function unservedKind(
  tally: DryRunTally,
  item: DryRunItem,
  packageCrds: Set<string>,
) {
  const { object } = item;
  if (packageCrds.has(`${groupOf(object.apiVersion)}/${object.kind}`)) {
    notChecked(
      tally,
      item,
      `${object.kind} is defined by a CustomResourceDefinition of this package, which the cluster does not have yet`,
    );
    return;
  }
  tally.counts.rejected++;
  addFindings(
    tally,
    item,
    dryRunFinding(
      item,
      'server-dry-run/unknown-kind',
      'error',
      KUBERNETES_BUILTIN_GROUPS.has(groupOf(object.apiVersion))
        ? `the cluster does not serve ${object.apiVersion} ${object.kind}: this Kubernetes version does not have that API version`
        : `the cluster does not serve ${object.apiVersion} ${object.kind}: its CustomResourceDefinition is not installed`,
    ),
  );
}

/** Tallies a failed apply: rejected, not checked, or a failed request. */
function applyFailed(
  tally: DryRunTally,
  item: DryRunItem,
  error: unknown,
  packageNamespaces: Set<string>,
) {
  if (error instanceof DryRunTimeout && error.overall) return;
  if (error instanceof HttpStatusError) {
    const missing = missingNamespace(error);
    if (missing !== undefined && packageNamespaces.has(missing)) {
      notChecked(
        tally,
        item,
        `namespace ${missing} is created by this package and does not exist in the cluster yet`,
      );
      return;
    }
    tally.counts.rejected++;
    addFindings(tally, item, ...rejection(error, item, dryRunFinding));
    return;
  }
  requestFailed(tally, item, `not checked: ${describeError(error)}`);
}

/** The check's status and reason from the tally. */
function dryRunSummary(
  items: DryRunItem[],
  tally: DryRunTally,
  findings: Finding[],
  settings: SendSettings,
): ServerDryRunResult['check'] {
  const { counts } = tally;
  const done =
    counts.accepted + counts.rejected + counts.failed + counts.notChecked;
  const unchecked = items.length - done;
  const reasons: string[] = [];
  if (counts.rejected > 0) {
    reasons.push(`${counts.rejected} of ${items.length} object(s) rejected`);
  }
  if (counts.failed > 0) {
    reasons.push(`${counts.failed} request(s) failed`);
  }
  if (unchecked > 0) {
    reasons.push(
      `timed out after ${seconds(
        settings.timeoutMs,
      )} with ${unchecked} object(s) not checked`,
    );
  }
  const failed = reasons.length > 0;
  if (!failed) reasons.push(`${counts.accepted} object(s) accepted`);
  if (counts.notChecked > 0) {
    reasons.push(
      `${counts.notChecked} not checked (their namespace or CRD is created by this package)`,
    );
  }
  const warnings = findings.filter(
    f => f.ruleId === 'server-dry-run/warning',
  ).length;
  if (warnings > 0) reasons.push(`${warnings} warning(s)`);
  return {
    area: 'server_dry_run',
    check: settings.checkName,
    status: failed ? 'fail' : 'pass',
    reason: reasons.join('; '),
  };
}

async function sendAll(
  api: DryRunApi,
  items: DryRunItem[],
  call: Call,
  settings: SendSettings,
): Promise<ServerDryRunResult> {
  const tally: DryRunTally = {
    found: new Map(),
    counts: { accepted: 0, rejected: 0, failed: 0, notChecked: 0 },
  };
  const creates = packageCreates(items);
  const kinds = await discoverKinds(api, items, call, settings.run);

  const check = async (item: DryRunItem) => {
    const kind = kinds.get(kindKey(item.object));
    // not discovered: the dry run ran out of time
    if (!kind) return;
    if (kind.error) {
      requestFailed(tally, item, kind.error);
      return;
    }
    if (!kind.served) {
      unservedKind(tally, item, creates.crds);
      return;
    }
    try {
      const applied = await call(signal => api.apply(item.object, signal));
      tally.counts.accepted++;
      for (const warning of applied.warnings) {
        addFindings(
          tally,
          item,
          dryRunFinding(
            item,
            'server-dry-run/warning',
            'warning',
            `the API server warns: ${warning}`,
          ),
        );
      }
    } catch (error) {
      applyFailed(tally, item, error, creates.namespaces);
    }
  };

  for (const phase of [0, 1, 2, 3]) {
    const batch = items.filter(i => dryRunPhase(i.object) === phase);
    await pool(batch, settings.concurrency, check, () => settings.run.aborted);
  }
  const findings = items.flatMap(i => tally.found.get(i) ?? []);
  const { counts } = tally;
  const unchecked =
    items.length -
    (counts.accepted + counts.rejected + counts.failed + counts.notChecked);
  if (unchecked > 0) {
    findings.push({
      ruleId: 'server-dry-run/incomplete',
      severity: 'error',
      file: '.',
      message: `the server-side dry run ran out of time (${seconds(
        settings.timeoutMs,
      )}): ${unchecked} of ${items.length} object(s) not checked`,
      anchors: [],
    });
  }
  return {
    check: dryRunSummary(items, tally, findings, settings),
    findings,
  };
}

/** Runs `worker` over the items, at most `limit` at once, until `stop()`. */
async function pool<T>(
  items: ReadonlyArray<T>,
  limit: number,
  worker: (item: T) => Promise<void>,
  stop: () => boolean,
): Promise<void> {
  let next = 0;
  const runners = Array.from(
    { length: Math.min(limit, items.length) },
    async () => {
      while (next < items.length && !stop()) {
        const item = items[next++];
        await worker(item);
      }
    },
  );
  await Promise.all(runners);
}

interface StatusCause {
  field?: string;
  message?: string;
  reason?: string;
}

interface Status {
  kind?: string;
  message?: string;
  reason?: string;
  details?: { kind?: string; name?: string; causes?: StatusCause[] };
}

function asStatus(body: unknown): Status | undefined {
  return body && typeof body === 'object' ? (body as Status) : undefined;
}

function statusMessage(body: unknown): string | undefined {
  const status = asStatus(body);
  if (status?.message) return status.message;
  return typeof body === 'string' && body.trim() ? firstLine(body) : undefined;
}

/** The namespace named by a 404 `namespaces "x" not found`, if that is it. */
function missingNamespace(error: HttpStatusError): string | undefined {
  const status = asStatus(error.body);
  return error.code === 404 && status?.details?.kind === 'namespaces'
    ? status.details.name
    : undefined;
}

/** One finding per cause the API server gives, else one with its message. */
function rejection(
  error: HttpStatusError,
  item: DryRunItem,
  finding: (
    item: DryRunItem,
    ruleId: string,
    severity: Finding['severity'],
    message: string,
    field?: string,
  ) => Finding,
): Finding[] {
  const status = asStatus(error.body);
  const message = statusMessage(error.body) ?? `HTTP ${error.code}`;
  const prefix = `rejected by the API server (${error.code}${
    status?.reason ? ` ${status.reason}` : ''
  })`;
  const causes = (status?.details?.causes ?? []).filter(c => c.message);
  if (causes.length === 0) {
    return [
      finding(
        item,
        'server-dry-run/rejected',
        'error',
        `${prefix}: ${message}`,
      ),
    ];
  }
  return causes.map(c =>
    finding(
      item,
      'server-dry-run/rejected',
      'error',
      `${prefix}: ${c.message}`,
      c.field || undefined,
    ),
  );
}

function unavailable(checkName: string, reason: string): ServerDryRunResult {
  return {
    check: {
      area: 'server_dry_run',
      check: checkName,
      status: 'fail',
      reason,
    },
    findings: [
      {
        ruleId: 'server-dry-run/unavailable',
        severity: 'error',
        file: '.',
        message: `the server-side dry run could not run: ${reason}`,
        anchors: [],
      },
    ],
  };
}

function describeUnavailable(error: unknown, cluster: DryRunCluster): string {
  const at = `${cluster.server} (context ${cluster.context})`;
  if (error instanceof HttpStatusError) {
    if (error.code === 401) {
      return `${at} rejected the credentials (401 Unauthorized)`;
    }
    if (error.code === 403) {
      return `${at} forbids API discovery (403 Forbidden): ${
        statusMessage(error.body) ?? ''
      }`;
    }
    return `API discovery at ${at} failed: ${describeError(error)}`;
  }
  return `cannot reach ${at}: ${describeError(error)}`;
}

function describeError(error: unknown): string {
  if (error instanceof HttpStatusError) {
    return `HTTP ${error.code}${
      statusMessage(error.body) ? `: ${statusMessage(error.body)}` : ''
    }`;
  }
  const e = error as { name?: string; message?: string };
  if (e?.name === 'AbortError') return 'the request was aborted (timeout)';
  // the client prefixes errors of its discovery requests
  return firstLine(error).replace(
    /^Failed to fetch resource metadata for \S+: /,
    '',
  );
}

/** The first line of an error's message (errors may come from another realm). */
function firstLine(error: unknown): string {
  const message = (error as { message?: unknown } | undefined)?.message;
  const text = typeof message === 'string' ? message : String(error);
  return text.trim().split('\n')[0];
}

function positive(value: number | undefined, fallback: number): number {
  return value !== undefined && Number.isFinite(value) && value > 0
    ? value
    : fallback;
}

function seconds(ms: number): string {
  return `${Math.round(ms / 100) / 10} s`;
}
