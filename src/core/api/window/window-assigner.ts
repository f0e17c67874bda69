import type { Trigger } from './trigger.js';
import type { Window } from './window.js';
import type { WindowClock } from './window-clock.js';

/**
 * Places each record in zero or more windows (Flink's `WindowAssigner`). The engine calls `assign`, which writes
 * the windows' bounds as numbers so that placing a record allocates nothing; `assignWindows` gives the same
 * windows as objects.
 *
 * @example
 * ```ts
 * const assigner = SlidingEventTimeWindows.of(10, 5);
 * assigner.assignWindows(12, clock); // [TimeWindow(10, 20), TimeWindow(5, 15)]
 * ```
 */
export abstract class WindowAssigner<W extends Window = Window> {
  /**
   * Writes the `[start, end)` pairs of the windows of a record with `timestamp` into `out` (start at `2i`, end at
   * `2i + 1`) and returns how many windows there are.
   */
  abstract assign(timestamp: number, clock: WindowClock, out: number[]): number;

  /** Whether windows follow event time (the watermark) rather than processing time. */
  abstract isEventTime(): boolean;

  /** The trigger used unless `.trigger(t)` sets another. */
  abstract defaultTrigger(): Trigger;

  /** The window object with these bounds, as window functions see it. */
  abstract window(start: number, end: number): W;

  /** Whether windows merge (session windows). */
  isMerging(): boolean {
    return false;
  }

  /** The windows of a record with `timestamp`, as objects. */
  assignWindows(timestamp: number, clock: WindowClock): W[] {
    const out: number[] = [];
    const n = this.assign(timestamp, clock, out);
    const windows: W[] = [];
    for (let i = 0; i < n; i++) windows.push(this.window(out[2 * i] ?? 0, out[2 * i + 1] ?? 0));
    return windows;
  }
}
