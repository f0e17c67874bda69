import { BaseFunction } from './base-function.js';

/**
 * Extracts the key of a record (synchronously). Equal keys (by value: `0`, `''` and `false` included) always
 * meet on the same instance at the next hop.
 *
 * @example
 * ```ts
 * class ByUser extends KeyByFunction<{ user: string }, string> { execute(r: { user: string }) { return r.user; } }
 * ```
 */
export abstract class KeyByFunction<T, K> extends BaseFunction {
  abstract execute(data: T): K;
}
