import { createFrontendPlugin } from '@backstage/frontend-plugin-api';
import { CLOUD_NATIVE_PLUGIN_ID } from '@internal/backstage-plugin-cloud-native-common';
import {
  cloudNativeApi,
  cloudNativeEntityCard,
  cloudNativeEntityContent,
} from './extensions';

export {
  cloudNativeApi,
  cloudNativeEntityCard,
  cloudNativeEntityContent,
} from './extensions';
export { cloudNativeEntityPredicate } from './lib/conditions';

/**
 * The cloud-native plugin for the new frontend system: the client API, the
 * entity page's "Deployment" tab (`entity-content:cloud-native`) and the
 * overview card (`entity-card:cloud-native`), both shown only for entities
 * with the `cloud-native.backstage.io/report` annotation.
 *
 * @alpha
 */
const cloudNativeFrontendPlugin = createFrontendPlugin({
  pluginId: CLOUD_NATIVE_PLUGIN_ID,
  extensions: [cloudNativeApi, cloudNativeEntityContent, cloudNativeEntityCard],
});

export default cloudNativeFrontendPlugin;

// scaffolder field extensions are added below
export {
  cloudNativeScaffolderModule,
  deploymentPlanPreviewFormField,
} from './scaffolder/alpha';
