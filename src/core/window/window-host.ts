import type { EvictorContext } from '../api/window/evictor-context.js';

/** The clocks the window engine reads: the watermark that reached its operator and the scheduler's time. */
export type WindowClocks = EvictorContext;

/**
 * What the window engine needs from the operator that runs it: its clocks, where results and late records go,
 * the key context of a timer's results, and a wake-up for processing-time timers. The engine keeps its window
 * contents and their timers itself (per key and window, see `WindowOperator.snapshot`); the operator tells it
 * when the watermark or the processing time advanced.
 *
 * @example
 * ```ts
 * const host: WindowHost<number> = {
 *   clocks,
 *   emit: (value, timestamp) => out.push({ value, timestamp }),
 *   emitLate: (value, timestamp) => late.push({ value, timestamp }),
 *   enterKey: (key) => (current = key),
 *   wakeUpAt: (time) => scheduler.schedule(() => op.advanceProcessingTime(time), time - scheduler.now()),
 * };
 * ```
 */
export interface WindowHost<OUT> {
  readonly clocks: WindowClocks;
  /** A window's result, with its timestamp (`window.maxTimestamp()`), in the context of the current key. */
  emit(value: OUT, timestamp: number): void;
  /** A record no window accepts any more, with its timestamp (called only when the spec has a late side output). */
  emitLate(value: unknown, timestamp: number): void;
  /** A timer of `key` (the key as the engine files it) fires: what follows runs in `key`'s context. */
  enterKey(key: unknown, time: number): void;
  /**
   * The earliest processing-time timer is now at `time`: call `advanceProcessingTime` once the scheduler's time
   * reached it (a later call may ask for an earlier time; an earlier wake-up that finds nothing due is harmless).
   */
  wakeUpAt(time: number): void;
  /** True when firing must stop for now (the job stopped): the due timers stay for the next advance. */
  halted(): boolean;
}
