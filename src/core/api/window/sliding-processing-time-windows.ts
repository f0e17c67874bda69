import { ProcessingTimeTrigger } from './processing-time-trigger.js';
import { SlidingWindows } from './sliding-windows.js';
import type { Trigger } from './trigger.js';
import type { WindowClock } from './window-clock.js';

/**
 * Sliding windows in processing time: windows of `size` ms starting every `slide` ms of the scheduler's clock
 * (Flink's `SlidingProcessingTimeWindows`).
 *
 * @example
 * ```ts
 * keyed.window(SlidingProcessingTimeWindows.of(10_000, 1_000)).aggregate(average);
 * ```
 */
export class SlidingProcessingTimeWindows extends SlidingWindows {
  private constructor(size: number, slide: number, offset: number) {
    super(size, slide, offset, 'SlidingProcessingTimeWindows.of');
  }

  /** Windows of `size` ms every `slide` ms (`slide > 0`; a slide larger than the size leaves gaps, as in Flink), shifted by `offset` (`|offset| < slide`). */
  static of(size: number, slide: number, offset = 0): SlidingProcessingTimeWindows {
    return new SlidingProcessingTimeWindows(size, slide, offset);
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
