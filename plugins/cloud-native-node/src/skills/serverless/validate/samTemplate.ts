import { loadAwsServiceSpecSync } from '@aws-cdk/aws-service-spec';
import { ServerlessFinding } from '../types';
import { Properties, SAM_GLOBALS, SAM_RESOURCE_PROPERTIES } from './samShapes';
import { cfn, cfnTag, isIntrinsic, propertyRuleId } from './cfnSchema';
import {
  checkStrictCoded,
  isPlainObject,
  StrictIssue,
  StrictSchema,
  suggest,
} from '../../../core/strict';

type SpecDatabase = ReturnType<typeof loadAwsServiceSpecSync>;

/** The parts of @aws-cdk/service-spec-types the validator reads. */
interface SpecType {
  type: string;
  allowedValues?: ReadonlyArray<string | number>;
  element?: SpecType;
  types?: SpecType[];
  reference?: { $ref: string };
}
interface SpecProperty {
  type: SpecType;
  required?: boolean;
}
interface SpecResource {
  cloudFormationType: string;
  properties: Record<string, SpecProperty>;
  attributes: Record<string, unknown>;
}
interface SpecTypeDefinition {
  name: string;
  properties: Record<string, SpecProperty>;
}

/** Loaded once per process (about 1 s): the database is read-only. */
let database: SpecDatabase | undefined;
function specDatabase(): SpecDatabase {
  database ??= loadAwsServiceSpecSync();
  return database;
}

const resourceCache = new Map<string, SpecResource | null>();

/** The CloudFormation resource type from @aws-cdk/aws-service-spec. */
export function specResource(type: string): SpecResource | undefined {
  if (!resourceCache.has(type)) {
    const found = specDatabase().lookup(
      'resource',
      'cloudFormationType',
      'equals',
      type,
    );
    resourceCache.set(
      type,
      (found[0] as unknown as SpecResource | undefined) ?? null,
    );
  }
  return resourceCache.get(type) ?? undefined;
}

/** Every CloudFormation resource type the database knows. */
function allResourceTypes(): string[] {
  return specDatabase()
    .all('resource')
    .map(r => r.cloudFormationType);
}

const typeDefinitionSchemas = new Map<string, StrictSchema>();

/** Converts a spec property type to a schema (type definitions memoized). */
function toSchema(type: SpecType): StrictSchema {
  switch (type.type) {
    case 'string':
    case 'date-time':
      return cfn.string({
        oneOf: type.allowedValues as ReadonlyArray<string> | undefined,
      });
    case 'number':
      return cfn.number();
    case 'integer':
      return cfn.number({
        integer: true,
        oneOf: type.allowedValues as ReadonlyArray<number> | undefined,
      });
    case 'boolean':
      return cfn.boolean();
    case 'tag':
      return cfnTag;
    case 'array':
      return cfn.array(toSchema(type.element!));
    case 'map':
      return cfn.record(toSchema(type.element!));
    case 'union':
      return cfn.union((type.types ?? []).map(toSchema));
    case 'ref': {
      const id = type.reference!.$ref;
      let schema = typeDefinitionSchemas.get(id);
      if (!schema) {
        const definition = specDatabase().get(
          'typeDefinition',
          id,
        ) as unknown as SpecTypeDefinition;
        schema = cfn.object(() => toProperties(definition.properties), {
          name: definition.name,
        });
        typeDefinitionSchemas.set(id, schema);
      }
      return schema;
    }
    default:
      // json, null and anything newer: not checked
      return cfn.any();
  }
}

function toProperties(properties: Record<string, SpecProperty>): Properties {
  return Object.fromEntries(
    Object.entries(properties).map(([name, property]) => {
      const schema = toSchema(property.type);
      return [name, property.required ? schema : cfn.optional(schema)];
    }),
  );
}

const resourcePropsCache = new Map<string, Properties>();

/** Property definitions of a resource type, or undefined when unknown. */
function resourceProps(type: string): Properties | undefined {
  const sam = SAM_RESOURCE_PROPERTIES[type];
  if (sam) return sam;
  let props = resourcePropsCache.get(type);
  if (!props) {
    const resource = specResource(type);
    if (!resource) return undefined;
    props = toProperties(resource.properties);
    resourcePropsCache.set(type, props);
  }
  return props;
}

const TEMPLATE_SECTIONS = [
  'AWSTemplateFormatVersion',
  'Description',
  'Metadata',
  'Parameters',
  'Rules',
  'Mappings',
  'Conditions',
  'Transform',
  'Globals',
  'Resources',
  'Outputs',
];

const RESOURCE_ATTRIBUTES = [
  'Type',
  'Properties',
  'DependsOn',
  'Condition',
  'DeletionPolicy',
  'UpdateReplacePolicy',
  'UpdatePolicy',
  'CreationPolicy',
  'Metadata',
  'Connectors',
];

const DELETION_POLICIES = [
  'Delete',
  'Retain',
  'RetainExceptOnCreate',
  'Snapshot',
];

const PSEUDO_PARAMETERS = new Set([
  'AWS::AccountId',
  'AWS::NotificationARNs',
  'AWS::NoValue',
  'AWS::Partition',
  'AWS::Region',
  'AWS::StackId',
  'AWS::StackName',
  'AWS::URLSuffix',
]);

export const SAM_TRANSFORM = 'AWS::Serverless-2016-10-31';

const ANCHORS: Record<string, string[]> = {
  'aws/template-structure': ['cfn-lint:E1001'],
  'aws/unknown-resource-type': ['cfn-lint:E3006'],
  'aws/unknown-property': ['cfn-lint:E3002'],
  'aws/missing-required-property': ['cfn-lint:E3003'],
  'aws/property-type': ['cfn-lint:E3012'],
  'aws/invalid-value': ['cfn-lint:E3030'],
  'aws/unknown-reference': ['cfn-lint:E1012'],
  'aws/unknown-attribute': ['cfn-lint:E1010'],
};

/** Reports one problem: rule id, where (`Resources.Fn.Type`), message. */
type Add = (ruleId: string, objectPath: string, message: string) => void;

/** `unknown <what> 'key' (did you mean 'x'?)` for keys not in `known`. */
function checkKeys(
  keys: ReadonlyArray<string>,
  known: ReadonlyArray<string>,
  where: (key: string) => string,
  what: string,
  add: Add,
): void {
  for (const key of keys) {
    if (known.includes(key)) continue;
    const hint = suggest(key, known);
    add(
      'aws/template-structure',
      where(key),
      `unknown ${what} '${key}'${hint ? ` (did you mean '${hint}'?)` : ''}`,
    );
  }
}

/** The template's sections, its format version and its Transform. */
function checkTemplateHeader(
  template: Record<string, unknown>,
  types: ReadonlyMap<string, string>,
  add: Add,
): void {
  checkKeys(
    Object.keys(template),
    TEMPLATE_SECTIONS,
    k => k,
    'template section',
    add,
  );
  const version = template.AWSTemplateFormatVersion;
  if (version !== undefined && version !== '2010-09-09') {
    add(
      'aws/invalid-value',
      'AWSTemplateFormatVersion',
      `must be '2010-09-09', found ${JSON.stringify(version)}`,
    );
  }
  const usesSam = [...types.values()].some(t =>
    t.startsWith('AWS::Serverless::'),
  );
  const transforms = ([] as unknown[]).concat(template.Transform ?? []);
  if (usesSam && !transforms.includes(SAM_TRANSFORM)) {
    add(
      'aws/template-structure',
      'Transform',
      `AWS::Serverless::* resources need Transform: ${SAM_TRANSFORM}`,
    );
  }
}

/** The Type of every resource that names one, by logical id. */
function resourceTypes(
  resources: Record<string, unknown>,
): Map<string, string> {
  const types = new Map<string, string>();
  for (const [id, resource] of Object.entries(resources)) {
    if (isPlainObject(resource) && typeof resource.Type === 'string') {
      types.set(id, resource.Type);
    }
  }
  return types;
}

/**
 * The SAM Globals sections and their properties; returns the Function
 * globals, which every AWS::Serverless::Function inherits.
 */
function checkGlobals(
  globals: unknown,
  add: Add,
  addProblems: (problems: StrictIssue[]) => void,
): Record<string, unknown> {
  const globalFunction: Record<string, unknown> = {};
  if (globals === undefined) return globalFunction;
  if (!isPlainObject(globals)) {
    add('aws/template-structure', 'Globals', 'Globals must be an object');
    return globalFunction;
  }
  for (const [section, values] of Object.entries(globals)) {
    const allowed = SAM_GLOBALS[section];
    if (!allowed) {
      add(
        'aws/template-structure',
        `Globals.${section}`,
        `unknown Globals section '${section}' (one of ${Object.keys(
          SAM_GLOBALS,
        ).join(', ')})`,
      );
      continue;
    }
    if (!isPlainObject(values)) {
      add('aws/property-type', `Globals.${section}`, 'must be an object');
      continue;
    }
    const props = SAM_RESOURCE_PROPERTIES[`AWS::Serverless::${section}`];
    const selected = cfn.object(
      Object.fromEntries(
        allowed.map(name => [name, cfn.optional(props[name] ?? cfn.any())]),
      ),
      { alwaysCheck: true },
    );
    const problems = checkStrictCoded(selected, values, [`Globals.${section}`]);
    addProblems(problems);
    if (section === 'Function') Object.assign(globalFunction, values);
  }
  return globalFunction;
}

/** A resource's logical id, attributes and deletion policies. */
function checkResourceAttributes(
  id: string,
  resource: Record<string, unknown>,
  add: Add,
): void {
  const at = `Resources.${id}`;
  checkKeys(
    Object.keys(resource),
    RESOURCE_ATTRIBUTES,
    key => `${at}.${key}`,
    'resource attribute',
    add,
  );
  for (const policy of ['DeletionPolicy', 'UpdateReplacePolicy']) {
    const value = resource[policy];
    if (
      value !== undefined &&
      !isIntrinsic(value) &&
      !DELETION_POLICIES.includes(value as string)
    ) {
      add(
        'aws/invalid-value',
        `${at}.${policy}`,
        `'${String(value)}' is not one of ${DELETION_POLICIES.join(', ')}`,
      );
    }
  }
}

/** The properties of a resource of a known type (none for custom ones). */
function typeProperties(
  at: string,
  type: string,
  add: Add,
): Properties | undefined {
  if (
    type.startsWith('Custom::') ||
    type === 'AWS::CloudFormation::CustomResource'
  ) {
    return undefined;
  }
  const props = resourceProps(type);
  if (!props) {
    const prefix = type.split('::').slice(0, 2).join('::');
    const hint = suggest(
      type,
      allResourceTypes().filter(t => t.startsWith(prefix)),
    );
    add(
      'aws/unknown-resource-type',
      `${at}.Type`,
      `unknown resource type '${type}' (not in @aws-cdk/aws-service-spec${
        type.startsWith('AWS::Serverless::')
          ? ' nor the supported SAM types'
          : ''
      })${hint ? `; did you mean '${hint}'?` : ''}`,
    );
  }
  return props;
}

/** One resource: attributes, type, properties, SAM function rules, DependsOn. */
function checkResource(
  id: string,
  resource: unknown,
  context: {
    types: ReadonlyMap<string, string>;
    globalFunction: Record<string, unknown>;
  },
  add: Add,
  addProblems: (problems: StrictIssue[]) => void,
): void {
  const at = `Resources.${id}`;
  if (!/^[A-Za-z0-9]+$/.test(id)) {
    add(
      'aws/template-structure',
      at,
      `logical id '${id}' must be alphanumeric`,
    );
  }
  if (!isPlainObject(resource)) {
    add('aws/template-structure', at, 'a resource is an object');
    return;
  }
  checkResourceAttributes(id, resource, add);
  const type = resource.Type;
  if (typeof type !== 'string') {
    add('aws/template-structure', `${at}.Type`, 'Type is required');
    return;
  }
  const props = typeProperties(at, type, add);
  if (!props) return;
  const properties = resource.Properties ?? {};
  if (!isPlainObject(properties)) {
    add(
      'aws/property-type',
      `${at}.Properties`,
      'Properties must be an object',
    );
    return;
  }
  addProblems(
    checkStrictCoded(cfn.object(props, { alwaysCheck: true }), properties, [
      `${at}.Properties`,
    ]),
  );
  if (type === 'AWS::Serverless::Function') {
    checkSamFunction(
      { ...context.globalFunction, ...properties },
      resource.Metadata,
      `${at}.Properties`,
      add,
    );
  }
  const dependsOn = ([] as unknown[]).concat(resource.DependsOn ?? []);
  dependsOn.forEach((target, index) => {
    if (typeof target !== 'string' || !context.types.has(target)) {
      add(
        'aws/unknown-reference',
        `${at}.DependsOn[${index}]`,
        `DependsOn names no resource of this template: ${JSON.stringify(
          target,
        )}`,
      );
    }
  });
}

/** The Outputs section: a Value each, known keys only. */
function checkOutputs(outputs: unknown, add: Add): void {
  if (outputs === undefined) return;
  if (!isPlainObject(outputs)) {
    add('aws/template-structure', 'Outputs', 'Outputs must be an object');
    return;
  }
  for (const [name, output] of Object.entries(outputs)) {
    if (!isPlainObject(output) || !('Value' in output)) {
      add(
        'aws/template-structure',
        `Outputs.${name}`,
        'an output needs a Value',
      );
      continue;
    }
    for (const key of Object.keys(output)) {
      if (!['Description', 'Value', 'Export', 'Condition'].includes(key)) {
        add(
          'aws/template-structure',
          `Outputs.${name}.${key}`,
          `unknown output key '${key}'`,
        );
      }
    }
  }
}

/**
 * Validates a CloudFormation / SAM template offline: the template sections,
 * every resource's `Type` against @aws-cdk/aws-service-spec (AWS SAM types
 * against a strict hand-written list), property names, required properties
 * and basic types (recursively through nested property types), resource
 * attributes, and every `Ref`, `Fn::GetAtt` and `Fn::Sub` reference
 * (attributes of CloudFormation types checked against the spec).
 */
export function validateSamTemplate(
  template: object,
  file = 'serverless/aws/template.yaml',
): ServerlessFinding[] {
  const findings: ServerlessFinding[] = [];
  const add: Add = (ruleId, objectPath, message) =>
    findings.push({
      ruleId,
      severity: 'error',
      file,
      objectPath,
      message,
      anchors: ANCHORS[ruleId] ?? [],
    });
  const addProblems = (problems: StrictIssue[]) =>
    problems.forEach(p => add(propertyRuleId(p), p.path, p.message));

  if (!isPlainObject(template)) {
    add('aws/template-structure', '(root)', 'a template is an object');
    return findings;
  }
  const resources = template.Resources;
  const types = isPlainObject(resources) ? resourceTypes(resources) : new Map();
  checkTemplateHeader(template, types, add);
  if (!isPlainObject(resources) || Object.keys(resources).length === 0) {
    add(
      'aws/template-structure',
      'Resources',
      'Resources must be a non-empty object',
    );
    return findings;
  }
  const globals = template.Globals;
  const globalFunction = checkGlobals(globals, add, addProblems);
  for (const [id, resource] of Object.entries(resources)) {
    checkResource(id, resource, { types, globalFunction }, add, addProblems);
  }
  checkOutputs(template.Outputs, add);
  const parameters = isPlainObject(template.Parameters)
    ? Object.keys(template.Parameters)
    : [];
  checkReferences(
    { Resources: resources, Outputs: template.Outputs, Globals: globals },
    { resources: types, parameters: new Set(parameters) },
    add,
  );
  return findings;
}

/** What SAM requires of a function beyond single properties. */
function checkSamFunction(
  effective: Record<string, unknown>,
  metadata: unknown,
  at: string,
  add: Add,
): void {
  const image = effective.PackageType === 'Image';
  if (image) {
    const built = isPlainObject(metadata) && 'Dockerfile' in metadata;
    if (!('ImageUri' in effective) && !built) {
      add(
        'aws/missing-required-property',
        `${at}.ImageUri`,
        'an Image function needs ImageUri (or Metadata.Dockerfile for sam build)',
      );
    }
    for (const key of ['Handler', 'Runtime', 'CodeUri', 'InlineCode']) {
      if (key in effective) {
        add(
          'aws/invalid-value',
          `${at}.${key}`,
          `${key} does not apply to PackageType Image`,
        );
      }
    }
    return;
  }
  if (!('CodeUri' in effective) && !('InlineCode' in effective)) {
    add(
      'aws/missing-required-property',
      `${at}.CodeUri`,
      'a Zip function needs CodeUri or InlineCode',
    );
  }
  for (const key of ['Handler', 'Runtime']) {
    if (!(key in effective)) {
      add(
        'aws/missing-required-property',
        `${at}.${key}`,
        `a Zip function needs ${key}`,
      );
    }
  }
}

interface Names {
  resources: Map<string, string>;
  parameters: Set<string>;
}

function checkGetAtt(
  target: string,
  attribute: string,
  names: Names,
  at: string,
  add: Add,
): void {
  const type = names.resources.get(target);
  if (!type) {
    add(
      'aws/unknown-reference',
      at,
      `Fn::GetAtt names no resource of this template: '${target}'`,
    );
    return;
  }
  if (type.startsWith('AWS::Serverless::') || type.startsWith('Custom::')) {
    return;
  }
  const resource = specResource(type);
  if (resource && !(attribute in resource.attributes)) {
    add(
      'aws/unknown-attribute',
      at,
      `${type} has no attribute '${attribute}' (has ${
        Object.keys(resource.attributes).join(', ') || 'none'
      })`,
    );
  }
}

function checkReferences(
  value: unknown,
  names: Names,
  add: Add,
  at = '',
): void {
  const known = (name: string) =>
    names.resources.has(name) ||
    names.parameters.has(name) ||
    PSEUDO_PARAMETERS.has(name);
  if (Array.isArray(value)) {
    value.forEach((item, index) =>
      checkReferences(item, names, add, `${at}[${index}]`),
    );
    return;
  }
  if (!isPlainObject(value)) return;
  for (const [key, item] of Object.entries(value)) {
    const path = at ? `${at}.${key}` : key;
    if (key === 'Ref' && typeof item === 'string' && !known(item)) {
      add(
        'aws/unknown-reference',
        path,
        `Ref names nothing in this template: '${item}'`,
      );
    } else if (key === 'Fn::GetAtt') {
      const parts =
        typeof item === 'string'
          ? [
              item.slice(0, item.indexOf('.')),
              item.slice(item.indexOf('.') + 1),
            ]
          : item;
      if (
        Array.isArray(parts) &&
        typeof parts[0] === 'string' &&
        typeof parts[1] === 'string'
      ) {
        checkGetAtt(parts[0], parts[1], names, path, add);
      }
    } else if (key === 'Fn::Sub') {
      const [text, variables] = Array.isArray(item) ? item : [item, {}];
      const local = new Set(
        isPlainObject(variables) ? Object.keys(variables) : [],
      );
      if (typeof text === 'string') {
        for (const match of text.matchAll(/\$\{([^!}][^}]*)\}/g)) {
          const name = match[1].trim();
          const dot = name.indexOf('.');
          if (dot > 0 && !name.startsWith('AWS::')) {
            checkGetAtt(
              name.slice(0, dot),
              name.slice(dot + 1),
              names,
              path,
              add,
            );
          } else if (!known(name) && !local.has(name)) {
            add(
              'aws/unknown-reference',
              path,
              `Fn::Sub names nothing in this template: '\${${name}}'`,
            );
          }
        }
      }
    }
    checkReferences(item, names, add, path);
  }
}
