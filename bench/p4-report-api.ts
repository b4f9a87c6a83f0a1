/*
 * P4: load on the report API vs the catalog API for the same entity, against
 * a running backend. A small built-in load generator (autocannon is not a
 * dependency): an http(s) Agent with keep-alive and maxSockets 100, 100
 * requests in flight for BENCH_P4_SECONDS (default 30) per run; the two
 * endpoints alternate for BENCH_REPS repetitions (default 2); medians over
 * the runs of req/s, p50 and p99 latency, and the error count. Goal: the
 * report endpoint at least 0.8x the catalog's req/s, p99 at most 2x, 0 errors.
 *
 *   report   GET /api/cloud-native/entities/<ns>/component/<name>/report
 *   catalog  GET /api/catalog/entities/by-name/component/<ns>/<name>
 *
 * Environment:
 *   BACKEND_URL        default http://localhost:7007
 *   BACKSTAGE_TOKEN    a token the backend accepts (Authorization: Bearer)
 *   BENCH_ENTITY       component name (default: marketplace)
 *   BENCH_NAMESPACE    its namespace (default: default)
 *   BENCH_CONCURRENCY  requests in flight (default 100)
 *
 * Run: node -r @backstage/cli/config/nodeTransform.cjs bench/p4-report-api.ts
 */
import http from 'node:http';
import https from 'node:https';
import {
  envInt,
  goal,
  machine,
  median,
  ms,
  percentile,
  printMachine,
} from './lib';

const BACKEND_URL = (
  process.env.BACKEND_URL ?? 'http://localhost:7007'
).replace(/\/+$/, '');
const TOKEN = process.env.BACKSTAGE_TOKEN;
const ENTITY = process.env.BENCH_ENTITY ?? 'marketplace';
const NAMESPACE = process.env.BENCH_NAMESPACE ?? 'default';
const SECONDS = envInt('BENCH_P4_SECONDS', 30);
const REPS = envInt('BENCH_REPS', 2);
const CONCURRENCY = envInt('BENCH_CONCURRENCY', 100);

const ENDPOINTS = {
  report: `/api/cloud-native/entities/${encodeURIComponent(
    NAMESPACE,
  )}/component/${encodeURIComponent(ENTITY)}/report`,
  catalog: `/api/catalog/entities/by-name/component/${encodeURIComponent(
    NAMESPACE,
  )}/${encodeURIComponent(ENTITY)}`,
};
type Endpoint = keyof typeof ENDPOINTS;

interface LoadResult {
  requests: number;
  errors: number;
  statuses: Record<string, number>;
  latencies: number[];
  seconds: number;
  bytes: number;
}

interface Response {
  status: number;
  bytes: number;
}

function request(
  url: URL,
  agent: http.Agent,
  timeoutMs: number,
): Promise<Response> {
  const client = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const req = client.request(
      url,
      {
        method: 'GET',
        agent,
        headers: {
          accept: 'application/json',
          ...(TOKEN ? { authorization: `Bearer ${TOKEN}` } : {}),
        },
      },
      res => {
        let bytes = 0;
        res.on('data', (chunk: Buffer) => {
          bytes += chunk.length;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, bytes }));
        res.on('error', reject);
      },
    );
    req.setTimeout(timeoutMs, () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end();
  });
}

async function load(
  path: string,
  seconds: number,
  concurrency: number,
): Promise<LoadResult> {
  const url = new URL(`${BACKEND_URL}${path}`);
  const AgentClass = url.protocol === 'https:' ? https.Agent : http.Agent;
  const agent = new AgentClass({ keepAlive: true, maxSockets: 100 });
  const result: LoadResult = {
    requests: 0,
    errors: 0,
    statuses: {},
    latencies: [],
    seconds: 0,
    bytes: 0,
  };
  const started = performance.now();
  const deadline = started + seconds * 1000;
  const worker = async () => {
    while (performance.now() < deadline) {
      const t0 = performance.now();
      try {
        const response = await request(url, agent, 30_000);
        result.latencies.push(performance.now() - t0);
        result.requests++;
        result.bytes += response.bytes;
        const key = String(response.status);
        result.statuses[key] = (result.statuses[key] ?? 0) + 1;
        if (response.status < 200 || response.status >= 300) result.errors++;
      } catch (error) {
        result.requests++;
        result.errors++;
        const key = (error as NodeJS.ErrnoException).code ?? 'error';
        result.statuses[key] = (result.statuses[key] ?? 0) + 1;
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  result.seconds = (performance.now() - started) / 1000;
  agent.destroy();
  return result;
}

function summary(r: LoadResult) {
  return {
    rps: r.requests / r.seconds,
    p50: percentile(r.latencies, 50),
    p99: percentile(r.latencies, 99),
    errors: r.errors,
  };
}

async function main() {
  printMachine('P4: report API vs catalog API under load');
  console.log(
    `backend: ${BACKEND_URL}${
      TOKEN ? '' : ' (no BACKSTAGE_TOKEN set)'
    }; entity component:${NAMESPACE}/${ENTITY}`,
  );
  console.log(
    `load:    ${CONCURRENCY} in flight, keep-alive (maxSockets 100), ${SECONDS} s per run, ${REPS} run(s) per endpoint, alternating\n`,
  );

  // Both endpoints must answer 200 before we measure anything
  const agent = new http.Agent({ keepAlive: false });
  for (const [name, path] of Object.entries(ENDPOINTS)) {
    try {
      const url = new URL(`${BACKEND_URL}${path}`);
      const response = await request(
        url,
        url.protocol === 'https:' ? new https.Agent() : agent,
        30_000,
      );
      if (response.status !== 200) {
        console.log(
          `${name} ${path} answered ${response.status}: set BENCH_ENTITY to a component that has a report, and BACKSTAGE_TOKEN`,
        );
        process.exitCode = 1;
        return;
      }
      console.log(
        `check   ${name.padEnd(7)} ${path}: 200, ${response.bytes} bytes`,
      );
    } catch (error) {
      console.log(`cannot reach ${BACKEND_URL}: ${(error as Error).message}`);
      process.exitCode = 1;
      return;
    }
  }

  const runs: Record<Endpoint, ReturnType<typeof summary>[]> = {
    report: [],
    catalog: [],
  };
  const order: Endpoint[] = ['report', 'catalog'];
  for (let rep = 0; rep < REPS; rep++) {
    for (const name of rep % 2 === 0 ? order : [...order].reverse()) {
      const result = await load(ENDPOINTS[name], SECONDS, CONCURRENCY);
      const s = summary(result);
      runs[name].push(s);
      console.log(
        `  rep ${rep + 1} ${name.padEnd(7)} ${s.rps.toFixed(0)} req/s, p50 ${ms(
          s.p50,
        )}, p99 ${ms(s.p99)}, ${s.errors} error(s) of ${
          result.requests
        } (${Object.entries(result.statuses)
          .map(([k, v]) => `${k}: ${v}`)
          .join(', ')})`,
      );
    }
  }

  const med = (name: Endpoint, key: keyof ReturnType<typeof summary>) =>
    median(runs[name].map(r => r[key]));
  console.log('\nmedians');
  for (const name of order) {
    console.log(
      `  ${name.padEnd(7)} ${med(name, 'rps').toFixed(0)} req/s, p50 ${ms(
        med(name, 'p50'),
      )}, p99 ${ms(med(name, 'p99'))}, errors ${med(name, 'errors')}`,
    );
  }
  const throughput = med('report', 'rps') / med('catalog', 'rps');
  const p99 = med('report', 'p99') / med('catalog', 'p99');
  const reportErrors = runs.report.reduce((n, r) => n + r.errors, 0);
  console.log(
    `  report/catalog: throughput ${throughput.toFixed(
      2,
    )}x, p99 latency ${p99.toFixed(2)}x`,
  );
  console.log(
    `goal: throughput at least 0.8x: ${goal(
      throughput >= 0.8,
    )}; p99 at most 2x: ${goal(
      p99 <= 2,
    )}; report errors 0 (${reportErrors}): ${goal(
      reportErrors === 0,
    )}; load average at the end: ${machine().loadAverage}`,
  );
}

main().catch(error => {
  console.error(error);
  process.exitCode = 1;
});
