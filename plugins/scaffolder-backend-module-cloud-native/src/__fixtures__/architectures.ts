/** A small T2 architecture on AWS with three services. */
export const shopArchitecture = {
  apiVersion: 'cloud-native.backstage.io/v1alpha1',
  kind: 'Architecture',
  metadata: { name: 'shop', owner: 'group:default/team-a' },
  spec: {
    type: 'microservices',
    cloud: 'aws',
    tier: 'T2',
    environments: ['dev', 'prod'],
    requirements: ['performance'],
    services: [
      {
        name: 'web',
        workload: 'service',
        language: 'node',
        port: 8080,
        expose: 'public',
      },
      {
        name: 'api',
        workload: 'service',
        language: 'go',
        port: 8080,
        dependsOn: ['db'],
      },
      { name: 'db', workload: 'stateful', image: 'postgres:16.4', port: 5432 },
    ],
  },
};
