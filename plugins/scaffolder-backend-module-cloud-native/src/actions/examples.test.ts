import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse, stringify } from 'yaml';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { createCloudNativeActions } from '.';
import { shopArchitecture } from '../__fixtures__/architectures';

/**
 * Runs every example of every action through its handler, in order, in a
 * workspace that holds an architecture spec (as a repository would).
 */
jest.setTimeout(120_000);

describe('action examples', () => {
  const publishDirectory = path.join(
    os.tmpdir(),
    `cno-examples-${process.pid}`,
  );
  const actions = createCloudNativeActions({
    localPublish: {
      directory: publishDirectory,
      catalog: catalogServiceMock.mock(),
    },
  });
  afterAll(() => fs.rm(publishDirectory, { recursive: true, force: true }));
  const cases = actions.flatMap(action =>
    (action.examples ?? []).map(example => [
      `${action.id}: ${example.description}`,
      example.example,
    ]),
  );

  it('every action has examples', () => {
    expect(actions.every(a => (a.examples ?? []).length > 0)).toBe(true);
  });

  it.each(cases)('%s', async (_name, example) => {
    const workspacePath = await fs.mkdtemp(path.join(os.tmpdir(), 'cno-ex-'));
    try {
      await fs.writeFile(
        path.join(workspacePath, 'architecture.yaml'),
        stringify(shopArchitecture),
      );
      await fs.writeFile(
        path.join(workspacePath, 'catalog-info.yaml'),
        stringify({
          apiVersion: 'backstage.io/v1alpha1',
          kind: 'Component',
          metadata: { name: 'my-service' },
          spec: { type: 'service', owner: 'team-a', lifecycle: 'production' },
        }),
      );
      const { steps } = parse(example as string);
      for (const step of steps) {
        const action = actions.find(a => a.id === step.action);
        expect(action).toBeDefined();
        const ctx = createMockActionContext({
          workspacePath,
          input: step.input ?? {},
        });
        await action!.handler(ctx as any);
      }
    } finally {
      await fs.rm(workspacePath, { recursive: true, force: true });
    }
  });
});
