import { CliIO } from '../src/cli/io';

/**
 * A `CliIO` that records what `runCli` prints, for the CLI tests; `stdin`
 * (when given) is what the command reads from standard input.
 */
export function captureIO(stdin?: string) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIO = {
    stdout: (t: string) => out.push(t),
    stderr: (t: string) => err.push(t),
    ...(stdin === undefined ? {} : { stdin: async () => stdin }),
  };
  return { io, out: () => out.join(''), err: () => err.join('') };
}
