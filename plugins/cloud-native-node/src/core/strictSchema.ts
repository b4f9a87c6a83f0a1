import { checkStrict, s, StrictIssue, StrictSchema } from './strict';

/**
 * The declarative form of the strict schema engine (./strict.ts): a schema
 * written as data, the way a CRD's OpenAPI schema reads (`type`,
 * `properties`, `required`, `enum`, bounds), compiled onto the engine's
 * builders. The GitOps (Argo CD, Flux) and cloud (GKE PodMonitoring, Azure
 * Monitor ServiceMonitor) skills transcribe their CRDs in this form; the
 * models themselves stay with the skill that emits the objects. Like
 * `kubeconform -strict`, a key the schema does not define is an issue: a
 * typo such as `selfHeel` fails.
 */

/** @public */
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

/** The engine's schema for a declarative one. */
export function compileSchema(schema: Schema): StrictSchema {
  switch (schema.type) {
    case 'literal':
      return s.literal(schema.value);
    case 'string':
      return schema.enum
        ? s.enum(schema.enum)
        : s.string({
            pattern: schema.pattern,
            minLength: schema.minLength,
            maxLength: schema.maxLength,
          });
    case 'integer':
    case 'number':
      return s.number({
        integer: schema.type === 'integer',
        min: schema.minimum,
        max: schema.maximum,
      });
    case 'boolean':
      return s.boolean();
    case 'intOrString':
      return s.intOrString({ minLength: schema.minLength });
    case 'array':
      return s.array(compileSchema(schema.items), {
        minItems: schema.minItems,
        maxItems: schema.maxItems,
        unique: schema.unique,
      });
    case 'map':
      return s.record(compileSchema(schema.values));
    case 'object': {
      const required = new Set(schema.required ?? []);
      const shape: Record<string, StrictSchema> = {};
      for (const [key, property] of Object.entries(schema.properties)) {
        const compiled = compileSchema(property);
        shape[key] = required.has(key) ? compiled : s.optional(compiled);
      }
      return s.object(shape);
    }
    default:
      throw new Error('unsupported schema');
  }
}

/**
 * Every problem of `value` against a declarative schema; an empty array when
 * it is valid.
 *
 * @public
 */
export function checkSchema(schema: Schema, value: unknown): StrictIssue[] {
  return checkStrict(compileSchema(schema), value);
}

// ---------------------------------------------------------------------------
// Building blocks of Kubernetes custom resource models

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

/**
 * A registry of strict models by `apiVersion/kind`, compiled once.
 *
 * @public
 */
export class StrictModelRegistry {
  private readonly models = new Map<string, StrictSchema>();

  register(apiVersion: string, kind: string, schema: Schema): this {
    this.models.set(`${apiVersion}/${kind}`, compileSchema(schema));
    return this;
  }

  has(apiVersion: string, kind: string): boolean {
    return this.models.has(`${apiVersion}/${kind}`);
  }

  kinds(): string[] {
    return [...this.models.keys()].sort();
  }

  /** Issues of one object; an unknown kind is itself an issue. */
  validate(object: unknown): StrictIssue[] {
    const record = (object ?? {}) as { apiVersion?: unknown; kind?: unknown };
    const key = `${String(record.apiVersion)}/${String(record.kind)}`;
    const schema = this.models.get(key);
    if (!schema) {
      return [
        { path: 'kind', message: `Unknown kind ${key}: no strict model` },
      ];
    }
    return checkStrict(schema, object);
  }
}
