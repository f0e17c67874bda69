import type { OperatorRuntime } from '../operator-runtime.js';
import type { SourceControl } from '../operator-spec.js';
import { SyncPullDriver } from './sync-pull-driver.js';

/**
 * Pulls a synchronous Iterable (a generator, a Set, …) one record at a time, only while the instance is ready
 * (backpressure), and yields to the event loop every few milliseconds so that control calls get through.
 * Stopping the job calls the iterator's `return()`.
 *
 * @example
 * ```ts
 * const driver = new IterableDriver(rt, control, new Set([1, 2, 3]));
 * driver.start();
 * ```
 */
export class IterableDriver extends SyncPullDriver {
  private iterator: Iterator<unknown> | undefined;

  constructor(
    rt: OperatorRuntime,
    control: SourceControl,
    private readonly iterable: Iterable<unknown>,
  ) {
    super(rt, control);
  }

  start(): void {
    let iterator: Iterator<unknown>;
    try {
      iterator = this.iterable[Symbol.iterator]();
    } catch (e) {
      this.fail(e);
      return;
    }
    this.iterator = iterator;
    this.rt.subscription.add(() => {
      if (typeof iterator.return === 'function') iterator.return();
    });
    this.pump();
  }

  protected pullOne(): boolean {
    let r: IteratorResult<unknown>;
    try {
      r = (this.iterator as Iterator<unknown>).next();
    } catch (e) {
      this.fail(e);
      return false;
    }
    if (r.done === true) {
      this.finish();
      return false;
    }
    this.control.emit(r.value);
    return true;
  }

  protected override finish(): void {
    this.iterator = undefined;
    super.finish();
  }
}
