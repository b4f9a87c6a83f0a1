import { createHash, randomBytes } from 'node:crypto';
import { constants, promises as fs, Stats } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { UnsafePathError } from '../core/errors';
import { GeneratedFile } from '../core/types';
import { REPORT_FILE } from '../core/layout';

/** @public */
export interface WritePackageOptions {
  /**
   * Write into a directory holding files cno did not generate (they are
   * kept), overwrite generated files edited since the last run, and replace
   * symbolic links met on the way (the links, never their targets)
   */
  force?: boolean;
  /** The option name to blame in errors, e.g. `--out` or `targetPath` */
  field?: string;
}

/** @public */
export interface WritePackageResult {
  written: string[];
  removed: string[];
}

/** @public */
export interface WriteFilesNoFollowOptions {
  /** The option name to blame in errors, e.g. `--out` or `targetPath` */
  field?: string;
  /**
   * Replace symbolic links met at or above a file to write by a real folder
   * or file (the link is removed, its target is left untouched) instead of
   * refusing
   */
  replaceSymlinks?: boolean;
}

/**
 * Checks that a package-relative path stays inside the package.
 *
 * @public
 */
export function assertSafeRelativePath(relative: string, field: string): void {
  if (
    typeof relative !== 'string' ||
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

/** Paths listed in messages before "and N more". */
const SHOWN_PATHS = 5;

// Not defined on Windows, where symbolic links need privileges anyway
const O_NOFOLLOW = constants.O_NOFOLLOW ?? 0;
const O_NONBLOCK = constants.O_NONBLOCK ?? 0;

function describe(paths: string[]): string {
  const shown = paths.slice(0, SHOWN_PATHS).join(', ');
  return paths.length > SHOWN_PATHS
    ? `${shown} and ${paths.length - SHOWN_PATHS} more`
    : shown;
}

function errorCode(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException | undefined)?.code;
}

function hash(content: Buffer | string): string {
  return createHash('sha256').update(content).digest('hex');
}

async function lstatOrUndefined(target: string): Promise<Stats | undefined> {
  try {
    return await fs.lstat(target);
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return undefined;
    throw error;
  }
}

/** A file to write, its path split into folder names and a file name. */
interface PlannedFile {
  file: GeneratedFile;
  /** Normalized `a/b/c.yaml`: no `.` or empty segments */
  key: string;
  segments: string[];
}

/**
 * Validates and normalizes the package paths, and refuses a package that
 * needs both a file and a folder at the same path.
 */
function planFiles(
  files: ReadonlyArray<GeneratedFile>,
  field: string,
): PlannedFile[] {
  const planned = files.map(file => {
    assertSafeRelativePath(file.path, `${field} (file ${file.path})`);
    const segments = file.path
      .split(path.sep === '\\' ? /[\\/]/ : '/')
      .filter(segment => segment !== '' && segment !== '.');
    if (segments.length === 0) {
      throw new UnsafePathError(
        `${field} (file ${file.path})`,
        `'${file.path}' must name a file inside the package`,
      );
    }
    return { file, key: segments.join('/'), segments };
  });
  const fileKeys = new Set(planned.map(p => p.key));
  for (const { key, segments } of planned) {
    for (let i = 1; i < segments.length; i++) {
      const folder = segments.slice(0, i).join('/');
      if (fileKeys.has(folder)) {
        throw new UnsafePathError(
          `${field} (file ${key})`,
          `the package has both a file and a folder at '${folder}'`,
        );
      }
    }
  }
  return planned;
}

/** The output directory, its symbolic links resolved once. */
interface OutputRoot {
  /** Real path of the directory (some trailing parts may not exist yet) */
  root: string;
  /** Real path of its innermost existing folder */
  base: string;
  /** Folders to create, outermost first, when the directory does not exist */
  missing: string[];
}

/**
 * Resolves the directory the user chose with realpath (a symbolic link the
 * user passed, or one of its parents, is followed once, here); below it no
 * link is ever followed.
 */
async function resolveOutputRoot(
  dir: string,
  field: string,
): Promise<OutputRoot> {
  if (typeof dir !== 'string' || dir.length === 0) {
    throw new UnsafePathError(field, 'must be a directory path');
  }
  if (dir.includes('\0')) {
    throw new UnsafePathError(
      field,
      `${JSON.stringify(dir)} contains a NUL byte; choose another directory`,
    );
  }
  let probe = path.resolve(dir);
  const missing: string[] = [];
  for (;;) {
    try {
      const real = await fs.realpath(probe);
      const root = path.join(real, ...missing);
      if (missing.length === 0 && !(await fs.stat(real)).isDirectory()) {
        throw new UnsafePathError(
          field,
          `${dir} exists and is not a directory`,
        );
      }
      return { root, base: real, missing };
    } catch (error) {
      if (error instanceof UnsafePathError) throw error;
      const code = errorCode(error);
      if (code === 'ENOTDIR') {
        throw new UnsafePathError(
          field,
          `${dir}: a parent of the directory is a file`,
        );
      }
      if (code === 'ELOOP' || code === 'ENAMETOOLONG') {
        throw new UnsafePathError(field, `${dir}: unusable path (${code})`);
      }
      if (code !== 'ENOENT') throw error;
      if (await lstatOrUndefined(probe)) {
        throw new UnsafePathError(
          field,
          `${dir}: ${probe} is a symbolic link to nothing; remove it or choose another directory`,
        );
      }
      const parent = path.dirname(probe);
      if (parent === probe) throw error;
      missing.unshift(path.basename(probe));
      probe = parent;
    }
  }
}

type EntryKind = 'file' | 'symlink' | 'other';

/** Everything but folders under `root` (not following links, not in .git). */
async function listEntries(
  root: string,
  dir = '',
  out = new Map<string, EntryKind>(),
): Promise<Map<string, EntryKind>> {
  const entries = await fs.readdir(path.join(root, dir), {
    withFileTypes: true,
  });
  for (const entry of entries) {
    const relative = dir ? `${dir}/${entry.name}` : entry.name;
    if (entry.isDirectory()) {
      if (entry.name !== '.git') {
        await listEntries(root, relative, out);
      }
    } else if (entry.isFile()) {
      out.set(relative, 'file');
    } else {
      out.set(relative, entry.isSymbolicLink() ? 'symlink' : 'other');
    }
  }
  return out;
}

/** Reads a regular file without following a final symbolic link. */
async function readRegularFile(target: string): Promise<Buffer | undefined> {
  let handle: fs.FileHandle;
  try {
    handle = await fs.open(
      target,
      constants.O_RDONLY | O_NOFOLLOW | O_NONBLOCK,
    );
  } catch {
    return undefined;
  }
  try {
    if (!(await handle.stat()).isFile()) return undefined;
    return await handle.readFile();
  } finally {
    await handle.close();
  }
}

/** Files the previous run generated, with their hashes (from its report). */
async function previousPackage(
  root: string,
): Promise<Map<string, string> | undefined> {
  const content = await readRegularFile(path.join(root, REPORT_FILE));
  if (content === undefined) {
    return undefined;
  }
  try {
    const report = parse(content.toString('utf8'));
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

/** What stands at the paths of the files to write. */
interface Inspection {
  /** Symbolic links at or above a file to write */
  symlinks: string[];
  /** Things cno never replaces: a folder where a file goes, a file where a folder goes */
  blocked: string[];
  /** Files (or other non-folders) present at the path of a file to write */
  present: Array<{ key: string; kind: 'file' | 'other' }>;
}

/**
 * Looks (lstat, never following links) at every path a write would go
 * through. `removable` files in the way of a folder are not blocking: they
 * are removed before the folder is created.
 */
async function inspect(
  root: string,
  planned: ReadonlyArray<PlannedFile>,
  removable: ReadonlySet<string>,
): Promise<Inspection> {
  const cache = new Map<string, Promise<Stats | undefined>>();
  const lstat = (key: string) => {
    let result = cache.get(key);
    if (!result) {
      result = lstatOrUndefined(path.join(root, key));
      cache.set(key, result);
    }
    return result;
  };
  const symlinks = new Set<string>();
  const blocked = new Set<string>();
  const present = new Map<string, 'file' | 'other'>();
  for (const { key, segments } of planned) {
    let reachable = true;
    for (let i = 1; i < segments.length && reachable; i++) {
      const folder = segments.slice(0, i).join('/');
      const stat = await lstat(folder);
      if (!stat) {
        reachable = false;
      } else if (stat.isSymbolicLink()) {
        symlinks.add(folder);
        reachable = false;
      } else if (!stat.isDirectory()) {
        if (!removable.has(folder)) {
          blocked.add(`${folder} (a file where the package needs a folder)`);
        }
        reachable = false;
      }
    }
    if (!reachable) continue;
    const stat = await lstat(key);
    if (!stat) continue;
    if (stat.isSymbolicLink()) {
      symlinks.add(key);
    } else if (stat.isDirectory()) {
      blocked.add(`${key} (a folder where the package needs a file)`);
    } else {
      present.set(key, stat.isFile() ? 'file' : 'other');
    }
  }
  return {
    symlinks: [...symlinks],
    blocked: [...blocked],
    present: [...present].map(([key, kind]) => ({ key, kind })),
  };
}

/** How writes treat what they meet on the way. */
interface WriteContext {
  root: string;
  field: string;
  replaceSymlinks: boolean;
  /** Files that may be removed when a folder must take their place */
  removable: ReadonlySet<string>;
  /** Where those removals are recorded */
  removed: string[];
}

/** Creates the missing folders of the output directory, one by one. */
async function createRoot(target: OutputRoot, field: string): Promise<void> {
  let current = target.base;
  for (const name of target.missing) {
    current = path.join(current, name);
    try {
      await fs.mkdir(current);
    } catch (error) {
      if (errorCode(error) !== 'EEXIST') throw error;
    }
    const stat = await fs.lstat(current);
    if (!stat.isDirectory()) {
      throw new UnsafePathError(
        field,
        `${current} appeared while writing and is not a directory`,
      );
    }
  }
}

/** Makes `relative` a real folder (not a link), creating it if needed. */
async function ensureFolder(
  context: WriteContext,
  relative: string,
): Promise<void> {
  const absolute = path.join(context.root, relative);
  const stat = await lstatOrUndefined(absolute);
  if (stat?.isDirectory()) return;
  if (stat) {
    if (stat.isSymbolicLink() && context.replaceSymlinks) {
      await fs.unlink(absolute);
    } else if (stat.isFile() && context.removable.has(relative)) {
      await fs.unlink(absolute);
      context.removed.push(relative);
    } else {
      throw new UnsafePathError(
        context.field,
        `${relative} is ${
          stat.isSymbolicLink() ? 'a symbolic link' : 'not a folder'
        }; cno does not write through it`,
      );
    }
  }
  try {
    await fs.mkdir(absolute);
  } catch (error) {
    if (errorCode(error) !== 'EEXIST') throw error;
    // created concurrently: fine if it is a real folder
    if (!(await fs.lstat(absolute)).isDirectory()) {
      throw new UnsafePathError(
        context.field,
        `${relative} appeared while writing and is not a folder`,
      );
    }
  }
}

/**
 * Writes one file without following links: every folder on the way is
 * checked with lstat, the content goes to a new temporary file in the same
 * folder (O_CREAT | O_EXCL | O_NOFOLLOW), renamed over the target. A link at
 * the target is thus replaced, never written through, and a hard-linked
 * target keeps its other names' content.
 */
async function writeOne(
  context: WriteContext,
  planned: PlannedFile,
): Promise<void> {
  const { segments } = planned;
  for (let i = 1; i < segments.length; i++) {
    await ensureFolder(context, segments.slice(0, i).join('/'));
  }
  const target = path.join(context.root, ...segments);
  const stat = await lstatOrUndefined(target);
  if (
    stat &&
    (stat.isDirectory() || (stat.isSymbolicLink() && !context.replaceSymlinks))
  ) {
    throw new UnsafePathError(
      context.field,
      `${planned.key} is ${
        stat.isDirectory() ? 'a folder' : 'a symbolic link'
      }; cno does not write through it`,
    );
  }
  const temporary = path.join(
    path.dirname(target),
    `.cno-${randomBytes(8).toString('hex')}.tmp`,
  );
  const handle = await fs.open(
    temporary,
    constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | O_NOFOLLOW,
    planned.file.mode ?? 0o644,
  );
  try {
    try {
      await handle.writeFile(planned.file.content);
    } finally {
      await handle.close();
    }
    await fs.rename(temporary, target);
  } catch (error) {
    await fs.rm(temporary, { force: true });
    throw error;
  }
}

/** Removes a regular file, unless a link is on its way or at its place. */
async function removeFile(root: string, key: string): Promise<boolean> {
  const segments = key.split('/');
  for (let i = 1; i < segments.length; i++) {
    const stat = await lstatOrUndefined(
      path.join(root, ...segments.slice(0, i)),
    );
    if (!stat?.isDirectory()) return false;
  }
  const target = path.join(root, ...segments);
  const stat = await lstatOrUndefined(target);
  if (!stat?.isFile()) return false;
  await fs.unlink(target);
  return true;
}

function symlinkProblem(symlinks: string[]): string {
  return `symbolic links, which cno never writes through (${describe(
    symlinks,
  )})`;
}

/**
 * Writes files under `dir` without ever following a symbolic link below it
 * (`dir` itself is resolved once with realpath). A link at or above a file
 * to write is refused (UnsafePathError naming it), or with `replaceSymlinks`
 * replaced by a real folder or file. Existing regular files are replaced.
 * All checks are done before anything is written.
 *
 * @public
 */
export async function writeFilesNoFollow(
  dir: string,
  files: ReadonlyArray<GeneratedFile>,
  options: WriteFilesNoFollowOptions = {},
): Promise<string[]> {
  const field = options.field ?? '--out';
  const replaceSymlinks = options.replaceSymlinks === true;
  const planned = planFiles(files, field);
  const output = await resolveOutputRoot(dir, field);
  const removable = new Set<string>();
  if (output.missing.length === 0) {
    const found = await inspect(output.root, planned, removable);
    if (found.blocked.length > 0) {
      throw new UnsafePathError(
        field,
        `${dir}: cannot write the files, in the way: ${describe(
          found.blocked,
        )}`,
      );
    }
    if (found.symlinks.length > 0 && !replaceSymlinks) {
      throw new UnsafePathError(
        field,
        `${dir}: ${symlinkProblem(found.symlinks)}; remove them`,
      );
    }
  }
  await createRoot(output, field);
  const context: WriteContext = {
    root: output.root,
    field,
    replaceSymlinks,
    removable,
    removed: [],
  };
  for (const file of planned) {
    await writeOne(context, file);
  }
  return files.map(f => f.path);
}

/**
 * Writes a package into `dir`, never following a symbolic link below it.
 * Without `force`, refuses (UnsafePathError, before writing anything) a
 * non-empty directory that cno did not generate, and any file to write
 * over that the previous run did not generate (or that was edited since),
 * or a symbolic link on the way. With `force`, overwrites those files and
 * replaces the links (not their targets). Never deletes a file it did not
 * generate, nor replaces a folder by a file or a user's file by a folder.
 *
 * @public
 */
export async function writePackage(
  dir: string,
  files: ReadonlyArray<GeneratedFile>,
  options: WritePackageOptions = {},
): Promise<WritePackageResult> {
  const field = options.field ?? '--out';
  const force = options.force === true;
  const planned = planFiles(files, field);
  const output = await resolveOutputRoot(dir, field);
  const { root } = output;

  const existing =
    output.missing.length === 0
      ? await listEntries(root)
      : new Map<string, EntryKind>();
  const previous = existing.size > 0 ? await previousPackage(root) : undefined;
  if (!force && existing.size > 0 && !previous) {
    throw new UnsafePathError(
      field,
      `${dir} is not empty and was not created by cno (${describe([
        ...existing.keys(),
      ])}); choose an empty directory, or pass --force to write into it (files that are not part of the package are kept)`,
    );
  }

  /** Whether a regular file is what the previous run generated there. */
  const digests = new Map<string, 'generated' | 'edited' | 'unknown'>();
  async function origin(key: string) {
    let result = digests.get(key);
    if (result === undefined) {
      const recorded = previous?.get(key);
      if (recorded === undefined) {
        result = 'unknown';
      } else if (recorded === '*') {
        result = 'generated';
      } else {
        const content = await readRegularFile(path.join(root, key));
        result =
          content !== undefined && hash(content) === recorded
            ? 'generated'
            : 'edited';
      }
      digests.set(key, result);
    }
    return result;
  }

  const newKeys = new Set(planned.map(p => p.key));
  const stale: string[] = [];
  for (const [key, kind] of existing) {
    if (
      kind === 'file' &&
      !newKeys.has(key) &&
      previous?.has(key) &&
      (await origin(key)) === 'generated'
    ) {
      stale.push(key);
    }
  }
  const removable = new Set(stale);

  const found = await inspect(root, planned, removable);
  if (found.blocked.length > 0) {
    throw new UnsafePathError(
      field,
      `${dir}: cannot write the package, in the way: ${describe(
        found.blocked,
      )}; move them away, or choose another ${field}`,
    );
  }
  if (!force) {
    const edited: string[] = [];
    const foreign: string[] = [];
    for (const { key, kind } of found.present) {
      const from = kind === 'file' ? await origin(key) : 'unknown';
      if (from === 'edited') edited.push(key);
      else if (from === 'unknown') foreign.push(key);
    }
    const problems = [
      ...(edited.length > 0
        ? [
            `generated files were edited since the last run and would be overwritten (${describe(
              edited,
            )})`,
          ]
        : []),
      ...(foreign.length > 0
        ? [
            `files cno did not generate would be overwritten (${describe(
              foreign,
            )})`,
          ]
        : []),
      ...(found.symlinks.length > 0 ? [symlinkProblem(found.symlinks)] : []),
    ];
    if (problems.length > 0) {
      throw new UnsafePathError(
        field,
        `${dir}: ${problems.join(
          '; ',
        )}; nothing was written: pass --force to overwrite them (a symbolic link is replaced, its target is left untouched), or choose another ${field}`,
      );
    }
  }

  // Everything checked: from here on, write
  await createRoot(output, field);
  const removed: string[] = [];
  const context: WriteContext = {
    root,
    field,
    replaceSymlinks: force,
    removable,
    removed,
  };
  const written: string[] = [];
  for (const file of planned) {
    await writeOne(context, file);
    written.push(file.file.path);
  }
  for (const key of stale) {
    if (!removed.includes(key) && (await removeFile(root, key))) {
      removed.push(key);
    }
  }
  return { written, removed };
}
