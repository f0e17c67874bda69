import { TimeWindow } from './time-window.js';
import { checkedOffset, positiveSize } from './window-arguments.js';
import { WindowAssigner } from './window-assigner.js';
import type { WindowClock } from './window-clock.js';

/**
 * The common part of tumbling windows: fixed-size, non-overlapping windows aligned to `offset` (every record
 * lands in exactly one). `TumblingEventTimeWindows` places records by their timestamp,
 * `TumblingProcessingTimeWindows` by the clock.
 *
 * @example
 * ```ts
 * const w = TumblingEventTimeWindows.of(60_000);
 * w.size; // 60_000
 * ```
 */
export abstract class TumblingWindows extends WindowAssigner<TimeWindow> {
  protected constructor(
    readonly size: number,
    readonly offset: number,
    call: string,
  ) {
    super();
    positiveSize(call, 'size', size, 'ms');
    checkedOffset(call, offset, size);
  }

  /** The time that places a record: its timestamp in event time, the clock in processing time. */
  protected abstract timeOf(timestamp: number, clock: WindowClock): number;

  assign(timestamp: number, clock: WindowClock, out: number[]): number {
    const start = TimeWindow.startOf(this.timeOf(timestamp, clock), this.offset, this.size);
    out[0] = start;
    out[1] = start + this.size;
    return 1;
  }

  window(start: number, end: number): TimeWindow {
    return new TimeWindow(start, end);
  }
}
