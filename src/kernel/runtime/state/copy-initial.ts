import { isPlainData } from './field-state.js';

/**
 * A fresh copy of a value state's initial value, so that each key without a value gets its own (as Flink's
 * `ValueStateDescriptor` copies its default value): changing the object `get()` returned for one key, then
 * storing it, never changes what another key gets. Primitives are returned as they are; plain data (plain
 * objects, arrays, Map, Set, Date, nested) is deep-copied; anything else (a class instance, a function) is
 * returned as given, since a copy would lose its class.
 *
 * @example
 * ```ts
 * const initial = { sum: 0 };
 * copyInitial(initial) === initial;                       // false
 * copyInitial(initial);                                   // { sum: 0 }
 * ```
 */
export function copyInitial<T>(initial: T): T {
  if (typeof initial !== 'object' || initial === null || !isPlainData(initial)) return initial;
  try {
    return structuredClone(initial);
  } catch {
    // Plain data holding something structuredClone refuses (a function, a symbol): kept as given.
    return initial;
  }
}
