import { createFrontendModule } from '@backstage/frontend-plugin-api';
import { FormFieldBlueprint } from '@backstage/plugin-scaffolder-react/alpha';

/**
 * The `DeploymentPlanPreview` scaffolder field for the new frontend system.
 * `FormFieldBlueprint` attaches to the scaffolder's `api:scaffolder/form-fields`
 * whichever plugin or module carries it; the component is loaded on demand.
 *
 * @alpha
 */
export const deploymentPlanPreviewFormField = FormFieldBlueprint.make({
  name: 'deployment-plan-preview',
  params: {
    field: () => import('./formField').then(m => m.deploymentPlanPreviewField),
  },
});

/**
 * A scaffolder module that adds the `DeploymentPlanPreview` field. Install it
 * as a feature of the app (`createApp({ features: [cloudNativeScaffolderModule] })`)
 * next to the scaffolder plugin.
 *
 * @alpha
 */
export const cloudNativeScaffolderModule = createFrontendModule({
  pluginId: 'scaffolder',
  extensions: [deploymentPlanPreviewFormField],
});
