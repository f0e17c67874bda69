import { EventTimeTrigger } from './event-time-trigger.js';
import { SlidingWindows } from './sliding-windows.js';
import type { Trigger } from './trigger.js';
import { eventTimestamp } from './window-arguments.js';

/**
 * Sliding windows in event time: windows of `size` ms starting every `slide` ms, by each record's timestamp
 * (Flink's `SlidingEventTimeWindows`).
 *
 * @example
 * ```ts
 * keyed.window(SlidingEventTimeWindows.of(60_000, 10_000)).reduce((a, b) => Math.max(a, b));
 * ```
 */
export class SlidingEventTimeWindows extends SlidingWindows {
  private constructor(size: number, slide: number, offset: number) {
    super(size, slide, offset, 'SlidingEventTimeWindows.of');
  }

  /** Windows of `size` ms every `slide` ms (`slide > 0`; a slide larger than the size leaves gaps, as in Flink), shifted by `offset` (`|offset| < slide`). */
  static of(size: number, slide: number, offset = 0): SlidingEventTimeWindows {
    return new SlidingEventTimeWindows(size, slide, offset);
  }

  protected timeOf(timestamp: number): number {
    return eventTimestamp(timestamp, 'SlidingEventTimeWindows');
  }

  isEventTime(): boolean {
    return true;
  }

  defaultTrigger(): Trigger {
    return EventTimeTrigger.create();
  }
}
