import { createPlan } from '@internal/backstage-plugin-cloud-native-common';
import { generatePackage } from '../../engine/orchestrate';
import { writePackage } from '../../package/writePackage';
import { serverDryRunFromFlags } from '../serverDryRunFlags';
import {
  CommandRegistration,
  EXIT_OK,
  EXIT_VALIDATION_FAILED,
  readSpec,
} from '../io';

interface GenerateOptions {
  out: string;
  force?: boolean;
  recordTimings?: boolean;
}

/** `cno generate <spec> --out <dir>`: exit 1 when the package has errors */
export const registerGenerate: CommandRegistration = (
  program,
  { io, setExitCode },
) => {
  program
    .command('generate')
    .description('Generate, validate and write the deployment package')
    .argument('<spec>', 'architecture spec (YAML or JSON)')
    .requiredOption('--out <dir>', 'output directory')
    .option(
      '--force',
      'write into a directory holding other files, or overwrite edited generated files',
    )
    .option('--record-timings', 'record skill timings in the report')
    .action(async (specFile: string, opts: GenerateOptions) => {
      const plan = createPlan(await readSpec(specFile));
      const serverDryRun = await serverDryRunFromFlags(opts, plan.environments);
      const pkg = await generatePackage(plan, {
        serverDryRun,
        recordTimings: opts.recordTimings,
        onSkill: entry =>
          io.stderr(
            `  ${entry.status.padEnd(7)} ${entry.skill}: ${
              entry.files
            } file(s), ${entry.findings} finding(s)${
              entry.durationMs !== undefined ? `, ${entry.durationMs} ms` : ''
            }\n`,
          ),
      });
      const result = await writePackage(opts.out, pkg.files, {
        force: opts.force,
        field: '--out',
      });
      const errors = pkg.findings.filter(f => f.severity === 'error');
      io.stdout(
        `wrote ${result.written.length} file(s) to ${opts.out}${
          result.removed.length
            ? `, removed ${result.removed.length} stale file(s)`
            : ''
        }\n`,
      );
      for (const finding of errors.slice(0, 50)) {
        io.stderr(
          `  error ${finding.ruleId} ${finding.file} ${
            finding.objectPath ?? ''
          }: ${finding.message}\n`,
        );
      }
      io.stdout(
        errors.length === 0
          ? 'validation: pass\n'
          : `validation: FAILED (${errors.length} error(s))\n`,
      );
      setExitCode(errors.length === 0 ? EXIT_OK : EXIT_VALIDATION_FAILED);
    });
};
