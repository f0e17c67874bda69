import type { Observable } from 'rxjs';
import { BaseFunction } from './base-function.js';

/** What a map function may return: a value, `undefined` (drop), a Promise, or an Observable (flattened). */
export type MapResult<R> = R | undefined | PromiseLike<R | undefined> | Observable<R>;

/**
 * A 1 → 1 transformation. Return the new record, `undefined` to drop it, or a Promise / Observable of it.
 *
 * @example
 * ```ts
 * class Scale extends MapFunction<number, number> {
 *   constructor(private readonly factor: number) { super(); }
 *   execute(x: number) { return x * this.factor; }
 * }
 * env.fromBatch([1, 2]).map(Scale, { args: [10] });
 * ```
 */
export abstract class MapFunction<I, O> extends BaseFunction {
  abstract execute(data: I): MapResult<O>;
}
