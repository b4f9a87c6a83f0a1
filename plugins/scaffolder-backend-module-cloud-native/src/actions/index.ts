import { TemplateAction } from '@backstage/plugin-scaffolder-node';

/**
 * Every cloud-native scaffolder action, ready for
 * `scaffolderActions.addActions(...)`.
 *
 * @public
 */
export function createCloudNativeActions(): TemplateAction<any, any, any>[] {
  return [];
}
