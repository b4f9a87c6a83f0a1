/**
 * The strict schema engine of the package: every skill describes the
 * custom resources it emits with these builders (Linkerd, Knative, Argo CD,
 * Flux, GKE PodMonitoring ...) and declares the validator as an
 * `ObjectValidator` (./validators.ts). It sits in `core` so that the skills
 * and the validation use the same engine without importing each other.
 *
 * A minimal strict schema library: the part of zod's API the Linkerd models
 * need (`object`, `string`, `number`, `array`, `record`, `union`, `literal`,
 * `enum`, `optional`), where every object is strict (an unknown key is an
 * issue, like zod's `.strict()`).
 *
 * Why not zod itself: this package does not declare `zod` as a dependency
 * (only cloud-native-common does), and importing an undeclared package fails
 * the `@backstage/no-undeclared-imports` lint rule. The models stay
 * declarative, so moving them to zod later is a mechanical rewrite.
 */

/** One problem, located by its field path (`spec.rules[0].matches[0]`). */
export interface StrictIssue {
  path: string;
  message: string;
}

type Segment = string | number;

/** A schema: checks a value and reports issues with their path. */
export interface StrictSchema {
  /** Human-readable expected type, for messages */
  readonly expected: string;
  /** True when the key may be absent in its parent object */
  readonly isOptional: boolean;
  check(value: unknown, path: Segment[], issues: StrictIssue[]): void;
}

/** `spec.rules[0].matches` (the spec's own formatFieldPath convention). */
export function formatPath(path: ReadonlyArray<Segment>): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else out += out ? `.${segment}` : segment;
  }
  return out || '(root)';
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') return `the string ${JSON.stringify(value)}`;
  return `${typeof value} ${String(value)}`;
}

function issue(issues: StrictIssue[], path: Segment[], message: string): void {
  issues.push({ path: formatPath(path), message });
}

function schema(
  expected: string,
  check: StrictSchema['check'],
  isOptional = false,
): StrictSchema {
  return { expected, isOptional, check };
}

export interface StringOptions {
  pattern?: RegExp;
  /** Said in the message when the pattern does not match */
  patternName?: string;
  minLength?: number;
  maxLength?: number;
}

function string(options: StringOptions = {}): StrictSchema {
  return schema('string', (value, path, issues) => {
    if (typeof value !== 'string') {
      issue(issues, path, `expected a string, got ${describe(value)}`);
      return;
    }
    if (options.minLength !== undefined && value.length < options.minLength) {
      issue(
        issues,
        path,
        `must be at least ${options.minLength} character(s) long`,
      );
    }
    if (options.maxLength !== undefined && value.length > options.maxLength) {
      issue(
        issues,
        path,
        `must be at most ${options.maxLength} characters long`,
      );
    }
    if (options.pattern && !options.pattern.test(value)) {
      issue(
        issues,
        path,
        `${JSON.stringify(value)} is not ${
          options.patternName ?? `matching ${options.pattern}`
        }`,
      );
    }
  });
}

function literal(expected: string): StrictSchema {
  return schema(JSON.stringify(expected), (value, path, issues) => {
    if (value !== expected) {
      issue(
        issues,
        path,
        `expected ${JSON.stringify(expected)}, got ${describe(value)}`,
      );
    }
  });
}

function enumOf(values: ReadonlyArray<string>): StrictSchema {
  return schema(`one of ${values.join(', ')}`, (value, path, issues) => {
    if (typeof value !== 'string' || !values.includes(value)) {
      issue(
        issues,
        path,
        `expected one of ${values
          .map(v => JSON.stringify(v))
          .join(', ')}, got ${describe(value)}`,
      );
    }
  });
}

export interface NumberOptions {
  integer?: boolean;
  min?: number;
  max?: number;
}

function number(options: NumberOptions = {}): StrictSchema {
  const expected = options.integer ? 'integer' : 'number';
  return schema(expected, (value, path, issues) => {
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      issue(issues, path, `expected ${expected}, got ${describe(value)}`);
      return;
    }
    if (options.integer && !Number.isInteger(value)) {
      issue(issues, path, `expected an integer, got ${value}`);
    }
    if (options.min !== undefined && value < options.min) {
      issue(issues, path, `must be ≥ ${options.min}, got ${value}`);
    }
    if (options.max !== undefined && value > options.max) {
      issue(issues, path, `must be ≤ ${options.max}, got ${value}`);
    }
  });
}

function boolean(): StrictSchema {
  return schema('boolean', (value, path, issues) => {
    if (typeof value !== 'boolean') {
      issue(issues, path, `expected a boolean, got ${describe(value)}`);
    }
  });
}

export interface ArrayOptions {
  minItems?: number;
  maxItems?: number;
  /** OpenAPI `uniqueItems` (a list-type set) */
  unique?: boolean;
}

function array(item: StrictSchema, options: ArrayOptions = {}): StrictSchema {
  return schema(`array of ${item.expected}`, (value, path, issues) => {
    if (!Array.isArray(value)) {
      issue(issues, path, `expected an array, got ${describe(value)}`);
      return;
    }
    if (options.minItems !== undefined && value.length < options.minItems) {
      issue(issues, path, `must have at least ${options.minItems} item(s)`);
    }
    if (options.maxItems !== undefined && value.length > options.maxItems) {
      issue(issues, path, `must have at most ${options.maxItems} items`);
    }
    if (
      options.unique &&
      new Set(value.map(element => JSON.stringify(element))).size !==
        value.length
    ) {
      issue(issues, path, 'must not contain duplicates');
    }
    value.forEach((element, index) =>
      item.check(element, [...path, index], issues),
    );
  });
}

/** `x-kubernetes-int-or-string` (a port by number or by name). */
function intOrString(options: { minLength?: number } = {}): StrictSchema {
  return schema('integer or string', (value, path, issues) => {
    if (typeof value === 'number' && Number.isInteger(value)) return;
    if (typeof value === 'string' && value.length >= (options.minLength ?? 0)) {
      return;
    }
    const least = options.minLength
      ? ` of at least ${options.minLength} character(s)`
      : '';
    issue(
      issues,
      path,
      `expected an integer or a string${least}, got ${describe(value)}`,
    );
  });
}

/** A map of string keys (label maps). */
function record(item: StrictSchema): StrictSchema {
  return schema(`map of ${item.expected}`, (value, path, issues) => {
    if (!isPlainObject(value)) {
      issue(issues, path, `expected an object, got ${describe(value)}`);
      return;
    }
    for (const [key, element] of Object.entries(value)) {
      item.check(element, [...path, key], issues);
    }
  });
}

/** The first alternative without issues wins; otherwise all are reported. */
function union(alternatives: StrictSchema[]): StrictSchema {
  const expected = alternatives.map(a => a.expected).join(' or ');
  return schema(expected, (value, path, issues) => {
    for (const alternative of alternatives) {
      const attempt: StrictIssue[] = [];
      alternative.check(value, path, attempt);
      if (attempt.length === 0) return;
    }
    issue(issues, path, `expected ${expected}, got ${describe(value)}`);
  });
}

/** A JSON/YAML mapping (not null, not an array). */
export function isPlainObject(
  value: unknown,
): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export interface ObjectOptions {
  /**
   * OpenAPI `oneOf` of `required` lists: exactly one of these groups of keys
   * must be present (Linkerd uses it for podSelector / externalWorkloadSelector
   * and identities / identityRefs).
   */
  exactlyOneOf?: string[][];
}

/**
 * A strict object: unknown keys and missing required keys are issues; keys
 * are checked in shape order, so issues come out in a stable order.
 */
function object(
  shape: Record<string, StrictSchema>,
  options: ObjectOptions = {},
): StrictSchema {
  const known = Object.keys(shape);
  return schema('object', (value, path, issues) => {
    if (!isPlainObject(value)) {
      issue(issues, path, `expected an object, got ${describe(value)}`);
      return;
    }
    for (const key of known) {
      const field = shape[key];
      if (value[key] === undefined) {
        if (!field.isOptional) {
          issue(issues, [...path, key], 'required field is missing');
        }
        continue;
      }
      field.check(value[key], [...path, key], issues);
    }
    for (const key of Object.keys(value).sort()) {
      if (!known.includes(key)) {
        issue(
          issues,
          [...path, key],
          `unknown field '${key}' (allowed: ${known.join(', ')})`,
        );
      }
    }
    for (const groups of options.exactlyOneOf ?? []) {
      const present = groups.filter(key => value[key] !== undefined);
      if (present.length !== 1) {
        issue(
          issues,
          path,
          `exactly one of ${groups.join(', ')} must be set${
            present.length > 1 ? ` (found ${present.join(', ')})` : ''
          }`,
        );
      }
    }
  });
}

function optional(inner: StrictSchema): StrictSchema {
  return schema(inner.expected, inner.check, true);
}

/** The schema builders, named like zod's (`s.object`, `s.string`, ...). */
export const s = {
  string,
  literal,
  enum: enumOf,
  number,
  boolean,
  intOrString,
  array,
  record,
  union,
  object,
  optional,
};

/** Runs a schema on a value; an empty array means valid. */
export function checkStrict(root: StrictSchema, value: unknown): StrictIssue[] {
  const issues: StrictIssue[] = [];
  root.check(value, [], issues);
  return issues;
}

// --- "did you mean" -------------------------------------------------------

/** Levenshtein distance, for "did you mean" suggestions. */
export function editDistance(a: string, b: string): number {
  const previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = previous[0];
    previous[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = previous[j];
      previous[j] = Math.min(
        previous[j] + 1,
        previous[j - 1] + 1,
        diagonal + (a[i - 1].toLowerCase() === b[j - 1].toLowerCase() ? 0 : 1),
      );
      diagonal = above;
    }
  }
  return previous[b.length];
}

/** The closest candidate, when it is close enough to be a typo. */
export function suggest(
  word: string,
  candidates: Iterable<string>,
): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const distance = editDistance(word, candidate);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best !== undefined &&
    bestDistance <= Math.max(2, Math.floor(word.length / 4))
    ? best
    : undefined;
}

// --- Models of a family of custom resources -------------------------------

/** True for an object of an API group or its subgroups (`*.linkerd.io`). */
export function inApiGroup(value: unknown, group: string): boolean {
  const apiVersion = (value as { apiVersion?: unknown } | null)?.apiVersion;
  if (typeof apiVersion !== 'string') return false;
  const apiGroup = apiVersion.split('/')[0];
  return apiGroup === group || apiGroup.endsWith(`.${group}`);
}

/**
 * Checks an object against the model of its kind in a family of custom
 * resources (Linkerd, Knative ...): an unmodelled kind, or a kind at another
 * API version than the one modelled, is an issue of its own.
 */
export function checkModelled<Kind extends string>(
  family: {
    name: string;
    models: Record<Kind, StrictSchema>;
    apiVersions: Record<Kind, string>;
  },
  value: unknown,
): StrictIssue[] {
  const found = value as { apiVersion?: unknown; kind?: unknown } | null;
  const objectKind = typeof found?.kind === 'string' ? found.kind : undefined;
  const modelled = Object.keys(family.models);
  if (!objectKind || !modelled.includes(objectKind)) {
    return [
      {
        path: 'kind',
        message: `${JSON.stringify(found?.kind)} is not a ${
          family.name
        } kind modelled here (${modelled.join(', ')})`,
      },
    ];
  }
  const kind = objectKind as Kind;
  if (found?.apiVersion !== family.apiVersions[kind]) {
    return [
      {
        path: 'apiVersion',
        message: `${kind} is modelled for ${
          family.apiVersions[kind]
        }, got ${JSON.stringify(found?.apiVersion)}`,
      },
    ];
  }
  return checkStrict(family.models[kind], value);
}

/**
 * A family of custom resources of one API group (`linkerd.io`,
 * `knative.dev`) with a model per kind: which objects belong to it, and
 * their check.
 */
export function modelFamily<Kind extends string>(family: {
  name: string;
  group: string;
  models: Record<Kind, StrictSchema>;
  apiVersions: Record<Kind, string>;
}): {
  isMember(value: unknown): boolean;
  validate(value: unknown): StrictIssue[];
} {
  return {
    isMember: value => inApiGroup(value, family.group),
    validate: value => checkModelled(family, value),
  };
}
