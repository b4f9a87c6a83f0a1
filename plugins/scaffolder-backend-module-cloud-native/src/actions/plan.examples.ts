import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import { stringify } from 'yaml';

export const examples: TemplateExample[] = [
  {
    description: 'Plan an inline architecture from the template parameters',
    example: stringify({
      steps: [
        {
          id: 'plan',
          action: 'cloud-native:plan',
          name: 'Plan the deployment',
          input: {
            architecture: {
              apiVersion: 'cloud-native.backstage.io/v1alpha1',
              kind: 'Architecture',
              metadata: { name: 'shop' },
              spec: {
                type: 'microservices',
                cloud: 'aws',
                tier: 'T2',
                requirements: ['performance'],
                services: [
                  {
                    name: 'api',
                    workload: 'service',
                    language: 'node',
                    port: 8080,
                  },
                ],
              },
            },
          },
        },
      ],
    }),
  },
  {
    description: 'Plan from a spec file already in the workspace',
    example: stringify({
      steps: [
        {
          id: 'plan',
          action: 'cloud-native:plan',
          name: 'Plan the deployment',
          input: { specPath: 'architecture.yaml', targetPath: 'deploy' },
        },
      ],
    }),
  },
];
