#!/usr/bin/env node
// The install test: every example and deploy/ is installed on a real control plane
// (scripts/cluster.sh) by running its own docs/DEPLOYMENT.md, then upgraded with a new
// image tag (Rollouts walk their steps, analysis included), rolled back, validated
// with the guide's own commands and server-side dry-run by `cno validate`.
//
//   node test/install/run.mjs [--only <package>[,<package>]] [--jobs N] [--keep]
//
// Fresh cluster per environment and cluster context. Packages run in parallel, one
// cluster each (--jobs, or CNO_INSTALL_JOBS, default 3; a worker process per package
// with its own cluster directory and ports); a package's output is printed when it
// ends. Most of the time is spent waiting (canary pauses, analysis intervals), not
// computing. The last line reads:
//   installed N/N packages (E environments), R rollouts progressed, B rollbacks
// and the process exits non-zero when any package failed. docs/testing.md explains
// what the cluster checks and what it cannot.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import YAML from 'yaml';
import { readGuide } from './guide.mjs';
import { notRunnable, substitute } from './placeholders.mjs';
import { startMetricsServer } from './metrics.mjs';

const REPO = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../..',
);
const CLUSTER = path.join(REPO, 'scripts/cluster.sh');
const NEW_TAG_SUFFIX = '-upgrade';
const COMMAND_TIMEOUT_SECONDS = Number(
  process.env.CNO_INSTALL_COMMAND_SECONDS ?? 300,
);
const ROLLOUT_SECONDS = Number(process.env.CNO_INSTALL_ROLLOUT_SECONDS ?? 600);
const WAIT_SECONDS = Number(process.env.CNO_INSTALL_WAIT_SECONDS ?? 240);

const args = process.argv.slice(2);
const only = (() => {
  const i = args.indexOf('--only');
  return i >= 0 ? new Set(args[i + 1].split(',')) : undefined;
})();

function log(message) {
  process.stdout.write(`${message}\n`);
}

function sh(command, options = {}) {
  // timeout(1) ends the whole command (helm, kubectl), not only its shell
  const seconds = options.timeoutSeconds ?? 1200;
  const result = spawnSync(
    'timeout',
    ['-k', '5', String(seconds), 'bash', '-o', 'pipefail', '-c', command],
    {
      cwd: options.cwd ?? REPO,
      env: options.env ?? process.env,
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    },
  );
  return {
    ok: result.status === 0,
    status: result.status === 124 ? null : result.status,
    out: `${result.stdout ?? ''}${result.stderr ?? ''}`,
    stdout: result.stdout ?? '',
  };
}

function must(command, options) {
  const result = sh(command, options);
  if (!result.ok) {
    throw new Error(`\`${command}\` failed:\n${tail(result.out)}`);
  }
  return result.stdout;
}

function tail(text, lines = 25) {
  return text.trimEnd().split('\n').slice(-lines).join('\n');
}

function sleep(seconds) {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, seconds * 1000);
}

/** Every package the project ships: the examples and deploy/. */
function packages() {
  const dirs = fs
    .readdirSync(path.join(REPO, 'examples'), { withFileTypes: true })
    .filter(d => d.isDirectory())
    .map(d => ({
      name: d.name,
      dir: path.join(REPO, 'examples', d.name, 'package'),
    }));
  dirs.push({ name: 'deploy', dir: path.join(REPO, 'deploy', 'package') });
  return dirs.filter(
    p =>
      fs.existsSync(path.join(p.dir, 'docs', 'DEPLOYMENT.md')) &&
      (!only || only.has(p.name)),
  );
}

/** A copy of the package in a git repository, as a user's checkout is. */
function checkout(pkg) {
  const dir = fs.mkdtempSync(
    path.join(os.tmpdir(), `cno-install-${pkg.name}-`),
  );
  fs.cpSync(pkg.dir, dir, { recursive: true });
  must(
    'git init -q && git add -A && git -c user.email=test@localhost -c user.name=install-test commit -qm "package as generated"',
    { cwd: dir },
  );
  return dir;
}

class Cluster {
  constructor(binDir, metricsProxy) {
    this.binDir = binDir;
    this.metricsProxy = metricsProxy;
    this.kubeconfig = must(`${CLUSTER} kubeconfig`).trim();
  }

  reset() {
    must(`${CLUSTER} reset`, {
      env: { ...process.env, CNO_ROLLOUTS_HTTP_PROXY: this.metricsProxy },
      timeoutSeconds: 300,
    });
  }

  /** The Helm major on PATH for the guide's commands. */
  useHelm(major) {
    this.helm = major;
  }

  env() {
    return {
      ...process.env,
      KUBECONFIG: this.kubeconfig,
      PATH: `${this.binDir}/helm${this.helm ?? 4}:${this.binDir}:${
        process.env.PATH
      }`,
      HELM_CACHE_HOME: path.join(os.tmpdir(), 'cno-install-helm-cache'),
      HELM_CONFIG_HOME: path.join(os.tmpdir(), 'cno-install-helm-config'),
      HELM_DATA_HOME: path.join(os.tmpdir(), 'cno-install-helm-data'),
    };
  }

  kubectl(command, options = {}) {
    return sh(`kubectl ${command}`, { ...options, env: this.env() });
  }

  json(command) {
    const result = this.kubectl(`${command} -o json`);
    if (!result.ok) throw new Error(`kubectl ${command}: ${tail(result.out)}`);
    return JSON.parse(result.stdout);
  }
}

/**
 * Volumes as a CSI driver would provision them: for every StorageClass the package
 * uses (and the empty class), a pool of pre-provisioned PersistentVolumes. The PV
 * controller of kube-controller-manager binds the claims (and the scheduler, for
 * WaitForFirstConsumer classes), as on a real cluster.
 */
function provisionVolumes(cluster, dir) {
  const classes = new Set(['']);
  const walk = d => {
    for (const entry of fs.readdirSync(d, { withFileTypes: true })) {
      const file = path.join(d, entry.name);
      if (entry.isDirectory() && entry.name !== '.git') walk(file);
      else if (/\.ya?ml$/.test(entry.name)) {
        const text = fs.readFileSync(file, 'utf8');
        for (const m of text.matchAll(
          /storageClassName:\s*"?([a-z0-9.-]+)"?/g,
        )) {
          classes.add(m[1]);
        }
        if (/kind:\s*StorageClass/.test(text)) {
          for (const doc of YAML.parseAllDocuments(text)) {
            const o = doc.toJSON();
            if (o?.kind === 'StorageClass' && o.metadata?.name) {
              classes.add(o.metadata.name);
            }
          }
        }
      }
    }
  };
  walk(dir);
  const pvs = [];
  for (const storageClass of classes) {
    for (let i = 0; i < 12; i++) {
      pvs.push({
        apiVersion: 'v1',
        kind: 'PersistentVolume',
        metadata: {
          name: `pv-${storageClass || 'no-class'}-${i}`,
          labels: { 'cno.test/provisioned': 'true' },
        },
        spec: {
          capacity: { storage: '1Ti' },
          accessModes: ['ReadWriteOnce', 'ReadOnlyMany', 'ReadWriteMany'],
          persistentVolumeReclaimPolicy: 'Delete',
          storageClassName: storageClass,
          hostPath: { path: `/var/lib/cno-test/${storageClass}/${i}` },
        },
      });
    }
  }
  const file = path.join(os.tmpdir(), 'cno-install-pvs.yaml');
  fs.writeFileSync(file, pvs.map(pv => YAML.stringify(pv)).join('---\n'));
  must(`kubectl apply -f ${file}`, { env: cluster.env() });
  return [...classes];
}

/** Runs one guide command as written (placeholders mapped); returns a step result. */
function runCommand(cluster, dir, raw, ctx) {
  const { command, unknown } = substitute(raw, ctx);
  if (unknown.length > 0) {
    return {
      ok: false,
      command: raw,
      out: `unknown placeholder ${unknown.join(
        ', ',
      )}: add it to test/install/placeholders.mjs or fix the guide`,
    };
  }
  const reason = notRunnable(command);
  if (reason) {
    log(`    skip  ${command}  (${reason})`);
    return { ok: true, skipped: true };
  }
  const start = Date.now();
  const result = sh(command, {
    cwd: dir,
    env: cluster.env(),
    timeoutSeconds: COMMAND_TIMEOUT_SECONDS,
  });
  if (result.status === null) {
    result.out += `\n(stopped after ${COMMAND_TIMEOUT_SECONDS}s)\n${diagnostics(
      cluster,
    )}`;
  }
  // kubectl diff exits 1 when it found differences, >1 on an error
  if (/^kubectl diff /.test(command) && result.status === 1) result.ok = true;
  const seconds = ((Date.now() - start) / 1000).toFixed(1);
  log(`    ${result.ok ? 'ok   ' : 'FAIL '} ${command}  (${seconds}s)`);
  return { ...result, command };
}

function runAll(cluster, dir, commands, ctx) {
  for (const command of commands) {
    const result = runCommand(cluster, dir, command, ctx);
    if (!result.ok) {
      throw new Error(
        `the guide's command failed: ${result.command}\n${tail(result.out)}`,
      );
    }
  }
}

const ADDON_NAMESPACES = [
  'argocd',
  'argo-rollouts',
  'external-secrets',
  'flux-system',
  'istio-system',
  'karpenter',
  'knative-eventing',
  'knative-serving',
  'linkerd',
  'monitoring',
];
const SYSTEM_NAMESPACES = new Set([
  'kube-system',
  'kube-public',
  'kube-node-lease',
]);
const notSystem = o => !SYSTEM_NAMESPACES.has(o.metadata.namespace);

/** What a user waits for: workloads available, Rollouts healthy, Jobs done, PVCs bound. */
function waitUntilSettled(cluster, { image } = {}) {
  const deadline = Date.now() + WAIT_SECONDS * 1000;
  let problems = [];
  while (Date.now() < deadline) {
    problems = settleProblems(cluster, image);
    if (problems.length === 0) return;
    sleep(2);
  }
  throw new Error(
    `not settled after ${WAIT_SECONDS}s:\n  ${problems.join(
      '\n  ',
    )}\n${diagnostics(cluster)}`,
  );
}

function settleProblems(cluster, image) {
  const problems = [];
  const items = kind => cluster.json(`get ${kind} -A`).items.filter(notSystem);
  const name = o =>
    `${o.kind ?? ''} ${o.metadata.namespace}/${o.metadata.name}`;
  for (const d of items('deployments.apps')) {
    const s = d.status ?? {};
    const want = d.spec.replicas ?? 1;
    if (
      (s.updatedReplicas ?? 0) < want ||
      (s.availableReplicas ?? 0) < want ||
      (s.observedGeneration ?? 0) < d.metadata.generation
    ) {
      problems.push(
        `Deployment ${d.metadata.namespace}/${d.metadata.name}: ${
          s.availableReplicas ?? 0
        }/${want} available`,
      );
    }
  }
  for (const d of items('statefulsets.apps')) {
    const s = d.status ?? {};
    const want = d.spec.replicas ?? 1;
    if ((s.readyReplicas ?? 0) < want || (s.updatedReplicas ?? 0) < want) {
      problems.push(
        `StatefulSet ${d.metadata.namespace}/${d.metadata.name}: ${
          s.readyReplicas ?? 0
        }/${want} ready`,
      );
    }
  }
  for (const d of items('daemonsets.apps')) {
    const s = d.status ?? {};
    if (
      (s.numberAvailable ?? 0) < (s.desiredNumberScheduled ?? 1) ||
      !s.desiredNumberScheduled
    ) {
      problems.push(
        `DaemonSet ${d.metadata.namespace}/${d.metadata.name}: ${
          s.numberAvailable ?? 0
        }/${s.desiredNumberScheduled ?? '?'} available`,
      );
    }
  }
  for (const r of items('rollouts.argoproj.io')) {
    const s = r.status ?? {};
    if (s.phase !== 'Healthy') {
      problems.push(
        `Rollout ${r.metadata.namespace}/${r.metadata.name}: ${
          s.phase ?? 'no status'
        } ${s.message ?? ''}`,
      );
    }
  }
  for (const j of items('jobs.batch')) {
    const done = (j.status?.conditions ?? []).some(
      c => c.type === 'Complete' && c.status === 'True',
    );
    if (!done && !j.metadata.ownerReferences) {
      problems.push(
        `Job ${j.metadata.namespace}/${j.metadata.name}: not complete`,
      );
    }
  }
  for (const c of items('persistentvolumeclaims')) {
    if (c.status?.phase !== 'Bound') {
      problems.push(
        `PVC ${c.metadata.namespace}/${c.metadata.name}: ${c.status?.phase}`,
      );
    }
  }
  if (image) {
    for (const p of items('pods')) {
      if (p.metadata.deletionTimestamp || p.status?.phase === 'Succeeded')
        continue;
      const owner = p.metadata.ownerReferences?.[0]?.kind;
      if (owner === 'Job') continue;
      for (const c of p.spec.containers) {
        if (image.test(c.image) && !c.image.endsWith(image.tag)) {
          problems.push(
            `pod ${p.metadata.namespace}/${p.metadata.name} still runs ${c.image}`,
          );
        }
      }
    }
  }
  void name;
  return problems;
}

function diagnostics(cluster) {
  const pods = cluster.kubectl('get pods -A -o wide');
  const events = cluster.kubectl(
    'get events -A --field-selector type!=Normal -o custom-columns=NS:.metadata.namespace,OBJ:.involvedObject.name,REASON:.reason,MSG:.message',
  );
  return `pods:\n${tail(pods.out, 30)}\nwarning events:\n${tail(
    events.out,
    30,
  )}`;
}

/** The images of the package's own services (the registry of architecture.yaml). */
function ownImages(dir) {
  const spec = YAML.parse(
    fs.readFileSync(path.join(dir, 'architecture.yaml'), 'utf8'),
  );
  return spec.spec?.registry;
}

/**
 * A new release as the guide describes it: a new image tag for every service, in
 * the environment's values file (Helm) or in the rendered manifests (kubectl).
 * Committed, so `<previous-commit>` is the generated package.
 */
function bumpImages(dir, env, registry) {
  const valuesFiles = fs.existsSync(path.join(dir, 'helm'))
    ? fs
        .readdirSync(path.join(dir, 'helm'))
        .map(chart => path.join(dir, 'helm', chart))
    : [];
  let changed = 0;
  for (const chart of valuesFiles) {
    const base = YAML.parse(
      fs.readFileSync(path.join(chart, 'values.yaml'), 'utf8'),
    );
    const envFile = path.join(chart, `values-${env}.yaml`);
    if (!fs.existsSync(envFile)) continue;
    const doc = YAML.parseDocument(fs.readFileSync(envFile, 'utf8'));
    for (const [service, values] of Object.entries(base.services ?? {})) {
      const tag = values?.image?.tag;
      if (!tag) continue;
      const current = doc.getIn(['services', service, 'image', 'tag']) ?? tag;
      doc.setIn(
        ['services', service, 'image', 'tag'],
        `${current}${NEW_TAG_SUFFIX}`,
      );
      changed++;
    }
    fs.writeFileSync(envFile, doc.toString());
  }
  const manifests = path.join(dir, 'kubernetes', env);
  if (valuesFiles.length === 0 && fs.existsSync(manifests) && registry) {
    for (const file of fs.readdirSync(manifests)) {
      const p = path.join(manifests, file);
      const text = fs.readFileSync(p, 'utf8');
      const escaped = registry.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
      const next = text.replace(
        new RegExp(`(image: "?${escaped}/[^:"\\s]+:)([^"\\s]+)`, 'g'),
        (_, prefix, tag) => {
          changed++;
          return `${prefix}${tag}${NEW_TAG_SUFFIX}`;
        },
      );
      fs.writeFileSync(p, next);
    }
  }
  must(
    `git -c user.email=test@localhost -c user.name=install-test commit -qam "new image tags (${env})"`,
    { cwd: dir },
  );
  return changed;
}

/**
 * Drives every Rollout of the upgrade to the end as an operator does: indefinite
 * pauses are promoted, analysis runs against the test's metrics endpoint.
 */
function progressRollouts(cluster, stats) {
  // a blue-green pre-promotion analysis of 5 measurements 1m apart takes 4+ min
  const deadline = Date.now() + ROLLOUT_SECONDS * 1000;
  const rollouts = () => cluster.json('get rollouts.argoproj.io -A').items;
  const started = rollouts().filter(r => r.status?.phase !== 'Healthy');
  const progressed = new Set();
  for (;;) {
    const all = rollouts();
    const pending = all.filter(r => r.status?.phase !== 'Healthy');
    if (pending.length === 0) break;
    for (const r of pending) {
      const { namespace, name } = r.metadata;
      if (r.status?.phase === 'Degraded') {
        throw new Error(
          `Rollout ${namespace}/${name} degraded: ${
            r.status.message
          }\n${diagnostics(cluster)}`,
        );
      }
      if ((r.status?.pauseConditions ?? []).length > 0 || r.spec.paused) {
        const reasons = (r.status.pauseConditions ?? [])
          .map(c => c.reason)
          .join(',');
        log(
          `    promote rollout ${namespace}/${name} (paused: ${
            reasons || 'spec.paused'
          })`,
        );
        must(`kubectl argo rollouts promote ${name} -n ${namespace}`, {
          env: cluster.env(),
        });
      }
    }
    if (Date.now() > deadline) {
      throw new Error(
        `Rollouts not healthy after ${ROLLOUT_SECONDS}s: ${pending
          .map(
            r =>
              `${r.metadata.namespace}/${r.metadata.name} ${r.status?.phase} ${
                r.status?.message ?? ''
              }`,
          )
          .join('; ')}\n${diagnostics(cluster)}`,
      );
    }
    sleep(3);
  }
  for (const r of started)
    progressed.add(`${r.metadata.namespace}/${r.metadata.name}`);
  const runs = cluster.json('get analysisruns.argoproj.io -A').items;
  for (const run of runs) {
    if (run.status?.phase !== 'Successful' && run.status?.phase !== 'Running') {
      throw new Error(
        `AnalysisRun ${run.metadata.namespace}/${run.metadata.name}: ${
          run.status?.phase
        } ${run.status?.message ?? ''}`,
      );
    }
  }
  stats.rollouts += progressed.size;
  return { progressed: progressed.size, analysisRuns: runs.length };
}

function helmRevision(cluster, release, namespace) {
  const out = cluster.kubectl(
    `get secrets -n ${namespace} -l owner=helm,name=${release} -o json`,
  );
  const versions = JSON.parse(out.stdout || '{"items":[]}').items.map(s =>
    Number(s.metadata.labels.version),
  );
  return versions.length ? Math.max(...versions) : undefined;
}

function installEnvironment(pkg, dir, environment, stats, cluster) {
  const registry = ownImages(dir);
  const escaped = (registry ?? '^$').replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  const guide = readGuide(
    fs.readFileSync(path.join(dir, 'docs', 'DEPLOYMENT.md'), 'utf8'),
  );
  const env = guide.environments.find(e => e.env === environment.env);
  for (const [index, segment] of env.deploy.entries()) {
    const label = `${pkg.name}/${env.env}${
      segment.context ? ` (${segment.context})` : ''
    }`;
    stats.clusters = (stats.clusters ?? 0) + 1;
    // the guides' Helm is Helm 4 (Helm 3's security fixes ended on 2026-11-11; its
    // flags differ: --atomic, a boolean --wait); CNO_INSTALL_HELM=3 tries the other
    cluster.useHelm(Number(process.env.CNO_INSTALL_HELM ?? 4));
    log(`  ${label}: fresh cluster, helm ${cluster.helm}`);
    cluster.reset();
    // the namespaces the cluster add-ons of the guide's section 3 create (their CRDs
    // are installed by scripts/cluster.sh; their controllers do not run here)
    must(
      `kubectl create namespace ${ADDON_NAMESPACES.join(
        ' && kubectl create namespace ',
      )}`,
      { env: cluster.env() },
    );
    const classes = provisionVolumes(cluster, dir);
    if (index === 0) serverDryRun(cluster, dir, env.env, label);
    log(
      `    volumes pre-provisioned for StorageClasses: ${classes
        .map(c => c || '""')
        .join(', ')}`,
    );
    const ctx = {};
    log(`  ${label}: install (the guide's deploy commands)`);
    runAll(cluster, dir, segment.commands, ctx);
    waitUntilSettled(cluster);
    const validate = env.validate[index] ?? env.validate[0];
    if (validate) {
      log(`  ${label}: the guide's validation commands`);
      runAll(cluster, dir, validate.commands, ctx);
    }
    if (env.env === 'knative') {
      stats.environments++;
      continue;
    }
    // upgrade: a new image tag, deployed by the same commands
    const releases = segment.commands
      .map(c => /^helm upgrade --install (\S+) \S+ -n (\S+)/.exec(c))
      .filter(Boolean)
      .map(m => ({ release: m[1], namespace: m[2] }));
    for (const r of releases)
      r.before = helmRevision(cluster, r.release, r.namespace);
    const changed = bumpImages(dir, env.env, registry);
    log(
      `  ${label}: upgrade (${changed} image tags changed, the guide's deploy commands again)`,
    );
    runAll(cluster, dir, segment.commands, ctx);
    const image = new RegExp(`^${escaped}/`);
    image.tag = NEW_TAG_SUFFIX;
    const { progressed, analysisRuns } = progressRollouts(cluster, stats);
    waitUntilSettled(cluster, { image });
    log(
      `    ${progressed} rollout(s) progressed to 100%, ${analysisRuns} analysis run(s)`,
    );
    // rollback: the guide's own commands
    ctx.previousRevision = releases[0]?.before;
    const rollback =
      releases.length > 0 ? guide.rollback.helm : guide.rollback.manifests;
    const commands = rollback
      .filter(c => !/^helm history/.test(c) || true)
      .map(c => c.replaceAll('<env>', env.env));
    ctx.previousCommit = must('git rev-parse HEAD~1', { cwd: dir }).trim();
    log(`  ${label}: rollback (the guide's commands)`);
    runAll(
      cluster,
      dir,
      commands.map(c => c.replaceAll('<previous-commit>', ctx.previousCommit)),
      ctx,
    );
    const back = new RegExp(`^${escaped}/`);
    back.test = s => new RegExp(`^${escaped}/`).test(s);
    progressRollouts(cluster, { rollouts: 0 });
    waitUntilSettled(cluster);
    // the replaced pods go as their controllers scale them down: a blue-green
    // Rollout keeps the old ReplicaSet for scaleDownDelaySeconds after the switch
    let stale = settleUpgraded(cluster, escaped);
    const until = Date.now() + WAIT_SECONDS * 1000;
    while (stale.length > 0 && Date.now() < until) {
      sleep(3);
      stale = settleUpgraded(cluster, escaped);
    }
    if (stale.length > 0) {
      throw new Error(
        `${WAIT_SECONDS} s after the rollback, pods still run the new tag:\n  ${stale.join(
          '\n  ',
        )}`,
      );
    }
    stats.rollbacks++;
    must(
      `git checkout -q HEAD~1 -- . && git -c user.email=test@localhost -c user.name=install-test commit -qam "rolled back (${env.env})" --allow-empty`,
      { cwd: dir },
    );
    stats.environments++;
  }
}

/**
 * `cno validate --server-dry-run` of the environment's objects, in the fresh cluster
 * before anything is installed (so that no live object of another provider's
 * overlay merges into them), with the package's namespace created for the dry run
 * and deleted again before the guide runs.
 */
function serverDryRun(cluster, dir, env, label) {
  log(`  ${label}: cno validate --server-dry-run`);
  const md = fs.readFileSync(path.join(dir, 'docs', 'DEPLOYMENT.md'), 'utf8');
  const namespace = /^\| Namespace \| `([a-z0-9-]+)` \|/m.exec(md)?.[1];
  if (namespace)
    must(`kubectl create namespace ${namespace}`, { env: cluster.env() });
  const dryRun = sh(
    `node plugins/cloud-native-node/bin/cno validate ${dir} --no-tools --server-dry-run --kubeconfig ${
      cluster.kubeconfig
    } --dry-run-env ${env === 'knative' ? 'prod' : env}`,
    { env: cluster.env() },
  );
  const rejected = dryRun.out
    .split('\n')
    .filter(l => /^error\s+server-dry-run/.test(l));
  if (namespace) {
    must(`kubectl delete namespace ${namespace} --wait --timeout 120s`, {
      env: cluster.env(),
    });
  }
  if (rejected.length > 0 || (!dryRun.ok && !/error\(s\)/.test(dryRun.out))) {
    throw new Error(
      `server-side dry run rejected objects:\n${
        rejected.join('\n') || tail(dryRun.out)
      }`,
    );
  }
  log(`    ${tail(dryRun.out, 1)}`);
}

function settleUpgraded(cluster, escaped) {
  const own = new RegExp(`^${escaped}/`);
  return cluster
    .json('get pods -A')
    .items.filter(notSystem)
    .filter(
      p => !p.metadata.deletionTimestamp && p.status?.phase !== 'Succeeded',
    )
    .flatMap(p =>
      p.spec.containers
        .filter(c => own.test(c.image) && c.image.endsWith(NEW_TAG_SUFFIX))
        .map(c => `${p.metadata.namespace}/${p.metadata.name} ${c.image}`),
    );
}

/**
 * Packages known not to install yet, each with the defect (and the issue that fixes
 * it) and a pattern that the failure's message must match. A listed package that
 * fails otherwise, or installs, fails the test: the list can only shrink.
 */
function knownFailures() {
  const file = path.join(REPO, 'test', 'install', 'known-failures.tsv');
  const rows = fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter(l => l.trim() && !l.startsWith('#'))
    .map(l => l.split('\t'));
  return new Map(
    rows.map(([name, pattern, reason]) => [
      name,
      { pattern: new RegExp(pattern), reason },
    ]),
  );
}

/** Installs packages one after the other on one cluster (a worker, or --jobs 1). */
function runPackages(list, binDir, stats) {
  const metrics = startMetricsServer({
    port: Number(process.env.CNO_INSTALL_METRICS_PORT ?? 19090),
  });
  const cluster = new Cluster(binDir, metrics.proxyUrl);
  const results = [];
  try {
    for (const pkg of list) {
      const dir = checkout(pkg);
      const guide = readGuide(
        fs.readFileSync(path.join(dir, 'docs', 'DEPLOYMENT.md'), 'utf8'),
      );
      if (guide.environments.length === 0) {
        log(
          `${pkg.name}: no Kubernetes objects (serverless on a cloud): nothing to install here`,
        );
        results.push({ pkg, status: 'not-kubernetes' });
        continue;
      }
      log(`${pkg.name}: ${guide.environments.map(e => e.env).join(', ')}`);
      try {
        for (const environment of guide.environments) {
          installEnvironment(pkg, dir, environment, stats, cluster);
        }
        results.push({ pkg, status: 'installed' });
        log(`${pkg.name}: installed`);
      } catch (error) {
        results.push({ pkg, status: 'failed', error });
        log(`${pkg.name}: FAILED\n${error.message}`);
      }
    }
  } finally {
    metrics.close();
    if (!args.includes('--keep')) sh(`${CLUSTER} stop`);
  }
  return results;
}

/** The value of `--name value`, if given. */
function option(name) {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
}

/**
 * Slot `slot`'s cluster: its own directory and ports, offset from the defaults (or
 * from the CNO_CLUSTER_API_PORT / CNO_CLUSTER_ETCD_PORT / CNO_INSTALL_METRICS_PORT
 * the caller set), so that clusters run side by side.
 */
function slotEnv(slot) {
  const base = (name, fallback) => Number(process.env[name] ?? fallback);
  return {
    ...process.env,
    CNO_CLUSTER_DIR: path.join(REPO, '.cache', `cluster-${slot}`),
    CNO_CLUSTER_API_PORT: String(
      base('CNO_CLUSTER_API_PORT', 16443) + slot * 10,
    ),
    CNO_CLUSTER_ETCD_PORT: String(
      base('CNO_CLUSTER_ETCD_PORT', 12379) + slot * 10,
    ),
    CNO_INSTALL_METRICS_PORT: String(
      base('CNO_INSTALL_METRICS_PORT', 19090) + slot,
    ),
  };
}

/** Longest first: environments, weighted by the Rollouts (steps and analysis take minutes). */
function weight(pkg) {
  const md = fs.readFileSync(
    path.join(pkg.dir, 'docs', 'DEPLOYMENT.md'),
    'utf8',
  );
  const contexts = new Set(md.match(/^kubectl config use-context \S+/gm) ?? []);
  return contexts.size * (/kubectl argo rollouts/.test(md) ? 5 : 1);
}

/** Runs each package in a worker process with its own cluster, `jobs` at a time. */
async function runParallel(list, jobs, stats) {
  const queue = [...list].sort((a, b) => weight(b) - weight(a));
  const results = [];
  const children = new Set();
  const stopAll = () => {
    for (const child of children) child.kill('SIGTERM');
  };
  process.once('SIGINT', stopAll);
  process.once('SIGTERM', stopAll);
  const worker = async slot => {
    while (queue.length > 0) {
      const pkg = queue.shift();
      const file = path.join(
        os.tmpdir(),
        `cno-install-${process.pid}-${slot}.json`,
      );
      fs.rmSync(file, { force: true });
      const began = Date.now();
      const output = [];
      const code = await new Promise(resolve => {
        const child = spawn(
          process.execPath,
          [
            fileURLToPath(import.meta.url),
            '--worker',
            file,
            '--only',
            pkg.name,
            ...(args.includes('--keep') ? ['--keep'] : []),
          ],
          { env: slotEnv(slot), stdio: ['ignore', 'pipe', 'pipe'] },
        );
        children.add(child);
        child.stdout.on('data', d => output.push(d));
        child.stderr.on('data', d => output.push(d));
        child.on('close', status => {
          children.delete(child);
          resolve(status);
        });
      });
      process.stdout.write(Buffer.concat(output));
      log(
        `  (${pkg.name}: ${((Date.now() - began) / 1000).toFixed(
          0,
        )} s, cluster ${slot})`,
      );
      let report;
      try {
        report = JSON.parse(fs.readFileSync(file, 'utf8'));
      } catch {
        report = undefined;
      }
      if (!report) {
        results.push({
          pkg,
          status: 'failed',
          error: new Error(
            `the worker ended with exit code ${code} and no result`,
          ),
        });
        continue;
      }
      for (const key of Object.keys(stats)) stats[key] += report.stats[key];
      for (const r of report.results) {
        results.push({
          pkg,
          status: r.status,
          ...(r.error ? { error: new Error(r.error) } : {}),
        });
      }
      fs.rmSync(file, { force: true });
    }
  };
  await Promise.all(
    Array.from({ length: Math.min(jobs, list.length) }, (_, slot) =>
      worker(slot),
    ),
  );
  return results;
}

async function main() {
  const start = Date.now();
  const binDir = must(`${CLUSTER} bin-dir`).trim();
  const stats = { environments: 0, rollouts: 0, rollbacks: 0 };
  const workerFile = option('--worker');
  if (workerFile) {
    // one package (or a few) on this worker's cluster; the parent sums up
    const results = runPackages(packages(), binDir, stats);
    fs.writeFileSync(
      workerFile,
      JSON.stringify({
        stats,
        results: results.map(r => ({
          status: r.status,
          ...(r.error ? { error: r.error.message } : {}),
        })),
      }),
    );
    return;
  }
  must(`${CLUSTER} build`, { timeoutSeconds: 3600 });
  // gathered before the workers start, so that they do not race for it
  must(`${CLUSTER} crds`, { timeoutSeconds: 1200 });
  const jobs = Number(option('--jobs') ?? process.env.CNO_INSTALL_JOBS ?? 3);
  const list = packages();
  log(
    `${list.length} package(s), ${Math.min(
      jobs,
      list.length,
    )} at a time (one cluster each)`,
  );
  const results =
    jobs <= 1
      ? runPackages(list, binDir, stats)
      : await runParallel(list, jobs, stats);
  const kube = results.filter(r => r.status !== 'not-kubernetes');
  const installed = kube.filter(r => r.status === 'installed');
  const known = knownFailures();
  let unexpected = 0;
  for (const r of kube) {
    const expected = known.get(r.pkg.name);
    if (
      r.status === 'failed' &&
      expected &&
      expected.pattern.test(r.error.message)
    ) {
      log(`known failure: ${r.pkg.name}: ${expected.reason}`);
    } else if (r.status === 'failed') {
      unexpected++;
      log(`failed: ${r.pkg.name}: ${r.error.message.split('\n')[0]}`);
    } else if (expected) {
      unexpected++;
      log(
        `failed: ${r.pkg.name} installs now: remove it from test/install/known-failures.tsv`,
      );
    }
  }
  log(
    `(${((Date.now() - start) / 1000).toFixed(0)} s; ${
      results.length - kube.length
    } package(s) without Kubernetes objects)`,
  );
  log(
    `${
      unexpected === 0 ? 'as expected' : `${unexpected} unexpected result(s)`
    }; ${
      known.size
    } known failure(s) listed in test/install/known-failures.tsv`,
  );
  // groups whose CRDs cannot be had: stored under stand-in CRDs, fields unchecked
  const standIns = fs
    .readFileSync(
      path.join(REPO, 'test', 'cluster', 'crds', 'sources.tsv'),
      'utf8',
    )
    .split('\n')
    .filter(l => l && !l.startsWith('#'))
    .map(l => l.split('\t'))
    .filter(c => c[3] === '-');
  for (const [groups, module] of standIns) {
    log(
      `not schema-checked: ${groups} (stand-in CRDs, no CRDs from ${module}: test/cluster/crds/sources.tsv)`,
    );
  }
  log(
    `installed ${installed.length}/${kube.length} packages (${stats.environments} environments), ${stats.rollouts} rollouts progressed, ${stats.rollbacks} rollbacks`,
  );
  process.exitCode = unexpected === 0 ? 0 : 1;
}

main().catch(error => {
  log(error.stack ?? String(error));
  process.exitCode = 1;
});
