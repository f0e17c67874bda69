import type { OperatorRuntime } from '../operator-runtime.js';
import type { SourceControl, SourceDriver } from '../operator-spec.js';
import { ScheduledWork } from '../task/scheduled-work.js';
import { SliceClock } from './slice.js';

/**
 * The pull loop shared by synchronous sources: records are pulled one at a time, only while the instance is
 * ready (backpressure), and the loop yields to the event loop every few milliseconds (on the job's
 * scheduler) so that control calls and timers get through. Subclasses say how to pull one record.
 *
 * @example
 * ```ts
 * class CountDown extends SyncPullDriver {
 *   private n = 3;
 *   start() { this.pump(); }
 *   protected pullOne() {
 *     if (this.n === 0) { this.finish(); return false; }
 *     this.control.emit(this.n--);
 *     return true;
 *   }
 * }
 * ```
 */
export abstract class SyncPullDriver implements SourceDriver {
  /** True once the source has ended (exhausted or failed). */
  protected ended = false;
  private pumping = false;
  /** A yield to the event loop is pending: pulling waits for it. */
  private yielding = false;
  private readonly later: ScheduledWork;
  private readonly slice: SliceClock;

  constructor(
    protected readonly rt: OperatorRuntime,
    protected readonly control: SourceControl,
  ) {
    this.slice = new SliceClock(rt.ctx.scheduler);
    this.later = new ScheduledWork(rt.ctx.scheduler, rt.subscription, () => {
      this.yielding = false;
      this.slice.restart();
      this.pump();
    });
  }

  abstract start(): void;

  resume(): void {
    this.pump();
  }

  /** Emits the next record; returns false (after `finish` or `fail`) when there is none. */
  protected abstract pullOne(): boolean;

  /**
   * Emits up to `max` records (at least one) while the instance stays ready, and returns how many; -1 (after
   * `finish` or `fail`) when there was none left. By default: one record, with {@link pullOne}.
   */
  // eslint-disable-next-line @typescript-eslint/no-unused-vars -- one record is within any `max`
  protected pullSome(max: number): number {
    return this.pullOne() ? 1 : -1;
  }

  /** Pulls while the instance is ready, yielding when the time slice is over. */
  protected pump(): void {
    if (this.pumping || this.yielding || this.ended) return;
    this.pumping = true;
    const control = this.control;
    const slice = this.slice;
    try {
      while (control.ready()) {
        const pulled = this.pullSome(slice.room());
        if (pulled <= 0) return;
        if (slice.tick(pulled)) {
          this.yielding = true;
          this.later.request(0);
          return;
        }
      }
    } finally {
      this.pumping = false;
    }
  }

  /** The source is exhausted. */
  protected finish(): void {
    this.ended = true;
    this.control.end();
  }

  /** The source threw: applies the error policy and ends it. */
  protected fail(error: unknown): void {
    this.rt.error(error);
    this.finish();
  }
}
