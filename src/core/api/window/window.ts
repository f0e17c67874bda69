/**
 * A window of a windowed stream: the records whose time falls in `[start, end)`. Time windows have finite
 * bounds; the global window spans all time.
 *
 * @example
 * ```ts
 * const w: Window = new TimeWindow(0, 60_000);
 * w.maxTimestamp(); // 59_999: the timestamp a result of this window carries
 * ```
 */
export interface Window {
  /** The first instant of the window (inclusive). */
  readonly start: number;
  /** The end of the window (exclusive). */
  readonly end: number;
  /** The largest timestamp that still belongs to the window: `end - 1`. */
  maxTimestamp(): number;
}
