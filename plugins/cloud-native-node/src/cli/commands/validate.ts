import { createPlan } from '@internal/backstage-plugin-cloud-native-common';
import { UnsafePathError } from '../../core/errors';
import { parseSpecText } from '../../engine/loadSpec';
import { readPackageDirectory } from '../../package/readPackage';
import { validatePackage } from '../../engine/validators';
import { PackageValidationResult } from '../../validation';
import { serverDryRunFromFlags } from '../serverDryRunFlags';
import {
  CliIO,
  CommandRegistration,
  EXIT_OK,
  EXIT_VALIDATION_FAILED,
} from '../io';

interface ValidateOptions {
  json?: boolean;
  tools?: boolean;
  helm?: string;
}

function printResult(io: CliIO, result: PackageValidationResult) {
  for (const f of result.findings) {
    io.stdout(
      `${f.severity.padEnd(7)} ${f.ruleId} ${f.file}${
        f.objectPath ? ` ${f.objectPath}` : ''
      }: ${f.message}\n`,
    );
  }
  for (const t of result.toolChecks) {
    io.stdout(
      `${t.status.padEnd(7)} ${t.check}${t.reason ? ` (${t.reason})` : ''}\n`,
    );
  }
  for (const [area, value] of Object.entries(result.results)) {
    io.stdout(`${area}: ${value}\n`);
  }
  const errors = result.findings.filter(f => f.severity === 'error').length;
  io.stdout(
    `${result.objectsChecked} object(s), ${errors} error(s), ${
      result.findings.length - errors
    } warning(s)/info\n`,
  );
}

/** `cno validate <dir>`: exit 1 when the package has errors */
export const registerValidate: CommandRegistration = (
  program,
  { io, setExitCode },
) => {
  program
    .command('validate')
    .description(
      "Re-validate an existing package directory (for example a repository's edited package in CI)",
    )
    .argument('<dir>', 'package directory (holding architecture.yaml)')
    .option('--json', 'print the findings as JSON')
    .option('--no-tools', 'skip the real tools (helm, kubectl kustomize)')
    .option('--helm <path>', 'helm binary to use')
    .action(async (dir: string, opts: ValidateOptions) => {
      const files = await readPackageDirectory(dir);
      const specFile = files.find(f => f.path === 'architecture.yaml');
      if (!specFile) {
        throw new UnsafePathError(
          '<dir>',
          `${dir} has no architecture.yaml: not a cno package`,
        );
      }
      const plan = createPlan(
        parseSpecText(specFile.content, `${dir}/architecture.yaml`),
      );
      const serverDryRun = await serverDryRunFromFlags(opts, plan.environments);
      // The report is output, not input: it is re-created by generate
      const result = await validatePackage(
        plan,
        files.filter(f => f.path !== 'deployment-report.yaml'),
        { tools: opts.tools, helmPath: opts.helm, serverDryRun },
      );
      if (opts.json) {
        io.stdout(`${JSON.stringify(result, null, 2)}\n`);
      } else {
        printResult(io, result);
      }
      const failed = result.findings.some(f => f.severity === 'error');
      setExitCode(failed ? EXIT_VALIDATION_FAILED : EXIT_OK);
    });
};
