import { InvalidWindowSlideError } from '../../../errors/invalid-window-slide-error.js';
import { TimeWindow } from './time-window.js';
import { checkedOffset, positiveSize } from './window-arguments.js';
import { WindowAssigner } from './window-assigner.js';
import type { WindowClock } from './window-clock.js';

/**
 * The common part of sliding windows: windows of `size` starting every `slide` (so a record lands in about
 * `size / slide` windows), aligned to `offset`. The latest window comes first. As in Flink, the slide may be
 * larger than the size (sampling windows): a record that falls between two windows is in none.
 *
 * @example
 * ```ts
 * const w = SlidingEventTimeWindows.of(60_000, 10_000); // a minute, every 10 s
 * ```
 */
export abstract class SlidingWindows extends WindowAssigner<TimeWindow> {
  protected constructor(
    readonly size: number,
    readonly slide: number,
    readonly offset: number,
    call: string,
  ) {
    super();
    positiveSize(call, 'size', size, 'ms');
    if (!(Number.isFinite(slide) && slide > 0)) {
      throw new InvalidWindowSlideError(
        `${call} needs a slide > 0 ms, got ${String(slide)}: pass how often a new window starts, in milliseconds`,
      );
    }
    checkedOffset(call, offset, slide);
  }

  /** The time that places a record: its timestamp in event time, the clock in processing time. */
  protected abstract timeOf(timestamp: number, clock: WindowClock): number;

  assign(timestamp: number, clock: WindowClock, out: number[]): number {
    const time = this.timeOf(timestamp, clock);
    let n = 0;
    for (
      let start = TimeWindow.startOf(time, this.offset, this.slide);
      start > time - this.size;
      start -= this.slide
    ) {
      out[2 * n] = start;
      out[2 * n + 1] = start + this.size;
      n++;
    }
    return n;
  }

  window(start: number, end: number): TimeWindow {
    return new TimeWindow(start, end);
  }
}
