import { ChildProcess, spawn } from 'node:child_process';

/** @public */
export interface RunToolOptions {
  /** Working directory of the process */
  cwd?: string;
  /**
   * The process (and, on POSIX, its whole process group) is killed after
   * this many milliseconds. Every spawned process has a timeout.
   */
  timeoutMs?: number;
  /** Written to stdin, which is then closed; without it stdin is /dev/null */
  input?: string;
  /** Environment of the process; defaults to this process's environment */
  env?: NodeJS.ProcessEnv;
  /** Output beyond this many bytes per stream is dropped (default 32 MiB) */
  maxOutputBytes?: number;
  /**
   * Aborting kills the process (and its process group) like the timeout
   * does, and the result has `aborted: true`. An already aborted signal
   * starts nothing. Used for an overall deadline over several runs.
   */
  signal?: AbortSignal;
}

/** @public */
export interface RunToolResult {
  /** Exit code, or null when the process was killed or did not start */
  code: number | null;
  stdout: string;
  stderr: string;
  /** True when the process was killed because it exceeded its timeout */
  timedOut: boolean;
  /** Why the process could not be started (ENOENT, EACCES, ...) */
  error?: string;
  /** Present (true) when `signal` aborted the run: the process was killed */
  aborted?: true;
}

const DEFAULT_TIMEOUT_MS = 60_000;
const DEFAULT_MAX_OUTPUT = 32 * 1024 * 1024;
/** How long to wait for the pipes to close after the kill. */
const KILL_GRACE_MS = 2_000;

/** Process groups still running, killed if this process exits first. */
const running = new Set<ChildProcess>();
let exitHookInstalled = false;

function killTree(child: ChildProcess): void {
  if (child.pid === undefined) return;
  if (process.platform !== 'win32') {
    try {
      // Negative pid: the whole process group, so that children of a shell
      // script (e.g. `sleep`) die too and release the output pipes.
      process.kill(-child.pid, 'SIGKILL');
      return;
    } catch {
      // the group is gone already, or the child is not a group leader
    }
  }
  try {
    child.kill('SIGKILL');
  } catch {
    // already exited
  }
}

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const child of running) killTree(child);
  });
}

/**
 * Runs a program without a shell (arguments are passed as they are, never
 * parsed), collects its output and kills it, with its process group, when it
 * runs longer than `timeoutMs`. Never rejects: failures to start are
 * reported in `error`.
 *
 * @public
 */
export function runTool(
  path: string,
  args: ReadonlyArray<string>,
  options: RunToolOptions = {},
): Promise<RunToolResult> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const maxOutput = options.maxOutputBytes ?? DEFAULT_MAX_OUTPUT;
  return new Promise(resolve => {
    if (options.signal?.aborted) {
      resolve({
        code: null,
        stdout: '',
        stderr: '',
        timedOut: false,
        aborted: true,
      });
      return;
    }
    let child: ChildProcess;
    try {
      child = spawn(path, [...args], {
        cwd: options.cwd,
        env: options.env ?? process.env,
        stdio: [
          options.input !== undefined ? 'pipe' : 'ignore',
          'pipe',
          'pipe',
        ],
        shell: false,
        windowsHide: true,
        // Its own process group, so a timeout kills the grandchildren too
        detached: process.platform !== 'win32',
      });
    } catch (error) {
      resolve({
        code: null,
        stdout: '',
        stderr: '',
        timedOut: false,
        error: (error as Error).message,
      });
      return;
    }
    installExitHook();
    running.add(child);

    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    const sizes = { stdout: 0, stderr: 0 };
    const collect =
      (chunks: Buffer[], stream: 'stdout' | 'stderr') => (chunk: Buffer) => {
        if (sizes[stream] >= maxOutput) return;
        const room = maxOutput - sizes[stream];
        const kept = chunk.length > room ? chunk.subarray(0, room) : chunk;
        chunks.push(kept);
        sizes[stream] += kept.length;
      };
    child.stdout?.on('data', collect(stdout, 'stdout'));
    child.stderr?.on('data', collect(stderr, 'stderr'));

    let timedOut = false;
    let aborted = false;
    let startError: string | undefined;
    let settled = false;
    const timers: { run?: NodeJS.Timeout; grace?: NodeJS.Timeout } = {};

    const finish = (code: number | null) => {
      if (settled) return;
      settled = true;
      clearTimeout(timers.run);
      clearTimeout(timers.grace);
      options.signal?.removeEventListener('abort', onAbort);
      running.delete(child);
      child.stdout?.destroy();
      child.stderr?.destroy();
      resolve({
        code: timedOut || aborted ? null : code,
        stdout: Buffer.concat(stdout).toString('utf8'),
        stderr: Buffer.concat(stderr).toString('utf8'),
        timedOut,
        ...(startError ? { error: startError } : {}),
        ...(aborted ? { aborted: true as const } : {}),
      });
    };

    const kill = () => {
      killTree(child);
      // Do not wait forever for pipes held open by an unkillable process
      timers.grace ??= setTimeout(() => finish(null), KILL_GRACE_MS);
    };
    function onAbort() {
      if (settled || timedOut) return;
      aborted = true;
      kill();
    }
    options.signal?.addEventListener('abort', onAbort, { once: true });

    timers.run = setTimeout(() => {
      if (aborted) return;
      timedOut = true;
      kill();
    }, timeoutMs);

    child.on('error', error => {
      startError = error.message;
      // 'close' may not follow a failed spawn
      setImmediate(() => finish(null));
    });
    child.on('close', code => finish(code));

    if (options.input !== undefined && child.stdin) {
      child.stdin.on('error', () => {
        // the process exited before reading its input
      });
      child.stdin.end(options.input);
    }
  });
}
