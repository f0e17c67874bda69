import type { DeltaFunction } from './delta-function.js';
import { Trigger } from './trigger.js';
import type { TriggerContext } from './trigger-context.js';
import type { TriggerResult } from './trigger-result.js';
import type { Window } from './window.js';

/**
 * Fires when a record is more than `threshold` away (by `deltaFn`) from the record of the last firing; the first
 * record of a window is the starting point (Flink's `DeltaTrigger`). It does not merge.
 *
 * @example
 * ```ts
 * keyed.window(GlobalWindows.create())
 *   .trigger(DeltaTrigger.of(50, (a: Car, b: Car) => b.distance - a.distance))
 *   .reduce((a, b) => (a.speed > b.speed ? a : b));
 * ```
 */
export class DeltaTrigger<T> extends Trigger<T, Window, { readonly last: T }> {
  private constructor(
    readonly threshold: number,
    readonly deltaFn: DeltaFunction<T>,
  ) {
    super();
  }

  /** Fires when `deltaFn(lastFired, record) > threshold`. */
  static of<T>(threshold: number, deltaFn: DeltaFunction<T>): DeltaTrigger<T> {
    return new DeltaTrigger(threshold, deltaFn);
  }

  onElement(
    element: T,
    _timestamp: number,
    _window: Window,
    ctx: TriggerContext<{ readonly last: T }>,
  ): TriggerResult {
    const state = ctx.getState();
    if (state === undefined) {
      ctx.setState({ last: element });
      return 'CONTINUE';
    }
    if (this.deltaFn(state.last, element) > this.threshold) {
      ctx.setState({ last: element });
      return 'FIRE';
    }
    return 'CONTINUE';
  }
}
