import { getComponentData } from '@backstage/core-plugin-api';
import { createExtensionTester } from '@backstage/frontend-test-utils';
import { FieldExtensionOptions } from '@backstage/plugin-scaffolder-react';
import { FormFieldBlueprint } from '@backstage/plugin-scaffolder-react/alpha';
import {
  cloudNativeScaffolderModule,
  deploymentPlanPreviewFormField,
} from './alpha';
import { DeploymentPlanPreviewFieldExtension } from './fieldExtension';
import {
  DeploymentPlanPreview,
  deploymentPlanPreviewValidation,
} from './DeploymentPlanPreview';

describe('DeploymentPlanPreview registration', () => {
  it('is a legacy field extension named DeploymentPlanPreview', () => {
    const options = getComponentData<FieldExtensionOptions>(
      <DeploymentPlanPreviewFieldExtension />,
      'scaffolder.extensions.field.v1',
    );
    expect(options).toMatchObject({
      name: 'DeploymentPlanPreview',
      component: DeploymentPlanPreview,
      validation: deploymentPlanPreviewValidation,
    });
  });

  it('is a new-system form field of a scaffolder module', async () => {
    expect(cloudNativeScaffolderModule.pluginId).toBe('scaffolder');
    const loader = createExtensionTester(deploymentPlanPreviewFormField).get(
      FormFieldBlueprint.dataRefs.formFieldLoader,
    );
    await expect(loader()).resolves.toBeDefined();
  });
});
