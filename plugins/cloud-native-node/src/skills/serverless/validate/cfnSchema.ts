/**
 * CloudFormation property values on the package's one strict-schema engine
 * (core/strict.ts): the CloudFormation vocabulary (intrinsic functions are
 * accepted wherever a value is, scalars are converted as CloudFormation
 * does, cfn-lint-like messages with "did you mean" hints), the SAM event
 * source schema, and the rule id of each kind of problem. The property
 * types themselves are declared in ./samShapes.ts (SAM, by hand) and
 * converted from @aws-cdk/aws-service-spec in ./samTemplate.ts.
 */
import {
  formatPath,
  isPlainObject,
  strictBuilders,
  StrictCode,
  StrictIssue,
  StrictSchema,
  StrictVocabulary,
  suggest,
} from '../../../core/strict';

/** The rule ids of property problems (mapped to cfn-lint anchors). */
export type PropertyRuleId =
  | 'aws/unknown-property'
  | 'aws/missing-required-property'
  | 'aws/property-type'
  | 'aws/invalid-value';

const RULE_OF_CODE: Record<StrictCode, PropertyRuleId> = {
  'unknown-field': 'aws/unknown-property',
  'missing-field': 'aws/missing-required-property',
  'wrong-type': 'aws/property-type',
  'invalid-value': 'aws/invalid-value',
};

/** The rule id of an issue found by a CloudFormation schema. */
export function propertyRuleId(issue: StrictIssue): PropertyRuleId {
  return RULE_OF_CODE[issue.code ?? 'invalid-value'];
}

const INTRINSIC_KEYS = new Set(['Ref', 'Condition']);

/** `{ Ref: X }`, `{ 'Fn::GetAtt': [...] }`, ... */
export function isIntrinsic(value: unknown): value is Record<string, unknown> {
  if (!isPlainObject(value)) return false;
  const keys = Object.keys(value);
  return (
    keys.length === 1 &&
    (INTRINSIC_KEYS.has(keys[0]) || keys[0].startsWith('Fn::'))
  );
}

function describe(value: unknown): string {
  if (Array.isArray(value)) return 'a list';
  if (value === null) return 'null';
  if (typeof value === 'object') return 'an object';
  return `${typeof value} ${JSON.stringify(value)}`;
}

const didYouMean = (word: string, candidates: Iterable<string>) => {
  const hint = suggest(word, candidates);
  return hint ? ` (did you mean '${hint}'?)` : '';
};

/** How CloudFormation reads values, in cfn-lint's words. */
export const cloudFormationVocabulary: StrictVocabulary = {
  passes: isIntrinsic,
  coerceScalars: true,
  unionIssues: 'closest',
  labels: {
    string: 'a string',
    number: () => 'a number',
    boolean: 'a boolean',
    array: 'a list',
    record: 'a map',
    object: name => `an object (${name ?? 'object'})`,
    union: alternatives =>
      alternatives.map(a => a.label ?? a.expected).join(' or '),
  },
  mismatch: (label, value) => `expected ${label}, found ${describe(value)}`,
  notInteger: value => `expected an integer, found ${value}`,
  notOneOf: (value, values) =>
    `${
      typeof value === 'string' ? `'${value}'` : value
    } is not one of ${values.join(', ')}`,
  unknownField: (key, known) =>
    `unknown property '${key}'${didYouMean(key, known)}`,
  missingField: key => `required property '${key}' is missing`,
};

/** The schema builders for CloudFormation values. */
export const cfn = strictBuilders(cloudFormationVocabulary);

/** A resource tag: an object with a Key and a Value. */
export const cfnTag = cfn.satisfying(
  'a tag {Key, Value}',
  value => isPlainObject(value) && 'Key' in value && 'Value' in value,
  ['object'],
);

/**
 * A SAM event source: `Type` picks the schema of `Properties` (absent
 * Properties are an empty object), like zod's discriminated union.
 */
export function eventSource(
  name: string,
  variants: Record<string, StrictSchema>,
): StrictSchema {
  const label = `an object (${name})`;
  const report = (
    issues: StrictIssue[],
    path: Parameters<StrictSchema['check']>[1],
    code: StrictCode,
    message: string,
  ) => issues.push({ path: formatPath(path), message, code });
  return {
    expected: label,
    label,
    kinds: ['object'],
    isOptional: false,
    check(value, path, issues) {
      if (isIntrinsic(value)) return;
      if (!isPlainObject(value)) {
        report(
          issues,
          path,
          'wrong-type',
          `expected ${label}, found ${describe(value)}`,
        );
        return;
      }
      for (const key of Object.keys(value)) {
        if (key !== 'Type' && key !== 'Properties') {
          report(
            issues,
            [...path, key],
            'unknown-field',
            `unknown key '${key}' (an event has Type and Properties)`,
          );
        }
      }
      const type = value.Type;
      if (typeof type !== 'string') {
        report(
          issues,
          [...path, 'Type'],
          'missing-field',
          `required property 'Type' is missing or not a string`,
        );
        return;
      }
      const variant = variants[type];
      if (!variant) {
        report(
          issues,
          [...path, 'Type'],
          'invalid-value',
          `unknown ${name} type '${type}'${didYouMean(
            type,
            Object.keys(variants),
          )}`,
        );
        return;
      }
      variant.check(value.Properties ?? {}, [...path, 'Properties'], issues);
    },
  };
}
