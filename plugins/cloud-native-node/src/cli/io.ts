import { promises as fs } from 'node:fs';
import { Command } from 'commander';
import { SpecValidationError } from '../core/errors';
import { parseSpecText } from '../engine/loadSpec';

/** Exit codes of `cno`. */
export const EXIT_OK = 0;
export const EXIT_VALIDATION_FAILED = 1;
export const EXIT_BAD_INPUT = 2;

/** @public */
export interface CliIO {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** The whole standard input (`cno diagnose` without a file reads it) */
  stdin?: () => Promise<string>;
}

async function readProcessStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) {
    chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export const defaultIO: CliIO = {
  stdout: text => process.stdout.write(text),
  stderr: text => process.stderr.write(text),
  stdin: readProcessStdin,
};

/**
 * What a command needs from `runCli`: where to print, and how to report an
 * exit code other than 0 (commander's actions return nothing).
 */
export interface CommandContext {
  io: CliIO;
  setExitCode: (code: number) => void;
}

/** Adds one command to the `cno` program. */
export type CommandRegistration = (
  program: Command,
  context: CommandContext,
) => void;

/** Reads and parses a spec file; an unreadable file is bad input. */
export async function readSpec(file: string) {
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

export async function isDirectory(target: string): Promise<boolean> {
  try {
    return (await fs.stat(target)).isDirectory();
  } catch {
    return false;
  }
}

/**
 * A command's input (a file, standard input) is unusable; the message names
 * the input and the problem. `cno` exits 2 with it.
 */
export class CliInputError extends Error {
  constructor(source: string, message: string) {
    super(`${source}: ${message}`);
    this.name = 'CliInputError';
  }
}
