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

/**
 * Measures how long a source has held the event loop, across calls: a source re-entered from microtasks (a
 * downstream Promise settling at once) must still yield every {@link SLICE_MS} ms, so its slice starts when it
 * last got the event loop back, not when it was last called.
 *
 * @example
 * ```ts
 * const slice = new SliceClock(scheduler);
 * if (slice.tick()) { later.request(0); return; } // after each record; slice.restart() when `later` runs
 * ```
 */
export class SliceClock {
  private start: number;
  private count = 0;

  constructor(private readonly scheduler: SchedulerLike) {
    this.start = scheduler.now();
  }

  /** Starts a new slice: call it when the source runs again after yielding. */
  restart(): void {
    this.start = this.scheduler.now();
    this.count = 0;
  }

  /** Records the source may emit before the next look at the clock (what `tick` counts up to). */
  room(): number {
    return SLICE_CHECK_EVERY - this.count;
  }

  /**
   * Counts `records` records (one by default, at most {@link room}); true when the source has run a whole
   * slice and must yield now.
   */
  tick(records = 1): boolean {
    if ((this.count += records) < SLICE_CHECK_EVERY) return false;
    this.count = 0;
    return sliceOver(this.scheduler, this.start);
  }
}
