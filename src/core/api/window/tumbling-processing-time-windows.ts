import { ProcessingTimeTrigger } from './processing-time-trigger.js';
import type { Trigger } from './trigger.js';
import { TumblingWindows } from './tumbling-windows.js';
import type { WindowClock } from './window-clock.js';

/**
 * Tumbling windows in processing time: a record lands in the window of the scheduler's clock when it arrives;
 * windows fire when the clock passes their end (Flink's `TumblingProcessingTimeWindows`).
 *
 * @example
 * ```ts
 * keyed.window(TumblingProcessingTimeWindows.of(1_000)).reduce((a, b) => a + b); // per second of arrival
 * ```
 */
export class TumblingProcessingTimeWindows extends TumblingWindows {
  private constructor(size: number, offset: number) {
    super(size, offset, 'TumblingProcessingTimeWindows.of');
  }

  /** Windows of `size` ms, shifted by `offset` ms (`|offset| < size`). */
  static of(size: number, offset = 0): TumblingProcessingTimeWindows {
    return new TumblingProcessingTimeWindows(size, offset);
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
