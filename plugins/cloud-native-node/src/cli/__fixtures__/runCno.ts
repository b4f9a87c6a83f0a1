import { runCli } from '../runCli';
import { captureIO } from '../../../testkit/cli';

/** Runs `cno <args>` with its output captured: the exit code and what it printed. */
export async function runCno(args: string[]) {
  const c = captureIO();
  const code = await runCli(args, c.io);
  return { code, out: c.out(), err: c.err() };
}
