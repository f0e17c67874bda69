import type { SchedulerLike } from 'rxjs';

/** Records a synchronous source emits between two looks at the clock. */
export const SLICE_CHECK_EVERY = 256;

/** Longest stretch (ms) a synchronous source runs before it yields to the event loop. */
export const SLICE_MS = 8;

/**
 * True when a source that started its slice at `start` should yield now. Uses the scheduler's clock, so a
 * source never yields in virtual time (time does not pass while it runs).
 *
 * @example
 * ```ts
 * if (++n % SLICE_CHECK_EVERY === 0 && sliceOver(scheduler, start)) { later.request(0); return; }
 * ```
 */
export function sliceOver(scheduler: SchedulerLike, start: number): boolean {
  return scheduler.now() - start >= SLICE_MS;
}
