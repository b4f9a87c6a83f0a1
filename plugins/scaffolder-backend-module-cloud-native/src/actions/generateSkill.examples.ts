import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import { stringify } from 'yaml';

export function skillExamples(action: string): TemplateExample[] {
  return [
    {
      description: `Plan, then run only this skill (${action})`,
      example: stringify({
        steps: [
          {
            id: 'plan',
            action: 'cloud-native:plan',
            input: { specPath: 'architecture.yaml', targetPath: 'deployment' },
          },
          {
            id: 'skill',
            action,
            input: { targetPath: 'deployment' },
          },
        ],
      }),
    },
  ];
}
