import type { Window } from './window.js';

/**
 * A window over `[start, end)` in milliseconds (Flink's `TimeWindow`). Results of the window carry the timestamp
 * `maxTimestamp() = end - 1`.
 *
 * @example
 * ```ts
 * const w = new TimeWindow(0, 10);
 * w.maxTimestamp();                      // 9
 * w.intersects(new TimeWindow(10, 20)); // true: touching windows merge, as in Flink
 * w.cover(new TimeWindow(5, 15));        // TimeWindow(0, 15)
 * ```
 */
export class TimeWindow implements Window {
  constructor(
    readonly start: number,
    readonly end: number,
  ) {}

  maxTimestamp(): number {
    return this.end - 1;
  }

  /** Whether the two windows overlap or touch (`start ≤ other.end && end ≥ other.start`), Flink's rule for merging. */
  intersects(other: Window): boolean {
    return this.start <= other.end && this.end >= other.start;
  }

  /** The smallest window holding both. */
  cover(other: Window): TimeWindow {
    return new TimeWindow(Math.min(this.start, other.start), Math.max(this.end, other.end));
  }

  /**
   * The start of the window of length `size` (aligned to `offset`) that holds `timestamp`.
   *
   * @example
   * ```ts
   * TimeWindow.startOf(25, 0, 10);  // 20
   * TimeWindow.startOf(-5, 0, 10);  // -10
   * TimeWindow.startOf(25, 3, 10);  // 23
   * ```
   */
  static startOf(timestamp: number, offset: number, size: number): number {
    const remainder = (timestamp - offset) % size;
    return remainder < 0 ? timestamp - (remainder + size) : timestamp - remainder;
  }
}
