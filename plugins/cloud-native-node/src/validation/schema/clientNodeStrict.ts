import { importEsm } from './esmLoader';
import { PathSegment } from './paths';
import { KUBERNETES_BUILTIN_GROUPS } from '../builtinGroups';

/*
 * Strict field check for the core Kubernetes API, derived from the OpenAPI
 * model metadata that `@kubernetes/client-node` generates: every model class
 * (V1Deployment, V1DeploymentSpec, V1Container, ...) carries a static
 * `attributeTypeMap` of `{ name, baseName (the JSON key), type }`. The maps
 * are compiled once into a graph of nodes with the allowed JSON keys.
 */

/** The structure expected at one place of an object. */
export type ShapeNode =
  | ObjectShape
  | { shape: 'array'; item: ShapeNode }
  | { shape: 'map'; value: ShapeNode }
  | { shape: 'leaf' };

export interface ObjectShape {
  shape: 'object';
  /** The client-node type name, e.g. `V1DeploymentSpec` */
  typeName: string;
  /** JSON key → expected structure */
  fields: Map<string, ShapeNode>;
}

interface AttributeType {
  name: string;
  baseName: string;
  type: string;
}

type ModelClasses = Record<
  string,
  { attributeTypeMap?: AttributeType[] } | undefined
>;

const LEAF: ShapeNode = { shape: 'leaf' };
const ARRAY_TYPE = /^Array<(.+)>$/;
const MAP_TYPE = /^\{ \[key: string\]: (.+); \}$/;

/** The compiled client-node type graph. */
export class ClientNodeShapes {
  private readonly objects = new Map<string, ObjectShape>();
  private readonly kinds = new Map<string, ObjectShape | undefined>();

  constructor(private readonly classes: ModelClasses) {}

  /**
   * The shape of a top-level kind, e.g. `apps/v1` + `Deployment` →
   * `V1Deployment`; `undefined` when client-node has no such kind. Cached.
   */
  forKind(apiVersion: string, kind: string): ObjectShape | undefined {
    const key = `${apiVersion}/${kind}`;
    if (this.kinds.has(key)) {
      return this.kinds.get(key);
    }
    const shape = this.lookupKind(apiVersion, kind);
    this.kinds.set(key, shape);
    return shape;
  }

  private lookupKind(
    apiVersion: string,
    kind: string,
  ): ObjectShape | undefined {
    const slash = apiVersion.lastIndexOf('/');
    const group = slash < 0 ? '' : apiVersion.slice(0, slash);
    const version = apiVersion.slice(slash + 1);
    if (
      !KUBERNETES_BUILTIN_GROUPS.has(group) ||
      !/^v\d+((alpha|beta)\d+)?$/.test(version)
    ) {
      return undefined;
    }
    const groupName = group ? group.split('.')[0] : 'core';
    const versionName = capitalize(version);
    // client-node prefixes the group only when two groups share a kind name
    // (CoreV1Event / EventsV1Event), so try the prefixed name first.
    for (const candidate of [
      `${capitalize(groupName)}${versionName}${kind}`,
      `${versionName}${kind}`,
    ]) {
      const typeMap = this.classes[candidate]?.attributeTypeMap;
      if (
        typeMap?.some(a => a.baseName === 'apiVersion') &&
        typeMap.some(a => a.baseName === 'kind')
      ) {
        return this.objectShape(candidate);
      }
    }
    return undefined;
  }

  private objectShape(typeName: string): ObjectShape {
    const existing = this.objects.get(typeName);
    if (existing) {
      return existing;
    }
    const shape: ObjectShape = { shape: 'object', typeName, fields: new Map() };
    // registered before its fields are compiled: the graph is recursive
    // (V1JSONSchemaProps.properties → V1JSONSchemaProps)
    this.objects.set(typeName, shape);
    for (const attribute of this.classes[typeName]?.attributeTypeMap ?? []) {
      shape.fields.set(attribute.baseName, this.parseType(attribute.type));
    }
    return shape;
  }

  private parseType(type: string): ShapeNode {
    const array = ARRAY_TYPE.exec(type);
    if (array) {
      const item = this.parseType(array[1]);
      return item === LEAF ? LEAF : { shape: 'array', item };
    }
    const map = MAP_TYPE.exec(type);
    if (map) {
      const value = this.parseType(map[1]);
      return value === LEAF ? LEAF : { shape: 'map', value };
    }
    // Model classes; everything else (string, number, boolean, Date,
    // IntOrString, V1MicroTime, any, object) is a leaf: its type is checked
    // by the kubernetes-models layer, not here.
    if (this.classes[type]?.attributeTypeMap) {
      return this.objectShape(type);
    }
    return LEAF;
  }

  /** Number of compiled object types (for diagnostics). */
  get size(): number {
    return this.objects.size;
  }
}

function capitalize(value: string): string {
  return value.charAt(0).toUpperCase() + value.slice(1);
}

export async function loadClientNodeShapes(): Promise<ClientNodeShapes> {
  const classes = await importEsm<ModelClasses>(
    '@kubernetes/client-node/dist/gen/models/all.js',
  );
  return new ClientNodeShapes(classes);
}

/** Reports an unknown key: the path of the key and the keys allowed there. */
export type UnknownFieldReporter = (
  path: readonly PathSegment[],
  allowed: Iterable<string>,
) => void;

/**
 * Walks `value` along `node` and reports every key that the type does not
 * define. Values of the wrong JSON type are skipped (the type error is the
 * kubernetes-models layer's finding). `path` is used as a stack.
 */
export function walkShape(
  value: unknown,
  node: ShapeNode,
  path: PathSegment[],
  report: UnknownFieldReporter,
): void {
  if (value === null || typeof value !== 'object') {
    return;
  }
  if (node.shape === 'array') {
    if (Array.isArray(value)) {
      const item = node.item;
      for (let i = 0; i < value.length; i++) {
        path.push(i);
        walkShape(value[i], item, path, report);
        path.pop();
      }
    }
    return;
  }
  if (Array.isArray(value) || node.shape === 'leaf') {
    return;
  }
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record);
  if (node.shape === 'map') {
    const child = node.value;
    for (let i = 0; i < keys.length; i++) {
      path.push(keys[i]);
      walkShape(record[keys[i]], child, path, report);
      path.pop();
    }
    return;
  }
  const fields = node.fields;
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i];
    const child = fields.get(key);
    if (child === undefined) {
      if (record[key] !== undefined) {
        path.push(key);
        report(path, fields.keys());
        path.pop();
      }
    } else if (child !== LEAF) {
      path.push(key);
      walkShape(record[key], child, path, report);
      path.pop();
    }
  }
}
