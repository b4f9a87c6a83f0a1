import { execFileSync } from 'node:child_process';
import path from 'node:path';

/**
 * The open-source Serverless Framework v3 fork (osls), run offline on a
 * generated serverless.yml: `osls print` resolves variables and validates the
 * configuration, `osls package` compiles it to CloudFormation, both without
 * AWS credentials.
 */
const OSLS = path.join(
  path.dirname(require.resolve('osls/package.json')),
  'bin',
  'serverless.js',
);

export interface OslsResult {
  /** The exit status (-1 when it did not exit, e.g. timed out) */
  status: number;
  /** stdout on success; stdout then stderr on a failure */
  output: string;
}

/**
 * Runs osls in `dir` with a clean environment (no AWS credentials, no user
 * config: HOME is `dir` unless `env` names another) plus `env`.
 */
export function osls(
  dir: string,
  args: string[],
  env: Record<string, string> = {},
): OslsResult {
  try {
    const stdout = execFileSync(process.execPath, [OSLS, ...args], {
      cwd: dir,
      encoding: 'utf8',
      timeout: 60_000,
      stdio: ['ignore', 'pipe', 'pipe'],
      // no AWS credentials, no user config: everything must work offline
      env: {
        PATH: process.env.PATH ?? '',
        HOME: dir,
        SLS_TELEMETRY_DISABLED: '1',
        SLS_NOTIFICATIONS_MODE: 'off',
        ...env,
      },
    });
    return { status: 0, output: stdout };
  } catch (error) {
    const e = error as { status?: number; stdout?: string; stderr?: string };
    return {
      status: e.status ?? -1,
      output: `${e.stdout ?? ''}${e.stderr ?? ''}`,
    };
  }
}
