/**
 * A small strict schema checker for the custom resources the shared schema
 * validator (`src/validation/schema`) has no model for: GKE Managed
 * Prometheus `PodMonitoring`, Argo CD `Application`/`AppProject`, Flux
 * `GitRepository`/`Kustomization`/`HelmRelease`.
 *
 * No `@kubernetes-models/*` package ships these kinds in this workspace, and
 * the plugin does not depend on zod, so each kind is described here with the
 * fields this package emits, transcribed from the CRD's OpenAPI schema
 * (types, enums, required fields, bounds). Like `kubeconform -strict`, a key
 * the schema does not define is an error: a typo such as `selfHeel` fails.
 */

export type Schema =
  | {
      type: 'string';
      enum?: readonly string[];
      pattern?: RegExp;
      minLength?: number;
      maxLength?: number;
    }
  | { type: 'integer'; minimum?: number; maximum?: number }
  | { type: 'number'; minimum?: number; maximum?: number }
  | { type: 'boolean' }
  /** `x-kubernetes-int-or-string` */
  | { type: 'intOrString'; minLength?: number }
  | {
      type: 'array';
      items: Schema;
      minItems?: number;
      maxItems?: number;
      unique?: boolean;
    }
  | {
      type: 'object';
      properties: Readonly<Record<string, Schema>>;
      required?: readonly string[];
    }
  /** `additionalProperties: <schema>` (a map) */
  | { type: 'map'; values: Schema }
  | { type: 'literal'; value: string };

export interface StrictFinding {
  /** e.g. `spec.syncPolicy.automated.selfHeal` */
  path: string;
  message: string;
}

function join(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  return path ? `${path}.${key}` : key;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

/**
 * Every problem of `value` against `schema`; an empty array when it is
 * valid.
 */
export function checkSchema(
  schema: Schema,
  value: unknown,
  path = '',
): StrictFinding[] {
  const at = path || '(root)';
  const fail = (message: string): StrictFinding[] => [
    { path: at, message: `${at} ${message}` },
  ];
  switch (schema.type) {
    case 'literal':
      return value === schema.value
        ? []
        : fail(`must be "${schema.value}" (got ${JSON.stringify(value)})`);
    case 'string': {
      if (typeof value !== 'string') {
        return fail(`must be string (got ${describe(value)})`);
      }
      if (schema.enum && !schema.enum.includes(value)) {
        return fail(
          `must be one of ${schema.enum
            .map(v => JSON.stringify(v))
            .join(', ')} (got ${JSON.stringify(value)})`,
        );
      }
      if (schema.minLength !== undefined && value.length < schema.minLength) {
        return fail(`must be at least ${schema.minLength} characters`);
      }
      if (schema.maxLength !== undefined && value.length > schema.maxLength) {
        return fail(`must be at most ${schema.maxLength} characters`);
      }
      if (schema.pattern && !schema.pattern.test(value)) {
        return fail(
          `must match ${schema.pattern} (got ${JSON.stringify(value)})`,
        );
      }
      return [];
    }
    case 'integer':
    case 'number': {
      if (
        typeof value !== 'number' ||
        !Number.isFinite(value) ||
        (schema.type === 'integer' && !Number.isInteger(value))
      ) {
        return fail(`must be ${schema.type} (got ${describe(value)})`);
      }
      if (schema.minimum !== undefined && value < schema.minimum) {
        return fail(`must be >= ${schema.minimum}`);
      }
      if (schema.maximum !== undefined && value > schema.maximum) {
        return fail(`must be <= ${schema.maximum}`);
      }
      return [];
    }
    case 'boolean':
      return typeof value === 'boolean'
        ? []
        : fail(`must be boolean (got ${describe(value)})`);
    case 'intOrString':
      if (typeof value === 'number' && Number.isInteger(value)) return [];
      if (
        typeof value === 'string' &&
        value.length >= (schema.minLength ?? 0)
      ) {
        return [];
      }
      return fail(`must be integer or string (got ${describe(value)})`);
    case 'array': {
      if (!Array.isArray(value)) {
        return fail(`must be array (got ${describe(value)})`);
      }
      const findings: StrictFinding[] = [];
      if (schema.minItems !== undefined && value.length < schema.minItems) {
        findings.push(...fail(`must have at least ${schema.minItems} items`));
      }
      if (schema.maxItems !== undefined && value.length > schema.maxItems) {
        findings.push(...fail(`must have at most ${schema.maxItems} items`));
      }
      if (schema.unique) {
        const seen = new Set(value.map(item => JSON.stringify(item)));
        if (seen.size !== value.length) {
          findings.push(...fail('must not contain duplicates'));
        }
      }
      value.forEach((item, index) =>
        findings.push(...checkSchema(schema.items, item, join(path, index))),
      );
      return findings;
    }
    case 'map': {
      if (!value || typeof value !== 'object' || Array.isArray(value)) {
        return fail(`must be object (got ${describe(value)})`);
      }
      return Object.entries(value).flatMap(([key, item]) =>
        checkSchema(schema.values, item, join(path, key)),
      );
    }
    case 'object': {
      if (!value || typeof value !== 'object' || Array.isArray(value)) {
        return fail(`must be object (got ${describe(value)})`);
      }
      const findings: StrictFinding[] = [];
      const record = value as Record<string, unknown>;
      for (const key of schema.required ?? []) {
        if (record[key] === undefined) {
          const missing = join(path, key);
          findings.push({
            path: missing,
            message: `${missing} is required but missing`,
          });
        }
      }
      for (const [key, item] of Object.entries(record)) {
        const property = schema.properties[key];
        const child = join(path, key);
        if (!property) {
          findings.push({
            path: child,
            message: `Unknown field "${key}" ${
              path ? `in ${path}` : 'at the top level'
            }: not defined by the schema`,
          });
        } else if (item !== undefined) {
          findings.push(...checkSchema(property, item, child));
        }
      }
      return findings;
    }
    default:
      return fail('has an unsupported schema');
  }
}

// ---------------------------------------------------------------------------
// Building blocks shared by the models

/** RFC 1123 subdomain: object names. */
export const DNS_SUBDOMAIN =
  /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
/** RFC 1123 label: namespaces. */
export const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
/** A Go/Prometheus/metav1 duration such as `30s`, `5m`, `1h30m`. */
export const DURATION = /^([0-9]+(\.[0-9]+)?(ms|s|m|h))+$/;

const str = (
  extra: Partial<{ pattern: RegExp; enum: readonly string[] }> = {},
) => ({ type: 'string', ...extra } as const);

/** `metadata`, restricted to what generated objects may carry. */
export function metadataSchema(namespaced: boolean): Schema {
  return {
    type: 'object',
    required: namespaced ? ['name', 'namespace'] : ['name'],
    properties: {
      name: {
        type: 'string',
        pattern: DNS_SUBDOMAIN,
        minLength: 1,
        maxLength: 253,
      },
      ...(namespaced
        ? { namespace: { type: 'string', pattern: DNS_LABEL, maxLength: 63 } }
        : {}),
      labels: { type: 'map', values: { type: 'string', maxLength: 63 } },
      annotations: { type: 'map', values: { type: 'string' } },
      finalizers: { type: 'array', items: str(), unique: true },
    },
  };
}

/** `metav1.LabelSelector` */
export const LABEL_SELECTOR: Schema = {
  type: 'object',
  properties: {
    matchLabels: { type: 'map', values: { type: 'string' } },
    matchExpressions: {
      type: 'array',
      items: {
        type: 'object',
        required: ['key', 'operator'],
        properties: {
          key: str(),
          operator: str({ enum: ['In', 'NotIn', 'Exists', 'DoesNotExist'] }),
          values: { type: 'array', items: str() },
        },
      },
    },
  },
};

/** A top-level object schema: apiVersion/kind literals, metadata, spec. */
export function resourceSchema(
  apiVersion: string,
  kind: string,
  spec: Schema,
  options: { namespaced: boolean; specRequired?: boolean },
): Schema {
  return {
    type: 'object',
    required: [
      'apiVersion',
      'kind',
      'metadata',
      ...(options.specRequired === false ? [] : ['spec']),
    ],
    properties: {
      apiVersion: { type: 'literal', value: apiVersion },
      kind: { type: 'literal', value: kind },
      metadata: metadataSchema(options.namespaced),
      spec,
    },
  };
}

/** A registry of strict models by `apiVersion/kind`. */
export class StrictModelRegistry {
  private readonly models = new Map<string, Schema>();

  register(apiVersion: string, kind: string, schema: Schema): this {
    this.models.set(`${apiVersion}/${kind}`, schema);
    return this;
  }

  has(apiVersion: string, kind: string): boolean {
    return this.models.has(`${apiVersion}/${kind}`);
  }

  kinds(): string[] {
    return [...this.models.keys()].sort();
  }

  /** Findings of one object; an unknown kind is itself a finding. */
  validate(object: unknown): StrictFinding[] {
    const record = (object ?? {}) as { apiVersion?: unknown; kind?: unknown };
    const key = `${String(record.apiVersion)}/${String(record.kind)}`;
    const schema = this.models.get(key);
    if (!schema) {
      return [
        {
          path: 'kind',
          message: `Unknown kind ${key}: no strict model`,
        },
      ];
    }
    return checkSchema(schema, object);
  }
}
