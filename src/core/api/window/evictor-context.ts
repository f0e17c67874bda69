/**
 * The clocks an evictor may read (Flink's `Evictor.EvictorContext`).
 *
 * @example
 * ```ts
 * evictBefore(elements: TimestampedValue<number>[], _w: Window, ctx: EvictorContext) {
 *   const cutoff = ctx.currentWatermark() - 1_000;
 *   removeWhere(elements, (e) => e.timestamp < cutoff);
 * }
 * ```
 */
export interface EvictorContext {
  currentWatermark(): number;
  currentProcessingTime(): number;
}
