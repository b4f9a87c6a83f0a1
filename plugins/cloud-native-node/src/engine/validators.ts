import {
  DeploymentPlan,
  SkillId,
} from '@internal/backstage-plugin-cloud-native-common';
import { GeneratedFile, Skill } from '../core/types';
import { combineValidators, PackageValidators } from '../core/validators';
import {
  PackageValidationResult,
  ValidatePackageOptions,
  validatePackage as validateWith,
} from '../validation';
import { builtinSkills } from './skills';

/**
 * The validators the skills declare (`Skill.validators`), gathered for the
 * package validation. All the skills available, not only the planned ones:
 * a package read from a directory (`cno validate`, the backend's
 * revalidation) is checked for every kind some skill can emit.
 *
 * @public
 */
export function skillValidators(
  skills: Partial<Record<SkillId, Skill>>,
): PackageValidators {
  return combineValidators(Object.values(skills).map(s => s?.validators));
}

/**
 * The validators of the built-in skills.
 *
 * @public
 */
export const builtinValidators: PackageValidators =
  skillValidators(builtinSkills);

/**
 * Validates a whole package with the built-in skills' validators (unless
 * `options.validators` gives others): the entry point of `cno validate`,
 * the scaffolder's cloud-native:validate and the backend's revalidation,
 * which validate files without running the skills.
 *
 * @public
 */
export function validatePackage(
  plan: DeploymentPlan,
  files: ReadonlyArray<GeneratedFile>,
  options: ValidatePackageOptions = {},
): Promise<PackageValidationResult> {
  return validateWith(plan, files, {
    ...options,
    validators: options.validators ?? builtinValidators,
  });
}
