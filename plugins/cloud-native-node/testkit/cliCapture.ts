import type { CliIO } from '../src/cli/runCli';

/** A CliIO that keeps what the CLI printed, for the CLI tests. */
export function capture(): {
  io: CliIO;
  out: () => string;
  err: () => string;
} {
  const out: string[] = [];
  const err: string[] = [];
  return {
    io: {
      stdout: (t: string) => out.push(t),
      stderr: (t: string) => err.push(t),
    },
    out: () => out.join(''),
    err: () => err.join(''),
  };
}
