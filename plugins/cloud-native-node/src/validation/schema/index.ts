/*
 * Strict schema validation of generated Kubernetes objects (core + CRDs).
 *
 * Layer 1 (`schema/invalid`): the `kubernetes-models` / `@kubernetes-models/*`
 * model of the kind, `Model.prototype.validate` called on the object (what
 * `new Model(object).validate()` does, minus a deep copy): types, enums,
 * formats, required fields; Ajv errors become findings with readable paths.
 *
 * Layer 2 (`schema/unknown-field`): every key the schema does not define.
 * - core kinds: the OpenAPI model metadata of `@kubernetes/client-node`
 *   (`attributeTypeMap`), compiled once into key sets (`clientNodeStrict.ts`);
 * - CRD kinds: the compiled Ajv validators of `@kubernetes-models/*`, run on a
 *   read-tracking Proxy (`probeStrict.ts`; these packages ship no JSON schema),
 *   with what clean runs showed cached per kind.
 *
 * `schema/unknown-kind`: apiVersion/kind known to neither layer.
 *
 * The ESM-only model packages are loaded as described in `esmLoader.ts`.
 */
import { KubernetesObject } from '../../core/types';
import {
  ObjectShape,
  loadClientNodeShapes,
  walkShape,
} from './clientNodeStrict';
import {
  PathSegment,
  closestKey,
  describeValue,
  formatPath,
  pointerToSegments,
  valueAt,
} from './paths';
import { LearnedShape, validateTracked, walkTracked } from './probeStrict';
import { ModelClass, kindKey, loadModelRegistry } from './registry';

/**
 * One schema problem of one object.
 */
export interface SchemaFinding {
  ruleId: 'schema/invalid' | 'schema/unknown-field' | 'schema/unknown-kind';
  severity: 'error';
  apiVersion: string;
  kind: string;
  name: string;
  /** e.g. `spec.template.spec.containers[0].readinessProbe.httpGet.port` */
  objectPath: string;
  message: string;
}

/**
 * Validates Kubernetes objects against the schemas of their kind.
 */
export interface KubernetesSchemaValidator {
  /** All findings of one object; an empty array when it is valid */
  validate(object: KubernetesObject): SchemaFinding[];
  /** The kinds checked by both layers, as `apiVersion/kind` (`apps/v1/Deployment`), sorted */
  supportedKinds(): string[];
}

/** How one apiVersion/kind is checked; cached per kind. */
interface KindChecker {
  model?: ModelClass;
  /** Core kinds: the client-node shape */
  shape?: ObjectShape;
  /** CRDs: the structure learnt from tracked validator runs */
  learned?: LearnedShape;
}

interface AjvError {
  instancePath?: string;
  keyword?: string;
  message?: string;
  schemaPath?: string;
  params?: Record<string, unknown>;
}

type Context = Pick<SchemaFinding, 'apiVersion' | 'kind' | 'name'>;

/**
 * Loads the models and compiles the key sets (takes about a second); the
 * returned validator is synchronous and meant to be reused.
 */
export async function createKubernetesSchemaValidator(): Promise<KubernetesSchemaValidator> {
  const [registry, shapes] = await Promise.all([
    loadModelRegistry(),
    loadClientNodeShapes(),
  ]);
  const checkers = new Map<string, KindChecker | null>();
  for (const entry of registry.values()) {
    const shape = entry.core
      ? shapes.forKind(entry.apiVersion, entry.kind)
      : undefined;
    checkers.set(entry.key, {
      model: entry.model,
      shape,
      // a core kind client-node does not know falls back to the tracked run
      learned: shape ? undefined : new LearnedShape(),
    });
  }
  const supported = [...registry.keys()].sort();

  function checkerFor(apiVersion: string, kind: string): KindChecker | null {
    const key = kindKey(apiVersion, kind);
    let checker = checkers.get(key);
    if (checker === undefined) {
      // Not in the model registry: a built-in kind client-node knows still
      // gets the strict field check.
      const shape = shapes.forKind(apiVersion, kind);
      checker = shape ? { shape } : null;
      checkers.set(key, checker);
    }
    return checker;
  }

  return {
    supportedKinds: () => [...supported],
    validate(object) {
      return validateObject(object, checkerFor);
    },
  };
}

function validateObject(
  object: KubernetesObject,
  checkerFor: (apiVersion: string, kind: string) => KindChecker | null,
): SchemaFinding[] {
  const apiVersion =
    typeof object?.apiVersion === 'string' ? object.apiVersion : '';
  const kind = typeof object?.kind === 'string' ? object.kind : '';
  const rawName = (object?.metadata as { name?: unknown } | undefined)?.name;
  const context: Context = {
    apiVersion,
    kind,
    name: typeof rawName === 'string' ? rawName : '',
  };
  const checker = apiVersion && kind ? checkerFor(apiVersion, kind) : null;
  if (!checker) {
    return [
      {
        ruleId: 'schema/unknown-kind',
        severity: 'error',
        ...context,
        objectPath: apiVersion && kind ? 'kind' : 'apiVersion',
        message:
          apiVersion && kind
            ? `Unknown kind "${kind}" in apiVersion "${apiVersion}": no schema to validate it against`
            : 'The object has no apiVersion/kind',
      },
    ];
  }

  const findings: SchemaFinding[] = [];
  const path: PathSegment[] = [];
  const unknownField = (
    at: readonly PathSegment[],
    allowed: Iterable<string>,
  ) => {
    const key = String(at[at.length - 1]);
    const parent = formatPath(at.slice(0, -1));
    const hint = closestKey(key, allowed);
    const where = parent ? `in ${parent}` : 'at the top level';
    const suggestion = hint ? ` (did you mean "${hint}"?)` : '';
    findings.push({
      ruleId: 'schema/unknown-field',
      severity: 'error',
      ...context,
      objectPath: formatPath(at),
      message: `Unknown field "${key}" ${where} of ${apiVersion} ${kind}: not defined by the schema${suggestion}`,
    });
  };

  const validate = checker.model?.prototype.validate as
    | ((this: unknown) => void)
    | undefined;

  if (validate && checker.learned) {
    // CRD. Fast path: every key already known to be defined → plain run.
    if (checker.learned.check(object)) {
      runModelValidation(validate, object, context, findings);
      return findings;
    }
    // Otherwise one tracked run gives both layers.
    const run = validateTracked(validate, object);
    if (run.error === undefined) {
      checker.learned.learn(object, run);
    } else {
      findings.push(...invalidFindings(run.error, object, context));
    }
    walkTracked(object, run, path, unknownField);
    return findings;
  }

  if (validate) {
    runModelValidation(validate, object, context, findings);
  }
  if (checker.shape) {
    walkShape(object, checker.shape, path, unknownField);
  }
  return findings;
}

/**
 * `Model.validate()` checks `this`; calling it on the object itself is
 * `new Model(object).validate()` without the deep copy the constructor makes
 * (which only drops `undefined` values, which the validators skip anyway) and
 * is about 3 times faster.
 */
function runModelValidation(
  validate: (this: unknown) => void,
  object: KubernetesObject,
  context: Context,
  findings: SchemaFinding[],
) {
  try {
    validate.call(object);
  } catch (error) {
    findings.push(...invalidFindings(error, object, context));
  }
}

/** Converts what `Model.validate()` threw into findings. */
function invalidFindings(
  error: unknown,
  data: unknown,
  context: Context,
): SchemaFinding[] {
  const errors = (error as { errors?: AjvError[] })?.errors;
  if (!Array.isArray(errors) || errors.length === 0) {
    return [
      {
        ruleId: 'schema/invalid',
        severity: 'error',
        ...context,
        objectPath: '',
        message: String((error as Error)?.message ?? error),
      },
    ];
  }

  // An anyOf/oneOf error comes right after the errors of its failed branches
  // (at its location or below): it replaces them, and branch type errors at
  // its location become its message ("must be integer or string").
  const combinatorTypes = new Map<AjvError, string[]>();
  const branchErrors = new Set<AjvError>();
  errors.forEach((err, index) => {
    if (err.keyword !== 'anyOf' && err.keyword !== 'oneOf') {
      return;
    }
    const at = err.instancePath ?? '';
    const types: string[] = [];
    for (let i = index - 1; i >= 0; i--) {
      const branch = errors[i];
      const branchAt = branch.instancePath ?? '';
      if (
        branchErrors.has(branch) ||
        !(branchAt === at || branchAt.startsWith(`${at}/`))
      ) {
        break;
      }
      branchErrors.add(branch);
      if (branch.keyword === 'type' && branchAt === at) {
        types.unshift(String(branch.params?.type));
      }
    }
    combinatorTypes.set(err, [...new Set(types)].sort());
  });

  const findings: SchemaFinding[] = [];
  const seen = new Set<string>();
  for (const err of errors) {
    if (branchErrors.has(err)) {
      continue;
    }
    let location = err.instancePath ?? '';
    if (err.keyword === 'required' && err.params?.missingProperty) {
      location += `/${String(err.params.missingProperty)
        .replace(/~/g, '~0')
        .replace(/\//g, '~1')}`;
    }
    const segments = pointerToSegments(location, data);
    const objectPath = formatPath(segments);
    const value = valueAt(data, segments);
    const types = combinatorTypes.get(err);
    const message =
      types && types.length > 1
        ? `must be ${types.join(' or ')}`
        : errorMessage(err);
    const text = `${objectPath || '(root)'} ${message}${
      value !== undefined ? ` (got ${describeValue(value)})` : ''
    }`;
    if (!seen.has(text)) {
      seen.add(text);
      findings.push({
        ruleId: 'schema/invalid',
        severity: 'error',
        ...context,
        objectPath,
        message: text,
      });
    }
  }
  return findings;
}

function errorMessage(error: AjvError): string {
  if (error.keyword === 'required') {
    return 'is required but missing';
  }
  if (error.keyword === 'enum' && Array.isArray(error.params?.allowedValues)) {
    return `must be one of ${error
      .params!.allowedValues.map(v => JSON.stringify(v))
      .join(', ')}`;
  }
  return error.message ?? `is invalid (${error.keyword})`;
}
