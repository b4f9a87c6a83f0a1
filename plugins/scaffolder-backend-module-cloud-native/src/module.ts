import { createBackendModule } from '@backstage/backend-plugin-api';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import { createCloudNativeActions } from './actions';

/**
 * Registers the cloud-native scaffolder actions.
 *
 * @public
 */
export const scaffolderModuleCloudNative = createBackendModule({
  pluginId: 'scaffolder',
  moduleId: 'cloud-native',
  register({ registerInit }) {
    registerInit({
      deps: {
        scaffolderActions: scaffolderActionsExtensionPoint,
      },
      async init({ scaffolderActions }) {
        scaffolderActions.addActions(...createCloudNativeActions());
      },
    });
  },
});
