/**
 * Time and timers of a process function (`this.ctx.timerService`, Flink's `TimerService`). Processing time is
 * the job scheduler's `now()` (virtual under `TestScheduler.run`); event time advances with the watermarks.
 * Timers are keyed: set for the current key, deduplicated per key and time, and `onTimer(time)` runs with that
 * key in context. They are keyed state (in checkpoints, moving with their key group). In a function on a
 * stream that is not hash-keyed, registering or deleting a timer throws UnkeyedTimerError.
 *
 * @example
 * ```ts
 * class Timeout extends KeyedProcessFunction<string, Reading, string> {
 *   processElement(r: Reading) {
 *     this.ctx.timerService.registerProcessingTimeTimer(this.ctx.timerService.currentProcessingTime() + 1_000);
 *   }
 *   onTimer(time: number) { return `${String(this.ctx.getKey())} silent since ${time - 1_000}`; }
 * }
 * ```
 */
export interface TimerService {
  /** The job scheduler's time now, in ms. */
  currentProcessingTime(): number;
  /** The last watermark that reached this operator (`-Infinity` before the first). */
  currentWatermark(): number;
  /** Calls `onTimer(time)` for the current key once the watermark reached `time`. */
  registerEventTimeTimer(time: number): void;
  /** Calls `onTimer(time)` for the current key once the scheduler's time reached `time`. */
  registerProcessingTimeTimer(time: number): void;
  /** Forgets the current key's event-time timer at `time`, if any. */
  deleteEventTimeTimer(time: number): void;
  /** Forgets the current key's processing-time timer at `time`, if any. */
  deleteProcessingTimeTimer(time: number): void;
}
