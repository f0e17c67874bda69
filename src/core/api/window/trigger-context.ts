/**
 * What a trigger may do while it handles one window of one key (Flink's `Trigger.TriggerContext`): read the
 * clocks, set and delete timers for this window (a timer calls the trigger's `onEventTime` / `onProcessingTime`
 * back with the same window) and keep one state value of type `S` for this window. Timers and state are keyed
 * state: they are in checkpoints, and the engine drops them when the window is cleaned up.
 *
 * @example
 * ```ts
 * onElement(value: Click, timestamp: number, window: Window, ctx: TriggerContext<number>): TriggerResult {
 *   const n = (ctx.getState() ?? 0) + 1;
 *   ctx.setState(n);
 *   ctx.registerEventTimeTimer(window.maxTimestamp());
 *   return n >= 100 ? 'FIRE' : 'CONTINUE';
 * }
 * ```
 */
export interface TriggerContext<S = unknown> {
  /** The current event time (`-Infinity` before the first watermark). */
  currentWatermark(): number;
  /** The current processing time (the job scheduler's `now()`). */
  currentProcessingTime(): number;
  /** Calls `onEventTime(time, window)` once the watermark reaches `time` (one timer per window and time). */
  registerEventTimeTimer(time: number): void;
  /** Calls `onProcessingTime(time, window)` once the processing time reaches `time`. */
  registerProcessingTimeTimer(time: number): void;
  deleteEventTimeTimer(time: number): void;
  deleteProcessingTimeTimer(time: number): void;
  /** This window's trigger state, `undefined` until set. */
  getState(): S | undefined;
  /** Sets this window's trigger state (`undefined` clears it). */
  setState(state: S | undefined): void;
}
