import type { OperatorRuntime } from '../operator-runtime.js';
import type { SourceControl, SourceDriver } from '../operator-spec.js';
import { ScheduledWork } from '../task/scheduled-work.js';
import { SLICE_CHECK_EVERY, sliceOver } from './slice.js';

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
  private readonly later: ScheduledWork;

  constructor(
    private readonly rt: OperatorRuntime,
    private readonly control: SourceControl,
    private readonly iterable: Iterable<unknown>,
  ) {
    this.later = new ScheduledWork(rt.ctx.scheduler, rt.subscription, () => {
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
    if (this.pumping || iterator === undefined) return;
    this.pumping = true;
    const control = this.control;
    const scheduler = this.rt.ctx.scheduler;
    const start = scheduler.now();
    let n = 0;
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
        if (++n === SLICE_CHECK_EVERY) {
          n = 0;
          if (sliceOver(scheduler, start)) {
            this.later.request(0);
            return;
          }
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
