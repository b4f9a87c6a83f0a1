import { startTestBackend } from '@backstage/backend-test-utils';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import { scaffolderModuleCloudNative } from './module';

describe('scaffolderModuleCloudNative', () => {
  it('registers with the scaffolder actions extension point', async () => {
    const addActions = jest.fn();
    await startTestBackend({
      extensionPoints: [[scaffolderActionsExtensionPoint, { addActions }]],
      features: [scaffolderModuleCloudNative],
    });
    expect(addActions).toHaveBeenCalledTimes(1);
    expect(addActions.mock.calls[0].map((a: { id: string }) => a.id)).toEqual([
      'cloud-native:plan',
      'cloud-native:container:generate',
      'cloud-native:kubernetes:generate',
      'cloud-native:helm:generate',
      'cloud-native:mesh:generate',
      'cloud-native:serverless:generate',
      'cloud-native:cloud:generate',
      'cloud-native:validate',
      'cloud-native:cost',
      'cloud-native:report',
      'cloud-native:orchestrate',
      'cloud-native:publish:local',
    ]);
  });
});
