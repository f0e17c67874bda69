/**
 * The distance between two records, for `DeltaTrigger` and `DeltaEvictor` (Flink's `DeltaFunction`).
 *
 * @example
 * ```ts
 * const speedChange: DeltaFunction<Car> = (a, b) => Math.abs(a.speed - b.speed);
 * ```
 */
export type DeltaFunction<T> = (oldPoint: T, newPoint: T) => number;
