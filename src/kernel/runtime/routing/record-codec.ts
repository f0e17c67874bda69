import { RecordNotSerializableError } from '../../../errors/record-not-serializable-error.js';

/** Prototypes whose instances structured clone copies with their type. */
const CLONEABLE: ReadonlySet<unknown> = new Set<unknown>([
  Object.prototype,
  null,
  Array.prototype,
  Map.prototype,
  Set.prototype,
  Date.prototype,
  RegExp.prototype,
  ArrayBuffer.prototype,
  DataView.prototype,
  Boolean.prototype,
  Number.prototype,
  String.prototype,
  Error.prototype,
  TypeError.prototype,
  RangeError.prototype,
  SyntaxError.prototype,
  ReferenceError.prototype,
  EvalError.prototype,
  URIError.prototype,
]);

/**
 * Throws `RecordNotSerializableError` unless `value` crosses a thread boundary unchanged: structured clone (what
 * worker threads use) refuses functions and symbols, and copies a class instance as a plain object, dropping
 * its methods; both are reported with the path where they were found (`$.user.greet`).
 *
 * @example
 * ```ts
 * checkCloneable({ a: [1, new Date()] }, '$');   // fine
 * checkCloneable({ f: () => 1 }, '$');            // RecordNotSerializableError: at $.f, a function …
 * ```
 */
export function checkCloneable(value: unknown, path: string, seen = new Set<object>()): void {
  switch (typeof value) {
    case 'function':
      throw new RecordNotSerializableError(path, 'a function cannot be copied to another thread');
    case 'symbol':
      throw new RecordNotSerializableError(path, 'a symbol cannot be copied to another thread');
    case 'object':
      break;
    default:
      return;
  }
  if (value === null || seen.has(value)) return;
  seen.add(value);
  if (ArrayBuffer.isView(value)) return;
  const proto: unknown = Object.getPrototypeOf(value);
  if (!CLONEABLE.has(proto)) {
    const name = (value as { constructor?: { name?: unknown } }).constructor?.name;
    throw new RecordNotSerializableError(
      path,
      `an instance of ${typeof name === 'string' && name !== '' ? name : 'a class'} would arrive as a plain object, without its methods`,
    );
  }
  if (value instanceof Map) {
    let i = 0;
    for (const [k, v] of value as Map<unknown, unknown>) {
      checkCloneable(k, `${path}.<key ${String(i)}>`, seen);
      checkCloneable(v, `${path}.get(${String(i++)})`, seen);
    }
    return;
  }
  if (value instanceof Set) {
    let i = 0;
    for (const v of value as Set<unknown>) checkCloneable(v, `${path}.<item ${String(i++)}>`, seen);
    return;
  }
  for (const k of Object.keys(value)) {
    checkCloneable((value as Record<string, unknown>)[k], `${path}.${k}`, seen);
  }
}

/**
 * What a record and its key become after a thread boundary: checked with {@link checkCloneable}, then copied
 * with structured clone, as `postMessage` copies them.
 *
 * @example
 * ```ts
 * const [value, key] = roundTrip({ n: 1 }, 'a'); // a copy of the record, and the key
 * ```
 */
export function roundTrip(value: unknown, key: unknown): [unknown, unknown] {
  checkCloneable(value, '$');
  checkCloneable(key, 'key');
  return structuredClone<[unknown, unknown]>([value, key]);
}
