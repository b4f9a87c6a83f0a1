import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * The value an action gave one of its outputs, read from a mock action
 * context (`createMockActionContext`); undefined when it never set it.
 */
export function outputOf(ctx: { output: unknown }, name: string): any {
  return (ctx.output as jest.Mock).mock.calls.find(c => c[0] === name)?.[1];
}

/**
 * Gives every test of the calling `describe` block its own empty workspace
 * folder (made before each test, removed after it), as the scaffolder gives
 * each task one. Returns a getter for the folder of the running test; a
 * `beforeEach` the caller registers afterwards already sees it.
 */
export function temporaryWorkspaceEachTest(prefix: string): () => string {
  let workspacePath = '';
  beforeEach(async () => {
    workspacePath = await fs.mkdtemp(path.join(os.tmpdir(), prefix));
  });
  afterEach(() => fs.rm(workspacePath, { recursive: true, force: true }));
  return () => workspacePath;
}

/**
 * A mock action context (`createMockActionContext`) with `isDryRun` set, as
 * the Template Editor runs an action: createMockActionContext does not pass
 * isDryRun through.
 */
export function withDryRun<T extends object>(
  ctx: T,
  isDryRun = true,
): T & { isDryRun: boolean } {
  return { ...ctx, isDryRun };
}
