import { Command } from 'commander';
import { ServerDryRunOptions } from '../core/types';
import { CliInputError } from './io';
import {
  loadDryRunCluster,
  ServerDryRunConfigError,
} from '../validation/serverDryRun';

/**
 * The `cno` flags of the optional server-side dry run (`cno validate`,
 * `cno generate`).
 */

/** A bad flag value: bad input whose message starts with the flag. */
export class ServerDryRunFlagError extends CliInputError {
  readonly flag: string;

  constructor(flag: string, message: string) {
    super(flag, message);
    this.name = 'ServerDryRunFlagError';
    this.flag = flag;
  }
}

/** Adds --server-dry-run and the flags that configure it to a command. */
export function addServerDryRunFlags(command: Command): Command {
  return command
    .option(
      '--server-dry-run',
      'also send every object to a cluster: server-side apply with dryRun=All, nothing is persisted',
    )
    .option(
      '--kubeconfig <file>',
      'kubeconfig of --server-dry-run (default: $KUBECONFIG, then ~/.kube/config)',
    )
    .option(
      '--context <name>',
      'kubeconfig context of --server-dry-run (default: its current-context)',
    )
    .option(
      '--namespace <name>',
      "namespace of --server-dry-run objects that set none (default: the context's, else default)",
    )
    .option(
      '--dry-run-env <environment...>',
      'only send the objects of these environments (default: all)',
    );
}

const FLAGS: Array<[keyof DryRunFlags, string]> = [
  ['kubeconfig', '--kubeconfig'],
  ['context', '--context'],
  ['namespace', '--namespace'],
  ['dryRunEnv', '--dry-run-env'],
];

interface DryRunFlags {
  serverDryRun?: boolean;
  kubeconfig?: string;
  context?: string;
  namespace?: string;
  dryRunEnv?: string[];
}

/**
 * The dry-run options of the parsed flags, checked before anything runs:
 * the kubeconfig is loaded and the context resolved, so a bad value is a
 * usage error naming its flag, not a failed check.
 *
 * @returns undefined when --server-dry-run is not given
 * @throws ServerDryRunFlagError
 */
export async function serverDryRunFromFlags(
  opts: object,
  environments: ReadonlyArray<string>,
): Promise<ServerDryRunOptions | undefined> {
  const flags = opts as DryRunFlags;
  if (!flags.serverDryRun) {
    const stray = FLAGS.find(([key]) => flags[key] !== undefined);
    if (stray) {
      throw new ServerDryRunFlagError(
        stray[1],
        'only used with --server-dry-run',
      );
    }
    return undefined;
  }
  const unknown = (flags.dryRunEnv ?? []).filter(
    e => !environments.includes(e),
  );
  if (unknown.length > 0) {
    throw new ServerDryRunFlagError(
      '--dry-run-env',
      `unknown environment ${unknown.join(
        ', ',
      )} (the plan has ${environments.join(', ')})`,
    );
  }
  const options: ServerDryRunOptions = {
    ...(flags.kubeconfig !== undefined ? { kubeconfig: flags.kubeconfig } : {}),
    ...(flags.context !== undefined ? { context: flags.context } : {}),
    ...(flags.namespace !== undefined ? { namespace: flags.namespace } : {}),
    ...(flags.dryRunEnv ? { environments: flags.dryRunEnv } : {}),
  };
  try {
    await loadDryRunCluster(options);
  } catch (error) {
    if (error instanceof ServerDryRunConfigError) {
      throw new ServerDryRunFlagError(`--${error.field}`, error.message);
    }
    throw error;
  }
  return options;
}
