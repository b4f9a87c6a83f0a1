import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { CloudNativeDefaults } from '../config';
import {
  architectureInputs,
  outputPlan,
  planOfInput,
  planOutputs,
  planSummary,
  stateFiles,
  targetPathInput,
  writeFiles,
} from './workspace';
import { examples } from './plan.examples';

/**
 * `cloud-native:plan`: applies the decision rules to an architecture and
 * writes the spec and the plan into the workspace, where the single-skill
 * actions read them.
 *
 * @public
 */
export function createCloudNativePlanAction(
  options: { defaults?: CloudNativeDefaults } = {},
) {
  const defaults = options.defaults ?? {};
  return createTemplateAction({
    id: 'cloud-native:plan',
    description:
      'Decides platform, skills, tier features and rollout strategies for an architecture, and writes the spec and plan into the workspace',
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        ...architectureInputs,
        ...targetPathInput('of the deployment package'),
      },
      output: {
        ...planOutputs,
        skills: z =>
          z.array(z.string(), { description: 'Skills in the order they run' }),
        rationale: z =>
          z.array(z.string(), {
            description: 'Every rule that fired, as "RULE-ID: rationale"',
          }),
        questions: z =>
          z.array(z.string(), {
            description: 'Open questions with the assumption made',
          }),
      },
    },
    async handler(ctx) {
      const { targetPath = 'deployment' } = ctx.input;
      const { target, plan } = await planOfInput(ctx, targetPath, defaults);
      await writeFiles(target, stateFiles(plan));
      ctx.logger.info(`Plan for ${plan.name}: ${planSummary(plan)}`);
      for (const d of plan.decisions) {
        ctx.logger.info(`  ${d.ruleId}: ${d.rationale}`);
      }
      for (const q of plan.questions) {
        ctx.logger.warn(`  question: ${q.question} (assumed: ${q.assumption})`);
      }
      outputPlan(ctx, plan);
      ctx.output(
        'skills',
        plan.skills.map(s => s.id),
      );
      ctx.output(
        'rationale',
        [...plan.decisions, ...plan.services.flatMap(s => s.decisions)].map(
          d => `${d.ruleId}: ${d.rationale}`,
        ),
      );
      ctx.output(
        'questions',
        plan.questions.map(q => `${q.question} Assumed: ${q.assumption}`),
      );
    },
  });
}
