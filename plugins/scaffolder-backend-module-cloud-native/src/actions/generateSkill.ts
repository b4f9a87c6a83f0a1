import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { InputError } from '@backstage/errors';
import { SkillId } from '@internal/backstage-plugin-cloud-native-common';
import { generatePackage } from '@internal/backstage-plugin-cloud-native-node';
import { CloudNativeDefaults } from '../config';
import { planOfPackage, targetPathInput, writeFiles } from './workspace';
import { skillExamples } from './generateSkill.examples';

/** The skill actions, one per skill: action id and skill. */
export const SKILL_ACTIONS: Array<{ action: string; skill: SkillId }> = [
  {
    action: 'cloud-native:container:generate',
    skill: 'container-image-optimizer',
  },
  {
    action: 'cloud-native:kubernetes:generate',
    skill: 'kubernetes-manifest-generator',
  },
  { action: 'cloud-native:helm:generate', skill: 'kubernetes-helm-builder' },
  {
    action: 'cloud-native:mesh:generate',
    skill: 'kubernetes-servicemesh-configurator',
  },
  {
    action: 'cloud-native:serverless:generate',
    skill: 'cloud-serverless-designer',
  },
  {
    action: 'cloud-native:cloud:generate',
    skill: 'cloud-kubernetes-integrator',
  },
  { action: 'cloud-native:gitops:generate', skill: 'gitops-generator' },
];

/**
 * One skill as an action, for golden paths that compose the skills they
 * want. Reads the spec from the workspace (written by `cloud-native:plan`),
 * re-runs the skills this one depends on in memory, and writes only this
 * skill's files.
 *
 * @public
 */
export function createCloudNativeSkillAction(options: {
  action: string;
  skill: SkillId;
  defaults?: CloudNativeDefaults;
}) {
  const { action, skill } = options;
  const defaults = options.defaults ?? {};
  return createTemplateAction({
    id: action,
    description: `Runs the ${skill} skill on the workspace's architecture spec and writes its files into the deployment package`,
    examples: skillExamples(action),
    supportsDryRun: true,
    schema: {
      input: {
        ...targetPathInput(
          'of the deployment package, holding architecture.yaml from cloud-native:plan',
        ),
        force: z =>
          z
            .boolean({
              description:
                'Run the skill even when the plan did not choose it (default: false, the step is skipped with a log line)',
            })
            .optional(),
      },
      output: {
        files: z =>
          z.array(z.string(), {
            description: 'Package-relative paths this skill wrote',
          }),
        planned: z =>
          z.boolean({ description: 'Whether the plan chose this skill' }),
      },
    },
    async handler(ctx) {
      const { targetPath = 'deployment', force = false } = ctx.input;
      const { target, plan } = await planOfPackage(ctx, targetPath, defaults);
      const planned = plan.skills.find(s => s.id === skill);
      if (!planned && !force) {
        ctx.logger.info(
          `${skill}: not chosen by the plan for ${plan.name} (${plan.platform}, ${plan.cloud}); nothing written. Set force: true to run it anyway.`,
        );
        ctx.output('files', []);
        ctx.output('planned', false);
        return;
      }
      // Dependencies run in memory so this skill sees their outputs.
      const index = plan.skills.findIndex(s => s.id === skill);
      const skills = planned
        ? plan.skills.slice(0, index + 1)
        : [
            ...plan.skills,
            {
              id: skill,
              reason: 'forced by the template',
              ruleIds: [],
              // it reads what it needs of everything the plan runs
              dependsOn: plan.skills.map(s => s.id),
            },
          ];
      const pkg = await generatePackage(
        { ...plan, skills },
        {
          recordTimings: true,
          validate: false,
        },
      );
      const entry = pkg.report.trace.find(t => t.skill === skill);
      if (!entry || entry.status === 'skipped') {
        throw new InputError(
          `${skill} is not available in this engine version`,
        );
      }
      const own = new Set(
        pkg.report.skills_invoked.find(s => s.skill === skill)?.files ?? [],
      );
      const files = pkg.files.filter(f => own.has(f.path));
      await writeFiles(target, files);
      ctx.logger.info(
        `${skill}: wrote ${files.length} file(s) in ${
          entry.durationMs ?? 0
        } ms`,
      );
      for (const note of entry.notes) {
        ctx.logger.info(`  ${note}`);
      }
      ctx.output(
        'files',
        files.map(f => f.path),
      );
      ctx.output('planned', Boolean(planned));
    },
  });
}
