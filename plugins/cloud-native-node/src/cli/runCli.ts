import { Command, CommanderError } from 'commander';
import { SpecValidationError, UnsafePathError } from '../core/errors';
import { ENGINE_VERSION } from '../core/version';
import {
  addServerDryRunFlags,
  ServerDryRunFlagError,
} from './serverDryRunFlags';
import {
  CliInputError,
  CliIO,
  CommandRegistration,
  defaultIO,
  EXIT_BAD_INPUT,
  EXIT_OK,
} from './io';
import { registerPlan } from './commands/plan';
import { registerGenerate } from './commands/generate';
import { registerValidate } from './commands/validate';
import { registerCost } from './commands/cost';
import { registerSchema } from './commands/schema';
import { registerDiagnose } from './commands/diagnose';

export { EXIT_BAD_INPUT, EXIT_OK, EXIT_VALIDATION_FAILED } from './io';
export type { CliIO } from './io';

/** The commands of `cno`, in the order `--help` lists them */
const COMMANDS: CommandRegistration[] = [
  registerPlan,
  registerGenerate,
  registerValidate,
  registerCost,
  registerSchema,
  registerDiagnose,
];

/**
 * Runs `cno` with the given arguments (without the node and script paths)
 * and returns the exit code: 0 ok, 1 written but validation failed (or, for
 * `diagnose`, a problem found), 2 bad input.
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
  const context = {
    io,
    setExitCode: (code: number) => {
      exitCode = code;
    },
  };
  for (const register of COMMANDS) register(program, context);

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
      error instanceof ServerDryRunFlagError ||
      error instanceof CliInputError
    ) {
      io.stderr(`cno: ${error.message}\n`);
      return EXIT_BAD_INPUT;
    }
    throw error;
  }
}
