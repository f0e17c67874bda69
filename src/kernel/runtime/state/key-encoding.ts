/**
 * Encodes a key value as a string that is equal exactly when the keys are equal by value, so that keys of any
 * type (numbers, strings, booleans, null, undefined, plain objects) can index JSON-compatible state.
 * `1` and `'1'` stay distinct; `0`, `''` and `false` are ordinary keys.
 *
 * @example
 * ```ts
 * encodeKey(0);          // 'n:0'
 * encodeKey({ id: 1 });  // 'o:{"id":1}'
 * ```
 */
export function encodeKey(key: unknown): string {
  switch (typeof key) {
    case 'string':
      return `s:${key}`;
    case 'number':
      return `n:${String(key)}`;
    case 'boolean':
      return key ? 'b:true' : 'b:false';
    case 'undefined':
      return 'u';
    case 'bigint':
      return `i:${key.toString()}`;
    case 'symbol':
      return `y:${key.description ?? ''}`;
    case 'function':
      return `f:${key.name}`;
    default:
      return key === null ? 'null' : `o:${stableStringify(key as object)}`;
  }
}

/**
 * A key usable in a JavaScript Map with value semantics: primitives as they are, objects encoded.
 *
 * @example
 * ```ts
 * byKey.set(mapKey(record.id), record);
 * ```
 */
export function mapKey(key: unknown): unknown {
  return key !== null && typeof key === 'object' ? encodeKey(key) : key;
}

function stableStringify(value: object): string {
  if (Array.isArray(value)) return `[${value.map((v: unknown) => item(v)).join(',')}]`;
  const keys = Object.keys(value).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${item((value as Record<string, unknown>)[k])}`).join(',')}}`;
}

function item(v: unknown): string {
  if (v !== null && typeof v === 'object') return stableStringify(v);
  return v === undefined ? 'null' : JSON.stringify(v);
}
