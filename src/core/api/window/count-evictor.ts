import { Evictor } from './evictor.js';
import type { EvictorContext } from './evictor-context.js';
import type { Window } from './window.js';
import type { TimestampedValue } from './timestamped-value.js';
import { positiveSize } from './window-arguments.js';

/**
 * Keeps at most the last `maxCount` records of a window (Flink's `CountEvictor`), before the window function or,
 * with `doEvictAfter`, after it.
 *
 * @example
 * ```ts
 * keyed.window(GlobalWindows.create()).trigger(CountTrigger.of(1)).evictor(CountEvictor.of(5)).reduce(sum);
 * // a running sum over the last 5 records
 * ```
 */
export class CountEvictor extends Evictor {
  private constructor(
    readonly maxCount: number,
    readonly doEvictAfter: boolean,
  ) {
    super();
  }

  /** Keeps the last `maxCount` (≥ 1) records. */
  static of(maxCount: number, doEvictAfter = false): CountEvictor {
    positiveSize('CountEvictor.of', 'count', maxCount, 'records');
    return new CountEvictor(Math.ceil(maxCount), doEvictAfter);
  }

  evictBefore(elements: TimestampedValue<unknown>[], _window: Window, _ctx: EvictorContext): void {
    if (!this.doEvictAfter) this.evict(elements);
  }

  evictAfter(elements: TimestampedValue<unknown>[], _window: Window, _ctx: EvictorContext): void {
    if (this.doEvictAfter) this.evict(elements);
  }

  private evict(elements: TimestampedValue<unknown>[]): void {
    if (elements.length > this.maxCount) elements.splice(0, elements.length - this.maxCount);
  }
}
