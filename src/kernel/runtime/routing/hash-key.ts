/**
 * A deterministic 32-bit hash of any key value: the same value always gives the same hash, in every
 * process and run. `0`, `''`, `false`, `null` and `undefined` are ordinary keys with hashes of their own.
 *
 * @example
 * ```ts
 * const instance = hashKey('user-42') % parallelism;
 * ```
 */
export function hashKey(key: unknown): number {
  switch (typeof key) {
    case 'number':
      if ((key | 0) === key) return mix(key ^ 0x5bd1e995);
      return hashString(`n:${String(key)}`);
    case 'string':
      return hashString(key);
    case 'boolean':
      return key ? 0x2f1b7a43 : 0x61c88647;
    case 'undefined':
      return 0x1b873593;
    case 'bigint':
      return hashString(`b:${key.toString()}`);
    case 'symbol':
      return hashString(`y:${key.description ?? ''}`);
    case 'function':
      return hashString(`f:${key.name}`);
    default:
      return key === null ? 0x3c6ef372 : hashString(`o:${stableJson(key as object)}`);
  }
}

function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  }
  return mix(h);
}

/** murmur3's finaliser: spreads close inputs over the whole 32-bit range. */
function mix(x: number): number {
  let h = x | 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

function stableJson(value: object): string {
  if (value instanceof Date) return `d:${value.toISOString()}`;
  if (Array.isArray(value)) return `[${value.map((v: unknown) => part(v)).join(',')}]`;
  const entries = Object.keys(value)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${part((value as Record<string, unknown>)[k])}`);
  return `{${entries.join(',')}}`;
}

function part(v: unknown): string {
  if (v !== null && typeof v === 'object') return stableJson(v);
  return typeof v === 'string' ? JSON.stringify(v) : `${typeof v}:${String(v)}`;
}
