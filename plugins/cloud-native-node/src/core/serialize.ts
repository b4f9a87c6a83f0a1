import { Document } from 'yaml';
import { prune } from './collections';
import { KubernetesObject } from './types';

/**
 * YAML 1.1 scalar rules, so strings that 1.1 parsers (kubectl, Helm, PyYAML)
 * would read as booleans or numbers (`on`, `yes`, `0777`) are quoted.
 */
const OPTIONS = { aliasDuplicateObjects: false, version: '1.1' } as const;

/**
 * Serializes objects with the `yaml` library: one document per object,
 * separated by `---`. Never builds YAML by string concatenation of values:
 * every scalar is encoded by the library, so names and values with quotes,
 * newlines or `${...}` round-trip unchanged.
 *
 * @public
 */
export function toYamlDocuments(objects: ReadonlyArray<unknown>): string {
  return objects
    .map(object => {
      const doc = new Document(object, OPTIONS);
      return doc.toString({ lineWidth: 0 });
    })
    .join('---\n');
}

/**
 * Serializes one value as a YAML file.
 *
 * @public
 */
export function toYaml(value: unknown): string {
  return new Document(value, OPTIONS).toString({
    lineWidth: 0,
  });
}

/** @public */
export function objectId(object: KubernetesObject): string {
  return `${object.kind}/${object.metadata.namespace ?? '-'}/${
    object.metadata.name
  }`;
}

/**
 * A typed object (checked at compile time against the kubernetes-models
 * interfaces) as the engine's plain KubernetesObject.
 *
 * @public
 */
export function asObject<
  T extends {
    apiVersion: string;
    kind: string;
    metadata?: { name?: string };
  },
>(object: T & { metadata: { name: string } }): KubernetesObject {
  return prune(object) as unknown as KubernetesObject;
}
