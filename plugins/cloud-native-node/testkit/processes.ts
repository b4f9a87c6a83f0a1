import { promises as fs } from 'node:fs';
import path from 'node:path';

/** A shell script standing in for a tool (helm, kubectl). */
export async function toolScript(
  dir: string,
  name: string,
  body: string,
): Promise<string> {
  const file = path.join(dir, name);
  await fs.writeFile(file, `#!/bin/sh\n${body}\n`, { mode: 0o755 });
  return file;
}

/** Running (a zombie waiting for its reaper counts as gone). */
export async function isRunning(pid: number): Promise<boolean> {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = await fs.readFile(`/proc/${pid}/stat`, 'utf8');
    // pid (comm) state ...
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return process.platform !== 'linux';
  }
}

/** Waits up to `ms` for the process to be gone; true when it is. */
export async function waitUntilGone(pid: number, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (!(await isRunning(pid))) return true;
    await new Promise(resolve => setTimeout(resolve, 50));
  }
  return !(await isRunning(pid));
}
