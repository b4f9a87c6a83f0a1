import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { InputError } from '@backstage/errors';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { createCloudNativePlanAction } from './plan';
import { resolveInWorkspace, writeFiles } from './workspace';
import { shopArchitecture } from '../__fixtures__/architectures';

describe('writeFiles', () => {
  let base: string;
  let workspacePath: string;
  let outside: string;
  let victim: string;
  beforeEach(async () => {
    base = await fs.mkdtemp(path.join(os.tmpdir(), 'cno-workspace-'));
    workspacePath = path.join(base, 'workspace');
    outside = path.join(base, 'outside');
    victim = path.join(outside, 'victim.txt');
    await fs.mkdir(path.join(workspacePath, 'deployment'), { recursive: true });
    await fs.mkdir(outside);
    await fs.writeFile(victim, 'precious');
  });
  afterEach(() => fs.rm(base, { recursive: true, force: true }));

  const target = () =>
    resolveInWorkspace(workspacePath, 'deployment', 'targetPath');

  it('writes files and folders, replacing regular files', async () => {
    await fs.writeFile(path.join(workspacePath, 'deployment/a.yaml'), 'old');
    await writeFiles(target(), [
      { path: 'a.yaml', content: 'new' },
      { path: 'b/c.sh', content: '#!/bin/sh\n', mode: 0o755 },
    ]);
    expect(
      await fs.readFile(path.join(workspacePath, 'deployment/a.yaml'), 'utf8'),
    ).toBe('new');
    expect(
      (await fs.stat(path.join(workspacePath, 'deployment/b/c.sh'))).mode &
        0o100,
    ).toBe(0o100);
  });

  it.each([
    ['a file linked outside the workspace', 'README.md', () => victim],
    ['a folder linked outside the workspace', 'kubernetes', () => outside],
    ['a dangling link', 'README.md', () => path.join(outside, 'created.txt')],
    [
      'a folder linked inside the workspace',
      'kubernetes',
      () => path.join(workspacePath, 'elsewhere'),
    ],
  ])(
    'refuses %s with an InputError naming it, writing nothing',
    async (_label, name, linkTarget) => {
      await fs.mkdir(path.join(workspacePath, 'elsewhere'));
      await fs.symlink(
        linkTarget(),
        path.join(workspacePath, 'deployment', name),
      );
      const error = await writeFiles(target(), [
        { path: 'first.yaml', content: 'x' },
        { path: 'README.md', content: 'generated' },
        { path: 'kubernetes/app.yaml', content: 'generated' },
      ]).catch(e => e);
      expect(error).toBeInstanceOf(InputError);
      expect(error.message).toMatch(
        new RegExp(`^targetPath: .*symbolic link.*${name}`),
      );
      expect(await fs.readFile(victim, 'utf8')).toBe('precious');
      expect(await fs.readdir(outside)).toEqual(['victim.txt']);
      expect(await fs.readdir(path.join(workspacePath, 'elsewhere'))).toEqual(
        [],
      );
      expect(
        (await fs.readdir(path.join(workspacePath, 'deployment'))).sort(),
      ).toEqual([name]);
    },
  );

  it('cloud-native:plan refuses a symlinked folder left by an earlier step', async () => {
    await fs.symlink(
      outside,
      path.join(workspacePath, 'deployment/.cloud-native'),
    );
    const ctx = createMockActionContext({
      workspacePath,
      input: { architecture: shopArchitecture },
    });
    await expect(
      createCloudNativePlanAction().handler(ctx as any),
    ).rejects.toThrow(/targetPath: .*\.cloud-native/);
    expect(await fs.readdir(outside)).toEqual(['victim.txt']);
  });

  it('a targetPath linked outside the workspace is refused by resolveInWorkspace', async () => {
    await fs.symlink(outside, path.join(workspacePath, 'out'));
    expect(() =>
      resolveInWorkspace(workspacePath, 'out', 'targetPath'),
    ).toThrow(InputError);
  });
});
