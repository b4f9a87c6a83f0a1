import path from 'node:path';
import { locateTool, runTool } from '../../tools';

export interface ChartCheckResult {
  /** e.g. `helm lint --strict (values-dev.yaml)` */
  check: string;
  status: 'pass' | 'fail' | 'skipped';
  reason?: string;
  /** helm's output, for failures */
  output?: string;
}

export interface CheckChartOptions {
  /** Namespace passed to `helm template -n` (default: helm's default) */
  namespace?: string;
  /** Release name of `helm template` (default: the chart folder name) */
  releaseName?: string;
  /** Per helm invocation (default 60 s) */
  timeoutMs?: number;
}

/**
 * Runs `helm lint --strict` and `helm template` on a written chart, once
 * per environment with its `values-<env>.yaml`. `dir` is the package root,
 * `chartPath` the chart folder relative to it (`helm/<name>`). Without a
 * helm binary (none configured, on the PATH, or in the development
 * packages) every check is reported as skipped, not failed.
 */
export async function checkChart(
  dir: string,
  chartPath: string,
  environments: string[],
  helmPath?: string,
  options: CheckChartOptions = {},
): Promise<ChartCheckResult[]> {
  const checks = environments.flatMap(environment => {
    const valuesFile = path.posix.join(chartPath, `values-${environment}.yaml`);
    return [
      {
        check: `helm lint --strict (values-${environment}.yaml)`,
        args: ['lint', '--strict', chartPath, '-f', valuesFile],
      },
      {
        check: `helm template (values-${environment}.yaml)`,
        args: [
          'template',
          options.releaseName ?? path.posix.basename(chartPath),
          chartPath,
          ...(options.namespace ? ['--namespace', options.namespace] : []),
          '-f',
          valuesFile,
        ],
      },
    ];
  });
  const helm = await locateTool(
    'helm',
    helmPath !== undefined ? { configuredPath: helmPath } : {},
  );
  if (!helm) {
    return checks.map(({ check }) => ({
      check,
      status: 'skipped' as const,
      reason: 'helm not found',
    }));
  }
  const results: ChartCheckResult[] = [];
  for (const { check, args } of checks) {
    const result = await runTool(helm.path, args, {
      cwd: dir,
      timeoutMs: options.timeoutMs ?? 60_000,
    });
    const output = `${result.stdout}${result.stderr}`.trim();
    if (result.code === 0) {
      results.push({ check, status: 'pass' });
    } else {
      results.push({
        check,
        status: 'fail',
        reason: result.timedOut
          ? `helm ${helm.version} timed out`
          : result.error ?? `helm ${helm.version} exited with ${result.code}`,
        output: output.slice(0, 8000),
      });
    }
  }
  return results;
}
