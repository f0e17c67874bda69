import { positiveSize } from './window-arguments.js';
import type { OnMergeContext } from './on-merge-context.js';
import { Trigger } from './trigger.js';
import type { TriggerContext } from './trigger-context.js';
import type { TriggerResult } from './trigger-result.js';
import type { Window } from './window.js';

/**
 * Fires a window every `count` records (Flink's `CountTrigger`); the count is per window and merges by sum.
 *
 * @example
 * ```ts
 * keyed.window(GlobalWindows.create()).trigger(CountTrigger.of(100)).reduce((a, b) => a + b);
 * ```
 */
export class CountTrigger extends Trigger<unknown, Window, number> {
  private constructor(readonly count: number) {
    super();
  }

  /** Fires every `count` records (`count` ≥ 1, an integer). */
  static of(count: number): CountTrigger {
    positiveSize('CountTrigger.of', 'count', count, 'records');
    return new CountTrigger(Math.ceil(count));
  }

  onElement(
    _element: unknown,
    _timestamp: number,
    _window: Window,
    ctx: TriggerContext<number>,
  ): TriggerResult {
    const n = (ctx.getState() ?? 0) + 1;
    if (n >= this.count) {
      ctx.setState(undefined);
      return 'FIRE';
    }
    ctx.setState(n);
    return 'CONTINUE';
  }

  override canMerge(): boolean {
    return true;
  }

  override onMerge(_window: Window, ctx: OnMergeContext<number>): void {
    let n = 0;
    for (const s of ctx.mergedStates()) n += s ?? 0;
    ctx.setState(n === 0 ? undefined : n);
  }
}
