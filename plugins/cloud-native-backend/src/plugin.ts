import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { CLOUD_NATIVE_PLUGIN_ID } from '@internal/backstage-plugin-cloud-native-common';
import { createRouter } from './router';

/**
 * The cloud-native backend plugin: serves deployment reports of catalog
 * entities under `/api/cloud-native`.
 *
 * @public
 */
export const cloudNativePlugin = createBackendPlugin({
  pluginId: CLOUD_NATIVE_PLUGIN_ID,
  register(env) {
    env.registerInit({
      deps: {
        httpAuth: coreServices.httpAuth,
        httpRouter: coreServices.httpRouter,
      },
      async init({ httpAuth, httpRouter }) {
        httpRouter.use(await createRouter({ httpAuth }));
      },
    });
  },
});
