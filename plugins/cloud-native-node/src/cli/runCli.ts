import { promises as fs } from 'node:fs';
import { Command, CommanderError } from 'commander';
import {
  architectureJsonSchema,
  createPlan,
  deploymentReportJsonSchema,
  DeploymentPlan,
} from '@internal/backstage-plugin-cloud-native-common';
import { SpecValidationError, UnsafePathError } from '../engine/errors';
import { parseSpecText } from '../engine/loadSpec';
import { generatePackage } from '../engine/orchestrate';
import { writePackage } from '../package/writePackage';
import { ENGINE_VERSION } from '../engine/version';

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
        const pkg = await generatePackage(plan, {
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
      error instanceof UnsafePathError
    ) {
      io.stderr(`cno: ${error.message}\n`);
      return EXIT_BAD_INPUT;
    }
    throw error;
  }
}
