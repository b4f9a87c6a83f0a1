import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { UnsafePathError } from '../engine/errors';
import { GeneratedFile } from '../engine/types';
import { REPORT_FILE } from '../report/buildReport';

/** @public */
export interface WritePackageOptions {
  /** Write into a directory holding files cno did not generate (they are kept) */
  force?: boolean;
  /** The option name to blame in errors, e.g. `--out` or `targetPath` */
  field?: string;
}

/** @public */
export interface WritePackageResult {
  written: string[];
  removed: string[];
}

/**
 * Checks that a package-relative path stays inside the package.
 *
 * @public
 */
export function assertSafeRelativePath(relative: string, field: string): void {
  if (
    relative.length === 0 ||
    relative.includes('\0') ||
    path.isAbsolute(relative) ||
    /^[a-zA-Z]:/.test(relative) ||
    relative.split(/[\\/]/).some(segment => segment === '..')
  ) {
    throw new UnsafePathError(
      field,
      `'${relative}' must be a relative path inside the package`,
    );
  }
}

async function listFiles(root: string, dir = ''): Promise<string[]> {
  const entries = await fs.readdir(path.join(root, dir), {
    withFileTypes: true,
  });
  const out: string[] = [];
  for (const entry of entries) {
    const relative = dir ? `${dir}/${entry.name}` : entry.name;
    if (entry.isDirectory()) {
      if (entry.name !== '.git') {
        out.push(...(await listFiles(root, relative)));
      }
    } else {
      out.push(relative);
    }
  }
  return out;
}

function hash(content: Buffer | string): string {
  return createHash('sha256').update(content).digest('hex');
}

/** Files the previous run generated, with their hashes (from its report). */
async function previousPackage(
  root: string,
): Promise<Map<string, string> | undefined> {
  let text: string;
  try {
    text = await fs.readFile(path.join(root, REPORT_FILE), 'utf8');
  } catch {
    return undefined;
  }
  try {
    const report = parse(text);
    const files = report?.deployment_package?.files;
    if (report?.kind !== 'DeploymentReport' || !Array.isArray(files)) {
      return undefined;
    }
    const map = new Map<string, string>();
    for (const file of files) {
      if (typeof file?.path === 'string' && typeof file?.sha256 === 'string') {
        map.set(file.path, file.sha256);
      }
    }
    map.set(REPORT_FILE, '*');
    return map;
  } catch {
    return undefined;
  }
}

/**
 * Writes a package into `dir`. Refuses (UnsafePathError) to touch a
 * non-empty directory that cno did not generate, or generated files a user
 * has edited since, unless `force`; never deletes a file it did not generate.
 *
 * @public
 */
export async function writePackage(
  dir: string,
  files: ReadonlyArray<GeneratedFile>,
  options: WritePackageOptions = {},
): Promise<WritePackageResult> {
  const field = options.field ?? '--out';
  const root = path.resolve(dir);
  for (const file of files) {
    assertSafeRelativePath(file.path, `${field} (file ${file.path})`);
  }

  let existing: string[] = [];
  try {
    const stat = await fs.stat(root);
    if (!stat.isDirectory()) {
      throw new UnsafePathError(field, `${dir} exists and is not a directory`);
    }
    existing = await listFiles(root);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
      throw error;
    }
  }

  const previous =
    existing.length > 0 ? await previousPackage(root) : undefined;
  const newPaths = new Set(files.map(f => f.path));
  const foreign: string[] = [];
  const edited: string[] = [];
  const stale: string[] = [];
  for (const relative of existing) {
    const recorded = previous?.get(relative);
    if (recorded === undefined) {
      foreign.push(relative);
      continue;
    }
    if (recorded !== '*') {
      const current = hash(await fs.readFile(path.join(root, relative)));
      if (current !== recorded) {
        edited.push(relative);
        continue;
      }
    }
    if (!newPaths.has(relative)) {
      stale.push(relative);
    }
  }

  if (!options.force) {
    if (existing.length > 0 && !previous) {
      throw new UnsafePathError(
        field,
        `${dir} is not empty and was not created by cno (${describe(
          foreign,
        )}); choose an empty directory, or pass --force to write into it (files that are not part of the package are kept)`,
      );
    }
    const overwritten = edited.filter(p => newPaths.has(p));
    if (overwritten.length > 0) {
      throw new UnsafePathError(
        field,
        `generated files were edited since the last run and would be overwritten: ${describe(
          overwritten,
        )}; pass --force to overwrite them`,
      );
    }
  }

  const written: string[] = [];
  for (const file of files) {
    const target = path.join(root, file.path);
    await fs.mkdir(path.dirname(target), { recursive: true });
    await fs.writeFile(target, file.content, { mode: file.mode ?? 0o644 });
    written.push(file.path);
  }
  const removed: string[] = [];
  for (const relative of stale) {
    await fs.rm(path.join(root, relative), { force: true });
    removed.push(relative);
  }
  return { written, removed };
}

function describe(paths: string[]): string {
  const shown = paths.slice(0, 5).join(', ');
  return paths.length > 5 ? `${shown} and ${paths.length - 5} more` : shown;
}
