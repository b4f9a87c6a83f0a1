import {
  coreServices,
  createBackendPlugin,
  RootConfigService,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import {
  CLOUD_NATIVE_PLUGIN_ID,
  cloudNativePermissions,
} from '@internal/backstage-plugin-cloud-native-common';
import { DatabaseReportStore } from './database';
import { createRouter } from './service/router';
import { PackageRevalidator } from './service/PackageRevalidator';
import { ReportLocator } from './service/ReportLocator';
import { ReportReader } from './service/ReportReader';
import { readSecondsConfig } from './service/secondsConfig';

const DEFAULT_ENTITY_CACHE_TTL_SECONDS = 10;

function entityCacheTtlMs(config: RootConfigService): number {
  const seconds = readSecondsConfig(config, {
    key: 'cloudNative.reports.entityCacheTtlSeconds',
    defaultSeconds: DEFAULT_ENTITY_CACHE_TTL_SECONDS,
    atLeast: 0,
  });
  return seconds * 1000;
}

/**
 * The cloud-native backend plugin: serves the deployment reports of catalog
 * entities, their history and revalidation under `/api/cloud-native`.
 *
 * @public
 */
export const cloudNativePlugin = createBackendPlugin({
  pluginId: CLOUD_NATIVE_PLUGIN_ID,
  register(env) {
    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        database: coreServices.database,
        cache: coreServices.cache,
        urlReader: coreServices.urlReader,
        httpAuth: coreServices.httpAuth,
        httpRouter: coreServices.httpRouter,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        catalog: catalogServiceRef,
      },
      async init({
        config,
        logger,
        database,
        cache,
        urlReader,
        httpAuth,
        httpRouter,
        permissions,
        permissionsRegistry,
        catalog,
      }) {
        permissionsRegistry.addPermissions(cloudNativePermissions);
        httpRouter.use(
          await createRouter({
            logger,
            httpAuth,
            permissions,
            catalog,
            store: await DatabaseReportStore.create({ database }),
            locator: ReportLocator.fromConfig(config),
            reader: ReportReader.fromConfig(config, {
              urlReader,
              cache,
              logger,
            }),
            revalidator: PackageRevalidator.fromConfig(config, { urlReader }),
            entityCacheTtlMs: entityCacheTtlMs(config),
          }),
        );
      },
    });
  },
});
