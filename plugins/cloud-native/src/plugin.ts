import {
  createApiFactory,
  createComponentExtension,
  createPlugin,
  createRoutableExtension,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/core-plugin-api';
import { CLOUD_NATIVE_PLUGIN_ID } from '@internal/backstage-plugin-cloud-native-common';
import { CloudNativeClient } from './api/CloudNativeClient';
import { cloudNativeApiRef } from './api/types';
import { rootRouteRef } from './routes';

/**
 * The cloud-native plugin for apps on the legacy frontend system. Apps on the
 * new frontend system use the default export of `/alpha`.
 *
 * @public
 */
export const cloudNativePlugin = createPlugin({
  id: CLOUD_NATIVE_PLUGIN_ID,
  apis: [
    createApiFactory({
      api: cloudNativeApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new CloudNativeClient({ discoveryApi, fetchApi }),
    }),
  ],
  routes: {
    root: rootRouteRef,
  },
});

/**
 * The deployment tab of an entity page (legacy frontend system):
 * `<EntityLayout.Route path="/cloud-native" title="Deployment" if={isCloudNativeAvailable}>`.
 *
 * @public
 */
export const EntityCloudNativeContent = cloudNativePlugin.provide(
  createRoutableExtension({
    name: 'EntityCloudNativeContent',
    component: () =>
      import('./components/EntityCloudNativeContent').then(
        m => m.EntityCloudNativeContent,
      ),
    mountPoint: rootRouteRef,
  }),
);

/**
 * The deployment summary card of an entity's overview page (legacy frontend
 * system).
 *
 * @public
 */
export const EntityCloudNativeCard = cloudNativePlugin.provide(
  createComponentExtension({
    name: 'EntityCloudNativeCard',
    component: {
      lazy: () =>
        import('./components/EntityCloudNativeCard').then(
          m => m.EntityCloudNativeCard,
        ),
    },
  }),
);
