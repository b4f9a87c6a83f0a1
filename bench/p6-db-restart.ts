/*
 * P6: a PostgreSQL restart while the report API and the history endpoint are
 * under load. Requests may fail while the database is down; afterwards they
 * must answer 200 again, without the backend crashing or being restarted.
 *
 * 1. `bash scripts/ensure-postgres.sh` (starts the local cluster if needed
 *    and prints its connection string);
 * 2. starts a backend of its own (bench/backend.sh, port BENCH_BACKEND_PORT,
 *    default 7017) on PostgreSQL: app-config.yaml + bench/app-config.postgres.yaml
 *    (databases cno_bench_<plugin>);
 * 3. keeps BENCH_CONCURRENCY (default 20) requests in flight on each of
 *      report   GET /api/cloud-native/entities/default/component/<entity>/report
 *      history  GET /api/cloud-native/entities/default/component/<entity>/history
 *      catalog  GET /api/catalog/entities/by-name/component/default/<entity>
 *    (the last for context: it reads the database on every request, while
 *    the report endpoint serves a fresh report from memory)
 *    for BENCH_P6_SECONDS (default 40), and BENCH_P6_RESTART_AT seconds in
 *    (default 10) runs `pg_ctlcluster <version> main restart` (with sudo when
 *    not root);
 * 4. prints the timeline (per second and endpoint: ok / errors, statuses)
 *    and the verdict: no errors before the restart, every request of the last
 *    BENCH_P6_QUIET (default 10) seconds answered 200, the backend process
 *    is the same and ready.
 *
 * BENCH_P6_ENTITY_CACHE=0 sets cloudNative.reports.entityCacheTtlSeconds to
 * 0, so that every report request asks the catalog, which reads the
 * database: the report endpoint then depends on the database per request.
 *
 * NOTE: it restarts the machine's PostgreSQL cluster (the one the store
 * tests of plugins/cloud-native-backend use): do not run it while those
 * tests run.
 *
 * Run: node -r @backstage/cli/config/nodeTransform.cjs bench/p6-db-restart.ts
 */
import os from 'node:os';
import {
  Backend,
  formatStatuses,
  guestToken,
  httpRequest,
  isAlive,
  loadWithTimeline,
  run,
  startBackend,
  stopBackend,
  TimelineSecond,
  waitUntil,
} from './harness';
import { envInt, goal, printMachine } from './lib';

const PORT = envInt('BENCH_BACKEND_PORT', 7017);
const ENTITY = process.env.BENCH_ENTITY ?? 'marketplace';
const SECONDS = envInt('BENCH_P6_SECONDS', 40);
const RESTART_AT = envInt('BENCH_P6_RESTART_AT', 10);
const QUIET = envInt('BENCH_P6_QUIET', 10);
const CONCURRENCY = envInt('BENCH_CONCURRENCY', 20);
const REQUEST_TIMEOUT_MS = 15_000;
/** BENCH_P6_ENTITY_CACHE=0: every report request asks the catalog (and so its database) */
const NO_ENTITY_CACHE = process.env.BENCH_P6_ENTITY_CACHE === '0';

const ENDPOINTS = {
  report: `/api/cloud-native/entities/default/component/${ENTITY}/report`,
  history: `/api/cloud-native/entities/default/component/${ENTITY}/history`,
  // for context: the catalog reads its database on every request
  catalog: `/api/catalog/entities/by-name/component/default/${ENTITY}`,
};

async function ensurePostgres(): Promise<{
  version: string;
  connection: string;
}> {
  const result = await run('bash', ['scripts/ensure-postgres.sh'], {
    quiet: true,
  });
  const match =
    /BACKSTAGE_TEST_DATABASE_POSTGRES(\d+)_CONNECTION_STRING=(\S+)/.exec(
      result.stdout,
    );
  if (result.code !== 0 || !match) {
    throw new Error(
      `scripts/ensure-postgres.sh failed (${result.code}): ${result.stderr}`,
    );
  }
  return { version: match[1], connection: match[2] };
}

function pgctl(version: string, action: string) {
  const args = [version, 'main', action];
  return process.getuid?.() === 0
    ? run('pg_ctlcluster', args, { quiet: true })
    : run('sudo', ['-n', 'pg_ctlcluster', ...args], { quiet: true });
}

function sum(seconds: TimelineSecond[], from: number, to: number) {
  let ok = 0;
  let errors = 0;
  for (let i = Math.max(0, from); i < Math.min(seconds.length, to); i++) {
    ok += seconds[i].ok;
    errors += seconds[i].errors;
  }
  return { ok, errors };
}

async function main() {
  printMachine('P6: PostgreSQL restart under load, then recovery');
  const pg = await ensurePostgres();
  console.log(
    `postgres: ${pg.version} (cluster main), ${pg.connection.replace(
      /\/\/[^@]*@/,
      '//***@',
    )}`,
  );
  let backend: Backend | undefined;
  try {
    backend = await startBackend({
      port: PORT,
      configs: ['bench/app-config.postgres.yaml'],
      env: {
        CNO_BENCH_PG_CONNECTION: pg.connection,
        ...(NO_ENTITY_CACHE
          ? { APP_CONFIG_cloudNative_reports_entityCacheTtlSeconds: '0' }
          : {}),
      },
    });
    const url = backend.url;
    const token = await guestToken(backend);
    for (const [name, path] of Object.entries(ENDPOINTS)) {
      await waitUntil(`${name} answers 200`, 120, async () => {
        const r = await httpRequest(`${url}${path}`, { token });
        return r.status === 200;
      });
    }
    const pid = backend.pid;
    console.log(
      `backend: ${url} (pid ${pid}) on PostgreSQL; entity component:default/${ENTITY}; ${
        NO_ENTITY_CACHE
          ? 'entityCacheTtlSeconds 0 (every report request asks the catalog)'
          : 'default caches (a fresh report is served from memory)'
      }`,
    );
    console.log(
      `load:    ${CONCURRENCY} in flight per endpoint for ${SECONDS} s (request timeout ${
        REQUEST_TIMEOUT_MS / 1000
      } s); restart at ${RESTART_AT} s; load average ${os
        .loadavg()
        .map(l => l.toFixed(2))
        .join(' ')}\n`,
    );

    const started = performance.now();
    const restart = (async () => {
      await new Promise(resolve => setTimeout(resolve, RESTART_AT * 1000));
      const from = (performance.now() - started) / 1000;
      const result = await pgctl(pg.version, 'restart');
      const to = (performance.now() - started) / 1000;
      return { from, to, result };
    })();
    const load = await loadWithTimeline({
      baseUrl: url,
      token,
      endpoints: ENDPOINTS,
      seconds: SECONDS,
      concurrency: CONCURRENCY,
      timeoutMs: REQUEST_TIMEOUT_MS,
      startedAt: started,
      keepBodies: 'errors',
    });
    const { from, to, result } = await restart;
    if (result.code !== 0) {
      console.log(
        `pg_ctlcluster ${pg.version} main restart failed (${
          result.code
        }): ${result.stderr.trim()}`,
      );
    }

    // the timeline
    const names = Object.keys(ENDPOINTS);
    const length = Math.max(...names.map(n => load.timeline[n].length));
    console.log(
      `  s  ${names
        .map(n => `${n} ok/err`.padEnd(30))
        .join('')}(restart ${from.toFixed(1)}–${to.toFixed(1)} s)`,
    );
    for (let i = 0; i < length; i++) {
      const cells = names.map(n => {
        const s = load.timeline[n][i] ?? { ok: 0, errors: 0, statuses: {} };
        const detail = s.errors ? ` ${formatStatuses(s.statuses)}` : '';
        return `${String(s.ok).padStart(5)}/${String(s.errors).padEnd(
          4,
        )}${detail}`.padEnd(30);
      });
      const mark = i >= Math.floor(from) && i < to ? '  << restart' : '';
      console.log(`${String(i).padStart(3)}  ${cells.join('')}${mark}`);
    }
    for (const n of names) {
      for (const [status, sample] of Object.entries(load.samples[n])) {
        console.log(
          `  ${n} ${status}: ${sample.replace(/\s+/g, ' ').slice(0, 200)}`,
        );
      }
    }

    // verdict
    const outageStart = Math.floor(from);
    const before = names.map(n => sum(load.timeline[n], 0, outageStart));
    const quietFrom = length - QUIET;
    const after = names.map(n => sum(load.timeline[n], quietFrom, length));
    const errorSeconds = names.flatMap(n =>
      load.timeline[n].flatMap((s, i) => (s.errors > 0 ? [i] : [])),
    );
    const firstError = errorSeconds.length ? Math.min(...errorSeconds) : NaN;
    const lastError = errorSeconds.length ? Math.max(...errorSeconds) : NaN;
    const ready = await httpRequest(`${url}/.backstage/health/v1/readiness`)
      .then(r => r.status)
      .catch(() => 0);
    const alive = isAlive(pid);
    const noErrorsBefore = before.every(b => b.errors === 0);
    const recovered =
      quietFrom > to && after.every(a => a.errors === 0 && a.ok > 0);
    console.log(
      `\nerrors: ${
        errorSeconds.length
          ? `seconds ${firstError}–${lastError} (${names
              .map(n => `${n} ${sum(load.timeline[n], 0, length).errors}`)
              .join(', ')}); restart ran ${from.toFixed(1)}–${to.toFixed(
              1,
            )} s; recovered ${
              lastError + 1 - to > 0
                ? `${(lastError + 1 - to).toFixed(
                    1,
                  )} s after pg_ctlcluster returned`
                : 'before pg_ctlcluster returned'
            }`
          : 'none'
      }`,
    );
    console.log(
      `verdict: no errors before the restart: ${goal(
        noErrorsBefore,
      )}; last ${QUIET} s all 200 (${after
        .map((a, i) => `${names[i]} ${a.ok}`)
        .join(', ')}): ${goal(
        recovered,
      )}; same backend process alive and ready: ${goal(
        alive && ready === 200,
      )}`,
    );
    if (!noErrorsBefore || !recovered || !alive || ready !== 200) {
      process.exitCode = 1;
    }
  } finally {
    if (backend) await stopBackend(backend);
  }
}

main().catch(error => {
  console.error(error);
  process.exitCode = 1;
});
