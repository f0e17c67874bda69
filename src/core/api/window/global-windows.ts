import { GlobalWindow } from './global-window.js';
import { NeverTrigger } from './never-trigger.js';
import type { Trigger } from './trigger.js';
import { WindowAssigner } from './window-assigner.js';
import type { WindowClock } from './window-clock.js';

/**
 * One window per key that spans all time (Flink's `GlobalWindows`). Its default trigger never fires, and it does
 * not fire at the end of input: give it a trigger, e.g. `CountTrigger.of(n)` (which is what `countWindow` does).
 *
 * @example
 * ```ts
 * keyed.window(GlobalWindows.create()).trigger(CountTrigger.of(100)).reduce((a, b) => a + b);
 * ```
 */
export class GlobalWindows extends WindowAssigner<GlobalWindow> {
  private constructor() {
    super();
  }

  /** The global-windows assigner. */
  static create(): GlobalWindows {
    return new GlobalWindows();
  }

  assign(_timestamp: number, _clock: WindowClock, out: number[]): number {
    out[0] = Number.NEGATIVE_INFINITY;
    out[1] = Number.POSITIVE_INFINITY;
    return 1;
  }

  isEventTime(): boolean {
    return false;
  }

  defaultTrigger(): Trigger {
    return new NeverTrigger();
  }

  window(_start: number, _end: number): GlobalWindow {
    return GlobalWindow.get();
  }
}
