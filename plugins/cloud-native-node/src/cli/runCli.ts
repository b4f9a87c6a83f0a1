import { promises as fs } from 'node:fs';
import { Command, CommanderError } from 'commander';
import {
  architectureJsonSchema,
  createPlan,
  deploymentReportJsonSchema,
  DeploymentPlan,
} from '@internal/backstage-plugin-cloud-native-common';
import { SpecValidationError, UnsafePathError } from '../core/errors';
import { parseSpecText } from '../engine/loadSpec';
import { generatePackage } from '../engine/orchestrate';
import { writePackage } from '../package/writePackage';
import { estimateCost, formatCostTable } from '../cost';
import { readPackageDirectory } from '../package/readPackage';
import { validatePackage } from '../engine/validators';
import {
  addServerDryRunFlags,
  serverDryRunFromFlags,
  ServerDryRunFlagError,
} from './serverDryRunFlags';
import { ENGINE_VERSION } from '../core/version';

/** Exit codes of `cno`. */
export const EXIT_OK = 0;
export const EXIT_VALIDATION_FAILED = 1;
export const EXIT_BAD_INPUT = 2;

/** @public */
export interface CliIO {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

const defaultIO: CliIO = {
  stdout: text => process.stdout.write(text),
  stderr: text => process.stderr.write(text),
};

async function readSpec(file: string) {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (error) {
    throw new SpecValidationError([
      {
        path: '<spec>',
        message: `cannot read ${file}: ${
          (error as NodeJS.ErrnoException).code ?? (error as Error).message
        }`,
      },
    ]);
  }
  return parseSpecText(text, file);
}

async function isDirectory(target: string): Promise<boolean> {
  try {
    return (await fs.stat(target)).isDirectory();
  } catch {
    return false;
  }
}

function formatPlan(plan: DeploymentPlan): string {
  const lines = [
    `Plan for ${plan.name}`,
    `  platform:     ${plan.platform} (${plan.cloud}, ${plan.region})`,
    `  tier:         ${plan.tier}`,
    `  environments: ${plan.environments.join(', ')}`,
    `  mesh:         ${plan.mesh}`,
    `  packaging:    ${plan.packaging}`,
    `  complexity:   ${plan.complexity.level} (${plan.complexity.why})`,
    '',
    'Skills (in order):',
    ...plan.skills.map(
      (s, i) => `  ${i + 1}. ${s.id}: ${s.reason} [${s.ruleIds.join(', ')}]`,
    ),
    '',
    'Services:',
    ...plan.services.map(
      s =>
        `  - ${s.name}: ${s.service.workload} → ${s.runtime} ${s.objectKind}, strategy ${s.strategy}, image ${s.image}`,
    ),
    '',
    'Decisions:',
    ...plan.decisions.map(d => `  ${d.ruleId}  ${d.rationale}`),
    ...plan.services.flatMap(s =>
      s.decisions.map(d => `  ${d.ruleId}  ${s.name}: ${d.rationale}`),
    ),
  ];
  if (plan.questions.length > 0) {
    lines.push(
      '',
      'Questions:',
      ...plan.questions.map(
        q => `  ? ${q.question}\n    assumed: ${q.assumption}`,
      ),
    );
  }
  return `${lines.join('\n')}\n`;
}

/**
 * Runs `cno` with the given arguments (without the node and script paths)
 * and returns the exit code: 0 ok, 1 written but validation failed, 2 bad
 * input.
 *
 * @public
 */
export async function runCli(
  args: string[],
  io: CliIO = defaultIO,
): Promise<number> {
  let exitCode = EXIT_OK;
  const program = new Command('cno')
    .description(
      'Cloud-Native Deployment Orchestrator: architecture spec in, validated deployment package out',
    )
    .version(ENGINE_VERSION)
    .exitOverride()
    .configureOutput({
      writeOut: text => io.stdout(text),
      writeErr: text => io.stderr(text),
    });

  program
    .command('plan')
    .description('Print the plan the decision rules make for a spec')
    .argument('<spec>', 'architecture spec (YAML or JSON)')
    .option('--json', 'print the plan as JSON')
    .action(async (specFile: string, opts: { json?: boolean }) => {
      const plan = createPlan(await readSpec(specFile));
      if (opts.json) {
        const { architecture: _omit, ...rest } = plan;
        io.stdout(`${JSON.stringify(rest, null, 2)}\n`);
      } else {
        io.stdout(formatPlan(plan));
      }
    });

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
    .action(
      async (
        specFile: string,
        opts: { out: string; force?: boolean; recordTimings?: boolean },
      ) => {
        const plan = createPlan(await readSpec(specFile));
        const serverDryRun = await serverDryRunFromFlags(
          opts,
          plan.environments,
        );
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
        exitCode = errors.length === 0 ? EXIT_OK : EXIT_VALIDATION_FAILED;
      },
    );

  program
    .command('validate')
    .description(
      "Re-validate an existing package directory (for example a repository's edited package in CI)",
    )
    .argument('<dir>', 'package directory (holding architecture.yaml)')
    .option('--json', 'print the findings as JSON')
    .option('--no-tools', 'skip the real tools (helm, kubectl kustomize)')
    .option('--helm <path>', 'helm binary to use')
    .action(
      async (
        dir: string,
        opts: { json?: boolean; tools?: boolean; helm?: string },
      ) => {
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
        const serverDryRun = await serverDryRunFromFlags(
          opts,
          plan.environments,
        );
        // The report is output, not input: it is re-created by generate
        const result = await validatePackage(
          plan,
          files.filter(f => f.path !== 'deployment-report.yaml'),
          { tools: opts.tools, helmPath: opts.helm, serverDryRun },
        );
        const errors = result.findings.filter(f => f.severity === 'error');
        if (opts.json) {
          io.stdout(`${JSON.stringify(result, null, 2)}\n`);
        } else {
          for (const f of result.findings) {
            io.stdout(
              `${f.severity.padEnd(7)} ${f.ruleId} ${f.file}${
                f.objectPath ? ` ${f.objectPath}` : ''
              }: ${f.message}\n`,
            );
          }
          for (const t of result.toolChecks) {
            io.stdout(
              `${t.status.padEnd(7)} ${t.check}${
                t.reason ? ` (${t.reason})` : ''
              }\n`,
            );
          }
          for (const [area, value] of Object.entries(result.results)) {
            io.stdout(`${area}: ${value}\n`);
          }
          io.stdout(
            `${result.objectsChecked} object(s), ${errors.length} error(s), ${
              result.findings.length - errors.length
            } warning(s)/info\n`,
          );
        }
        exitCode = errors.length === 0 ? EXIT_OK : EXIT_VALIDATION_FAILED;
      },
    );

  program
    .command('cost')
    .description(
      'Print the monthly cost estimate of a spec or of a package directory',
    )
    .argument('<spec-or-dir>', 'architecture spec, or a package directory')
    .option('--json', 'print the estimate as JSON')
    .option('--env <environment...>', 'only these environments')
    .action(
      async (target: string, opts: { json?: boolean; env?: string[] }) => {
        const specFile = (await isDirectory(target))
          ? `${target}/architecture.yaml`
          : target;
        const plan = createPlan(await readSpec(specFile));
        const unknown = (opts.env ?? []).filter(
          e => !plan.environments.includes(e),
        );
        if (unknown.length > 0) {
          throw new SpecValidationError([
            {
              path: '--env',
              message: `unknown environment ${unknown.join(
                ', ',
              )} (the plan has ${plan.environments.join(', ')})`,
            },
          ]);
        }
        const estimate = estimateCost(plan, { environments: opts.env });
        io.stdout(
          opts.json
            ? `${JSON.stringify(estimate, null, 2)}\n`
            : formatCostTable(estimate),
        );
      },
    );

  program
    .command('schema')
    .description('Print the JSON Schema of the architecture spec or the report')
    .argument('[which]', 'architecture or report', 'architecture')
    .action((which: string) => {
      if (which !== 'architecture' && which !== 'report') {
        throw new SpecValidationError([
          { path: 'which', message: 'must be architecture or report' },
        ]);
      }
      const schema =
        which === 'architecture'
          ? architectureJsonSchema()
          : deploymentReportJsonSchema();
      io.stdout(`${JSON.stringify(schema, null, 2)}\n`);
    });

  // The optional server-side dry run of the validation (off unless asked)
  for (const command of program.commands) {
    if (['generate', 'validate'].includes(command.name())) {
      addServerDryRunFlags(command);
    }
  }

  try {
    await program.parseAsync(args, { from: 'user' });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version exit with 0; usage mistakes are bad input
      return error.exitCode === 0 ? EXIT_OK : EXIT_BAD_INPUT;
    }
    if (
      error instanceof SpecValidationError ||
      error instanceof UnsafePathError ||
      error instanceof ServerDryRunFlagError
    ) {
      io.stderr(`cno: ${error.message}\n`);
      return EXIT_BAD_INPUT;
    }
    throw error;
  }
}
