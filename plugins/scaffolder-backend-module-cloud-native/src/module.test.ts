import { startTestBackend } from '@backstage/backend-test-utils';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import { scaffolderModuleCloudNative } from './module';
import { SKILL_ACTIONS } from './actions';

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
      ...SKILL_ACTIONS.map(a => a.action),
      'cloud-native:validate',
      'cloud-native:cost',
      'cloud-native:report',
      'cloud-native:orchestrate',
      'cloud-native:publish:local',
    ]);
  });
});
