import { EventTimeTrigger } from './event-time-trigger.js';
import type { Trigger } from './trigger.js';
import { TumblingWindows } from './tumbling-windows.js';
import { eventTimestamp } from './window-arguments.js';

/**
 * Tumbling windows in event time: `[k·size + offset, (k+1)·size + offset)`, by each record's timestamp; they fire
 * when the watermark passes their end (Flink's `TumblingEventTimeWindows`).
 *
 * @example
 * ```ts
 * keyed.window(TumblingEventTimeWindows.of(3_600_000)).aggregate(countSales); // hourly
 * TumblingEventTimeWindows.of(86_400_000, -8 * 3_600_000);                     // days in UTC+8
 * ```
 */
export class TumblingEventTimeWindows extends TumblingWindows {
  private constructor(size: number, offset: number) {
    super(size, offset, 'TumblingEventTimeWindows.of');
  }

  /** Windows of `size` ms, shifted by `offset` ms (`|offset| < size`). */
  static of(size: number, offset = 0): TumblingEventTimeWindows {
    return new TumblingEventTimeWindows(size, offset);
  }

  protected timeOf(timestamp: number): number {
    return eventTimestamp(timestamp, 'TumblingEventTimeWindows');
  }

  isEventTime(): boolean {
    return true;
  }

  defaultTrigger(): Trigger {
    return EventTimeTrigger.create();
  }
}
