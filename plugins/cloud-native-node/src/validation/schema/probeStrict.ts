import { PathSegment } from './paths';
import { UnknownFieldReporter } from './clientNodeStrict';

/*
 * Strict field check for the CRD kinds.
 *
 * The `@kubernetes-models/*` packages do not ship their JSON schemas: their
 * `_schemas/*.js` files are Ajv *standalone* validators compiled from the CRD
 * OpenAPI schemas (and their `.d.ts` types are deeply inlined TypeScript), so
 * there is no `properties` / `additionalProperties` tree to read. What the
 * compiled code does is regular, though:
 *
 * - for every entry of `properties` it reads `data.<key>` (also when the key
 *   is absent: `void 0 !== data.key && ...`), whether the value is there or not;
 * - maps (`additionalProperties: <schema>`) are iterated with `for (k in data)`
 *   and every value is read;
 * - `x-kubernetes-preserve-unknown-fields` objects, `type: object` without
 *   properties and `{}` schemas are never looked into.
 *
 * So the validator is run on the object behind a Proxy that records, for
 * every object node, the keys the validator read. Afterwards a key present in
 * a node but never read is not defined by the schema (`schema/unknown-field`);
 * a node the validator read no key of is free-form (or a type mismatch already
 * reported by the validator) and is accepted as is. The same run gives the
 * kubernetes-models validation result (layer 1).
 *
 * Proxies make the validator ~20x slower, so what clean runs show is kept per
 * kind (`LearnedShape`) and the Proxy run only happens for objects with a key
 * not seen defined before: generated objects of a kind are very alike.
 *
 * Limitation: a CRD schema that has `properties` *and*
 * `x-kubernetes-preserve-unknown-fields: true` on the same node would have its
 * extra keys reported; none of the kinds listed in `registry.ts` needs it.
 */

export interface TrackedRun {
  /** What `validate()` threw, if anything */
  error: unknown;
  /** Object node → keys the validator read */
  read: Map<object, Set<string>>;
  /** Object nodes the validator iterated with `for...in` (maps) */
  iterated: Set<object>;
}

type ValidateFn = (this: unknown) => void;

/**
 * Runs a model's `validate` (which checks `this`) on `data` behind a Proxy
 * that records what the validator reads.
 */
export function validateTracked(
  validate: ValidateFn,
  data: object,
): TrackedRun {
  const read = new Map<object, Set<string>>();
  const iterated = new Set<object>();
  const proxies = new Map<object, object>();

  const handler: ProxyHandler<object> = {
    get(target, key) {
      const value = (target as Record<string | symbol, unknown>)[key];
      if (typeof key === 'string' && !Array.isArray(target)) {
        let keys = read.get(target);
        if (!keys) {
          keys = new Set();
          read.set(target, keys);
        }
        keys.add(key);
      }
      return value !== null && typeof value === 'object' ? wrap(value) : value;
    },
    // `for (k in data)` (maps: additionalProperties) walks the prototype
    // chain; `Object.keys(data).length` (min/maxProperties) does not.
    getPrototypeOf(target) {
      iterated.add(target);
      return Reflect.getPrototypeOf(target);
    },
  };

  function wrap(target: object): object {
    let proxy = proxies.get(target);
    if (!proxy) {
      proxy = new Proxy(target, handler);
      proxies.set(target, proxy);
    }
    return proxy;
  }

  let error: unknown;
  try {
    validate.call(wrap(data));
  } catch (e) {
    error = e;
  }
  return { error, read, iterated };
}

function isObject(value: unknown): value is object {
  return value !== null && typeof value === 'object';
}

/**
 * Reports the keys of `value` that the tracked validator never read, in
 * every object node it looked into. `path` is used as a stack.
 */
export function walkTracked(
  value: unknown,
  run: TrackedRun,
  path: PathSegment[],
  report: UnknownFieldReporter,
): void {
  if (!isObject(value)) {
    return;
  }
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      path.push(i);
      walkTracked(value[i], run, path, report);
      path.pop();
    }
    return;
  }
  const keys = run.read.get(value);
  if (!keys) {
    // never looked into: free-form (preserve-unknown-fields, `{}`) or a
    // value of the wrong type (reported by the validator)
    return;
  }
  const map = run.iterated.has(value);
  const record = value as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    path.push(key);
    if (map || keys.has(key)) {
      walkTracked(record[key], run, path, report);
    } else if (record[key] !== undefined) {
      report(path, keys);
    }
    path.pop();
  }
}

/** What is known about one place of a kind's objects. */
interface LearnedNode {
  /**
   * Keys the validator reads here (the schema's properties) → the node of
   * their object values (array elements share their array's node), or null
   * while no object value was seen under that key.
   */
  fields: Map<string, LearnedNode | null>;
  /** A map (any key); the node of its object values */
  map: LearnedNode | null | undefined;
  /** Free-form: the validator never looks into it */
  free: boolean;
}

const MAX_LEARNED_NODES = 20000;

function newNode(): LearnedNode {
  return { fields: new Map(), map: undefined, free: false };
}

/**
 * The structure of a CRD kind learnt from tracked runs, so that the Proxy run
 * (slow) is only needed when an object has a key, or an object at a place,
 * that no earlier clean run has shown to be defined. `check` never accepts
 * a key that a tracked run would report: every key it accepts was read by the
 * validator at the same place (array indexes aside) in an earlier run. Only
 * runs without validation errors are learnt from, so a type mismatch is never
 * mistaken for a free-form object.
 */
export class LearnedShape {
  private readonly root = newNode();
  private size = 1;

  /** True when every key of `value` is known to be defined. */
  check(value: unknown): boolean {
    return checkNode(value, this.root);
  }

  /** Records what a clean tracked run of `value` showed. */
  learn(value: unknown, run: TrackedRun): void {
    if (this.size < MAX_LEARNED_NODES) {
      this.learnNode(value, this.root, run);
    }
  }

  private newChild(): LearnedNode {
    this.size++;
    return newNode();
  }

  private learnNode(value: unknown, node: LearnedNode, run: TrackedRun) {
    if (!isObject(value)) {
      return;
    }
    if (Array.isArray(value)) {
      for (const item of value) {
        this.learnNode(item, node, run);
      }
      return;
    }
    const record = value as Record<string, unknown>;
    if (run.iterated.has(value)) {
      for (const key of Object.keys(record)) {
        if (isObject(record[key])) {
          node.map ??= this.newChild();
          this.learnNode(record[key], node.map, run);
        }
      }
      node.map ??= null;
      return;
    }
    const read = run.read.get(value);
    if (!read || read.size === 0) {
      // looked into by nobody although it has keys: free-form
      if (Object.keys(record).length > 0 && node.fields.size === 0) {
        node.free = true;
      }
      return;
    }
    node.free = false;
    for (const key of read) {
      if (!node.fields.has(key)) {
        node.fields.set(key, null);
      }
    }
    for (const key of Object.keys(record)) {
      if (read.has(key) && isObject(record[key])) {
        let child = node.fields.get(key);
        if (!child) {
          child = this.newChild();
          node.fields.set(key, child);
        }
        this.learnNode(record[key], child, run);
      }
    }
  }
}

function checkNode(value: unknown, node: LearnedNode): boolean {
  if (value === null || typeof value !== 'object') {
    return true;
  }
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      if (!checkNode(value[i], node)) {
        return false;
      }
    }
    return true;
  }
  if (node.free) {
    return true;
  }
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record);
  const map = node.map;
  for (let i = 0; i < keys.length; i++) {
    const item = record[keys[i]];
    let child: LearnedNode | null | undefined;
    if (map !== undefined) {
      child = map;
    } else {
      child = node.fields.get(keys[i]);
      if (child === undefined) {
        if (item === undefined) {
          continue;
        }
        return false;
      }
    }
    if (item !== null && typeof item === 'object') {
      if (!child || !checkNode(item, child)) {
        return false;
      }
    }
  }
  return true;
}
