import { createPlugin } from '@backstage/core-plugin-api';
import { CLOUD_NATIVE_PLUGIN_ID } from '@internal/backstage-plugin-cloud-native-common';

/**
 * The cloud-native plugin for apps on the legacy frontend system. Apps on the
 * new frontend system use the default export of `/alpha`.
 *
 * @public
 */
export const cloudNativePlugin = createPlugin({
  id: CLOUD_NATIVE_PLUGIN_ID,
});
