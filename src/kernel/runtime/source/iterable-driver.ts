import type { OperatorRuntime } from '../operator-runtime.js';
import type { SourceControl, SourceDriver } from '../operator-spec.js';
import { ScheduledWork } from '../task/scheduled-work.js';
import { SliceClock } from './slice.js';

/**
 * Pulls a synchronous Iterable one record at a time, only while the instance is ready (backpressure), and
 * yields to the event loop every few milliseconds so that control calls get through.
 *
 * @example
 * ```ts
 * const driver = new IterableDriver(rt, control, [1, 2, 3]);
 * driver.start();
 * ```
 */
export class IterableDriver implements SourceDriver {
  private iterator: Iterator<unknown> | undefined;
  private pumping = false;
  /** A yield to the event loop is pending: pulling waits for it. */
  private yielding = false;
  private readonly later: ScheduledWork;
  private readonly slice: SliceClock;

  constructor(
    private readonly rt: OperatorRuntime,
    private readonly control: SourceControl,
    private readonly iterable: Iterable<unknown>,
  ) {
    this.slice = new SliceClock(rt.ctx.scheduler);
    this.later = new ScheduledWork(rt.ctx.scheduler, rt.subscription, () => {
      this.yielding = false;
      this.slice.restart();
      this.pump();
    });
  }

  start(): void {
    try {
      this.iterator = this.iterable[Symbol.iterator]();
    } catch (e) {
      this.fail(e);
      return;
    }
    const iterator = this.iterator;
    this.rt.subscription.add(() => {
      if (typeof iterator.return === 'function') iterator.return();
    });
    this.pump();
  }

  resume(): void {
    this.pump();
  }

  private pump(): void {
    const iterator = this.iterator;
    if (this.pumping || this.yielding || iterator === undefined) return;
    this.pumping = true;
    const control = this.control;
    try {
      while (control.ready()) {
        let r: IteratorResult<unknown>;
        try {
          r = iterator.next();
        } catch (e) {
          this.fail(e);
          return;
        }
        if (r.done === true) {
          this.iterator = undefined;
          control.end();
          return;
        }
        control.emit(r.value);
        if (this.slice.tick()) {
          this.yielding = true;
          this.later.request(0);
          return;
        }
      }
    } finally {
      this.pumping = false;
    }
  }

  private fail(error: unknown): void {
    this.iterator = undefined;
    this.rt.error(error);
    this.control.end();
  }
}
