import { normalizeKey, type NormalizedKey } from './key-encoding.js';

/**
 * A deterministic unsigned 32-bit hash of a key, the same in every process and run, and equal for keys that
 * are equal by value (see {@link normalizeKey}): `0` and `-0`, two `NaN`s, two Dates of the same time, two
 * objects of the same structure. Throws KeyEncodingError for a key that cannot be encoded.
 *
 * @example
 * ```ts
 * hashKey('user-42') === hashKey('user-42'); // true
 * ```
 */
export function hashKey(key: unknown): number {
  return hashNormalized(normalizeKey(key));
}

/**
 * The hash of a key already normalized with {@link normalizeKey}.
 *
 * @example
 * ```ts
 * hashNormalized(normalizeKey(key));
 * ```
 */
export function hashNormalized(key: NormalizedKey): number {
  switch (typeof key) {
    case 'string':
      return hashString(key);
    case 'number':
      if ((key | 0) === key) return mix(key ^ 0x5bd1e995);
      return key !== key ? 0x7ff80001 : hashString(`n${String(key)}`);
    case 'boolean':
      return key ? 0x2f1b7a43 : 0x61c88647;
    case 'bigint':
      return hashString(`b${key.toString()}`);
    case 'undefined':
      return 0x1b873593;
    default:
      return 0x3c6ef372;
  }
}

function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return mix(h);
}

/** murmur3's finaliser: spreads close inputs over the whole 32-bit range. */
function mix(x: number): number {
  let h = x | 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}
