/**
 * Deterministic output: the same package for the same spec, whatever the
 * locale or the order things were built in.
 */

/** Code-point order, independent of the locale (unlike localeCompare). */
export function compareStrings(a: string, b: string): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}

/** A comparator of items by a string key, in code-point order. */
export function byKey<T>(key: (item: T) => string): (a: T, b: T) => number {
  return (a, b) => compareStrings(key(a), key(b));
}

/** A record with its keys sorted (shallow). */
export function sortedRecord<T>(record: Record<string, T>): Record<string, T> {
  return Object.fromEntries(
    Object.entries(record).sort(([a], [b]) => compareStrings(a, b)),
  );
}

/**
 * Removes undefined values recursively (object keys; arrays keep their
 * length), so that output has no empty keys.
 */
export function prune<T>(value: T): T {
  if (Array.isArray(value)) {
    return value.map(item => prune(item)) as unknown as T;
  }
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      if (item !== undefined) out[key] = prune(item);
    }
    return out as T;
  }
  return value;
}
