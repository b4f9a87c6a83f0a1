/**
 * Narrow type guards for kubectl JSON. Nothing here throws: a field of the
 * wrong type reads as absent.
 */

import { isRecord } from '../core/json';

/** The shared JSON guards, under the short names the kubectl readers use. */
export { isRecord, asString as str, asNumber as num } from '../core/json';

export type JsonObject = Record<string, unknown>;

export function bool(value: unknown): boolean | undefined {
  return typeof value === 'boolean' ? value : undefined;
}

function arr(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

export function records(value: unknown): JsonObject[] {
  return arr(value).filter(isRecord);
}

/** The value at a path of object keys, or undefined. */
export function at(value: unknown, ...path: string[]): unknown {
  let current = value;
  for (const key of path) {
    if (!isRecord(current)) return undefined;
    current = current[key];
  }
  return current;
}

/** A string-to-string map (labels, matchLabels); other entries dropped. */
export function stringMap(value: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (!isRecord(value)) return out;
  for (const [key, item] of Object.entries(value)) {
    if (typeof item === 'string') out[key] = item;
  }
  return out;
}

/**
 * The objects of a kubectl document: a `List` (`kubectl get -o json`), an
 * array, a single object, or the same as JSON text. Anything else is empty.
 */
export function listItems(document: unknown): JsonObject[] {
  let value = document;
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value);
    } catch {
      return [];
    }
  }
  if (Array.isArray(value)) return value.filter(isRecord);
  if (!isRecord(value)) return [];
  if ('items' in value) return records(value.items);
  return typeof value.kind === 'string' && value.kind !== 'List' ? [value] : [];
}

/** Quotes a word for a POSIX shell when it needs it. */
export function shellWord(word: string): string {
  if (/^[A-Za-z0-9_./:=@%+,-]+$/.test(word)) return word;
  return `'${word.replace(/'/g, `'\\''`)}'`;
}
