import { promises as fs } from 'node:fs';
import path from 'node:path';
import { GeneratedFile } from '../core/types';
import { UnsafePathError } from '../core/errors';

/** Folders that are never part of a package. */
const IGNORED = new Set(['.git', 'node_modules']);

/**
 * Reads every file of a package directory (text), for re-validation.
 * Symbolic links are not followed: a package is plain files.
 *
 * @public
 */
export async function readPackageDirectory(
  dir: string,
  field = '<dir>',
): Promise<GeneratedFile[]> {
  const root = path.resolve(dir);
  try {
    if (!(await fs.stat(root)).isDirectory()) {
      throw new UnsafePathError(field, `${dir} is not a directory`);
    }
  } catch (error) {
    if (error instanceof UnsafePathError) throw error;
    throw new UnsafePathError(field, `${dir} does not exist`);
  }
  const files: GeneratedFile[] = [];
  async function walk(relative: string) {
    const entries = await fs.readdir(path.join(root, relative), {
      withFileTypes: true,
    });
    for (const entry of entries) {
      const child = relative ? `${relative}/${entry.name}` : entry.name;
      if (entry.isDirectory()) {
        if (!IGNORED.has(entry.name)) await walk(child);
      } else if (entry.isFile()) {
        files.push({
          path: child,
          content: await fs.readFile(path.join(root, child), 'utf8'),
        });
      }
    }
  }
  await walk('');
  return files.sort((a, b) => {
    if (a.path === b.path) return 0;
    return a.path < b.path ? -1 : 1;
  });
}
