import { createFormField } from '@backstage/plugin-scaffolder-react/alpha';
import {
  DEPLOYMENT_PLAN_PREVIEW_FIELD,
  DeploymentPlanPreview,
  deploymentPlanPreviewValidation,
} from './DeploymentPlanPreview';

/** The field definition the new frontend system loads lazily. */
export const deploymentPlanPreviewField = createFormField({
  name: DEPLOYMENT_PLAN_PREVIEW_FIELD,
  component: DeploymentPlanPreview,
  validation: deploymentPlanPreviewValidation,
});
