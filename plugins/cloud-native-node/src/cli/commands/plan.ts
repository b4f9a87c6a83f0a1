import {
  createPlan,
  DeploymentPlan,
} from '@internal/backstage-plugin-cloud-native-common';
import { CommandRegistration, readSpec } from '../io';

function formatPlan(plan: DeploymentPlan): string {
  const lines = [
    `Plan for ${plan.name}`,
    `  platform:     ${plan.platform} (${plan.cloud}, ${plan.region})`,
    `  tier:         ${plan.tier}`,
    `  environments: ${plan.environments.join(', ')}`,
    `  mesh:         ${plan.mesh}`,
    `  packaging:    ${plan.packaging}`,
    `  complexity:   ${plan.complexity.level} (${plan.complexity.why})`,
    '',
    'Skills (in order):',
    ...plan.skills.map(
      (s, i) => `  ${i + 1}. ${s.id}: ${s.reason} [${s.ruleIds.join(', ')}]`,
    ),
    '',
    'Services:',
    ...plan.services.map(
      s =>
        `  - ${s.name}: ${s.service.workload} → ${s.runtime} ${s.objectKind}, strategy ${s.strategy}, image ${s.image}`,
    ),
    '',
    'Decisions:',
    ...plan.decisions.map(d => `  ${d.ruleId}  ${d.rationale}`),
    ...plan.services.flatMap(s =>
      s.decisions.map(d => `  ${d.ruleId}  ${s.name}: ${d.rationale}`),
    ),
  ];
  if (plan.questions.length > 0) {
    lines.push(
      '',
      'Questions:',
      ...plan.questions.map(
        q => `  ? ${q.question}\n    assumed: ${q.assumption}`,
      ),
    );
  }
  return `${lines.join('\n')}\n`;
}

/** `cno plan <spec> [--json]` */
export const registerPlan: CommandRegistration = (program, { io }) => {
  program
    .command('plan')
    .description('Print the plan the decision rules make for a spec')
    .argument('<spec>', 'architecture spec (YAML or JSON)')
    .option('--json', 'print the plan as JSON')
    .action(async (specFile: string, opts: { json?: boolean }) => {
      const plan = createPlan(await readSpec(specFile));
      if (opts.json) {
        const { architecture: _omit, ...rest } = plan;
        io.stdout(`${JSON.stringify(rest, null, 2)}\n`);
      } else {
        io.stdout(formatPlan(plan));
      }
    });
};
