import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createPlan } from '@internal/backstage-plugin-cloud-native-common';
import { EXAMPLES_DIR } from '../__fixtures__/examples';
import { parseSpecText } from '../engine/loadSpec';
import { generatePackage } from '../engine/orchestrate';

/**
 * The report's deployment guide used to spell its own status and rollback
 * commands, and waited 5 minutes for a rollout where docs/DEPLOYMENT.md
 * waits 10: both now come from guide/facts.ts.
 */
describe('buildReport: the deployment guide of the report', () => {
  it.each(['shop-eks-t2', 'marketplace-gke-t3', 'batch-platform-agnostic'])(
    '%s: every status and rollback command is one docs/DEPLOYMENT.md gives',
    async name => {
      const text = readFileSync(
        path.join(EXAMPLES_DIR, name, 'architecture.yaml'),
        'utf8',
      );
      const result = await generatePackage(
        createPlan(parseSpecText(text, name)),
        { validate: false },
      );
      const guide = result.files.find(
        f => f.path === 'docs/DEPLOYMENT.md',
      )!.content;
      const { validation, rollback } = result.report.deployment_guide;
      expect(validation.length).toBeGreaterThan(0);
      for (const command of validation) {
        expect(guide).toContain(command);
      }
      for (const line of rollback) {
        for (const command of line.split(' && ')) {
          expect(guide).toContain(command);
        }
      }
    },
  );
});
