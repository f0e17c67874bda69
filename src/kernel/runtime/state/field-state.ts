import { decodeJson, encodeJson, OMITTED, type JsonData } from './json-codec.js';

/** JSON-compatible data: what a function's captured fields become. */
export type JsonValue = JsonData;

/**
 * Captures an object's own plain-data fields (primitives, plain objects, arrays, Map, Set, Date) as
 * JSON-compatible data; `ctx`, names starting with `_`, functions and class instances are not captured.
 * {@link restoreFields} rebuilds Maps, Sets and Dates.
 *
 * @example
 * ```ts
 * captureFields({ count: 2, seen: new Set(['a']) }); // { count: 2, seen: { $s: ['a'] } }
 * ```
 */
export function captureFields(target: object): Record<string, JsonValue> {
  const out: Record<string, JsonValue> = {};
  for (const name of Object.keys(target)) {
    if (name === 'ctx' || name.startsWith('_')) continue;
    const value: unknown = (target as Record<string, unknown>)[name];
    const encoded = encodeJson(value, 'omit');
    if (encoded === OMITTED) continue;
    Object.defineProperty(out, name, {
      value: encoded,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return out;
}

/**
 * Writes fields captured by {@link captureFields} back into an object. A field that currently holds a class
 * instance or a function is never overwritten; a `__proto__` entry is plain data, never a prototype.
 *
 * @example
 * ```ts
 * restoreFields(fn, { count: 2 });
 * ```
 */
export function restoreFields(target: object, state: unknown): void {
  if (state === null || typeof state !== 'object' || Array.isArray(state)) return;
  const fields = target as Record<string, unknown>;
  for (const name of Object.keys(state)) {
    if (name === 'ctx' || name.startsWith('_')) continue;
    const current = Object.prototype.hasOwnProperty.call(fields, name) ? fields[name] : undefined;
    if (!isPlainData(current)) continue;
    Object.defineProperty(target, name, {
      value: decodeJson((state as Record<string, unknown>)[name]),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
}

/**
 * Whether `value` is plain data a function's state may hold (a primitive, a plain object, an array, a Map, a
 * Set or a Date), not a class instance, a function or a symbol.
 *
 * @example
 * ```ts
 * isPlainData(new Map()); // true
 * isPlainData(new (class Point {})()); // false
 * ```
 */
export function isPlainData(value: unknown): boolean {
  if (typeof value === 'function' || typeof value === 'symbol') return false;
  if (value === null || typeof value !== 'object') return true;
  if (Array.isArray(value) || value instanceof Map || value instanceof Set || value instanceof Date)
    return true;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}
