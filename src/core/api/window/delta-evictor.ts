import type { DeltaFunction } from './delta-function.js';
import { Evictor } from './evictor.js';
import type { EvictorContext } from './evictor-context.js';
import type { Window } from './window.js';
import { removeWhere } from './remove-where.js';
import type { TimestampedValue } from './timestamped-value.js';

/**
 * Removes the records whose distance (by `deltaFn`) to the window's newest record is at least `threshold`
 * (Flink's `DeltaEvictor`).
 *
 * @example
 * ```ts
 * keyed.window(GlobalWindows.create()).trigger(CountTrigger.of(10))
 *   .evictor(DeltaEvictor.of(5, (a: number, b: number) => Math.abs(a - b)))
 *   .reduce(sum);
 * ```
 */
export class DeltaEvictor<T> extends Evictor<T> {
  private constructor(
    readonly threshold: number,
    readonly deltaFn: DeltaFunction<T>,
    readonly doEvictAfter: boolean,
  ) {
    super();
  }

  /** Removes records with `deltaFn(record, newest) ≥ threshold`. */
  static of<T>(threshold: number, deltaFn: DeltaFunction<T>, doEvictAfter = false): DeltaEvictor<T> {
    return new DeltaEvictor(threshold, deltaFn, doEvictAfter);
  }

  evictBefore(elements: TimestampedValue<T>[], _window: Window, _ctx: EvictorContext): void {
    if (!this.doEvictAfter) this.evict(elements);
  }

  evictAfter(elements: TimestampedValue<T>[], _window: Window, _ctx: EvictorContext): void {
    if (this.doEvictAfter) this.evict(elements);
  }

  private evict(elements: TimestampedValue<T>[]): void {
    const last = elements[elements.length - 1];
    if (last === undefined) return;
    removeWhere(elements, (e) => this.deltaFn(e.value, last.value) >= this.threshold);
  }
}
