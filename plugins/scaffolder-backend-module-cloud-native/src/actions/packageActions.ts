import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { InputError } from '@backstage/errors';
import {
  estimateCost,
  formatCostTable,
  readPackageDirectory,
  REPORT_FILE,
  reportExistingPackage,
  UnsafePathError,
  validatePackage,
} from '@internal/backstage-plugin-cloud-native-node';
import { CloudNativeDefaults } from '../config';
import {
  findingLine,
  monthlyCostOutput,
  planOfPackage,
  targetPathInput,
  toolCheckLine,
  validationOutputs,
  writeFiles,
} from './workspace';
import { packageExamples } from './packageActions.examples';

const packageInput = targetPathInput(
  'of the deployment package, holding architecture.yaml',
);

async function loadPackage(
  ctx: { workspacePath: string },
  targetPath: string,
  defaults: CloudNativeDefaults,
) {
  const { target, plan } = await planOfPackage(ctx, targetPath, defaults);
  try {
    const files = await readPackageDirectory(target, 'targetPath');
    return { target, plan, files };
  } catch (error) {
    if (error instanceof UnsafePathError) {
      throw new InputError(error.message);
    }
    throw error;
  }
}

/**
 * `cloud-native:validate`: validates the package in the workspace (schemas,
 * policy rules, Dockerfiles, Helm, kustomize, serverless, IAM, secrets,
 * consistency).
 *
 * @public
 */
export function createCloudNativeValidateAction(
  options: { defaults?: CloudNativeDefaults } = {},
) {
  const defaults = options.defaults ?? {};
  return createTemplateAction({
    id: 'cloud-native:validate',
    description:
      'Validates the deployment package in the workspace and reports pass/fail per area',
    examples: packageExamples('cloud-native:validate'),
    supportsDryRun: true,
    schema: {
      input: {
        ...packageInput,
        failOnError: z =>
          z
            .boolean({
              description:
                'Fail the step when there are errors (default: true)',
            })
            .optional(),
      },
      output: {
        ...validationOutputs,
        results: z =>
          z.record(z.string(), z.string(), {
            description: 'pass / fail / n/a per area',
          }),
      },
    },
    async handler(ctx) {
      const { targetPath = 'deployment', failOnError = true } = ctx.input;
      const { plan, files } = await loadPackage(ctx, targetPath, defaults);
      const started = Date.now();
      const result = await validatePackage(
        plan,
        files.filter(f => f.path !== REPORT_FILE),
        { ...defaults.engine },
      );
      const errors = result.findings.filter(f => f.severity === 'error');
      const warnings = result.findings.filter(f => f.severity === 'warning');
      for (const check of result.toolChecks) {
        ctx.logger.info(toolCheckLine(check));
      }
      for (const f of errors) {
        ctx.logger.error(findingLine(f));
      }
      ctx.logger.info(
        `Validated ${result.objectsChecked} objects in ${
          files.length
        } files in ${Date.now() - started} ms: ${errors.length} errors, ${
          warnings.length
        } warnings`,
      );
      ctx.output('validationStatus', errors.length ? 'fail' : 'pass');
      ctx.output('errors', errors.length);
      ctx.output('warnings', warnings.length);
      ctx.output('results', result.results as Record<string, string>);
      if (errors.length > 0 && failOnError) {
        throw new Error(`validation failed with ${errors.length} error(s)`);
      }
    },
  });
}

/**
 * `cloud-native:cost`: the monthly cost estimate of the workspace's
 * architecture.
 *
 * @public
 */
export function createCloudNativeCostAction(
  options: { defaults?: CloudNativeDefaults } = {},
) {
  const defaults = options.defaults ?? {};
  return createTemplateAction({
    id: 'cloud-native:cost',
    description:
      'Estimates the monthly cost of the deployment package (dated pricing snapshot, stated method)',
    examples: packageExamples('cloud-native:cost'),
    supportsDryRun: true,
    schema: {
      input: packageInput,
      output: {
        ...monthlyCostOutput,
        low: z => z.number({ description: 'Low end of the monthly range' }),
        high: z => z.number({ description: 'High end of the monthly range' }),
        pricingDate: z =>
          z.string({ description: 'Date of the pricing snapshot' }),
        table: z => z.string({ description: 'The cost table as text' }),
      },
    },
    async handler(ctx) {
      const { targetPath = 'deployment' } = ctx.input;
      const { plan } = await planOfPackage(ctx, targetPath, defaults);
      const estimate = estimateCost(plan);
      for (const [category, value] of Object.entries(estimate.byCategory)) {
        ctx.logger.info(`${category}: $${value.toFixed(2)}/month`);
      }
      ctx.logger.info(
        `Total about $${estimate.total.toFixed(
          2,
        )}/month ($${estimate.low.toFixed(2)}–$${estimate.high.toFixed(
          2,
        )}), prices of ${estimate.pricingDate}`,
      );
      ctx.output('monthlyCost', estimate.total);
      ctx.output('low', estimate.low);
      ctx.output('high', estimate.high);
      ctx.output('pricingDate', estimate.pricingDate);
      ctx.output('table', formatCostTable(estimate));
    },
  });
}

/**
 * `cloud-native:report`: writes deployment-report.yaml for the package as it
 * is in the workspace (after single-skill actions composed it).
 *
 * @public
 */
export function createCloudNativeReportAction(
  options: { defaults?: CloudNativeDefaults } = {},
) {
  const defaults = options.defaults ?? {};
  return createTemplateAction({
    id: 'cloud-native:report',
    description:
      'Writes the deployment report (strategy, skill trace, validation, cost, guide) for the package in the workspace',
    examples: packageExamples('cloud-native:report'),
    supportsDryRun: true,
    schema: {
      input: packageInput,
      output: {
        reportPath: z =>
          z.string({ description: 'Workspace-relative path of the report' }),
        validationStatus: validationOutputs.validationStatus,
        ...monthlyCostOutput,
      },
    },
    async handler(ctx) {
      const { targetPath = 'deployment' } = ctx.input;
      const { target, plan, files } = await loadPackage(
        ctx,
        targetPath,
        defaults,
      );
      const pkg = await reportExistingPackage(plan, files, {
        recordTimings: true,
        ...defaults.engine,
      });
      const report = pkg.files.find(f => f.path === REPORT_FILE)!;
      await writeFiles(target, [report]);
      for (const entry of pkg.report.trace) {
        ctx.logger.info(
          `${entry.skill}: ${entry.status}, ${entry.files} file(s), ${entry.findings} finding(s)`,
        );
      }
      ctx.output('reportPath', `${targetPath}/${REPORT_FILE}`);
      ctx.output('validationStatus', pkg.valid ? 'pass' : 'fail');
      ctx.output('monthlyCost', pkg.report.estimated_costs.monthly ?? 0);
    },
  });
}
