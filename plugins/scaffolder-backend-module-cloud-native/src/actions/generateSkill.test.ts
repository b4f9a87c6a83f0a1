import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { createCloudNativePlanAction } from './plan';
import { createCloudNativeSkillAction, SKILL_ACTIONS } from './generateSkill';
import { shopArchitecture } from '../__fixtures__/architectures';
import {
  outputOf,
  temporaryWorkspaceEachTest,
} from '../__fixtures__/actionContext';

describe('single-skill actions', () => {
  const workspace = temporaryWorkspaceEachTest('cno-skill-');

  /**
   * Runs cloud-native:plan on the workspace for the shop architecture with
   * its spec changed by `specChanges` (none: the shop as it is).
   */
  const planShop = (specChanges: Record<string, unknown> = {}) =>
    createCloudNativePlanAction().handler(
      createMockActionContext({
        workspacePath: workspace(),
        input: {
          architecture: {
            ...shopArchitecture,
            spec: { ...shopArchitecture.spec, ...specChanges },
          },
        },
      }) as any,
    );

  beforeEach(() => planShop());

  const action = (id: string) => {
    const entry = SKILL_ACTIONS.find(a => a.action === id)!;
    return createCloudNativeSkillAction(entry);
  };

  /** A file the actions wrote into the workspace. */
  const readPackageFile = (file: string) =>
    fs.readFile(path.join(workspace(), file), 'utf8');

  /** Runs one skill action on the planned workspace (with no input by default). */
  const runSkill = async (id: string, input: { force?: boolean } = {}) => {
    const ctx = createMockActionContext({
      workspacePath: workspace(),
      input,
    });
    await action(id).handler(ctx as any);
    return ctx;
  };

  it('has one action per skill with provider:resource:verb ids', () => {
    expect(SKILL_ACTIONS.map(a => a.action)).toEqual([
      'cloud-native:container:generate',
      'cloud-native:kubernetes:generate',
      'cloud-native:helm:generate',
      'cloud-native:mesh:generate',
      'cloud-native:serverless:generate',
      'cloud-native:cloud:generate',
      'cloud-native:gitops:generate',
    ]);
  });

  it('kubernetes:generate writes only the manifest skill files, per environment', async () => {
    const ctx = await runSkill('cloud-native:kubernetes:generate');
    const files: string[] = outputOf(ctx, 'files');
    expect(files).toContain('kubernetes/prod/api.yaml');
    expect(files).toContain('kubernetes/dev/kustomization.yaml');
    // The manifest skill owns the per-environment Namespace (namespace/<env>/)
    expect(files).toContain('namespace/dev/namespace.yaml');
    expect(
      files.every(
        f => f.startsWith('kubernetes/') || f.startsWith('namespace/'),
      ),
    ).toBe(true);
    await expect(
      fs.stat(path.join(workspace(), 'deployment/containers')),
    ).rejects.toThrow();
    expect(
      await readPackageFile('deployment/kubernetes/prod/api.yaml'),
    ).toContain('kind: ServiceAccount');
  });

  it('container:generate writes Dockerfiles for the services without an image', async () => {
    const ctx = await runSkill('cloud-native:container:generate');
    const files: string[] = outputOf(ctx, 'files');
    expect(files).toContain('containers/api/Dockerfile');
    expect(files).toContain('containers/web/Dockerfile');
    expect(files.some(f => f.includes('containers/db/'))).toBe(false);
  });

  it('gitops:generate writes only the GitOps definitions, when the spec asks for them', async () => {
    await planShop({ gitops: 'argocd' });
    const ctx = await runSkill('cloud-native:gitops:generate');
    expect(ctx.output).toHaveBeenCalledWith('planned', true);
    const files: string[] = outputOf(ctx, 'files');
    expect(files).toContain('gitops/argocd/README.md');
    expect(files).toContain('gitops/argocd/prod.yaml');
    expect(files.every(f => f.startsWith('gitops/argocd/'))).toBe(true);
    expect(
      await readPackageFile('deployment/gitops/argocd/prod.yaml'),
    ).toContain('kind: Application');
  });

  it('gitops:generate is skipped when the spec asks for no GitOps', async () => {
    const ctx = await runSkill('cloud-native:gitops:generate');
    expect(ctx.output).toHaveBeenCalledWith('planned', false);
  });

  it('skips a skill the plan did not choose, with a log line', async () => {
    const ctx = await runSkill('cloud-native:serverless:generate');
    expect(ctx.output).toHaveBeenCalledWith('planned', false);
    expect(ctx.output).toHaveBeenCalledWith('files', []);
  });

  it('force: runs a skill the plan did not choose on the outputs of the planned ones', async () => {
    // one service, one environment: the plan chooses no Helm chart
    await planShop({
      environments: ['dev'],
      services: [shopArchitecture.spec.services[0]],
    });
    const ctx = await runSkill('cloud-native:helm:generate', { force: true });
    expect(ctx.output).toHaveBeenCalledWith('planned', false);
    expect(outputOf(ctx, 'files')).toEqual(
      expect.arrayContaining(['helm/shop/Chart.yaml', 'helm/shop/values.yaml']),
    );
  });

  it('fails clearly when cloud-native:plan did not run', async () => {
    const empty = await fs.mkdtemp(path.join(os.tmpdir(), 'cno-empty-'));
    await expect(
      action('cloud-native:kubernetes:generate').handler(
        createMockActionContext({ workspacePath: empty, input: {} }) as any,
      ),
    ).rejects.toThrow(/specPath: no architecture spec/);
    await fs.rm(empty, { recursive: true, force: true });
  });

  it('refuses a targetPath outside the workspace', async () => {
    await expect(
      action('cloud-native:helm:generate').handler(
        createMockActionContext({
          workspacePath: workspace(),
          input: { targetPath: '../x' },
        }) as any,
      ),
    ).rejects.toThrow(/targetPath: /);
  });
});
