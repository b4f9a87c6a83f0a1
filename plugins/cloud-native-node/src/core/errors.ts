import { SpecIssue } from '@internal/backstage-plugin-cloud-native-common';

/**
 * The spec is invalid. `issues` name each problem's field path, e.g.
 * `spec.services[2].schedule: invalid cron expression ...`.
 *
 * @public
 */
export class SpecValidationError extends Error {
  readonly issues: SpecIssue[];

  constructor(issues: SpecIssue[], source?: string) {
    super(
      `${source ? `${source}: ` : ''}invalid architecture spec\n${issues
        .map(issue => `  ${issue.path}: ${issue.message}`)
        .join('\n')}`,
    );
    this.name = 'SpecValidationError';
    this.issues = issues;
  }
}

/**
 * A path given by a user (output directory, file in a package) is unsafe or
 * unusable: outside the allowed root, or a directory we must not overwrite.
 *
 * @public
 */
export class UnsafePathError extends Error {
  readonly field: string;

  constructor(field: string, message: string) {
    super(`${field}: ${message}`);
    this.name = 'UnsafePathError';
    this.field = field;
  }
}
