import { createBackendModule } from '@backstage/backend-plugin-api';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import { coreServices } from '@backstage/backend-plugin-api';
import { createCloudNativeActions } from './actions';
import { readCloudNativeDefaults } from './config';

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
        config: coreServices.rootConfig,
      },
      async init({ scaffolderActions, config }) {
        scaffolderActions.addActions(
          ...createCloudNativeActions({
            defaults: readCloudNativeDefaults(config),
          }),
        );
      },
    });
  },
});
