import type { BaseJoinFunction } from '../join-function.js';
import type { JoinCombiner } from './inner-hash-join.js';

/**
 * A join class of two inputs `L` and `R` whose constructor takes some leading arguments `P` and an optional
 * combiner that builds each output `O` (pairs `[L, R]` without one), as `InnerHashJoin` and `WindowedJoin` do.
 * `ConnectedStreams.join` uses it to type the output after the combiner, or as `[L, R]`.
 *
 * @example
 * ```ts
 * const Join: PairJoinClass<User, Order, string, []> = InnerHashJoin;
 * ```
 */
export type PairJoinClass<L, R, O, P extends unknown[]> = new (
  ...args: [...P, combine?: JoinCombiner<L, R, O>]
) => BaseJoinFunction<L | R, O>;

/**
 * Any join class, whatever its constructor takes.
 *
 * @example
 * ```ts
 * const Join: JoinClass = InnerHashJoin;
 * ```
 */
export type JoinClass = new (...args: never) => BaseJoinFunction<never>;
