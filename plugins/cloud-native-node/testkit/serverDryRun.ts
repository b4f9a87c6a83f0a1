import { promises as fs } from 'node:fs';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { KubernetesObject } from '../src/core/types';

/**
 * A fake Kubernetes API server for the server-side dry-run tests (no real API
 * server exists on these machines): it serves API discovery for the kinds it
 * knows, answers server-side applies, and records every request.
 */

export const TOKEN = 'fake-token-123';

/** kind → [plural, namespaced], per group version */
export type ApiTable = Record<string, Record<string, [string, boolean]>>;

/**
 * The plural Kubernetes guesses for a kind (-s → -ses, -y → -ies, else -s):
 * the real plural of every kind served here.
 */
function pluralOf(kind: string): string {
  const lower = kind.toLowerCase();
  if (lower.endsWith('s')) return `${lower}es`;
  if (lower.endsWith('y')) return `${lower.slice(0, -1)}ies`;
  return `${lower}s`;
}

/** The kinds of one group version: cluster-scoped ones first, then namespaced ones. */
function groupVersionKinds(
  namespaced: string[],
  clusterScoped: string[] = [],
): Record<string, [string, boolean]> {
  return Object.fromEntries([
    ...clusterScoped.map(kind => [kind, [pluralOf(kind), false]]),
    ...namespaced.map(kind => [kind, [pluralOf(kind), true]]),
  ]);
}

export const BUILTIN_API: ApiTable = {
  v1: groupVersionKinds(
    [
      'Service',
      'ServiceAccount',
      'ConfigMap',
      'Secret',
      'Pod',
      'PersistentVolumeClaim',
    ],
    ['Namespace'],
  ),
  'apps/v1': groupVersionKinds(['Deployment', 'StatefulSet', 'DaemonSet']),
  'batch/v1': groupVersionKinds(['Job', 'CronJob']),
  'autoscaling/v2': groupVersionKinds(['HorizontalPodAutoscaler']),
  'policy/v1': groupVersionKinds(['PodDisruptionBudget']),
  'networking.k8s.io/v1': groupVersionKinds(['NetworkPolicy', 'Ingress']),
  'storage.k8s.io/v1': groupVersionKinds([], ['StorageClass']),
  'scheduling.k8s.io/v1': groupVersionKinds([], ['PriorityClass']),
  'apiextensions.k8s.io/v1': groupVersionKinds(
    [],
    ['CustomResourceDefinition'],
  ),
};

export const CRD_API: ApiTable = {
  'argoproj.io/v1alpha1': groupVersionKinds([
    'Rollout',
    'AnalysisTemplate',
    'Application',
    'AppProject',
  ]),
  'external-secrets.io/v1': groupVersionKinds(
    ['ExternalSecret'],
    ['ClusterSecretStore'],
  ),
  'karpenter.sh/v1': groupVersionKinds([], ['NodePool']),
  'karpenter.k8s.aws/v1': groupVersionKinds([], ['EC2NodeClass']),
};

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export interface FakeAnswer {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  delayMs?: number;
}

export interface FakeApiServer {
  url: string;
  requests: RecordedRequest[];
  patches(): RecordedRequest[];
  close(): Promise<void>;
}

export function statusBody(
  code: number,
  reason: string,
  message: string,
  details?: unknown,
) {
  return {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message,
    reason,
    ...(details ? { details } : {}),
    code,
  };
}

/** What the API server answers for a path it does not serve. */
const NOT_FOUND: FakeAnswer = {
  status: 404,
  body: statusBody(
    404,
    'NotFound',
    'the server could not find the requested resource',
  ),
};

export async function startFakeApiServer(
  options: {
    api?: ApiTable;
    /** Namespaces that exist in the cluster (default: any) */
    namespaces?: string[];
    /** Answer a request differently (undefined: the default answer) */
    answer?: (request: RecordedRequest) => FakeAnswer | undefined;
  } = {},
): Promise<FakeApiServer> {
  const api = options.api ?? { ...BUILTIN_API, ...CRD_API };
  const requests: RecordedRequest[] = [];
  const timers = new Set<NodeJS.Timeout>();

  const defaultAnswer = (request: RecordedRequest): FakeAnswer => {
    if (request.headers.authorization !== `Bearer ${TOKEN}`) {
      return {
        status: 401,
        body: statusBody(401, 'Unauthorized', 'Unauthorized'),
      };
    }
    const discovery = /^\/(?:api\/(v1)|apis\/([^/]+\/[^/]+))$/.exec(
      request.path,
    );
    if (request.method === 'GET' && discovery) {
      const groupVersion = discovery[1] ?? discovery[2];
      const kinds = api[groupVersion];
      if (!kinds) return NOT_FOUND;
      return {
        status: 200,
        body: {
          kind: 'APIResourceList',
          apiVersion: 'v1',
          groupVersion,
          resources: Object.entries(kinds).map(
            ([kind, [name, namespaced]]) => ({
              name,
              singularName: kind.toLowerCase(),
              namespaced,
              kind,
              verbs: [
                'create',
                'delete',
                'get',
                'list',
                'patch',
                'update',
                'watch',
              ],
            }),
          ),
        },
      };
    }
    const namespaced =
      /^\/apis?\/(?:[^/]+\/)?[^/]+\/namespaces\/([^/]+)\/[^/]+\/[^/]+$/.exec(
        request.path,
      );
    if (request.method === 'PATCH') {
      if (
        namespaced &&
        options.namespaces &&
        !options.namespaces.includes(namespaced[1])
      ) {
        return {
          status: 404,
          body: statusBody(
            404,
            'NotFound',
            `namespaces "${namespaced[1]}" not found`,
            { name: namespaced[1], kind: 'namespaces' },
          ),
        };
      }
      return { status: 200, body: JSON.parse(request.body) };
    }
    return NOT_FOUND;
  };

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', c => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://fake');
      const request: RecordedRequest = {
        method: req.method ?? '',
        path: url.pathname,
        query: Object.fromEntries(url.searchParams),
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      requests.push(request);
      const answer = options.answer?.(request) ?? defaultAnswer(request);
      const send = () => {
        if (res.destroyed) return;
        res.writeHead(answer.status, {
          'content-type': 'application/json',
          ...answer.headers,
        });
        res.end(answer.body === undefined ? '' : JSON.stringify(answer.body));
      };
      if (answer.delayMs) {
        const timer = setTimeout(() => {
          timers.delete(timer);
          send();
        }, answer.delayMs);
        timers.add(timer);
      } else {
        send();
      }
    });
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    patches: () => requests.filter(r => r.method === 'PATCH'),
    close: () =>
      new Promise<void>(resolve => {
        for (const timer of timers) clearTimeout(timer);
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A free port with nothing listening (connections are refused). */
export async function closedPortUrl(): Promise<string> {
  const server = http.createServer();
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>(resolve => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}

/**
 * A kubeconfig with the contexts `fake` (current, namespace team-a) and
 * `other`. The client refuses plain http unless
 * insecure-skip-tls-verify is set; the fake server speaks http.
 */
export async function writeKubeconfig(
  dir: string,
  server: string,
  token = TOKEN,
  name = 'kubeconfig',
): Promise<string> {
  const file = path.join(dir, name);
  await fs.writeFile(
    file,
    [
      'apiVersion: v1',
      'kind: Config',
      'clusters:',
      '  - name: fake',
      '    cluster:',
      `      server: ${server}`,
      '      insecure-skip-tls-verify: true',
      'users:',
      '  - name: tester',
      '    user:',
      `      token: ${token}`,
      'contexts:',
      '  - name: fake',
      '    context: { cluster: fake, user: tester, namespace: team-a }',
      '  - name: other',
      '    context: { cluster: fake, user: tester }',
      'current-context: fake',
      '',
    ].join('\n'),
  );
  return file;
}

export function tmpDir(): Promise<string> {
  return fs.mkdtemp(path.join(os.tmpdir(), 'cno-dry-run-'));
}

/** The path of an object's resource, from the fake's table. */
export function expectedPath(
  object: KubernetesObject,
  defaultNamespace: string,
  api: ApiTable = { ...BUILTIN_API, ...CRD_API },
): string {
  const [plural, namespaced] = api[object.apiVersion][object.kind];
  const root = object.apiVersion.includes('/')
    ? `/apis/${object.apiVersion}`
    : `/api/${object.apiVersion}`;
  const ns = namespaced
    ? `/namespaces/${object.metadata.namespace ?? defaultNamespace}`
    : '';
  return `${root}${ns}/${plural}/${object.metadata.name}`;
}
