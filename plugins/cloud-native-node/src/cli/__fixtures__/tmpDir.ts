import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * A fresh temporary directory for every test of the enclosing `describe`,
 * removed after the test. Returns the current test's directory.
 */
export function tmpDirPerTest(prefix: string): () => string {
  let dir = '';
  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), prefix));
  });
  afterEach(() => fs.rm(dir, { recursive: true, force: true }));
  return () => dir;
}
