import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { stringify } from 'yaml';
import { UnsafePathError } from '../core/errors';
import { sha256 } from '../report/buildReport';
import {
  assertSafeRelativePath,
  writeFilesNoFollow,
  writePackage,
} from './writePackage';

describe('writePackage', () => {
  let root: string;
  beforeEach(async () => {
    root = await fs.mkdtemp(path.join(os.tmpdir(), 'cno-write-'));
  });
  afterEach(() => fs.rm(root, { recursive: true, force: true }));

  const report = (files: Array<{ path: string; content: string }>) => ({
    path: 'deployment-report.yaml',
    content: stringify({
      kind: 'DeploymentReport',
      deployment_package: {
        files: files.map(f => ({ path: f.path, sha256: sha256(f.content) })),
      },
    }),
  });

  /** Every non-folder under `dir` (links not followed), with its content. */
  async function snapshot(dir: string): Promise<Array<[string, string]>> {
    const out: Array<[string, string]> = [];
    for (const entry of await fs.readdir(dir, {
      withFileTypes: true,
      recursive: true,
    })) {
      const full = path.join(entry.parentPath, entry.name);
      if (entry.isSymbolicLink()) {
        out.push([path.relative(dir, full), `-> ${await fs.readlink(full)}`]);
      } else if (entry.isFile()) {
        out.push([path.relative(dir, full), await fs.readFile(full, 'utf8')]);
      } else if (entry.isDirectory()) {
        out.push([path.relative(dir, full), '<dir>']);
      }
    }
    return out.sort(([a], [b]) => (a < b ? -1 : 1));
  }

  it('writes into a new directory', async () => {
    const out = path.join(root, 'pkg');
    const files = [{ path: 'a/b.yaml', content: 'x: 1\n' }];
    await writePackage(out, [...files, report(files)]);
    expect(await fs.readFile(path.join(out, 'a/b.yaml'), 'utf8')).toBe(
      'x: 1\n',
    );
  });

  it('refuses a non-empty directory it did not create, naming the option', async () => {
    await fs.writeFile(path.join(root, 'notes.txt'), 'mine');
    await expect(
      writePackage(root, [{ path: 'a.yaml', content: '' }]),
    ).rejects.toThrow(
      /--out: .* is not empty and was not created by cno \(notes.txt\)/,
    );
  });

  it('with force, writes but keeps the user files', async () => {
    await fs.writeFile(path.join(root, 'notes.txt'), 'mine');
    await writePackage(root, [{ path: 'a.yaml', content: 'a' }], {
      force: true,
    });
    expect(await fs.readFile(path.join(root, 'notes.txt'), 'utf8')).toBe(
      'mine',
    );
  });

  it('regenerates over its own package and removes stale files only', async () => {
    const v1 = [
      { path: 'keep.yaml', content: '1' },
      { path: 'old.yaml', content: 'old' },
    ];
    await writePackage(root, [...v1, report(v1)]);
    const v2 = [{ path: 'keep.yaml', content: '2' }];
    const result = await writePackage(root, [...v2, report(v2)]);
    expect(result.removed).toEqual(['old.yaml']);
    expect(await fs.readFile(path.join(root, 'keep.yaml'), 'utf8')).toBe('2');
  });

  it('refuses to overwrite a generated file the user edited', async () => {
    const v1 = [{ path: 'values.yaml', content: 'replicas: 2\n' }];
    await writePackage(root, [...v1, report(v1)]);
    await fs.writeFile(path.join(root, 'values.yaml'), 'replicas: 5\n');
    await expect(writePackage(root, [...v1, report(v1)])).rejects.toThrow(
      /edited since the last run .*values.yaml/,
    );
  });

  it('refuses a file the previous run did not generate, listing it, and writes nothing', async () => {
    const v1 = [{ path: 'a.yaml', content: 'a' }];
    await writePackage(root, [...v1, report(v1)]);
    await fs.writeFile(path.join(root, 'README.md'), 'my notes');
    const before = await snapshot(root);
    const v2 = [
      { path: 'a.yaml', content: 'a2' },
      { path: 'new/b.yaml', content: 'b' },
      { path: 'README.md', content: 'generated' },
    ];
    await expect(writePackage(root, [...v2, report(v2)])).rejects.toThrow(
      /--out: .*files cno did not generate would be overwritten \(README\.md\).*--force.*another --out/,
    );
    expect(await snapshot(root)).toEqual(before);

    await writePackage(root, [...v2, report(v2)], { force: true });
    expect(await fs.readFile(path.join(root, 'README.md'), 'utf8')).toBe(
      'generated',
    );
  });

  it('lists the first paths only, and every kind of problem at once', async () => {
    const v1 = [{ path: 'values.yaml', content: '1' }];
    await writePackage(root, [...v1, report(v1)]);
    await fs.writeFile(path.join(root, 'values.yaml'), 'edited');
    const mine = Array.from({ length: 7 }, (_, i) => `mine-${i}.txt`);
    for (const name of mine) {
      await fs.writeFile(path.join(root, name), 'mine');
    }
    const v2 = [...v1, ...mine.map(p => ({ path: p, content: 'generated' }))];
    const error = await writePackage(root, [...v2, report(v2)]).catch(e => e);
    expect(error).toBeInstanceOf(UnsafePathError);
    expect(error.message).toMatch(/edited since the last run .*values\.yaml/);
    expect(error.message).toMatch(
      /did not generate would be overwritten \(mine-0\.txt, .*mine-4\.txt and 2 more\)/,
    );
    for (const name of mine) {
      expect(await fs.readFile(path.join(root, name), 'utf8')).toBe('mine');
    }
  });

  it('regenerates its own previous output without --force (nested folders, mode, stale file in the way of a folder)', async () => {
    const v1 = [
      { path: 'kubernetes/base/app.yaml', content: 'v1' },
      { path: 'scripts/deploy.sh', content: '#!/bin/sh\n', mode: 0o755 },
      { path: 'docs', content: 'was a file' },
    ];
    await writePackage(root, [...v1, report(v1)]);
    const v2 = [
      { path: 'kubernetes/base/app.yaml', content: 'v2' },
      { path: 'scripts/deploy.sh', content: '#!/bin/sh\necho\n', mode: 0o755 },
      { path: 'docs/index.md', content: 'now a folder' },
    ];
    const result = await writePackage(root, [...v2, report(v2)]);
    expect(result.removed).toEqual(['docs']);
    expect(
      await fs.readFile(path.join(root, 'kubernetes/base/app.yaml'), 'utf8'),
    ).toBe('v2');
    expect(await fs.readFile(path.join(root, 'docs/index.md'), 'utf8')).toBe(
      'now a folder',
    );
    expect(
      (await fs.stat(path.join(root, 'scripts/deploy.sh'))).mode & 0o100,
    ).toBe(0o100);
    // no temporary file left behind
    expect(
      (await snapshot(root))
        .filter(([, content]) => content !== '<dir>')
        .map(([p]) => p),
    ).toEqual(
      [
        'deployment-report.yaml',
        'docs/index.md',
        'kubernetes/base/app.yaml',
        'scripts/deploy.sh',
      ].sort(),
    );
    // and once more: idempotent
    await writePackage(root, [...v2, report(v2)]);
  });

  it('a NUL byte in the directory: UnsafePathError naming the option', async () => {
    await expect(
      writePackage(path.join(root, 'a\0b'), [{ path: 'a.yaml', content: '' }]),
    ).rejects.toThrow(/^--out: .*NUL byte/);
    expect(await fs.readdir(root)).toEqual([]);
  });

  it('refuses to replace a user folder by a file, or a user file by a folder, even with --force', async () => {
    const v1 = [{ path: 'a.yaml', content: 'a' }];
    await writePackage(root, [...v1, report(v1)]);
    await fs.mkdir(path.join(root, 'README.md'));
    await fs.writeFile(path.join(root, 'README.md', 'mine'), 'mine');
    await fs.writeFile(path.join(root, 'helm'), 'mine');
    const v2 = [
      { path: 'README.md', content: 'r' },
      { path: 'helm/Chart.yaml', content: 'c' },
    ];
    for (const force of [false, true]) {
      await expect(
        writePackage(root, [...v2, report(v2)], { force }),
      ).rejects.toThrow(
        /in the way: README\.md \(a folder where .*helm \(a file where/,
      );
    }
    expect(await fs.readFile(path.join(root, 'helm'), 'utf8')).toBe('mine');
  });

  it('refuses a package with a file and a folder at the same path', async () => {
    await expect(
      writePackage(path.join(root, 'out'), [
        { path: 'a', content: '' },
        { path: 'a/b', content: '' },
      ]),
    ).rejects.toThrow(UnsafePathError);
  });

  it('follows a symbolic link given as the directory itself', async () => {
    const real = path.join(root, 'real');
    await fs.mkdir(real);
    await fs.symlink(real, path.join(root, 'link'));
    const files = [{ path: 'a/b.yaml', content: 'x' }];
    await writePackage(path.join(root, 'link'), [...files, report(files)]);
    expect(await fs.readFile(path.join(real, 'a/b.yaml'), 'utf8')).toBe('x');
    // and regenerates through it
    await writePackage(path.join(root, 'link'), [...files, report(files)]);
  });

  describe('symbolic links below the directory', () => {
    let out: string;
    let outside: string;
    const v1 = [{ path: 'a.yaml', content: 'a' }];
    const v2 = [
      { path: 'a.yaml', content: 'a' },
      { path: 'README.md', content: 'generated' },
      { path: 'kubernetes/app.yaml', content: 'generated' },
    ];
    beforeEach(async () => {
      out = path.join(root, 'out');
      outside = path.join(root, 'outside');
      await fs.mkdir(outside);
      await writePackage(out, [...v1, report(v1)]);
    });

    it('a symlinked folder: refused without --force, naming it, nothing written', async () => {
      await fs.symlink(outside, path.join(out, 'kubernetes'));
      const before = await snapshot(root);
      const error = await writePackage(out, [...v2, report(v2)]).catch(e => e);
      expect(error).toBeInstanceOf(UnsafePathError);
      expect(error.message).toMatch(/symbolic links.*\(kubernetes\)/);
      expect(await snapshot(root)).toEqual(before);
    });

    it('a symlinked folder with --force: the link is replaced by a real folder, its target untouched', async () => {
      await fs.symlink(outside, path.join(out, 'kubernetes'));
      await writePackage(out, [...v2, report(v2)], { force: true });
      expect(await fs.readdir(outside)).toEqual([]);
      expect((await fs.lstat(path.join(out, 'kubernetes'))).isDirectory()).toBe(
        true,
      );
      expect(
        await fs.readFile(path.join(out, 'kubernetes/app.yaml'), 'utf8'),
      ).toBe('generated');
    });

    it('a symlinked file: refused without --force, the target keeps its content', async () => {
      const victim = path.join(outside, 'victim.txt');
      await fs.writeFile(victim, 'precious');
      await fs.symlink(victim, path.join(out, 'README.md'));
      await expect(writePackage(out, [...v2, report(v2)])).rejects.toThrow(
        /symbolic links.*\(README\.md\).*--force/,
      );
      expect(await fs.readFile(victim, 'utf8')).toBe('precious');
      expect(await fs.readdir(out)).not.toContain('kubernetes');
    });

    it('a symlinked file with --force: the link is replaced, never followed', async () => {
      const victim = path.join(outside, 'victim.txt');
      await fs.writeFile(victim, 'precious');
      await fs.symlink(victim, path.join(out, 'README.md'));
      await writePackage(out, [...v2, report(v2)], { force: true });
      expect(await fs.readFile(victim, 'utf8')).toBe('precious');
      const stat = await fs.lstat(path.join(out, 'README.md'));
      expect(stat.isFile()).toBe(true);
      expect(await fs.readFile(path.join(out, 'README.md'), 'utf8')).toBe(
        'generated',
      );
    });

    it('a dangling symlink: refused without --force; with --force, nothing is created at its target', async () => {
      const target = path.join(outside, 'created.txt');
      await fs.symlink(target, path.join(out, 'README.md'));
      await expect(writePackage(out, [...v2, report(v2)])).rejects.toThrow(
        /symbolic links.*README\.md/,
      );
      await writePackage(out, [...v2, report(v2)], { force: true });
      await expect(fs.lstat(target)).rejects.toThrow(/ENOENT/);
      expect((await fs.lstat(path.join(out, 'README.md'))).isFile()).toBe(true);
    });

    it('a hard-linked generated file: the other name keeps its content', async () => {
      const other = path.join(outside, 'hardlink.yaml');
      await fs.link(path.join(out, 'a.yaml'), other);
      const v3 = [{ path: 'a.yaml', content: 'changed' }];
      await writePackage(out, [...v3, report(v3)]);
      expect(await fs.readFile(other, 'utf8')).toBe('a');
      expect(await fs.readFile(path.join(out, 'a.yaml'), 'utf8')).toBe(
        'changed',
      );
    });

    it('never deletes through a link a stale file of the previous run', async () => {
      const k1 = [{ path: 'k/a.yaml', content: 'same' }];
      await writePackage(out, [...k1, report(k1)]);
      await fs.rm(path.join(out, 'k'), { recursive: true });
      await fs.writeFile(path.join(outside, 'a.yaml'), 'same');
      await fs.symlink(outside, path.join(out, 'k'));
      const result = await writePackage(out, [...v1, report(v1)], {
        force: true,
      });
      expect(result.removed).toEqual([]);
      expect(await fs.readFile(path.join(outside, 'a.yaml'), 'utf8')).toBe(
        'same',
      );
    });

    it('a symlinked report is not trusted as a previous run', async () => {
      await fs.rm(path.join(out, 'deployment-report.yaml'));
      await fs.writeFile(
        path.join(outside, 'report.yaml'),
        'kind: DeploymentReport\ndeployment_package:\n  files: []\n',
      );
      await fs.symlink(
        path.join(outside, 'report.yaml'),
        path.join(out, 'deployment-report.yaml'),
      );
      await expect(writePackage(out, [...v2, report(v2)])).rejects.toThrow(
        /not created by cno/,
      );
    });

    it('writeFilesNoFollow: refuses a link, or replaces it when asked', async () => {
      const victim = path.join(outside, 'victim.txt');
      await fs.writeFile(victim, 'precious');
      await fs.symlink(victim, path.join(out, 'README.md'));
      const files = [{ path: 'README.md', content: 'generated' }];
      await expect(
        writeFilesNoFollow(out, files, { field: 'targetPath' }),
      ).rejects.toThrow(/^targetPath: .*symbolic links.*README\.md/);
      await writeFilesNoFollow(out, files, {
        field: 'targetPath',
        replaceSymlinks: true,
      });
      expect(await fs.readFile(victim, 'utf8')).toBe('precious');
      expect(await fs.readFile(path.join(out, 'README.md'), 'utf8')).toBe(
        'generated',
      );
    });
  });

  it.each(['../escape.yaml', '/etc/passwd', 'a/../../b', 'C:\\x', ''])(
    'refuses the unsafe path %j',
    async unsafe => {
      expect(() => assertSafeRelativePath(unsafe, 'targetPath')).toThrow(
        UnsafePathError,
      );
      await expect(
        writePackage(root, [{ path: unsafe, content: '' }]),
      ).rejects.toThrow(UnsafePathError);
    },
  );
});
