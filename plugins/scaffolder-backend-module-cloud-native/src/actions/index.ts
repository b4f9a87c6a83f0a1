import { TemplateAction } from '@backstage/plugin-scaffolder-node';
import { CloudNativeDefaults } from '../config';
import { createCloudNativePlanAction } from './plan';
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
  options: { defaults?: CloudNativeDefaults } = {},
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
  ];
}
