export { byKey, sortedRecord } from '../../core/collections';
/**
 * Naming helpers: every name derived from the spec goes through one of these
 * so that it satisfies the target platform's rules.
 */

/** `media-index-queue` → `MediaIndexQueue` (CloudFormation logical ids). */
export function pascal(text: string): string {
  const words = text.split(/[^A-Za-z0-9]+/).filter(Boolean);
  const joined = words
    .map(word => word.charAt(0).toUpperCase() + word.slice(1))
    .join('');
  if (!joined) return 'X';
  return /^[0-9]/.test(joined) ? `N${joined}` : joined;
}

/** `media-index-queue` → `mediaIndexQueue` (serverless.yml keys, ARM names). */
export function camel(text: string): string {
  const value = pascal(text);
  return value.charAt(0).toLowerCase() + value.slice(1);
}

/** Lower-case DNS label: letters, digits and `-`, at most `max` characters. */
export function dnsName(text: string, max = 63): string {
  const cleaned = text
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/-+/g, '-')
    .replace(/^-+/, '');
  const cut = cleaned.slice(0, max).replace(/-+$/, '');
  return cut || 'x';
}

/** SQS queue names: letters, digits, `-` and `_`, at most 80 characters. */
export function sqsQueueName(text: string): string {
  const fifo = text.endsWith('.fifo');
  const base = (fifo ? text.slice(0, -5) : text).replace(
    /[^A-Za-z0-9_-]+/g,
    '-',
  );
  const cut = base.slice(0, fifo ? 75 : 80) || 'queue';
  return fifo ? `${cut}.fifo` : cut;
}

/** Kinesis stream and DynamoDB table names: letters, digits, `_ . -`. */
export function awsResourceName(text: string, max = 128): string {
  return text.replace(/[^A-Za-z0-9_.-]+/g, '-').slice(0, max) || 'x';
}

/** Quotes a word for a POSIX shell when it needs it. */
export function shellQuote(word: string): string {
  if (/^[A-Za-z0-9_./:=@%+,-]+$/.test(word)) return word;
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

/**
 * Makes ids unique: the second `Foo` becomes `Foo2`, and so on. Returns a
 * function that maps an input name to its unique id (stable for the same
 * input).
 */
export function uniqueIds(
  names: ReadonlyArray<string>,
  toId: (name: string) => string,
): (name: string) => string {
  const byName = new Map<string, string>();
  const used = new Set<string>();
  for (const name of names) {
    if (byName.has(name)) continue;
    const base = toId(name);
    let id = base;
    for (let n = 2; used.has(id); n++) id = `${base}${n}`;
    used.add(id);
    byName.set(name, id);
  }
  return name => byName.get(name) ?? toId(name);
}
