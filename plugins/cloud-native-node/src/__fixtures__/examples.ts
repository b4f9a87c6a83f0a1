import { promises as fs, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

/** The repository's examples/ folder (tests only, never part of a build). */
// eslint-disable-next-line no-restricted-syntax
export const EXAMPLES_DIR = path.resolve(__dirname, '../../../../examples');

/**
 * Every committed example: each folder of examples/ with an
 * architecture.yaml, sorted. Read from disk so that a new example is covered
 * by every test that iterates the examples without editing a list.
 */
export const EXAMPLE_NAMES: string[] = readdirSync(EXAMPLES_DIR, {
  withFileTypes: true,
})
  .filter(entry => {
    if (!entry.isDirectory()) return false;
    try {
      return statSync(
        path.join(EXAMPLES_DIR, entry.name, 'architecture.yaml'),
      ).isFile();
    } catch {
      return false;
    }
  })
  .map(entry => entry.name)
  .sort();

/**
 * The files under a folder, relative to it, sorted (none when the folder
 * does not exist).
 */
export async function listFiles(root: string, dir = ''): Promise<string[]> {
  let entries;
  try {
    entries = await fs.readdir(path.join(root, dir), { withFileTypes: true });
  } catch {
    return [];
  }
  const out: string[] = [];
  for (const entry of entries) {
    const relative = dir ? `${dir}/${entry.name}` : entry.name;
    if (entry.isDirectory()) out.push(...(await listFiles(root, relative)));
    else out.push(relative);
  }
  return out.sort();
}
