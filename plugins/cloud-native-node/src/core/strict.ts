/**
 * The strict schema engine of the package: every skill describes the
 * custom resources it emits with these builders (Linkerd, Knative, Argo CD,
 * Flux, GKE PodMonitoring ...) and declares the validator as an
 * `ObjectValidator` (./validators.ts); the serverless skill describes the
 * CloudFormation / SAM property types with the same builders in the
 * CloudFormation vocabulary. It sits in `core` so that the skills and the
 * validation use the same engine without importing each other.
 *
 * A minimal strict schema library: the part of zod's API the models need
 * (`object`, `string`, `number`, `array`, `record`, `union`, `literal`,
 * `enum`, `optional`, `lazy`), where every object is strict (an unknown key
 * is an issue, like zod's `.strict()`).
 *
 * Why not zod itself: this package does not declare `zod` as a dependency
 * (only cloud-native-common does), and importing an undeclared package fails
 * the `@backstage/no-undeclared-imports` lint rule. The models stay
 * declarative, so moving them to zod later is a mechanical rewrite.
 */

/**
 * The kind of a problem, so that a caller can give each kind its own rule
 * id (the SAM validator maps them to cfn-lint anchors).
 */
export type StrictCode =
  | 'unknown-field'
  | 'missing-field'
  | 'wrong-type'
  | 'invalid-value';

/** One problem, located by its field path (`spec.rules[0].matches[0]`). */
export interface StrictIssue {
  path: string;
  message: string;
  /** Set by the engine's builders; custom schemas may leave it out */
  code?: StrictCode;
}

export type Segment = string | number;

/** What a schema accepts at the top level, for choosing a union branch. */
type ValueKind = 'object' | 'array' | 'scalar';

/** A schema: checks a value and reports issues with their path. */
export interface StrictSchema {
  /** Human-readable expected type, for messages */
  readonly expected: string;
  /** True when the key may be absent in its parent object */
  readonly isOptional: boolean;
  /** The name of the expected type in a type-mismatch message */
  readonly label?: string;
  /** The kinds of value the schema can accept; absent: any */
  readonly kinds?: ReadonlyArray<ValueKind>;
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

/** A JSON/YAML mapping (not null, not an array). */
export function isPlainObject(
  value: unknown,
): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function kindOf(value: unknown): ValueKind {
  if (Array.isArray(value)) return 'array';
  return isPlainObject(value) ? 'object' : 'scalar';
}

/**
 * The words and the reading rules of a family of documents: Kubernetes
 * objects (`kubernetesVocabulary`, the default) or CloudFormation templates,
 * whose values may be intrinsic functions and whose scalars are converted
 * (`MemorySize: '128'` is a number). One engine, one walk; only what is
 * said and what counts as a scalar differ.
 */
export interface StrictVocabulary {
  /** A value accepted wherever any value is expected (`{ Ref: X }`) */
  passes?(value: unknown): boolean;
  /** Accept `'12'` for a number, `'true'` for a boolean, 1 for a string */
  coerceScalars?: boolean;
  /**
   * Union issues: one summary ('summary'), or the issues of the closest
   * alternative of the value's kind ('closest': a typo deep inside one
   * branch is reported there)
   */
  unionIssues: 'summary' | 'closest';
  labels: {
    string: string;
    number(integer: boolean): string;
    boolean: string;
    array: string;
    record: string;
    object(name: string | undefined): string;
    union(alternatives: ReadonlyArray<StrictSchema>): string;
  };
  mismatch(label: string, value: unknown): string;
  notInteger(value: number): string;
  notOneOf(value: string | number, values: ReadonlyArray<unknown>): string;
  unknownField(key: string, known: ReadonlyArray<string>): string;
  missingField(key: string): string;
}

function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') return `the string ${JSON.stringify(value)}`;
  return `${typeof value} ${String(value)}`;
}

/** The messages of the Kubernetes models (zod- and kubectl-like). */
export const kubernetesVocabulary: StrictVocabulary = {
  unionIssues: 'summary',
  labels: {
    string: 'a string',
    number: integer => (integer ? 'integer' : 'number'),
    boolean: 'a boolean',
    array: 'an array',
    record: 'an object',
    object: () => 'an object',
    union: alternatives => alternatives.map(a => a.expected).join(' or '),
  },
  mismatch: (label, value) => `expected ${label}, got ${describeValue(value)}`,
  notInteger: value => `expected an integer, got ${value}`,
  notOneOf: (value, values) =>
    `expected one of ${values
      .map(v => JSON.stringify(v))
      .join(', ')}, got ${describeValue(value)}`,
  unknownField: (key, known) =>
    `unknown field '${key}' (allowed: ${known.join(', ')})`,
  missingField: () => 'required field is missing',
};

function issue(
  issues: StrictIssue[],
  path: Segment[],
  message: string,
  code?: StrictCode,
): void {
  issues.push({ path: formatPath(path), message, ...(code ? { code } : {}) });
}

export interface StringOptions {
  pattern?: RegExp;
  /** Said in the message when the pattern does not match */
  patternName?: string;
  minLength?: number;
  maxLength?: number;
  /** Allowed values (CloudFormation `AllowedValues`) */
  oneOf?: ReadonlyArray<string>;
}

export interface NumberOptions {
  integer?: boolean;
  min?: number;
  max?: number;
  /** Allowed values (CloudFormation `AllowedValues`) */
  oneOf?: ReadonlyArray<number>;
}

export interface ArrayOptions {
  minItems?: number;
  maxItems?: number;
  /** OpenAPI `uniqueItems` (a list-type set) */
  unique?: boolean;
}

export interface ObjectOptions {
  /**
   * OpenAPI `oneOf` of `required` lists: exactly one of these groups of keys
   * must be present (Linkerd uses it for podSelector / externalWorkloadSelector
   * and identities / identityRefs).
   */
  exactlyOneOf?: string[][];
  /** The type's name, said in a mismatch (`an object (S3Location)`) */
  name?: string;
  /**
   * Check the object even when the vocabulary passes it: the Properties of
   * a CloudFormation resource are property names, so `{ Ref: X }` there is
   * an unknown property, not an intrinsic function
   */
  alwaysCheck?: boolean;
}

function schema(
  v: StrictVocabulary,
  fields: Omit<StrictSchema, 'isOptional' | 'check'>,
  check: StrictSchema['check'],
  alwaysCheck = false,
): StrictSchema {
  const passes = alwaysCheck ? undefined : v.passes;
  return {
    ...fields,
    isOptional: false,
    check: passes
      ? (value, path, issues) => {
          if (!passes(value)) check(value, path, issues);
        }
      : check,
  };
}

const scalar: ValueKind[] = ['scalar'];
/** A type-mismatch issue, in the vocabulary's words. */
const reportMismatch = (
  v: StrictVocabulary,
  label: string,
  value: unknown,
  path: Segment[],
  issues: StrictIssue[],
) => issue(issues, path, v.mismatch(label, value), 'wrong-type');

function string(
  v: StrictVocabulary,
  options: StringOptions = {},
): StrictSchema {
  const label = v.labels.string;
  return schema(
    v,
    { expected: 'string', label, kinds: scalar },
    (value, path, issues) => {
      const coerced =
        v.coerceScalars &&
        (typeof value === 'number' || typeof value === 'boolean');
      if (typeof value !== 'string') {
        if (!coerced) reportMismatch(v, label, value, path, issues);
        return;
      }
      if (options.minLength !== undefined && value.length < options.minLength) {
        issue(
          issues,
          path,
          `must be at least ${options.minLength} character(s) long`,
          'invalid-value',
        );
      }
      if (options.maxLength !== undefined && value.length > options.maxLength) {
        issue(
          issues,
          path,
          `must be at most ${options.maxLength} characters long`,
          'invalid-value',
        );
      }
      if (options.pattern && !options.pattern.test(value)) {
        issue(
          issues,
          path,
          `${JSON.stringify(value)} is not ${
            options.patternName ?? `matching ${options.pattern}`
          }`,
          'invalid-value',
        );
      }
      if (options.oneOf && !options.oneOf.includes(value)) {
        issue(issues, path, v.notOneOf(value, options.oneOf), 'invalid-value');
      }
    },
  );
}

function literal(v: StrictVocabulary, expected: string): StrictSchema {
  return schema(
    v,
    { expected: JSON.stringify(expected), kinds: scalar },
    (value, path, issues) => {
      if (value !== expected) {
        issue(
          issues,
          path,
          `expected ${JSON.stringify(expected)}, got ${describeValue(value)}`,
          'invalid-value',
        );
      }
    },
  );
}

function enumOf(
  v: StrictVocabulary,
  values: ReadonlyArray<string>,
): StrictSchema {
  return schema(
    v,
    { expected: `one of ${values.join(', ')}`, kinds: scalar },
    (value, path, issues) => {
      if (typeof value !== 'string' || !values.includes(value)) {
        issue(
          issues,
          path,
          kubernetesVocabulary.notOneOf(value as string, values),
          'invalid-value',
        );
      }
    },
  );
}

function number(
  v: StrictVocabulary,
  options: NumberOptions = {},
): StrictSchema {
  const expected = options.integer ? 'integer' : 'number';
  const label = v.labels.number(options.integer ?? false);
  return schema(
    v,
    { expected, label, kinds: scalar },
    (value, path, issues) => {
      const found =
        v.coerceScalars &&
        typeof value === 'string' &&
        /^-?\d+(\.\d+)?$/.test(value)
          ? Number(value)
          : value;
      if (typeof found !== 'number' || !Number.isFinite(found)) {
        reportMismatch(v, label, value, path, issues);
        return;
      }
      if (options.integer && !Number.isInteger(found)) {
        issue(issues, path, v.notInteger(found), 'wrong-type');
      } else if (options.oneOf && !options.oneOf.includes(found)) {
        issue(issues, path, v.notOneOf(found, options.oneOf), 'invalid-value');
      }
      if (options.min !== undefined && found < options.min) {
        issue(
          issues,
          path,
          `must be ≥ ${options.min}, got ${found}`,
          'invalid-value',
        );
      }
      if (options.max !== undefined && found > options.max) {
        issue(
          issues,
          path,
          `must be ≤ ${options.max}, got ${found}`,
          'invalid-value',
        );
      }
    },
  );
}

function boolean(v: StrictVocabulary): StrictSchema {
  const label = v.labels.boolean;
  return schema(
    v,
    { expected: 'boolean', label, kinds: scalar },
    (value, path, issues) => {
      const coerced =
        v.coerceScalars && (value === 'true' || value === 'false');
      if (typeof value !== 'boolean' && !coerced) {
        reportMismatch(v, label, value, path, issues);
      }
    },
  );
}

function array(
  v: StrictVocabulary,
  item: StrictSchema,
  options: ArrayOptions = {},
): StrictSchema {
  const label = v.labels.array;
  return schema(
    v,
    { expected: `array of ${item.expected}`, label, kinds: ['array'] },
    (value, path, issues) => {
      if (!Array.isArray(value)) {
        reportMismatch(v, label, value, path, issues);
        return;
      }
      if (options.minItems !== undefined && value.length < options.minItems) {
        issue(
          issues,
          path,
          `must have at least ${options.minItems} item(s)`,
          'invalid-value',
        );
      }
      if (options.maxItems !== undefined && value.length > options.maxItems) {
        issue(
          issues,
          path,
          `must have at most ${options.maxItems} items`,
          'invalid-value',
        );
      }
      if (
        options.unique &&
        new Set(value.map(element => JSON.stringify(element))).size !==
          value.length
      ) {
        issue(issues, path, 'must not contain duplicates', 'invalid-value');
      }
      value.forEach((element, index) =>
        item.check(element, [...path, index], issues),
      );
    },
  );
}

/** `x-kubernetes-int-or-string` (a port by number or by name). */
function intOrString(
  v: StrictVocabulary,
  options: { minLength?: number } = {},
): StrictSchema {
  return schema(
    v,
    { expected: 'integer or string', kinds: scalar },
    (value, path, issues) => {
      if (typeof value === 'number' && Number.isInteger(value)) return;
      if (
        typeof value === 'string' &&
        value.length >= (options.minLength ?? 0)
      ) {
        return;
      }
      const least = options.minLength
        ? ` of at least ${options.minLength} character(s)`
        : '';
      issue(
        issues,
        path,
        `expected an integer or a string${least}, got ${describeValue(value)}`,
        'wrong-type',
      );
    },
  );
}

/** A map of string keys (label maps). */
function record(v: StrictVocabulary, item: StrictSchema): StrictSchema {
  const label = v.labels.record;
  return schema(
    v,
    { expected: `map of ${item.expected}`, label, kinds: ['object'] },
    (value, path, issues) => {
      if (!isPlainObject(value)) {
        reportMismatch(v, label, value, path, issues);
        return;
      }
      for (const [key, element] of Object.entries(value)) {
        item.check(element, [...path, key], issues);
      }
    },
  );
}

/** True when the value is of a kind the schema can accept at all. */
const kindMatches = (value: unknown, alternative: StrictSchema) =>
  !alternative.kinds || alternative.kinds.includes(kindOf(value));

/**
 * The first alternative without issues wins; otherwise a summary, or
 * (vocabulary `closest`) the fewest issues of an alternative of the
 * value's kind.
 */
function union(
  v: StrictVocabulary,
  alternatives: StrictSchema[],
): StrictSchema {
  const expected = alternatives.map(a => a.expected).join(' or ');
  const label = v.labels.union(alternatives);
  const kinds = alternatives.every(a => a.kinds)
    ? [...new Set(alternatives.flatMap(a => a.kinds ?? []))]
    : undefined;
  return schema(v, { expected, label, kinds }, (value, path, issues) => {
    let closest: StrictIssue[] | undefined;
    for (const alternative of alternatives) {
      const attempt: StrictIssue[] = [];
      alternative.check(value, path, attempt);
      if (attempt.length === 0) return;
      if (
        kindMatches(value, alternative) &&
        (!closest || attempt.length < closest.length)
      ) {
        closest = attempt;
      }
    }
    if (v.unionIssues === 'closest' && closest) issues.push(...closest);
    else reportMismatch(v, label, value, path, issues);
  });
}

/**
 * A strict object: unknown keys and missing required keys are issues; keys
 * are checked in shape order, so issues come out in a stable order. A
 * function for `shape` defers it (recursive CloudFormation property types).
 */
function object(
  v: StrictVocabulary,
  shape: Record<string, StrictSchema> | (() => Record<string, StrictSchema>),
  options: ObjectOptions = {},
): StrictSchema {
  let resolved: Record<string, StrictSchema> | undefined;
  const fields = () => {
    resolved ??= typeof shape === 'function' ? shape() : shape;
    return resolved;
  };
  const label = v.labels.object(options.name);
  return schema(
    v,
    { expected: 'object', label, kinds: ['object'] },
    (value, path, issues) => {
      if (!isPlainObject(value)) {
        reportMismatch(v, label, value, path, issues);
        return;
      }
      const known = Object.keys(fields());
      for (const key of known) {
        const field = fields()[key];
        if (value[key] === undefined) {
          if (!field.isOptional) {
            issue(issues, [...path, key], v.missingField(key), 'missing-field');
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
            v.unknownField(key, known),
            'unknown-field',
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
            'missing-field',
          );
        }
      }
    },
    options.alwaysCheck,
  );
}

/** Anything (free-form JSON, policy statements). */
function any(v: StrictVocabulary): StrictSchema {
  return schema(v, { expected: 'anything', label: 'anything' }, () => {});
}

/** A value of a form a predicate recognises (a `{Key, Value}` tag). */
function satisfying(
  v: StrictVocabulary,
  label: string,
  test: (value: unknown) => boolean,
  kinds?: ReadonlyArray<ValueKind>,
): StrictSchema {
  return schema(v, { expected: label, label, kinds }, (value, path, issues) => {
    if (!test(value)) reportMismatch(v, label, value, path, issues);
  });
}

function optional(inner: StrictSchema): StrictSchema {
  return { ...inner, isOptional: true };
}

function required(inner: StrictSchema): StrictSchema {
  return { ...inner, isOptional: false };
}

/** The schema builders of one vocabulary, named like zod's. */
export function strictBuilders(v: StrictVocabulary) {
  return {
    string: (options?: StringOptions) => string(v, options),
    literal: (expected: string) => literal(v, expected),
    enum: (values: ReadonlyArray<string>) => enumOf(v, values),
    number: (options?: NumberOptions) => number(v, options),
    boolean: () => boolean(v),
    intOrString: (options?: { minLength?: number }) => intOrString(v, options),
    array: (item: StrictSchema, options?: ArrayOptions) =>
      array(v, item, options),
    record: (item: StrictSchema) => record(v, item),
    union: (alternatives: StrictSchema[]) => union(v, alternatives),
    object: (
      shape:
        | Record<string, StrictSchema>
        | (() => Record<string, StrictSchema>),
      options?: ObjectOptions,
    ) => object(v, shape, options),
    any: () => any(v),
    satisfying: (
      label: string,
      test: (value: unknown) => boolean,
      kinds?: ReadonlyArray<ValueKind>,
    ) => satisfying(v, label, test, kinds),
    optional,
    required,
  };
}

/** The builders of the Kubernetes models (`s.object`, `s.string`, ...). */
export const s = strictBuilders(kubernetesVocabulary);

/**
 * Runs a schema on a value; an empty array means valid. `at` is where the
 * value sits in its document (`Resources.Fn.Properties`). Each issue keeps
 * its `code`, for callers that give each kind of problem its own rule id.
 */
export function checkStrictCoded(
  root: StrictSchema,
  value: unknown,
  at: Segment[] = [],
): StrictIssue[] {
  const issues: StrictIssue[] = [];
  root.check(value, at, issues);
  return issues;
}

/**
 * Runs a schema on a value; an empty array means valid. The issues are
 * path and message only: a model's findings are reported under the
 * model's one rule id.
 */
export function checkStrict(root: StrictSchema, value: unknown): StrictIssue[] {
  return checkStrictCoded(root, value).map(({ path, message }) => ({
    path,
    message,
  }));
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
