import { promises as fs } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { createLimiter, defaultToolConcurrency } from './limit';
import { findTool, LocatedTool } from './locateTool';
import { runTool, RunToolResult } from './runTool';

/**
 * The checks of a written package by the real tools: `helm lint --strict`
 * and `helm template` per environment of the chart, `kubectl kustomize` per
 * folder with a kustomization. Independent runs go in parallel (with a
 * concurrency limit), every run has its timeout, the whole phase has a
 * deadline, and the results come in a fixed order whatever the order in
 * which the processes finish.
 */

export interface PackageToolCheck {
  area: 'helm_chart' | 'kustomize';
  /** e.g. `helm lint --strict (values-dev.yaml)`, `kubectl kustomize mesh/dev` */
  check: string;
  status: 'pass' | 'fail' | 'skipped';
  reason?: string;
  /** The tool's output, for failures */
  output?: string;
}

export interface PackageToolChecksOptions {
  /** The chart to check with helm, relative to the package root */
  chart?: {
    /** e.g. `helm/<name>`, holding `values-<environment>.yaml` per environment */
    path: string;
    environments: ReadonlyArray<string>;
    /** Namespace passed to `helm template` (default: helm's default) */
    namespace?: string;
    /** Release name of `helm template` (default: the chart folder name) */
    releaseName?: string;
  };
  /** Folders (relative to the package root) to build with `kubectl kustomize` */
  kustomizations?: ReadonlyArray<string>;
  /** helm binary (default: located) */
  helmPath?: string;
  /** kubectl binary (default: located) */
  kubectlPath?: string;
  /** Timeout of each tool run (default 60 s) */
  timeoutMs?: number;
  /**
   * Deadline of the whole phase, version probes included (default 180 s):
   * running processes are then killed (their checks fail, "timed out") and
   * the checks not started yet are skipped ("timed out").
   */
  deadlineMs?: number;
  /** Tool processes at once (default: CPUs available, at least 4) */
  concurrency?: number;
}

export const DEFAULT_TOOL_TIMEOUT_MS = 60_000;
export const DEFAULT_TOOL_DEADLINE_MS = 180_000;

/**
 * helm and kubectl are Go programs that live a fraction of a second: their
 * garbage collection is wasted work (a quarter to a third of their CPU time
 * on a generated chart). Without the user's own GOGC / GOMEMLIMIT, it only
 * starts near a soft memory limit. What they check is unchanged.
 */
function toolEnvironment(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return {
    ...env,
    GOGC: env.GOGC ?? 'off',
    GOMEMLIMIT: env.GOMEMLIMIT ?? '768MiB',
  };
}

function seconds(ms: number): string {
  return `${Math.round(ms / 100) / 10} s`;
}

/** One planned run of a tool. */
interface Run {
  check: string;
  args: string[];
}

/** One run of the tool checks: where, with which limits, until when. */
interface ToolPhase {
  dir: string;
  timeoutMs: number;
  signal: AbortSignal;
  /** Resolves when the phase's deadline passes */
  deadlineReached: Promise<undefined>;
  /** The reason of every check the deadline stopped */
  deadlinePassed: string;
  limit: ReturnType<typeof createLimiter>;
  env: NodeJS.ProcessEnv;
}

/**
 * The kustomization folders each folder builds as part of its own build
 * (through `resources` or `bases`, transitively): a folder that builds
 * builds everything it includes.
 */
async function includedFolders(
  dir: string,
  folders: ReadonlyArray<string>,
): Promise<Map<string, Set<string>>> {
  const known = new Set(folders);
  const parsed = new Map<string, { kind?: unknown; entries: string[] }>();
  await Promise.all(
    folders.map(async folder => {
      let doc: unknown;
      try {
        doc = parseYaml(
          await fs.readFile(
            path.join(dir, folder, 'kustomization.yaml'),
            'utf8',
          ),
        );
      } catch {
        doc = undefined;
      }
      const record =
        doc && typeof doc === 'object' ? (doc as Record<string, unknown>) : {};
      const entries = [record.resources, record.bases]
        .flatMap(list => (Array.isArray(list) ? list : []))
        .filter((entry): entry is string => typeof entry === 'string');
      parsed.set(folder, { kind: record.kind, entries });
    }),
  );
  const direct = new Map<string, string[]>();
  for (const folder of folders) {
    const children: string[] = [];
    for (const entry of parsed.get(folder)!.entries) {
      // Remote bases (URLs, github.com/...) are not folders of the package
      if (/^[a-z][a-z0-9+.-]*:\/\//i.test(entry) || entry.includes('?')) {
        continue;
      }
      const child = path.posix
        .normalize(path.posix.join(folder, entry))
        .replace(/\/+$/, '');
      if (
        child !== folder &&
        known.has(child) &&
        parsed.get(child)!.kind !== 'Component'
      ) {
        children.push(child);
      }
    }
    direct.set(folder, children);
  }
  const closure = new Map<string, Set<string>>();
  for (const folder of folders) {
    const seen = new Set<string>();
    const stack = [...direct.get(folder)!];
    while (stack.length > 0) {
      const next = stack.pop()!;
      if (seen.has(next)) continue;
      seen.add(next);
      stack.push(...direct.get(next)!);
    }
    seen.delete(folder);
    closure.set(folder, seen);
  }
  return closure;
}

/** Runs a tool in the limit; undefined when the deadline passed first. */
function runIn(phase: ToolPhase, tool: LocatedTool, args: string[]) {
  return phase.limit(async (): Promise<RunToolResult | undefined> => {
    if (phase.signal.aborted) return undefined;
    return runTool(tool.path, args, {
      cwd: phase.dir,
      timeoutMs: phase.timeoutMs,
      signal: phase.signal,
      env: phase.env,
    });
  });
}

/** The tool, or every check skipped with the reason. */
async function locate(
  phase: ToolPhase,
  name: 'helm' | 'kubectl',
  configuredPath: string | undefined,
): Promise<{ tool?: LocatedTool; problem?: string }> {
  // A first extraction of the development packages does not watch the
  // signal: stop waiting for it at the deadline
  const found = await Promise.race([
    findTool(name, {
      ...(configuredPath !== undefined ? { configuredPath } : {}),
      signal: phase.signal,
    }),
    phase.deadlineReached,
  ]);
  if (!found || phase.signal.aborted) return { problem: phase.deadlinePassed };
  return found;
}

/** `helm lint --strict` and `helm template` per environment of the chart. */
function helmRunsOf(chart: PackageToolChecksOptions['chart']): Run[] {
  return (chart?.environments ?? []).flatMap(environment => {
    const valuesFile = path.posix.join(
      chart!.path,
      `values-${environment}.yaml`,
    );
    return [
      {
        check: `helm lint --strict (values-${environment}.yaml)`,
        args: ['lint', '--strict', chart!.path, '-f', valuesFile],
      },
      {
        check: `helm template (values-${environment}.yaml)`,
        args: [
          'template',
          chart!.releaseName ?? path.posix.basename(chart!.path),
          chart!.path,
          ...(chart!.namespace ? ['--namespace', chart!.namespace] : []),
          '-f',
          valuesFile,
        ],
      },
    ];
  });
}

/** A check that did not run: its tool is missing, or the deadline passed. */
function skipped(
  area: PackageToolCheck['area'],
  check: string,
  reason: string | undefined,
): PackageToolCheck {
  return { area, check, status: 'skipped', reason };
}

/**
 * The check of one tool run: skipped when the deadline passed before it ran
 * (no result), pass on exit code 0, else fail with `why` and the output.
 */
function outcomeOf(
  phase: ToolPhase,
  area: PackageToolCheck['area'],
  check: string,
  result: RunToolResult | undefined,
  why: (failed: RunToolResult) => string,
): PackageToolCheck {
  if (!result) return skipped(area, check, phase.deadlinePassed);
  if (result.code === 0) return { area, check, status: 'pass' };
  return {
    area,
    check,
    status: 'fail',
    reason: why(result),
    output: `${result.stdout}${result.stderr}`.trim().slice(0, 8000),
  };
}

async function helmChecks(
  phase: ToolPhase,
  chart: PackageToolChecksOptions['chart'],
  helmPath: string | undefined,
): Promise<PackageToolCheck[]> {
  const helmRuns = helmRunsOf(chart);
  if (helmRuns.length === 0) return [];
  const { tool: helm, problem } = await locate(phase, 'helm', helmPath);
  if (!helm) {
    return helmRuns.map(({ check }) => skipped('helm_chart', check, problem));
  }
  const why = (failed: RunToolResult) => {
    if (failed.aborted) return `helm ${helm.version} ${phase.deadlinePassed}`;
    if (failed.timedOut) return `helm ${helm.version} timed out`;
    return failed.error ?? `helm ${helm.version} exited with ${failed.code}`;
  };
  return Promise.all(
    helmRuns.map(async ({ check, args }) => {
      const result = await runIn(phase, helm, args);
      return outcomeOf(phase, 'helm_chart', check, result, why);
    }),
  );
}

const kustomizeCheck = (folder: string) => `kubectl kustomize ${folder}`;

/** The check of one `kubectl kustomize` run (undefined: the deadline passed). */
function kustomizeOutcome(
  phase: ToolPhase,
  folder: string,
  result: RunToolResult | undefined,
): PackageToolCheck {
  const why = (failed: RunToolResult) => {
    if (failed.aborted) return phase.deadlinePassed;
    if (failed.timedOut) return `timed out after ${seconds(phase.timeoutMs)}`;
    return failed.stderr.trim().split('\n')[0] || (failed.error ?? '');
  };
  return outcomeOf(phase, 'kustomize', kustomizeCheck(folder), result, why);
}

/** The outermost folders among those still to check (all of them in a cycle). */
function outermost(
  pending: Set<string>,
  included: Map<string, Set<string>>,
): string[] {
  const wave = [...pending].filter(
    folder =>
      ![...pending].some(
        other => other !== folder && included.get(other)!.has(folder),
      ),
  );
  // A cycle (kustomize refuses it): build each one on its own
  return wave.length === 0 ? [...pending] : wave;
}

async function kustomizeChecks(
  phase: ToolPhase,
  folders: string[],
  kubectlPath: string | undefined,
): Promise<PackageToolCheck[]> {
  if (folders.length === 0) return [];
  const [{ tool: kubectl, problem }, included] = await Promise.all([
    locate(phase, 'kubectl', kubectlPath),
    includedFolders(phase.dir, folders),
  ]);
  const results = new Map<string, PackageToolCheck>();
  if (!kubectl) {
    for (const folder of folders) {
      results.set(
        folder,
        skipped('kustomize', kustomizeCheck(folder), problem),
      );
    }
  }
  const pending = new Set(kubectl ? folders : []);
  while (pending.size > 0) {
    const wave = outermost(pending, included);
    for (const folder of wave) pending.delete(folder);
    await Promise.all(
      wave.map(async folder => {
        const result = await runIn(phase, kubectl!, ['kustomize', folder]);
        const outcome = kustomizeOutcome(phase, folder, result);
        if (outcome.status === 'pass') {
          // Built as part of this build
          for (const inner of included.get(folder)!) {
            if (!pending.delete(inner)) continue;
            results.set(inner, {
              area: 'kustomize',
              check: kustomizeCheck(inner),
              status: 'pass',
            });
          }
        }
        results.set(folder, outcome);
      }),
    );
  }
  return folders.map(folder => results.get(folder)!);
}

/**
 * Runs the helm and kustomize checks of a package written in `dir`.
 *
 * `kubectl kustomize` runs on the outermost kustomizations first: a build
 * includes the build of every kustomization it lists as a resource, so when
 * `kustomize/prod/overlays/eks` builds, `kustomize/prod/base`,
 * `kubernetes/prod` and `mesh/prod` (which it includes) build too, and pass
 * without a process of their own. When an outer build fails, the folders it
 * includes are built one by one, so that the failure is reported where it is.
 */
export async function runPackageToolChecks(
  dir: string,
  options: PackageToolChecksOptions,
): Promise<PackageToolCheck[]> {
  const deadlineMs = options.deadlineMs ?? DEFAULT_TOOL_DEADLINE_MS;
  const controller = new AbortController();
  const { signal } = controller;
  const deadline = setTimeout(() => controller.abort(), deadlineMs);
  const phase: ToolPhase = {
    dir,
    timeoutMs: options.timeoutMs ?? DEFAULT_TOOL_TIMEOUT_MS,
    signal,
    deadlineReached: new Promise<undefined>(resolve =>
      signal.addEventListener('abort', () => resolve(undefined), {
        once: true,
      }),
    ),
    deadlinePassed: `timed out: the tool checks did not finish within ${seconds(
      deadlineMs,
    )}`,
    limit: createLimiter(options.concurrency ?? defaultToolConcurrency()),
    env: toolEnvironment(process.env),
  };
  const folders = [...(options.kustomizations ?? [])].sort();
  try {
    const [helm, kustomize] = await Promise.all([
      helmChecks(phase, options.chart, options.helmPath),
      kustomizeChecks(phase, folders, options.kubectlPath),
    ]);
    return [...helm, ...kustomize];
  } finally {
    clearTimeout(deadline);
  }
}
