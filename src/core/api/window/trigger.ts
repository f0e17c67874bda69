import { WindowMergeError } from '../../../errors/window-merge-error.js';
import type { OnMergeContext } from './on-merge-context.js';
import type { TriggerContext } from './trigger-context.js';
import type { TriggerResult } from './trigger-result.js';
import type { Window } from './window.js';

/**
 * Decides when a window fires and when its contents are purged (Flink's `Trigger`, camel-cased). A trigger
 * object is shared by every window of every key: keep per-window data in `ctx.getState()` / `ctx.setState()`,
 * never in fields. `onElement` is called for every record added to a window, `onEventTime` /
 * `onProcessingTime` when a timer the trigger registered for the window is due, `onMerge` when session windows
 * merge (only if `canMerge()` is true), and `clear` when the window is dropped.
 *
 * @example
 * ```ts
 * class EveryThird extends Trigger<unknown, Window, number> {
 *   onElement(_v: unknown, _t: number, _w: Window, ctx: TriggerContext<number>): TriggerResult {
 *     const n = (ctx.getState() ?? 0) + 1;
 *     ctx.setState(n % 3);
 *     return n === 3 ? 'FIRE' : 'CONTINUE';
 *   }
 * }
 * keyed.window(GlobalWindows.create()).trigger(new EveryThird()).reduce((a, b) => a + b);
 * ```
 */
export abstract class Trigger<T = unknown, W extends Window = Window, S = unknown> {
  /** Called for every record added to `window`. */
  abstract onElement(element: T, timestamp: number, window: W, ctx: TriggerContext<S>): TriggerResult;

  /** Called when an event-time timer of `window` is due. Default: `'CONTINUE'`. */
  onEventTime(_time: number, _window: W, _ctx: TriggerContext<S>): TriggerResult {
    return 'CONTINUE';
  }

  /** Called when a processing-time timer of `window` is due. Default: `'CONTINUE'`. */
  onProcessingTime(_time: number, _window: W, _ctx: TriggerContext<S>): TriggerResult {
    return 'CONTINUE';
  }

  /** Whether the trigger supports merging windows (session windows need it). Default: `false`. */
  canMerge(): boolean {
    return false;
  }

  /** Called when windows merged into `window`: set up the merged window's state and timers. */
  onMerge(_window: W, _ctx: OnMergeContext<S>): void {
    throw new WindowMergeError(
      `${this.constructor.name} does not support merging windows: implement canMerge() and onMerge() to use it with session windows`,
    );
  }

  /** Called when `window` is dropped: delete the timers the trigger set (its state is dropped by the engine). */
  clear(_window: W, _ctx: TriggerContext<S>): void {
    // nothing to delete by default
  }
}
