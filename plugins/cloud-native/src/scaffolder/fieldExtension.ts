import { createScaffolderFieldExtension } from '@backstage/plugin-scaffolder-react';
import { cloudNativePlugin } from '../plugin';
import {
  DEPLOYMENT_PLAN_PREVIEW_FIELD,
  DeploymentPlanPreview,
  deploymentPlanPreviewValidation,
} from './DeploymentPlanPreview';

/**
 * The `DeploymentPlanPreview` field for apps on the legacy frontend system:
 * place it inside `<ScaffolderFieldExtensions>` of the scaffolder route.
 *
 * Provided by this plugin rather than `scaffolderPlugin` (which would need
 * `@backstage/plugin-scaffolder` as a dependency): the scaffolder collects
 * field extensions by their component data, whichever plugin provides them.
 *
 * @public
 */
export const DeploymentPlanPreviewFieldExtension = cloudNativePlugin.provide(
  createScaffolderFieldExtension({
    name: DEPLOYMENT_PLAN_PREVIEW_FIELD,
    component: DeploymentPlanPreview,
    validation: deploymentPlanPreviewValidation,
  }),
);
