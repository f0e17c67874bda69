/**
 * An incremental aggregation (Flink's `AggregateFunction`): values are folded into an accumulator, and the
 * result is read from it. `merge` combines two accumulators (session windows need it).
 *
 * @example
 * ```ts
 * const average: AggregateFunction<number, [number, number], number> = {
 *   createAccumulator: () => [0, 0],
 *   add: (v, [sum, n]) => [sum + v, n + 1],
 *   getResult: ([sum, n]) => sum / n,
 *   merge: ([s1, n1], [s2, n2]) => [s1 + s2, n1 + n2],
 * };
 * ```
 */
export interface AggregateFunction<IN, ACC, OUT> {
  createAccumulator(): ACC;
  add(value: IN, accumulator: ACC): ACC;
  getResult(accumulator: ACC): OUT;
  merge?(a: ACC, b: ACC): ACC;
}
