import type { TimerService } from '../api/time/timer-service.js';

/** The keyed timer service the window engine runs on: the runtime's own. */
export type { TimerService };

/**
 * What the window engine needs from the operator that runs it: the keyed timer service, and where results and
 * late records go. The engine keeps its window contents itself (per key, see `WindowOperator.snapshot`). Every
 * call into the engine (`processElement`, `onEventTime`, `onProcessingTime`) runs in the context of its key, so
 * the timers it registers belong to that key.
 *
 * @example
 * ```ts
 * const host: WindowHost<number> = {
 *   timers,
 *   emit: (value, timestamp) => out.push({ value, timestamp }),
 *   emitLate: (value, timestamp) => late.push({ value, timestamp }),
 * };
 * ```
 */
export interface WindowHost<OUT> {
  readonly timers: TimerService;
  /** A window's result, with its timestamp (`window.maxTimestamp()`). */
  emit(value: OUT, timestamp: number): void;
  /** A record no window accepts any more, with its timestamp (called only when the spec has a late side output). */
  emitLate(value: unknown, timestamp: number): void;
}
