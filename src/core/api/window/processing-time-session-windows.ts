import { ProcessingTimeTrigger } from './processing-time-trigger.js';
import { SessionWindows } from './session-windows.js';
import type { Trigger } from './trigger.js';
import type { WindowClock } from './window-clock.js';

/**
 * Session windows in processing time: a session lasts while records arrive less than `gap` ms apart on the
 * scheduler's clock (Flink's `ProcessingTimeSessionWindows`).
 *
 * @example
 * ```ts
 * keyed.window(ProcessingTimeSessionWindows.withGap(5_000)).reduce((a, b) => a + b);
 * ```
 */
export class ProcessingTimeSessionWindows extends SessionWindows {
  private constructor(gap: number) {
    super(gap, 'ProcessingTimeSessionWindows.withGap');
  }

  /** Sessions that end after `gap` ms (> 0) without records. */
  static withGap(gap: number): ProcessingTimeSessionWindows {
    return new ProcessingTimeSessionWindows(gap);
  }

  protected timeOf(_timestamp: number, clock: WindowClock): number {
    return clock.currentProcessingTime();
  }

  isEventTime(): boolean {
    return false;
  }

  defaultTrigger(): Trigger {
    return ProcessingTimeTrigger.create();
  }
}
