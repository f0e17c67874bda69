/**
 * The incremental part of `reduce` and `aggregate`: how a record is folded into an accumulator (`acc` is
 * `undefined`-free: the engine passes `first` for an empty window), how two accumulators merge and what an
 * accumulator gives.
 *
 * @example
 * ```ts
 * const sum: Accumulator<number, number, number> = {
 *   first: (v) => v, add: (acc, v) => acc + v, merge: (a, b) => a + b, result: (acc) => acc,
 * };
 * ```
 */
export interface Accumulator<IN, ACC, R> {
  /** The accumulator of a window after its first record. */
  first(value: IN): ACC;
  add(acc: ACC, value: IN): ACC;
  merge(a: ACC, b: ACC): ACC;
  result(acc: ACC): R;
}
