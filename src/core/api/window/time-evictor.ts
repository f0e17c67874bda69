import { Evictor } from './evictor.js';
import type { EvictorContext } from './evictor-context.js';
import type { Window } from './window.js';
import { removeWhere } from './remove-where.js';
import type { TimestampedValue } from './timestamped-value.js';
import { positiveSize } from './window-arguments.js';

/**
 * Keeps the records of the last `windowSize` ms of a window, measured back from its newest record: a record
 * with `timestamp ≤ newest - windowSize` is removed (Flink's `TimeEvictor`).
 *
 * @example
 * ```ts
 * keyed.window(GlobalWindows.create()).trigger(CountTrigger.of(1)).evictor(TimeEvictor.of(10_000)).reduce(sum);
 * // a sum over the last 10 s of records, updated on every record
 * ```
 */
export class TimeEvictor extends Evictor {
  private constructor(
    readonly windowSize: number,
    readonly doEvictAfter: boolean,
  ) {
    super();
  }

  /** Keeps the records less than `windowSize` ms (> 0) older than the newest. */
  static of(windowSize: number, doEvictAfter = false): TimeEvictor {
    positiveSize('TimeEvictor.of', 'window size', windowSize, 'ms');
    return new TimeEvictor(windowSize, doEvictAfter);
  }

  evictBefore(elements: TimestampedValue<unknown>[], _window: Window, _ctx: EvictorContext): void {
    if (!this.doEvictAfter) this.evict(elements);
  }

  evictAfter(elements: TimestampedValue<unknown>[], _window: Window, _ctx: EvictorContext): void {
    if (this.doEvictAfter) this.evict(elements);
  }

  private evict(elements: TimestampedValue<unknown>[]): void {
    if (elements.length === 0 || !Number.isFinite(elements[0]?.timestamp)) return;
    let newest = Number.NEGATIVE_INFINITY;
    for (const e of elements) newest = Math.max(newest, e.timestamp);
    const cutoff = newest - this.windowSize;
    removeWhere(elements, (e) => e.timestamp <= cutoff);
  }
}
