import { BaseFunction } from './base-function.js';

/**
 * Keeps the records for which `execute` returns a truthy value (or a Promise of one).
 *
 * @example
 * ```ts
 * class Even extends FilterFunction<number> { execute(x: number) { return x % 2 === 0; } }
 * env.fromBatch([1, 2, 3, 4]).filter(Even);
 * ```
 */
export abstract class FilterFunction<T> extends BaseFunction {
  abstract execute(data: T): unknown;
}
