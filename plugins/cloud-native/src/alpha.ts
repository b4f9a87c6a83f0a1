import { createFrontendPlugin } from '@backstage/frontend-plugin-api';
import { CLOUD_NATIVE_PLUGIN_ID } from '@internal/backstage-plugin-cloud-native-common';

/**
 * The cloud-native plugin for the new frontend system.
 *
 * @alpha
 */
const cloudNativeFrontendPlugin = createFrontendPlugin({
  pluginId: CLOUD_NATIVE_PLUGIN_ID,
  extensions: [],
});

export default cloudNativeFrontendPlugin;
