import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  generatePackage,
  REPORT_FILE,
} from '@internal/backstage-plugin-cloud-native-node';
import { CloudNativeDefaults } from '../config';
import {
  architectureInputs,
  findingLine,
  monthlyCostOutput,
  outputPlan,
  planOfInput,
  planOutputs,
  planSummary,
  targetPathInput,
  toolCheckLine,
  validationOutputs,
  writeFiles,
} from './workspace';
import { examples } from './orchestrate.examples';

/**
 * `cloud-native:orchestrate`: the whole pipeline in one step: plan, the six
 * skills in order, validation, cost, guide and report, written into the
 * workspace.
 *
 * @public
 */
export function createCloudNativeOrchestrateAction(
  options: { defaults?: CloudNativeDefaults } = {},
) {
  const defaults = options.defaults ?? {};
  return createTemplateAction({
    id: 'cloud-native:orchestrate',
    description:
      'Generates, validates, prices and documents the complete deployment package for an architecture',
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        ...architectureInputs,
        ...targetPathInput('for the package'),
        failOnValidationError: z =>
          z
            .boolean({
              description:
                'Fail the step when validation finds errors (default: true). The package is written either way.',
            })
            .optional(),
      },
      output: {
        ...planOutputs,
        skills: z =>
          z.array(z.string(), { description: 'Skills that ran, in order' }),
        ...validationOutputs,
        ...monthlyCostOutput,
        costRange: z =>
          z.string({ description: 'Low–high monthly range, e.g. "$120–$180"' }),
        reportPath: z =>
          z.string({
            description: 'Workspace-relative path of deployment-report.yaml',
          }),
      },
    },
    async handler(ctx) {
      const { targetPath = 'deployment', failOnValidationError = true } =
        ctx.input;
      const { target, plan } = await planOfInput(ctx, targetPath, defaults);
      ctx.logger.info(`Plan for ${plan.name}: ${planSummary(plan)}`);
      for (const q of plan.questions) {
        ctx.logger.warn(`question: ${q.question} (assumed: ${q.assumption})`);
      }
      const pkg = await generatePackage(plan, {
        recordTimings: true,
        ...defaults.engine,
        onSkill: entry =>
          ctx.logger.info(
            `${entry.skill}: ${entry.status}, ${entry.files} file(s), ${
              entry.findings
            } finding(s), ${entry.durationMs ?? 0} ms`,
          ),
      });
      await writeFiles(target, pkg.files);
      const errors = pkg.findings.filter(f => f.severity === 'error');
      const warnings = pkg.findings.filter(f => f.severity === 'warning');
      for (const check of pkg.report.tool_checks ?? []) {
        ctx.logger.info(toolCheckLine(check));
      }
      for (const f of errors.slice(0, 20)) {
        ctx.logger.error(findingLine(f));
      }
      const cost = pkg.report.estimated_costs;
      const monthly = cost.monthly ?? 0;
      ctx.logger.info(
        `Wrote ${pkg.files.length} files to ${targetPath}; validation ${
          errors.length ? 'FAILED' : 'passed'
        } (${errors.length} errors, ${
          warnings.length
        } warnings); about $${monthly.toFixed(2)}/month`,
      );
      outputPlan(ctx, plan);
      ctx.output(
        'skills',
        plan.skills.map(s => s.id),
      );
      ctx.output('validationStatus', errors.length === 0 ? 'pass' : 'fail');
      ctx.output('errors', errors.length);
      ctx.output('warnings', warnings.length);
      ctx.output('monthlyCost', monthly);
      ctx.output(
        'costRange',
        `$${(cost.low ?? monthly).toFixed(2)}–$${(cost.high ?? monthly).toFixed(
          2,
        )}`,
      );
      ctx.output('reportPath', `${targetPath}/${REPORT_FILE}`);
      if (errors.length > 0 && failOnValidationError) {
        throw new Error(
          `the generated package has ${errors.length} validation error(s); see ${targetPath}/${REPORT_FILE}`,
        );
      }
    },
  });
}
