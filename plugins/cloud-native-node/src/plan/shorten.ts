import { createHash } from 'node:crypto';

/** Short, stable hex digest of a string. */
export function digest(value: string, length = 6): string {
  return createHash('sha256').update(value).digest('hex').slice(0, length);
}

/**
 * `value` when it fits in `max` characters, else a prefix plus a stable hash
 * of the whole value (so two long names never collapse into one).
 */
export function shorten(value: string, max: number): string {
  if (value.length <= max) return value;
  const hash = digest(value);
  return `${value.slice(0, max - hash.length - 1).replace(/-+$/, '')}-${hash}`;
}
