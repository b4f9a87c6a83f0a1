import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { stringify } from 'yaml';
import { UnsafePathError } from '../engine/errors';
import { sha256 } from '../report/buildReport';
import { assertSafeRelativePath, writePackage } from './writePackage';

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
