import {
  checkSchema,
  DNS_LABEL,
  resourceSchema,
  Schema,
  StrictModelRegistry,
} from './strictSchema';

describe('strict schema checker', () => {
  const schema: Schema = {
    type: 'object',
    required: ['name'],
    properties: {
      name: { type: 'string', pattern: /^[a-z]+$/ },
      port: { type: 'intOrString', minLength: 1 },
      mode: { type: 'string', enum: ['a', 'b'] },
      items: {
        type: 'array',
        items: { type: 'integer', minimum: 1 },
        maxItems: 2,
      },
      labels: { type: 'map', values: { type: 'string' } },
    },
  };

  it('accepts a valid value', () => {
    expect(
      checkSchema(schema, {
        name: 'x',
        port: 8080,
        mode: 'a',
        items: [1],
        labels: { k: 'v' },
      }),
    ).toEqual([]);
  });

  it('reports unknown fields, types, enums, bounds and missing fields', () => {
    const messages = checkSchema(schema, {
      nmae: 'x',
      port: 1.5,
      mode: 'c',
      items: [0, 1, 2],
      labels: { k: 1 },
    }).map(f => `${f.path}: ${f.message}`);
    expect(messages).toEqual([
      'name: required field is missing',
      'port: expected an integer or a string of at least 1 character(s), got number 1.5',
      'mode: expected one of "a", "b", got the string "c"',
      'items: must have at most 2 items',
      'items[0]: must be ≥ 1, got 0',
      'labels.k: expected a string, got number 1',
      "nmae: unknown field 'nmae' (allowed: name, port, mode, items, labels)",
    ]);
  });
});

describe('StrictModelRegistry', () => {
  const registry = new StrictModelRegistry().register(
    'example.io/v1',
    'Widget',
    resourceSchema(
      'example.io/v1',
      'Widget',
      {
        type: 'object',
        properties: {
          tags: { type: 'array', items: { type: 'string' }, unique: true },
          zone: { type: 'string', pattern: DNS_LABEL },
        },
      },
      { namespaced: true },
    ),
  );
  const widget = (spec: Record<string, unknown>) => ({
    apiVersion: 'example.io/v1',
    kind: 'Widget',
    metadata: { name: 'w', namespace: 'ns' },
    spec,
  });

  it('checks an object against the model of its kind', () => {
    expect(registry.has('example.io/v1', 'Widget')).toBe(true);
    expect(registry.validate(widget({ tags: ['a', 'b'] }))).toEqual([]);
    expect(registry.validate(widget({ tags: ['a', 'a'] }))).toEqual([
      { path: 'spec.tags', message: 'must not contain duplicates' },
    ]);
    expect(registry.validate(widget({ zone: 'Not_A_Label' }))[0].path).toBe(
      'spec.zone',
    );
  });

  it('reports a kind it has no model for', () => {
    expect(
      registry.validate({ ...widget({}), apiVersion: 'example.io/v2' }),
    ).toEqual([
      {
        path: 'kind',
        message: 'Unknown kind example.io/v2/Widget: no strict model',
      },
    ]);
  });
});
