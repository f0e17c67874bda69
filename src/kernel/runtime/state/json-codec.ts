import { InvalidArgumentError } from '../../../errors/invalid-argument-error.js';
/** JSON-compatible data, as snapshots hold it. */
export type JsonData = null | boolean | number | string | JsonData[] | { [key: string]: JsonData };

/** What {@link encodeJson} does with a value that is neither plain data nor a Map, Set or Date. */
export type OpaqueMode =
  /** Leave it out (an object field holding it is not captured; in an array it becomes `undefined`). */
  | 'omit'
  /** Copy its own enumerable fields as a plain object (its class is lost). */
  | 'plain';

/** Returned by {@link encodeJson} for a value left out under `'omit'`. */
export const OMITTED: unique symbol = Symbol('omitted');

/**
 * A deep copy of `value` as JSON-compatible data that {@link decodeJson} turns back into an equal value:
 * values JSON cannot carry (`undefined`, `NaN`, `±Infinity`, `-0`, bigint, Date, Map, Set) are tagged objects,
 * and plain objects that have a key starting with `$` are escaped, so decoding is exact. Circular values throw.
 *
 * @example
 * ```ts
 * const data = encodeJson({ at: new Date(0), seen: new Set([1]) });
 * decodeJson(JSON.parse(JSON.stringify(data))); // { at: Date(0), seen: Set {1} }
 * ```
 */
export function encodeJson(value: unknown, mode: OpaqueMode = 'plain'): JsonData | typeof OMITTED {
  return encode(value, mode, []);
}

function encode(value: unknown, mode: OpaqueMode, path: object[]): JsonData | typeof OMITTED {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value;
    case 'number':
      if (Number.isFinite(value) && !Object.is(value, -0)) return value;
      return { $n: Object.is(value, -0) ? '-0' : String(value) };
    case 'undefined':
      return { $u: 1 };
    case 'bigint':
      return { $b: value.toString() };
    case 'object':
      break;
    default:
      return mode === 'omit' ? OMITTED : { $u: 1 };
  }
  if (value === null) return null;
  if (value instanceof Date) return { $d: value.getTime() };
  if (path.includes(value)) throw new InvalidArgumentError('a circular value cannot be saved in a snapshot');
  path.push(value);
  let out: JsonData | typeof OMITTED;
  if (Array.isArray(value)) {
    out = value.map((v: unknown) => {
      const e = encode(v, mode, path);
      return e === OMITTED ? { $u: 1 } : e;
    });
  } else if (value instanceof Map) {
    out = { $m: entries([...value.entries()], mode, path) };
  } else if (value instanceof Set) {
    out = { $s: [...value].map((v: unknown) => orUndefined(encode(v, mode, path))) };
  } else {
    const proto: unknown = Object.getPrototypeOf(value);
    if (proto !== Object.prototype && proto !== null && mode === 'omit') out = OMITTED;
    else out = encodeObject(value as Record<string, unknown>, mode, path);
  }
  path.pop();
  return out;
}

function entries(pairs: [unknown, unknown][], mode: OpaqueMode, path: object[]): JsonData[] {
  return pairs.map(([k, v]) => [orUndefined(encode(k, mode, path)), orUndefined(encode(v, mode, path))]);
}

function orUndefined(e: JsonData | typeof OMITTED): JsonData {
  return e === OMITTED ? { $u: 1 } : e;
}

function encodeObject(value: Record<string, unknown>, mode: OpaqueMode, path: object[]): JsonData {
  const names = Object.keys(value);
  if (names.some((n) => n.startsWith('$'))) {
    const kept: [unknown, unknown][] = [];
    for (const n of names) kept.push([n, value[n]]);
    return { $o: entries(kept, mode, path) };
  }
  const out: Record<string, JsonData> = {};
  for (const n of names) {
    const e = encode(value[n], mode, path);
    if (e !== OMITTED) define(out, n, e);
  }
  return out;
}

/**
 * Turns data made by {@link encodeJson} (possibly through `JSON.stringify`/`JSON.parse`) back into values. A
 * key named `__proto__` becomes an own property holding plain data; it never changes a prototype.
 *
 * @example
 * ```ts
 * decodeJson({ $d: 0 }); // new Date(0)
 * ```
 */
export function decodeJson(data: unknown): unknown {
  if (data === null || typeof data !== 'object') return data;
  if (Array.isArray(data)) return data.map(decodeJson);
  const record = data as Record<string, unknown>;
  const names = Object.keys(record);
  if (names.length === 1) {
    const tag = names[0] as string;
    const v = record[tag];
    switch (tag) {
      case '$u':
        return undefined;
      case '$n':
        return v === '-0' ? -0 : Number(v);
      case '$b':
        return BigInt(v as string);
      case '$d':
        return new Date(v as number);
      case '$m':
        return new Map((v as [unknown, unknown][]).map(([k, x]) => [decodeJson(k), decodeJson(x)]));
      case '$s':
        return new Set((v as unknown[]).map(decodeJson));
      case '$o': {
        const out: Record<string, unknown> = {};
        for (const [k, x] of v as [string, unknown][]) define(out, k, decodeJson(x));
        return out;
      }
      default:
        break;
    }
  }
  const out: Record<string, unknown> = {};
  for (const n of names) define(out, n, decodeJson(record[n]));
  return out;
}

function define(target: Record<string, unknown>, name: string, value: unknown): void {
  Object.defineProperty(target, name, { value, enumerable: true, writable: true, configurable: true });
}
