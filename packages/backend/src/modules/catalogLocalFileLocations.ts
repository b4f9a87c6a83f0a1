import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { catalogLocationsExtensionPoint } from '@backstage/plugin-catalog-node';

/**
 * Lets the catalog register `file` locations through its API, which the
 * template's local publishing step (cloud-native:publish:local) needs on a
 * machine without a Git host. Only active when
 * `cloudNative.localPublish.directory` is configured (app-config.yaml, not
 * production): by default the catalog accepts `url` locations only.
 */
export const catalogModuleLocalFileLocations = createBackendModule({
  pluginId: 'catalog',
  moduleId: 'local-file-locations',
  register(reg) {
    reg.registerInit({
      deps: {
        locations: catalogLocationsExtensionPoint,
        config: coreServices.rootConfig,
        logger: coreServices.logger,
      },
      async init({ locations, config, logger }) {
        if (config.getOptionalString('cloudNative.localPublish.directory')) {
          locations.setAllowedLocationTypes(['url', 'file']);
          logger.info(
            'file locations may be registered (cloudNative.localPublish.directory is set)',
          );
        }
      },
    });
  },
});
