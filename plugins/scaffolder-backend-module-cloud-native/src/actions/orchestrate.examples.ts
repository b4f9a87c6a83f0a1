import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import { stringify } from 'yaml';

export const examples: TemplateExample[] = [
  {
    description: 'Generate the whole package from the template parameters',
    example: stringify({
      steps: [
        {
          id: 'orchestrate',
          action: 'cloud-native:orchestrate',
          name: 'Generate the deployment package',
          input: {
            targetPath: 'deployment',
            architecture: {
              apiVersion: 'cloud-native.backstage.io/v1alpha1',
              kind: 'Architecture',
              metadata: { name: 'guestbook' },
              spec: {
                type: 'monolith',
                cloud: 'platform-agnostic',
                tier: 'T1',
                requirements: ['cost'],
                services: [
                  {
                    name: 'web',
                    workload: 'service',
                    language: 'node',
                    port: 3000,
                    expose: 'public',
                  },
                ],
              },
            },
          },
        },
      ],
    }),
  },
];
