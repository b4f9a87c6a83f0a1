/**
 * A small Dockerfile writer. Dockerfiles are text, so they are built line by
 * line here, but every instruction goes through a method that keeps the rules
 * the generated files promise:
 *
 * - there is no `ADD` (only `COPY`);
 * - `CMD`, `ENTRYPOINT`, `SHELL` and `HEALTHCHECK CMD` are exec form (JSON
 *   arrays, encoded with `JSON.stringify`, so no argument can break out);
 * - a `RUN` with a pipe gets `SHELL ["/bin/bash", "-o", "pipefail", "-c"]`
 *   first, so a failing command on the left of the pipe fails the build;
 * - `apt-get install` always comes with `--no-install-recommends` and the
 *   package lists are removed in the same layer;
 * - a stage without a shell (distroless, chiseled) accepts no `RUN` at all.
 */

/** What a stage's base image can run `RUN` with. */
export type StageShell = 'bash' | 'sh' | 'none';

/** Formats arguments as a Dockerfile exec-form JSON array. */
export function execForm(args: ReadonlyArray<string>): string {
  return `[${args.map(arg => JSON.stringify(arg)).join(', ')}]`;
}

const PIPEFAIL_SHELL = ['/bin/bash', '-o', 'pipefail', '-c'];

/** True when a shell command pipes (`a | b`), not for `a || b`. */
export function hasPipe(command: string): boolean {
  return /(^|[^|])\|($|[^|])/.test(command);
}

/** The one correct way to install Debian packages in a layer. */
export function aptInstall(packages: ReadonlyArray<string>): string[] {
  return [
    'apt-get update',
    `apt-get install -y --no-install-recommends ${[...packages]
      .sort()
      .join(' ')}`,
    'rm -rf /var/lib/apt/lists/*',
  ];
}

export interface HealthcheckOptions {
  intervalSeconds: number;
  timeoutSeconds: number;
  startPeriodSeconds: number;
  retries: number;
}

export class DockerfileWriter {
  private readonly lines: string[] = [];
  private shell: StageShell = 'none';
  private pipefail = false;
  private stages = 0;

  /** `# text`, one comment line per line of text. */
  comment(text: string): this {
    for (const line of text.split('\n')) {
      this.lines.push(line ? `# ${line}` : '#');
    }
    return this;
  }

  blank(): this {
    this.lines.push('');
    return this;
  }

  from(
    image: string,
    options: { as?: string; platform?: string; shell: StageShell },
  ): this {
    if (!/:[A-Za-z0-9_][A-Za-z0-9_.-]*$|@sha256:[a-f0-9]{64}$/.test(image)) {
      throw new Error(`base image '${image}' has no tag or digest`);
    }
    if (/:latest$/.test(image)) {
      throw new Error(`base image '${image}' uses the latest tag`);
    }
    const platform = options.platform ? `--platform=${options.platform} ` : '';
    const as = options.as ? ` AS ${options.as}` : '';
    this.lines.push(`FROM ${platform}${image}${as}`);
    this.shell = options.shell;
    this.pipefail = false;
    this.stages += 1;
    return this;
  }

  arg(name: string, defaultValue?: string): this {
    this.lines.push(
      defaultValue === undefined
        ? `ARG ${name}`
        : `ARG ${name}=${defaultValue}`,
    );
    return this;
  }

  /** `ENV` with `KEY=value` pairs; values are written as given. */
  env(pairs: ReadonlyArray<string>): this {
    return this.continued('ENV', pairs);
  }

  /** `LABEL key="value" ...`; values are double-quoted (`$VAR` expands). */
  label(labels: ReadonlyArray<[string, string]>): this {
    return this.continued(
      'LABEL',
      labels.map(([key, value]) => `${key}=${JSON.stringify(value)}`),
    );
  }

  workdir(path: string): this {
    this.lines.push(`WORKDIR ${path}`);
    return this;
  }

  copy(
    sources: ReadonlyArray<string>,
    destination: string,
    options: { from?: string } = {},
  ): this {
    const from = options.from ? `--from=${options.from} ` : '';
    this.lines.push(`COPY ${from}${[...sources, destination].join(' ')}`);
    return this;
  }

  /** One `RUN`: the commands are chained with `&&`, one per line. */
  run(commands: ReadonlyArray<string>): this {
    if (commands.length === 0) {
      throw new Error('RUN needs at least one command');
    }
    if (this.shell === 'none') {
      throw new Error(
        'this stage has no shell (distroless/chiseled): RUN cannot work',
      );
    }
    if (commands.some(hasPipe) && !this.pipefail) {
      if (this.shell !== 'bash') {
        throw new Error('a RUN with a pipe needs bash for pipefail');
      }
      this.lines.push(`SHELL ${execForm(PIPEFAIL_SHELL)}`);
      this.pipefail = true;
    }
    const [first, ...rest] = commands;
    this.lines.push(
      [`RUN ${first}`, ...rest.map(command => `    && ${command}`)].join(
        ' \\\n',
      ),
    );
    return this;
  }

  user(uid: number): this {
    if (!Number.isInteger(uid) || uid <= 0) {
      throw new Error(`USER must be a numeric non-root id, got ${uid}`);
    }
    this.lines.push(`USER ${uid}`);
    return this;
  }

  expose(port: number): this {
    this.lines.push(`EXPOSE ${port}`);
    return this;
  }

  healthcheck(
    options: HealthcheckOptions,
    command: ReadonlyArray<string>,
  ): this {
    this.lines.push(
      [
        `HEALTHCHECK --interval=${options.intervalSeconds}s --timeout=${options.timeoutSeconds}s --start-period=${options.startPeriodSeconds}s --retries=${options.retries}`,
        `    CMD ${execForm(command)}`,
      ].join(' \\\n'),
    );
    return this;
  }

  cmd(args: ReadonlyArray<string>): this {
    this.lines.push(`CMD ${execForm(args)}`);
    return this;
  }

  entrypoint(args: ReadonlyArray<string>): this {
    this.lines.push(`ENTRYPOINT ${execForm(args)}`);
    return this;
  }

  toString(): string {
    if (this.stages < 2) {
      throw new Error('a multi-stage Dockerfile needs at least two stages');
    }
    return `${this.lines.join('\n')}\n`;
  }

  private continued(instruction: string, items: ReadonlyArray<string>): this {
    if (items.length === 0) return this;
    const pad = ' '.repeat(instruction.length + 1);
    this.lines.push(
      items
        .map((item, i) =>
          i === 0 ? `${instruction} ${item}` : `${pad}${item}`,
        )
        .join(' \\\n'),
    );
    return this;
  }
}
