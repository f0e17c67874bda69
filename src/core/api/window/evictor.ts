import type { EvictorContext } from './evictor-context.js';
import type { TimestampedValue } from './timestamped-value.js';
import type { Window } from './window.js';

/**
 * Removes records from a window when it fires, before and/or after the window function runs (Flink's
 * `Evictor`). The methods remove items from `elements` in place (what stays is kept in the window). A window
 * with an evictor keeps its records, not an accumulator.
 *
 * @example
 * ```ts
 * class KeepPositive extends Evictor<number> {
 *   evictBefore(elements: TimestampedValue<number>[]) { removeWhere(elements, (e) => e.value <= 0); }
 *   evictAfter() {}
 * }
 * ```
 */
export abstract class Evictor<T = unknown, W extends Window = Window> {
  /** Called before the window function with the window's records, oldest first. */
  abstract evictBefore(elements: TimestampedValue<T>[], window: W, ctx: EvictorContext): void;
  /** Called after the window function with the records that are left. */
  abstract evictAfter(elements: TimestampedValue<T>[], window: W, ctx: EvictorContext): void;
}
