import { TemplateAction } from '@backstage/plugin-scaffolder-node';
import { CloudNativeDefaults } from '../config';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { createCloudNativePlanAction } from './plan';
import { createCloudNativePublishLocalAction } from './publishLocal';
import { createCloudNativeOrchestrateAction } from './orchestrate';
import {
  createCloudNativeCostAction,
  createCloudNativeReportAction,
  createCloudNativeValidateAction,
} from './packageActions';
import { createCloudNativeSkillAction, SKILL_ACTIONS } from './generateSkill';

export { createCloudNativePlanAction } from './plan';
export { createCloudNativeSkillAction, SKILL_ACTIONS } from './generateSkill';
export { createCloudNativeOrchestrateAction } from './orchestrate';
export { createCloudNativePublishLocalAction } from './publishLocal';
export {
  createCloudNativeValidateAction,
  createCloudNativeCostAction,
  createCloudNativeReportAction,
} from './packageActions';

/**
 * Every cloud-native scaffolder action, ready for
 * `scaffolderActions.addActions(...)`.
 *
 * @public
 */
export function createCloudNativeActions(
  options: {
    defaults?: CloudNativeDefaults;
    localPublish?: { directory?: string; catalog?: CatalogService };
  } = {},
): TemplateAction<any, any, any>[] {
  return [
    createCloudNativePlanAction(options),
    ...SKILL_ACTIONS.map(entry =>
      createCloudNativeSkillAction({ ...entry, ...options }),
    ),
    createCloudNativeValidateAction(options),
    createCloudNativeCostAction(options),
    createCloudNativeReportAction(options),
    createCloudNativeOrchestrateAction(options),
    createCloudNativePublishLocalAction(options.localPublish ?? {}),
  ];
}
