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
  });
});
