/**
 * The clock a window assigner reads: processing-time assigners place a record by the current processing time.
 *
 * @example
 * ```ts
 * const clock: WindowClock = { currentProcessingTime: () => scheduler.now() };
 * ```
 */
export interface WindowClock {
  currentProcessingTime(): number;
}
