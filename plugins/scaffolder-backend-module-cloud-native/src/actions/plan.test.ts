import { promises as fs } from 'node:fs';
import path from 'node:path';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { InputError } from '@backstage/errors';
import { createCloudNativePlanAction } from './plan';
import { shopArchitecture } from '../__fixtures__/architectures';
import {
  outputOf,
  temporaryWorkspaceEachTest,
  withDryRun,
} from '../__fixtures__/actionContext';

describe('cloud-native:plan', () => {
  const workspace = temporaryWorkspaceEachTest('cno-plan-');

  // A dry run works the same: the action has no side effects outside the workspace
  it.each([false, true])(
    'plans an inline architecture, writes the spec and plan, and outputs the decisions (isDryRun: %s)',
    async isDryRun => {
      const ctx = withDryRun(
        createMockActionContext({
          workspacePath: workspace(),
          input: { architecture: shopArchitecture },
        }),
        isDryRun,
      );
      await createCloudNativePlanAction().handler(ctx as any);
      expect(ctx.output).toHaveBeenCalledWith('platform', 'kubernetes');
      expect(ctx.output).toHaveBeenCalledWith('tier', 'T2');
      expect(ctx.output).toHaveBeenCalledWith('skills', [
        'container-image-optimizer',
        'kubernetes-manifest-generator',
        'kubernetes-helm-builder',
        'cloud-kubernetes-integrator',
      ]);
      const rationale = outputOf(ctx, 'rationale');
      expect(rationale).toEqual(
        expect.arrayContaining([expect.stringMatching(/^PLAT-010: /)]),
      );
      const spec = await fs.readFile(
        path.join(workspace(), 'deployment/architecture.yaml'),
        'utf8',
      );
      expect(spec).toContain('name: shop');
      const plan = JSON.parse(
        await fs.readFile(
          path.join(workspace(), 'deployment/.cloud-native/plan.json'),
          'utf8',
        ),
      );
      expect(plan.platform).toBe('kubernetes');
    },
  );

  it('applies organisation defaults and ignores empty form fields', async () => {
    const { tier: _t, cloud: _c, ...rest } = shopArchitecture.spec;
    const ctx = createMockActionContext({
      workspacePath: workspace(),
      input: {
        architecture: {
          ...shopArchitecture,
          spec: { ...rest, region: '', mesh: null },
        },
      },
    });
    await createCloudNativePlanAction({
      defaults: { cloud: 'gcp', tier: 'T3' },
    }).handler(ctx as any);
    expect(ctx.output).toHaveBeenCalledWith('tier', 'T3');
    expect(ctx.output).toHaveBeenCalledWith(
      'summary',
      expect.stringContaining('on gcp (us-central1)'),
    );
  });

  it('rejects a bad spec with an InputError naming the field', async () => {
    const bad = structuredClone(shopArchitecture);
    (bad.spec.services[1] as any).dependsOn = ['cache'];
    const ctx = createMockActionContext({
      workspacePath: workspace(),
      input: { architecture: bad },
    });
    const run = createCloudNativePlanAction().handler(ctx as any);
    await expect(run).rejects.toBeInstanceOf(InputError);
    await expect(
      createCloudNativePlanAction().handler(ctx as any),
    ).rejects.toThrow(
      /architecture\.spec\.services\[1\]\.dependsOn: unknown service 'cache'/,
    );
  });

  it.each(['../outside', '/etc', 'a/../../b'])(
    'refuses targetPath %s outside the workspace',
    async targetPath => {
      const ctx = createMockActionContext({
        workspacePath: workspace(),
        input: { architecture: shopArchitecture, targetPath },
      });
      await expect(
        createCloudNativePlanAction().handler(ctx as any),
      ).rejects.toThrow(/targetPath: /);
    },
  );

  it('refuses a specPath outside the workspace and a missing spec', async () => {
    await expect(
      createCloudNativePlanAction().handler(
        createMockActionContext({
          workspacePath: workspace(),
          input: { specPath: '../../etc/passwd' },
        }) as any,
      ),
    ).rejects.toThrow(/specPath: .*outside the workspace/);
    await expect(
      createCloudNativePlanAction().handler(
        createMockActionContext({
          workspacePath: workspace(),
          input: {},
        }) as any,
      ),
    ).rejects.toThrow(/specPath: no architecture spec/);
  });
});
