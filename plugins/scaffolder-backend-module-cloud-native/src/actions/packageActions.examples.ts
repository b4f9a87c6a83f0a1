import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import { stringify } from 'yaml';

/** A golden path composed of single skills, ending with this action. */
export function packageExamples(action: string): TemplateExample[] {
  return [
    {
      description: `Compose a package from selected skills, then ${action}`,
      example: stringify({
        steps: [
          {
            id: 'plan',
            action: 'cloud-native:plan',
            input: { specPath: 'architecture.yaml', targetPath: 'deployment' },
          },
          {
            id: 'images',
            action: 'cloud-native:container:generate',
            input: { targetPath: 'deployment' },
          },
          {
            id: 'manifests',
            action: 'cloud-native:kubernetes:generate',
            input: { targetPath: 'deployment' },
          },
          { id: 'last', action, input: { targetPath: 'deployment' } },
        ],
      }),
    },
  ];
}
