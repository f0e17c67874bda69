import { freeze } from 'immer';

/** JSON-compatible data: what a function's captured fields become. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/**
 * Captures an object's public fields (own enumerable properties whose names do not start with `_`, except
 * `ctx` and functions) as frozen JSON-compatible data. Maps, Sets and Dates are encoded so that
 * {@link restoreFields} can rebuild them.
 *
 * @example
 * ```ts
 * captureFields({ count: 2, seen: new Set(['a']) }); // { count: 2, seen: { $set: ['a'] } }
 * ```
 */
export function captureFields(target: object): Record<string, JsonValue> {
  const out: Record<string, JsonValue> = {};
  for (const [name, value] of Object.entries(target)) {
    if (name === 'ctx' || name.startsWith('_') || typeof value === 'function') continue;
    const encoded = encode(value);
    if (encoded !== undefined) out[name] = encoded;
  }
  return freeze(out, true);
}

/**
 * Writes fields captured by {@link captureFields} back into an object, rebuilding Maps, Sets and Dates.
 *
 * @example
 * ```ts
 * restoreFields(fn, { count: 2 });
 * ```
 */
export function restoreFields(target: object, state: Readonly<Record<string, unknown>>): void {
  for (const [name, value] of Object.entries(state)) {
    (target as Record<string, unknown>)[name] = decode(value);
  }
}

function encode(value: unknown): JsonValue | undefined {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value !== 'object') return undefined;
  if (value instanceof Map) {
    return { $map: [...value.entries()].map(([k, v]) => [encode(k) ?? null, encode(v) ?? null]) };
  }
  if (value instanceof Set) return { $set: [...value].map((v) => encode(v) ?? null) };
  if (value instanceof Date) return { $date: value.toISOString() };
  if (Array.isArray(value)) return value.map((v: unknown) => encode(v) ?? null);
  const out: Record<string, JsonValue> = {};
  for (const [k, v] of Object.entries(value)) {
    const e = encode(v);
    if (e !== undefined) out[k] = e;
  }
  return out;
}

function decode(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(decode);
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record);
  if (keys.length === 1) {
    if (Array.isArray(record.$map)) {
      return new Map((record.$map as [unknown, unknown][]).map(([k, v]) => [decode(k), decode(v)]));
    }
    if (Array.isArray(record.$set)) return new Set((record.$set as unknown[]).map(decode));
    if (typeof record.$date === 'string') return new Date(record.$date);
  }
  const out: Record<string, unknown> = {};
  for (const k of keys) out[k] = decode(record[k]);
  return out;
}
