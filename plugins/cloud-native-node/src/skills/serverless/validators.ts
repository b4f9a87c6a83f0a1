import {
  FileCheck,
  objectValidator,
  PackageValidators,
} from '../../core/validators';
import { SAM_TEMPLATE_PATH } from './aws/sam';
import { SERVERLESS_YML_PATH } from './aws/serverlessYml';
import { isKnativeObject, validateKnativeObject } from './knativeSchemas';
import { validateSamTemplate } from './validate/samTemplate';

/** A file this skill writes is an AWS SAM template by its name. */
function isSamTemplate(path: string): boolean {
  return path === SAM_TEMPLATE_PATH;
}

/** A Serverless Framework service file (SERVERLESS_YML_PATH and the like). */
function isServerlessYml(path: string): boolean {
  return path.endsWith(SERVERLESS_YML_PATH.split('/').pop()!);
}

/**
 * The AWS SAM template: CloudFormation/SAM structure, types, properties and
 * references (validateSamTemplate); its function policies also go through
 * the validation's IAM wildcard check.
 */
const samTemplate: FileCheck = {
  name: 'aws-sam-template',
  appliesTo: isSamTemplate,
  format: 'yaml',
  parseRuleId: 'serverless/parse',
  iamPolicies: true,
  // Not an object (an empty file): reported as such by the template check
  check: (document, file) => validateSamTemplate(document as object, file),
};

/** serverless.yml: its `provider.iam` statements (the IAM wildcard check). */
const serverlessYml: FileCheck = {
  name: 'serverless-framework',
  appliesTo: p => !isSamTemplate(p) && isServerlessYml(p),
  format: 'yaml',
  parseRuleId: 'serverless/parse',
  iamPolicies: true,
};

/**
 * What the cloud-serverless-designer skill contributes to the package
 * validation: its SAM template and serverless.yml checks, and the strict
 * Knative models (every object of a `*.knative.dev` API group).
 *
 * @public
 */
export const serverlessValidators: PackageValidators = {
  objects: [objectValidator('knative', isKnativeObject, validateKnativeObject)],
  files: [samTemplate, serverlessYml],
};
