import { createApp } from '@backstage/frontend-defaults';
import catalogPlugin from '@backstage/plugin-catalog/alpha';
import { navModule } from './modules/nav';
import { cloudNativeScaffolderModule } from '@internal/backstage-plugin-cloud-native/alpha';

export default createApp({
  // Plugins in package.json are discovered (app.packages: all); the
  // scaffolder module adding the DeploymentPlanPreview field is installed here.
  features: [catalogPlugin, navModule, cloudNativeScaffolderModule],
});
