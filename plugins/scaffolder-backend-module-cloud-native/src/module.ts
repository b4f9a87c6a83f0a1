import { createBackendModule } from '@backstage/backend-plugin-api';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import { coreServices } from '@backstage/backend-plugin-api';
import { createCloudNativeActions } from './actions';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
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
        catalog: catalogServiceRef,
      },
      async init({ scaffolderActions, config, catalog }) {
        scaffolderActions.addActions(
          ...createCloudNativeActions({
            defaults: readCloudNativeDefaults(config),
            localPublish: {
              directory: config.getOptionalString(
                'cloudNative.localPublish.directory',
              ),
              catalog,
            },
          }),
        );
      },
    });
  },
});
