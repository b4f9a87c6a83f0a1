import { createPlan } from '@internal/backstage-plugin-cloud-native-common';
import { SpecValidationError } from '../../core/errors';
import { estimateCost, formatCostTable } from '../../cost';
import { CommandRegistration, isDirectory, readSpec } from '../io';

/** `cno cost <spec-or-dir> [--env ...] [--json]` */
export const registerCost: CommandRegistration = (program, { io }) => {
  program
    .command('cost')
    .description(
      'Print the monthly cost estimate of a spec or of a package directory',
    )
    .argument('<spec-or-dir>', 'architecture spec, or a package directory')
    .option('--json', 'print the estimate as JSON')
    .option('--env <environment...>', 'only these environments')
    .action(
      async (target: string, opts: { json?: boolean; env?: string[] }) => {
        const specFile = (await isDirectory(target))
          ? `${target}/architecture.yaml`
          : target;
        const plan = createPlan(await readSpec(specFile));
        const unknown = (opts.env ?? []).filter(
          e => !plan.environments.includes(e),
        );
        if (unknown.length > 0) {
          throw new SpecValidationError([
            {
              path: '--env',
              message: `unknown environment ${unknown.join(
                ', ',
              )} (the plan has ${plan.environments.join(', ')})`,
            },
          ]);
        }
        const estimate = estimateCost(plan, { environments: opts.env });
        io.stdout(
          opts.json
            ? `${JSON.stringify(estimate, null, 2)}\n`
            : formatCostTable(estimate),
        );
      },
    );
};
