import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { createCloudNativePublishLocalAction } from './publishLocal';

describe('cloud-native:publish:local', () => {
  let workspacePath: string;
  let directory: string;
  beforeEach(async () => {
    workspacePath = await fs.mkdtemp(path.join(os.tmpdir(), 'cno-ws-'));
    directory = await fs.mkdtemp(path.join(os.tmpdir(), 'cno-pub-'));
    await fs.writeFile(
      path.join(workspacePath, 'catalog-info.yaml'),
      'apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: shop\nspec: {}\n',
    );
    await fs.mkdir(path.join(workspacePath, 'deployment'));
    await fs.writeFile(path.join(workspacePath, 'deployment/a.yaml'), 'a: 1\n');
  });
  afterEach(async () => {
    await fs.rm(workspacePath, { recursive: true, force: true });
    await fs.rm(directory, { recursive: true, force: true });
  });

  it('copies the workspace, registers a file location and outputs the entity ref', async () => {
    const catalog = catalogServiceMock.mock();
    const ctx = createMockActionContext({
      workspacePath,
      input: { name: 'shop' },
    });
    await createCloudNativePublishLocalAction({ directory, catalog }).handler(
      ctx as any,
    );
    expect(
      await fs.readFile(path.join(directory, 'shop/deployment/a.yaml'), 'utf8'),
    ).toBe('a: 1\n');
    expect(catalog.addLocation).toHaveBeenCalledWith(
      { type: 'file', target: path.join(directory, 'shop/catalog-info.yaml') },
      expect.anything(),
    );
    expect(ctx.output).toHaveBeenCalledWith(
      'entityRef',
      'component:default/shop',
    );
  });

  it('never overwrites an existing component unless asked', async () => {
    await fs.mkdir(path.join(directory, 'shop'));
    await fs.writeFile(path.join(directory, 'shop/mine.txt'), 'keep');
    const ctx = createMockActionContext({
      workspacePath,
      input: { name: 'shop' },
    });
    await expect(
      createCloudNativePublishLocalAction({ directory }).handler(ctx as any),
    ).rejects.toThrow(/already exists/);
    expect(
      await fs.readFile(path.join(directory, 'shop/mine.txt'), 'utf8'),
    ).toBe('keep');
  });

  it('does nothing outside the workspace in dry-run', async () => {
    const catalog = catalogServiceMock.mock();
    // createMockActionContext does not pass isDryRun through
    const ctx = {
      ...createMockActionContext({
        workspacePath,
        input: { name: 'shop' },
      }),
      isDryRun: true,
    };
    await createCloudNativePublishLocalAction({ directory, catalog }).handler(
      ctx as any,
    );
    expect(await fs.readdir(directory)).toEqual([]);
    expect(catalog.addLocation).not.toHaveBeenCalled();
  });

  it.each([
    [{ name: '../escape' }, /name: /],
    [{ name: 'ok', sourcePath: '../../etc' }, /sourcePath: /],
  ])('refuses bad input %j', async (input, message) => {
    const ctx = createMockActionContext({ workspacePath, input });
    await expect(
      createCloudNativePublishLocalAction({ directory }).handler(ctx as any),
    ).rejects.toThrow(message);
  });

  it('is off unless a directory is configured', async () => {
    const ctx = createMockActionContext({
      workspacePath,
      input: { name: 'shop' },
    });
    await expect(
      createCloudNativePublishLocalAction({}).handler(ctx as any),
    ).rejects.toThrow(/localPublish.directory is not configured/);
  });
});
