import {
  FileCheck,
  FileFinding,
  KubernetesObject,
  ObjectProblem,
  ObjectValidator,
  PackageValidators,
} from './types';

/**
 * Helpers of the validator contract (its interfaces are in ./types.ts, with
 * the Skill that declares them): the engine combines the validators of its
 * skills into the one value the package validation receives.
 */
export type {
  FileCheck,
  FileFinding,
  ObjectProblem,
  ObjectValidator,
  PackageValidators,
};

/**
 * An object validator; its findings are anchored to kubeconform's strict
 * mode unless the family has a tool of its own.
 *
 * @public
 */
export function objectValidator(
  name: string,
  handles: (object: KubernetesObject) => boolean,
  validate: (object: KubernetesObject) => ObjectProblem[],
  anchors: string[] = ['kubeconform-strict'],
): ObjectValidator {
  return { name, anchors, handles, validate };
}

/** @public */
export const NO_VALIDATORS: PackageValidators = { objects: [], files: [] };

/**
 * The validators of several skills together, in the order given (the order
 * in which object validators are asked whether they handle an object).
 *
 * @public
 */
export function combineValidators(
  parts: ReadonlyArray<Partial<PackageValidators> | undefined>,
): PackageValidators {
  return {
    objects: parts.flatMap(p => p?.objects ?? []),
    files: parts.flatMap(p => p?.files ?? []),
  };
}
