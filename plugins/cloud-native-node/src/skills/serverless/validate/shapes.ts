/**
 * A small structural schema language for CloudFormation property values,
 * filled from @aws-cdk/aws-service-spec (CloudFormation types) or by hand
 * (SAM types), and a checker that reports unknown properties, missing
 * required ones and basic type mismatches. Intrinsic functions are accepted
 * wherever a value is.
 */
import { isPlainObject, suggest } from '../../../core/strict';

export type Shape =
  | { kind: 'string'; enum?: ReadonlyArray<string> }
  | { kind: 'number'; integer?: boolean; enum?: ReadonlyArray<number> }
  | { kind: 'boolean' }
  | { kind: 'any' }
  | { kind: 'tag' }
  | { kind: 'array'; element: Shape }
  | { kind: 'map'; element: Shape }
  | { kind: 'object'; name: string; properties: () => Record<string, Prop> }
  | { kind: 'union'; options: Shape[] }
  | {
      kind: 'tagged';
      name: string;
      /** Value of `Type` → shape of `Properties` */
      variants: Record<string, Shape>;
    };

export interface Prop {
  shape: Shape;
  required?: boolean;
}

/** One problem, before it is attached to a file. */
export interface ShapeProblem {
  ruleId:
    | 'aws/unknown-property'
    | 'aws/missing-required-property'
    | 'aws/property-type'
    | 'aws/invalid-value';
  path: string;
  message: string;
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

function shapeName(shape: Shape): string {
  switch (shape.kind) {
    case 'object':
    case 'tagged':
      return `an object (${shape.name})`;
    case 'array':
      return 'a list';
    case 'map':
      return 'a map';
    case 'union':
      return shape.options.map(shapeName).join(' or ');
    case 'tag':
      return 'a tag {Key, Value}';
    case 'any':
      return 'anything';
    default:
      return `a ${shape.kind}`;
  }
}

/** Checks a value against a shape; appends problems, returns their count. */
export function checkShape(
  value: unknown,
  shape: Shape,
  path: string,
  problems: ShapeProblem[],
): number {
  const before = problems.length;
  if (isIntrinsic(value) || shape.kind === 'any') return 0;
  const mismatch = () =>
    problems.push({
      ruleId: 'aws/property-type',
      path,
      message: `expected ${shapeName(shape)}, found ${describe(value)}`,
    });
  switch (shape.kind) {
    case 'string':
      if (
        typeof value !== 'string' &&
        typeof value !== 'number' &&
        typeof value !== 'boolean'
      ) {
        mismatch();
      } else if (
        shape.enum &&
        typeof value === 'string' &&
        !shape.enum.includes(value)
      ) {
        problems.push({
          ruleId: 'aws/invalid-value',
          path,
          message: `'${value}' is not one of ${shape.enum.join(', ')}`,
        });
      }
      break;
    case 'number': {
      const number =
        typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value)
          ? Number(value)
          : value;
      if (typeof number !== 'number' || Number.isNaN(number)) mismatch();
      else if (shape.integer && !Number.isInteger(number)) {
        problems.push({
          ruleId: 'aws/property-type',
          path,
          message: `expected an integer, found ${number}`,
        });
      } else if (shape.enum && !shape.enum.includes(number)) {
        problems.push({
          ruleId: 'aws/invalid-value',
          path,
          message: `${number} is not one of ${shape.enum.join(', ')}`,
        });
      }
      break;
    }
    case 'boolean':
      if (typeof value !== 'boolean' && value !== 'true' && value !== 'false') {
        mismatch();
      }
      break;
    case 'tag':
      if (!isPlainObject(value) || !('Key' in value) || !('Value' in value)) {
        mismatch();
      }
      break;
    case 'array':
      if (!Array.isArray(value)) mismatch();
      else {
        value.forEach((item, index) =>
          checkShape(item, shape.element, `${path}[${index}]`, problems),
        );
      }
      break;
    case 'map':
      if (!isPlainObject(value)) mismatch();
      else {
        for (const [key, item] of Object.entries(value)) {
          checkShape(item, shape.element, `${path}.${key}`, problems);
        }
      }
      break;
    case 'object':
      if (!isPlainObject(value)) mismatch();
      else checkProperties(value, shape.properties(), path, problems);
      break;
    case 'tagged':
      checkTagged(value, shape, path, problems);
      break;
    case 'union':
      checkUnion(value, shape.options, path, problems);
      break;
    default:
      break;
  }
  return problems.length - before;
}

/** Unknown and missing properties, then each value. */
export function checkProperties(
  value: Record<string, unknown>,
  properties: Record<string, Prop>,
  path: string,
  problems: ShapeProblem[],
): void {
  for (const [key, item] of Object.entries(value)) {
    const prop = properties[key];
    if (!prop) {
      const hint = suggest(key, Object.keys(properties));
      problems.push({
        ruleId: 'aws/unknown-property',
        path: `${path}.${key}`,
        message: `unknown property '${key}'${
          hint ? ` (did you mean '${hint}'?)` : ''
        }`,
      });
      continue;
    }
    checkShape(item, prop.shape, `${path}.${key}`, problems);
  }
  for (const [key, prop] of Object.entries(properties)) {
    if (prop.required && !(key in value)) {
      problems.push({
        ruleId: 'aws/missing-required-property',
        path: `${path}.${key}`,
        message: `required property '${key}' is missing`,
      });
    }
  }
}

function checkTagged(
  value: unknown,
  shape: Extract<Shape, { kind: 'tagged' }>,
  path: string,
  problems: ShapeProblem[],
): void {
  if (!isPlainObject(value)) {
    problems.push({
      ruleId: 'aws/property-type',
      path,
      message: `expected an object (${shape.name}), found ${describe(value)}`,
    });
    return;
  }
  for (const key of Object.keys(value)) {
    if (key !== 'Type' && key !== 'Properties') {
      problems.push({
        ruleId: 'aws/unknown-property',
        path: `${path}.${key}`,
        message: `unknown key '${key}' (an event has Type and Properties)`,
      });
    }
  }
  const type = value.Type;
  if (typeof type !== 'string') {
    problems.push({
      ruleId: 'aws/missing-required-property',
      path: `${path}.Type`,
      message: `required property 'Type' is missing or not a string`,
    });
    return;
  }
  const variant = shape.variants[type];
  if (!variant) {
    const hint = suggest(type, Object.keys(shape.variants));
    problems.push({
      ruleId: 'aws/invalid-value',
      path: `${path}.Type`,
      message: `unknown ${shape.name} type '${type}'${
        hint ? ` (did you mean '${hint}'?)` : ''
      }`,
    });
    return;
  }
  checkShape(value.Properties ?? {}, variant, `${path}.Properties`, problems);
}

function kindMatches(value: unknown, shape: Shape): boolean {
  switch (shape.kind) {
    case 'object':
    case 'map':
    case 'tagged':
    case 'tag':
      return isPlainObject(value);
    case 'array':
      return Array.isArray(value);
    case 'union':
      return shape.options.some(option => kindMatches(value, option));
    case 'any':
      return true;
    default:
      return !isPlainObject(value) && !Array.isArray(value);
  }
}

function checkUnion(
  value: unknown,
  options: ReadonlyArray<Shape>,
  path: string,
  problems: ShapeProblem[],
): void {
  let best: ShapeProblem[] | undefined;
  for (const option of options) {
    const scratch: ShapeProblem[] = [];
    if (checkShape(value, option, path, scratch) === 0) return;
    if (kindMatches(value, option) && (!best || scratch.length < best.length)) {
      best = scratch;
    }
  }
  if (best) problems.push(...best);
  else {
    problems.push({
      ruleId: 'aws/property-type',
      path,
      message: `expected ${options
        .map(shapeName)
        .join(' or ')}, found ${describe(value)}`,
    });
  }
}
