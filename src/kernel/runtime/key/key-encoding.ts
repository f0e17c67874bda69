import { describeValue } from '../../../errors/describe-value.js';
import { KeyEncodingError } from '../../../errors/key-encoding-error.js';

/** A key as the engine compares it: a primitive usable as a `Map` key with the key's value semantics. */
export type NormalizedKey = string | number | boolean | bigint | null | undefined;

/** Marks strings that stand for structured keys (and escapes user strings that start with it). */
const MARK = '\u0000';

/**
 * The one key encoding of the engine, used by routing, keyed state, joins and windows: a primitive that is
 * equal (as a `Map` key, i.e. SameValueZero) exactly when the keys are equal by value. Primitives stay as they
 * are (`NaN` equals `NaN` and `-0` equals `0`, as in a `Map`); a `Date` is compared by its time; arrays and plain
 * objects by structure (object keys in any order). The encoding is injective: a structured key never equals a
 * string key. Anything else (functions, symbols, class instances, circular objects) throws
 * {@link KeyEncodingError}.
 *
 * @example
 * ```ts
 * normalizeKey('a');                          // 'a'
 * normalizeKey(new Date(0)) === normalizeKey(new Date(0)); // true
 * normalizeKey({ a: 1, b: 2 }) === normalizeKey({ b: 2, a: 1 }); // true
 * ```
 */
export function normalizeKey(key: unknown): NormalizedKey {
  switch (typeof key) {
    case 'string':
      return key.charCodeAt(0) === 0 ? MARK + key : key;
    case 'number':
      return key === 0 ? 0 : key;
    case 'boolean':
    case 'bigint':
    case 'undefined':
      return key;
    case 'object':
      if (key === null) return null;
      return MARK + encodeStructured(key, []);
    default:
      throw new KeyEncodingError(
        `A key must be a primitive, a Date, an array or a plain object, got ${describeValue(key)}: return an encodable value from keyBy`,
      );
  }
}

function encodeStructured(value: object, path: object[]): string {
  if (value instanceof Date) return `d${String(value.getTime())}`;
  if (path.includes(value)) {
    throw new KeyEncodingError('A key must not be circular: return an acyclic value from keyBy');
  }
  path.push(value);
  let out: string;
  if (Array.isArray(value)) {
    out = `[${value.map((v: unknown) => encodePart(v, path)).join(',')}]`;
  } else {
    const proto: unknown = Object.getPrototypeOf(value);
    if (proto !== Object.prototype && proto !== null) {
      path.pop();
      throw new KeyEncodingError(
        `A key must be a primitive, a Date, an array or a plain object, got ${describeValue(value)}: return a plain value from keyBy`,
      );
    }
    const record = value as Record<string, unknown>;
    const names = Object.keys(record).sort();
    out = `{${names.map((n) => `${JSON.stringify(n)}:${encodePart(record[n], path)}`).join(',')}}`;
  }
  path.pop();
  return out;
}

function encodePart(v: unknown, path: object[]): string {
  switch (typeof v) {
    case 'string':
      return JSON.stringify(v);
    case 'number':
      return `n${String(v === 0 ? 0 : v)}`;
    case 'boolean':
      return v ? 't' : 'f';
    case 'bigint':
      return `b${v.toString()}`;
    case 'undefined':
      return 'u';
    case 'object':
      return v === null ? 'z' : encodeStructured(v, path);
    default:
      throw new KeyEncodingError(
        `A key must not contain ${describeValue(v)}: return a plain value from keyBy`,
      );
  }
}
