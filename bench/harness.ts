/*
 * Shared by the benchmarks that start a backend of their own (P6, P7): start
 * and stop it through bench/backend.sh (no file watcher), get a guest token,
 * a small HTTP client, and a load generator that keeps a per-second timeline.
 */
import { spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';

export const REPO_ROOT = path.resolve(__dirname, '..');

export interface Backend {
  url: string;
  port: number;
  pid: number;
  log: string;
}

/** Runs a command, inheriting stderr; resolves with its exit code and stdout. */
export function run(
  command: string,
  args: string[],
  options: { env?: NodeJS.ProcessEnv; cwd?: string; quiet?: boolean } = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd ?? REPO_ROOT,
      env: options.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      if (!options.quiet) process.stderr.write(chunk);
    });
    child.on('error', reject);
    child.on('close', code => resolve({ code, stdout, stderr }));
  });
}

/**
 * Starts the backend with bench/backend.sh on `port`, with the given extra
 * config files, and waits until it is ready.
 */
export async function startBackend(options: {
  port: number;
  configs: string[];
  env?: Record<string, string>;
}): Promise<Backend> {
  const log = path.join(os.tmpdir(), `cno-bench-backend-${options.port}.log`);
  const env = {
    ...process.env,
    ...options.env,
    BENCH_BACKEND_PORT: String(options.port),
    BENCH_BACKEND_CONFIG: options.configs.join(' '),
    BENCH_BACKEND_LOG: log,
  };
  const started = await run('bash', ['bench/backend.sh', 'start'], { env });
  if (started.code !== 0) {
    throw new Error(`bench/backend.sh start failed (see ${log})`);
  }
  const pidFile = path.join(
    process.env.TMPDIR ?? '/tmp',
    `cno-bench-backend-${options.port}.pid`,
  );
  const pid = Number((await fs.readFile(pidFile, 'utf8')).trim());
  return {
    url: `http://localhost:${options.port}`,
    port: options.port,
    pid,
    log,
  };
}

export async function stopBackend(backend: Backend): Promise<void> {
  await run('bash', ['bench/backend.sh', 'stop'], {
    env: { ...process.env, BENCH_BACKEND_PORT: String(backend.port) },
  });
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Resident memory (MiB) and open file descriptors of a process (Linux). */
export async function processStats(
  pid: number,
): Promise<{ rssMiB: number; fds: number } | undefined> {
  try {
    const status = await fs.readFile(`/proc/${pid}/status`, 'utf8');
    const rss = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? NaN) / 1024;
    const fds = (await fs.readdir(`/proc/${pid}/fd`)).length;
    return { rssMiB: Math.round(rss), fds };
  } catch {
    return undefined;
  }
}

export interface HttpResponse {
  status: number;
  body: string;
}

const plainAgent = new http.Agent({ keepAlive: false });

/** One request; rejects on network errors and after `timeoutMs`. */
export function httpRequest(
  url: string,
  options: {
    method?: string;
    token?: string;
    body?: unknown;
    agent?: http.Agent;
    timeoutMs?: number;
    /** Keep the body: always (default), never, or only for status 300+ */
    keepBody?: boolean | 'errors';
  } = {},
): Promise<HttpResponse> {
  return new Promise((resolve, reject) => {
    const payload =
      options.body === undefined ? undefined : JSON.stringify(options.body);
    const req = http.request(
      url,
      {
        method: options.method ?? 'GET',
        agent: options.agent ?? plainAgent,
        headers: {
          accept: 'application/json',
          ...(options.token
            ? { authorization: `Bearer ${options.token}` }
            : {}),
          ...(payload
            ? {
                'content-type': 'application/json',
                'content-length': Buffer.byteLength(payload),
              }
            : {}),
        },
      },
      res => {
        const chunks: Buffer[] = [];
        const keep =
          options.keepBody === 'errors'
            ? (res.statusCode ?? 0) >= 300
            : options.keepBody !== false;
        res.on('data', (chunk: Buffer) => {
          if (keep) chunks.push(chunk);
        });
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        res.on('error', reject);
      },
    );
    req.setTimeout(options.timeoutMs ?? 30_000, () =>
      req.destroy(Object.assign(new Error('timeout'), { code: 'TIMEOUT' })),
    );
    req.on('error', reject);
    req.end(payload);
  });
}

export async function guestToken(backend: Backend): Promise<string> {
  const response = await httpRequest(`${backend.url}/api/auth/guest/refresh`, {
    method: 'POST',
  });
  if (response.status !== 200) {
    throw new Error(`guest sign-in answered ${response.status}`);
  }
  return JSON.parse(response.body).backstageIdentity.token;
}

/** Polls `check` every second until it returns true or `seconds` pass. */
export async function waitUntil(
  what: string,
  seconds: number,
  check: () => Promise<boolean>,
): Promise<void> {
  const deadline = Date.now() + seconds * 1000;
  for (;;) {
    try {
      if (await check()) return;
    } catch {
      // not yet
    }
    if (Date.now() > deadline) {
      throw new Error(`${what}: not the case after ${seconds} s`);
    }
    await new Promise(resolve => setTimeout(resolve, 1000));
  }
}

export interface TimelineSecond {
  ok: number;
  errors: number;
  statuses: Record<string, number>;
}

export interface TimedLoad {
  /** Per endpoint name, per second since the start */
  timeline: Record<string, TimelineSecond[]>;
  latencies: Record<string, number[]>;
  /** Up to 3 sample bodies of unexpected answers per status, per endpoint */
  samples: Record<string, Record<string, string>>;
}

/**
 * Keeps `concurrency` requests in flight on each endpoint for `seconds`
 * (keep-alive agent per endpoint) and buckets every answer into the second
 * it completed in. `expected(status, body)` decides what counts as ok.
 */
export async function loadWithTimeline(options: {
  baseUrl: string;
  token: string;
  endpoints: Record<string, string>;
  seconds: number;
  concurrency: number;
  timeoutMs: number;
  startedAt?: number;
  expected?: (status: number, body: string) => boolean;
  /** Keep the answers' bodies for `expected` (default true) */
  keepBodies?: boolean | 'errors';
}): Promise<TimedLoad> {
  const started = options.startedAt ?? performance.now();
  const deadline = started + options.seconds * 1000;
  const expected = options.expected ?? (status => status === 200);
  const result: TimedLoad = { timeline: {}, latencies: {}, samples: {} };
  const workers: Array<Promise<void>> = [];
  const agents: http.Agent[] = [];
  for (const [name, endpoint] of Object.entries(options.endpoints)) {
    const agent = new http.Agent({
      keepAlive: true,
      maxSockets: options.concurrency,
    });
    const timeline: TimelineSecond[] = [];
    result.timeline[name] = timeline;
    result.latencies[name] = [];
    result.samples[name] = {};
    const bucket = (at: number) => {
      const second = Math.max(0, Math.floor((at - started) / 1000));
      for (let i = timeline.length; i <= second; i++) {
        timeline.push({ ok: 0, errors: 0, statuses: {} });
      }
      return timeline[second];
    };
    const worker = async () => {
      while (performance.now() < deadline) {
        const t0 = performance.now();
        let key: string;
        let ok: boolean;
        let body = '';
        try {
          const response = await httpRequest(`${options.baseUrl}${endpoint}`, {
            token: options.token,
            agent,
            timeoutMs: options.timeoutMs,
            keepBody: options.keepBodies ?? true,
          });
          key = String(response.status);
          body = response.body;
          ok = expected(response.status, response.body);
        } catch (error) {
          key = (error as NodeJS.ErrnoException).code ?? 'error';
          ok = false;
          body = (error as Error).message;
        }
        const t1 = performance.now();
        result.latencies[name].push(t1 - t0);
        const second = bucket(t1);
        if (ok) second.ok++;
        else {
          second.errors++;
          const samples = result.samples[name];
          if (!(key in samples)) samples[key] = body.slice(0, 400);
        }
        second.statuses[key] = (second.statuses[key] ?? 0) + 1;
        if (!ok && key !== '200') {
          // do not spin on instant failures (connection refused)
          await new Promise(resolve => setTimeout(resolve, 10));
        }
      }
    };
    for (let i = 0; i < options.concurrency; i++) workers.push(worker());
    agents.push(agent);
  }
  await Promise.all(workers);
  for (const agent of agents) agent.destroy();
  return result;
}

export function formatStatuses(statuses: Record<string, number>): string {
  return Object.entries(statuses)
    .sort((a, b) => b[1] - a[1])
    .map(([k, v]) => `${k}:${v}`)
    .join(' ');
}
