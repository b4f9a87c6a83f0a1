/*
 * P7: UrlReader failures under load. The report API maps a failing report
 * source to 502 with a JSON error (unit-tested in
 * plugins/cloud-native-backend/src/service/router.test.ts); this checks it
 * holds under load, and that the backend neither crashes nor leaks.
 *
 * Starts a backend of its own (bench/backend.sh, SQLite in memory, port
 * BENCH_BACKEND_PORT default 7017) with bench/app-config.bench.yaml, which
 * lets the UrlReader read four report sources that all fail:
 *
 *   refused        http://127.0.0.1:9/...            nothing listens
 *   unresolvable   http://cno-bench-p7.invalid/...   no such host
 *   upstream-error http://127.0.0.1:7019/error/...   a fake source host (this
 *                                                    process) answering 500
 *   upstream-hang  http://127.0.0.1:7019/hang/...    accepts, never answers
 *                                                    (cloudNative.reports.
 *                                                    readTimeoutSeconds: 3)
 *
 * registers bench/fixtures/p7-unreachable-reports.yaml (one component per
 * source) through the catalog API, then per source keeps BENCH_CONCURRENCY
 * (default 50) requests in flight for BENCH_P7_SECONDS (default 8) on
 * /api/cloud-native/entities/default/component/<name>/report, for
 * BENCH_P7_ROUNDS rounds (default 2). Every answer
 * must be 502 with a JSON body { error: { name: 'ReportSourceError',
 * message: '...<the report URL>...' } }. Before and after: readiness, a
 * working report (component marketplace) answering 200, the backend's RSS
 * and open file descriptors (a leak of sockets would show there).
 *
 * Run: node -r @backstage/cli/config/nodeTransform.cjs bench/p7-urlreader-errors.ts
 */
import http from 'node:http';
import { AddressInfo, Socket } from 'node:net';
import path from 'node:path';
import {
  Backend,
  formatStatuses,
  guestToken,
  httpRequest,
  isAlive,
  loadWithTimeline,
  processStats,
  REPO_ROOT,
  startBackend,
  stopBackend,
  waitUntil,
} from './harness';
import { envInt, goal, ms, percentile, printMachine } from './lib';

const PORT = envInt('BENCH_BACKEND_PORT', 7017);
const SECONDS = envInt('BENCH_P7_SECONDS', 8);
const CONCURRENCY = envInt('BENCH_CONCURRENCY', 50);
const ROUNDS = envInt('BENCH_P7_ROUNDS', 2);
const UPSTREAM_PORT = 7019;
const FIXTURE = path.join(
  REPO_ROOT,
  'bench',
  'fixtures',
  'p7-unreachable-reports.yaml',
);
const REPORT_PATH = 'deployment/deployment-report.yaml';

const CASES = {
  refused: {
    entity: 'cno-bench-p7-refused',
    url: `http://127.0.0.1:9/org/app/tree/main/${REPORT_PATH}`,
  },
  unresolvable: {
    entity: 'cno-bench-p7-unresolvable',
    url: `http://cno-bench-p7.invalid/org/app/tree/main/${REPORT_PATH}`,
  },
  'upstream-error': {
    entity: 'cno-bench-p7-upstream-error',
    url: `http://127.0.0.1:${UPSTREAM_PORT}/error/org/app/tree/main/${REPORT_PATH}`,
  },
  'upstream-hang': {
    entity: 'cno-bench-p7-upstream-hang',
    url: `http://127.0.0.1:${UPSTREAM_PORT}/hang/org/app/tree/main/${REPORT_PATH}`,
  },
};

const reportPath = (name: string) =>
  `/api/cloud-native/entities/default/component/${name}/report`;

/** The fake source host: /error/... answers 500, /hang/... never answers. */
async function startUpstream() {
  const hanging = new Set<Socket>();
  let requests = 0;
  const server = http.createServer((req, res) => {
    requests++;
    if (req.url?.startsWith('/hang/')) {
      hanging.add(req.socket);
      req.socket.on('close', () => hanging.delete(req.socket));
      return; // never answer
    }
    res.statusCode = 500;
    res.end('internal error of the fake source host');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(UPSTREAM_PORT, '127.0.0.1', () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    requests: () => requests,
    openHanging: () => hanging.size,
    close: () =>
      new Promise<void>(resolve => {
        for (const socket of hanging) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

interface Check {
  status: number;
  name?: string;
  message?: string;
}

function inspect(status: number, body: string): Check {
  try {
    const json = JSON.parse(body);
    return { status, name: json?.error?.name, message: json?.error?.message };
  } catch {
    return { status };
  }
}

async function healthy(backend: Backend, token: string) {
  const ready = await httpRequest(
    `${backend.url}/.backstage/health/v1/readiness`,
  ).then(
    r => r.status,
    () => 0,
  );
  const report = await httpRequest(
    `${backend.url}${reportPath('marketplace')}`,
    { token },
  ).then(
    r => r.status,
    () => 0,
  );
  const stats = await processStats(backend.pid);
  return { ready, report, alive: isAlive(backend.pid), stats };
}

async function main() {
  printMachine('P7: UrlReader failures under load → 502 with a JSON error');
  const upstream = await startUpstream();
  let backend: Backend | undefined;
  let locationId: string | undefined;
  let token = '';
  try {
    backend = await startBackend({
      port: PORT,
      configs: ['bench/app-config.bench.yaml'],
    });
    const url = backend.url;
    token = await guestToken(backend);

    // register the fixture (file locations are allowed: app-config.yaml sets
    // cloudNative.localPublish.directory)
    const registered = await httpRequest(`${url}/api/catalog/locations`, {
      method: 'POST',
      token,
      body: { type: 'file', target: FIXTURE },
    });
    if (registered.status === 201) {
      locationId = JSON.parse(registered.body).location?.id;
    } else if (registered.status !== 409) {
      throw new Error(
        `registering ${FIXTURE} answered ${
          registered.status
        }: ${registered.body.slice(0, 300)}`,
      );
    }
    for (const { entity } of Object.values(CASES)) {
      await waitUntil(`component ${entity} in the catalog`, 120, async () => {
        const r = await httpRequest(
          `${url}/api/catalog/entities/by-name/component/default/${entity}`,
          { token },
        );
        return r.status === 200;
      });
    }
    await waitUntil('component marketplace has a report', 120, async () => {
      const r = await httpRequest(`${url}${reportPath('marketplace')}`, {
        token,
      });
      return r.status === 200;
    });

    const before = await healthy(backend, token);
    console.log(
      `backend: ${url} (pid ${backend.pid}); before: readiness ${before.ready}, marketplace report ${before.report}, RSS ${before.stats?.rssMiB} MiB, ${before.stats?.fds} open fds`,
    );
    console.log(
      `load:    ${CONCURRENCY} in flight per source, ${SECONDS} s each, keep-alive\n`,
    );

    let violations = 0;
    const rssAfterRound: number[] = [];
    for (let round = 1; round <= ROUNDS; round++) {
      if (ROUNDS > 1) console.log(`round ${round} of ${ROUNDS}`);
      for (const [name, { entity, url: sourceUrl }] of Object.entries(CASES)) {
        const seen = new Map<string, number>();
        const load = await loadWithTimeline({
          baseUrl: url,
          token,
          endpoints: { [name]: reportPath(entity) },
          seconds: SECONDS,
          concurrency: CONCURRENCY,
          timeoutMs: 30_000,
          expected: (status, body) => {
            const check = inspect(status, body);
            const ok =
              check.status === 502 &&
              check.name === 'ReportSourceError' &&
              typeof check.message === 'string' &&
              check.message.includes(sourceUrl);
            if (ok) {
              // group the messages by their cause (after the URL)
              const cause = check
                .message!.slice(
                  check.message!.indexOf(sourceUrl) + sourceUrl.length,
                )
                .replace(/\d+(\.\d+)?/g, 'N')
                .slice(0, 140);
              seen.set(cause, (seen.get(cause) ?? 0) + 1);
            }
            return ok;
          },
        });
        const seconds = load.timeline[name];
        const total = seconds.reduce((n, s) => n + s.ok + s.errors, 0);
        const bad = seconds.reduce((n, s) => n + s.errors, 0);
        const statuses: Record<string, number> = {};
        for (const s of seconds) {
          for (const [k, v] of Object.entries(s.statuses)) {
            statuses[k] = (statuses[k] ?? 0) + v;
          }
        }
        violations += bad;
        const lat = load.latencies[name];
        console.log(
          `  ${name.padEnd(14)} ${total} answers, ${(total / SECONDS).toFixed(
            0,
          )}/s, p50 ${ms(percentile(lat, 50))}, p99 ${ms(
            percentile(lat, 99),
          )}; statuses ${formatStatuses(statuses)}; ${
            bad === 0 ? 'all 502 + JSON error naming the URL' : `${bad} NOT`
          }`,
        );
        for (const [cause, count] of seen) {
          console.log(`      message …${cause} (${count}x)`);
        }
        for (const [status, sample] of Object.entries(load.samples[name])) {
          console.log(
            `      unexpected ${status}: ${sample
              .replace(/\s+/g, ' ')
              .slice(0, 300)}`,
          );
        }
      }
      const stats = await processStats(backend.pid);
      rssAfterRound.push(stats?.rssMiB ?? NaN);
      console.log(
        `  after round ${round}: RSS ${stats?.rssMiB} MiB, ${stats?.fds} open fds`,
      );
    }

    // let keep-alive sockets and timers settle before comparing
    await new Promise(resolve => setTimeout(resolve, 3000));
    const after = await healthy(backend, token);
    console.log(
      `\nafter:   readiness ${after.ready}, marketplace report ${
        after.report
      }, process ${after.alive ? 'alive' : 'GONE'}, RSS ${
        after.stats?.rssMiB
      } MiB, ${
        after.stats?.fds
      } open fds; fake source host: ${upstream.requests()} requests, ${upstream.openHanging()} connection(s) still open`,
    );
    const fdGrowth =
      after.stats && before.stats ? after.stats.fds - before.stats.fds : NaN;
    const stillHealthy =
      after.alive && after.ready === 200 && after.report === 200;
    const noLeak = Number.isFinite(fdGrowth) && fdGrowth <= 20;
    console.log(
      `\nverdict: every answer 502 with a JSON error: ${goal(
        violations === 0,
      )}; backend healthy afterwards: ${goal(
        stillHealthy,
      )}; no descriptor leak (growth ${fdGrowth}, at most 20): ${goal(noLeak)}`,
    );
    if (rssAfterRound.length > 1) {
      console.log(
        `         (RSS after each round: ${rssAfterRound.join(
          ', ',
        )} MiB; reported, not judged: V8 gives memory back lazily, a leak shows as growth round after round)`,
      );
    }
    if (violations > 0 || !stillHealthy || !noLeak) process.exitCode = 1;
  } finally {
    if (backend) {
      if (locationId) {
        await httpRequest(
          `${backend.url}/api/catalog/locations/${locationId}`,
          {
            method: 'DELETE',
            token,
          },
        ).catch(() => undefined);
      }
      await stopBackend(backend);
    }
    await upstream.close();
  }
}

main().catch(error => {
  console.error(error);
  process.exitCode = 1;
});
