import { InvalidSessionGapError } from '../../../errors/invalid-session-gap-error.js';
import { TimeWindow } from './time-window.js';
import { WindowAssigner } from './window-assigner.js';
import type { WindowClock } from './window-clock.js';

/**
 * The common part of session windows: each record opens `[time, time + gap)`, and windows that overlap or touch
 * merge into one session (Flink's `MergingWindowAssigner` with `TimeWindow.mergeWindows`).
 *
 * @example
 * ```ts
 * const sessions = EventTimeSessionWindows.withGap(30 * 60_000); // a session ends after 30 idle minutes
 * ```
 */
export abstract class SessionWindows extends WindowAssigner<TimeWindow> {
  protected constructor(
    readonly gap: number,
    call: string,
  ) {
    super();
    if (!(Number.isFinite(gap) && gap > 0)) {
      throw new InvalidSessionGapError(
        `${call} needs a gap > 0 ms, got ${String(gap)}: pass the idle time in milliseconds after which a session ends`,
      );
    }
  }

  /** The time that places a record: its timestamp in event time, the clock in processing time. */
  protected abstract timeOf(timestamp: number, clock: WindowClock): number;

  assign(timestamp: number, clock: WindowClock, out: number[]): number {
    const time = this.timeOf(timestamp, clock);
    out[0] = time;
    out[1] = time + this.gap;
    return 1;
  }

  window(start: number, end: number): TimeWindow {
    return new TimeWindow(start, end);
  }

  override isMerging(): boolean {
    return true;
  }
}
