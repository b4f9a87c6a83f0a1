import { promises as fs } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { mockServices } from '@backstage/backend-test-utils';
import { shopArchitecture } from '../__fixtures__/architectures';
import {
  outputOf,
  temporaryWorkspaceEachTest,
  withDryRun,
} from '../__fixtures__/actionContext';
import { createCloudNativeOrchestrateAction } from './orchestrate';
import { createCloudNativePlanAction } from './plan';
import { createCloudNativeSkillAction, SKILL_ACTIONS } from './generateSkill';
import {
  createCloudNativeCostAction,
  createCloudNativeReportAction,
  createCloudNativeValidateAction,
} from './packageActions';

// Validation renders Helm charts and builds kustomizations for real
jest.setTimeout(120_000);

describe('package actions', () => {
  const workspace = temporaryWorkspaceEachTest('cno-pkg-');

  it('orchestrate writes a validated package with report, cost and guide', async () => {
    const ctx = createMockActionContext({
      workspacePath: workspace(),
      logger: mockServices.logger.mock(),
      input: { architecture: shopArchitecture },
    });
    await createCloudNativeOrchestrateAction().handler(ctx as any);
    expect(outputOf(ctx, 'validationStatus')).toBe('pass');
    expect(outputOf(ctx, 'errors')).toBe(0);
    expect(outputOf(ctx, 'monthlyCost')).toBeGreaterThan(0);
    expect(outputOf(ctx, 'reportPath')).toBe(
      'deployment/deployment-report.yaml',
    );
    const report = parse(
      await fs.readFile(
        path.join(workspace(), 'deployment/deployment-report.yaml'),
        'utf8',
      ),
    );
    expect(report.trace.map((t: any) => t.skill)).toEqual(
      outputOf(ctx, 'skills'),
    );
    expect(
      report.trace.every((t: any) => typeof t.durationMs === 'number'),
    ).toBe(true);
    await fs.stat(path.join(workspace(), 'deployment/docs/DEPLOYMENT.md'));
    // The task log is the user's progress view: one line per skill
    const lines = (ctx.logger.info as jest.Mock).mock.calls.map(c =>
      String(c[0]),
    );
    expect(
      lines.some(l =>
        /^kubernetes-manifest-generator: ok, \d+ file\(s\)/.test(l),
      ),
    ).toBe(true);
  });

  it('orchestrate supports dry-run with the same result', async () => {
    const ctx = withDryRun(
      createMockActionContext({
        workspacePath: workspace(),
        input: { architecture: shopArchitecture },
      }),
    );
    await createCloudNativeOrchestrateAction().handler(ctx as any);
    expect(outputOf(ctx, 'validationStatus')).toBe('pass');
  });

  it('a golden path composed of single skills, then validate, cost and report', async () => {
    const run = async (action: any, input: any = {}) => {
      const ctx = createMockActionContext({
        workspacePath: workspace(),
        input,
      });
      await action.handler(ctx as any);
      return ctx;
    };
    await run(createCloudNativePlanAction(), {
      architecture: shopArchitecture,
    });
    for (const entry of SKILL_ACTIONS) {
      await run(createCloudNativeSkillAction(entry));
    }
    const validate = await run(createCloudNativeValidateAction());
    expect(outputOf(validate, 'validationStatus')).toBe('pass');
    expect(outputOf(validate, 'results')).toMatchObject({
      kubernetes_manifests: 'pass',
      container_build: 'pass',
    });
    const cost = await run(createCloudNativeCostAction());
    expect(outputOf(cost, 'monthlyCost')).toBeGreaterThan(0);
    expect(outputOf(cost, 'table')).toContain('Total:');
    const report = await run(createCloudNativeReportAction());
    expect(outputOf(report, 'validationStatus')).toBe('pass');
    const written = parse(
      await fs.readFile(
        path.join(workspace(), 'deployment/deployment-report.yaml'),
        'utf8',
      ),
    );
    expect(written.deployment_package.files.length).toBeGreaterThan(10);
  });

  it('validate fails on a broken package and names the problem', async () => {
    await createCloudNativeOrchestrateAction().handler(
      createMockActionContext({
        workspacePath: workspace(),
        input: { architecture: shopArchitecture },
      }) as any,
    );
    const file = path.join(workspace(), 'deployment/kubernetes/prod/api.yaml');
    const text = await fs.readFile(file, 'utf8');
    await fs.writeFile(
      file,
      text.replace('serviceAccountName: api', 'serviceAcountName: api'),
    );
    const ctx = createMockActionContext({
      workspacePath: workspace(),
      logger: mockServices.logger.mock(),
      input: {},
    });
    await expect(
      createCloudNativeValidateAction().handler(ctx as any),
    ).rejects.toThrow(/validation failed/);
    const errors = (ctx.logger.error as jest.Mock).mock.calls.map(c =>
      String(c[0]),
    );
    expect(errors.some(e => e.includes('serviceAcountName'))).toBe(true);
  });

  it('validate, cost and report refuse paths outside the workspace', async () => {
    for (const action of [
      createCloudNativeValidateAction(),
      createCloudNativeCostAction(),
      createCloudNativeReportAction(),
    ]) {
      await expect(
        action.handler(
          createMockActionContext({
            workspacePath: workspace(),
            input: { targetPath: '../../etc' },
          }) as any,
        ),
      ).rejects.toThrow(/targetPath: /);
    }
  });
});
