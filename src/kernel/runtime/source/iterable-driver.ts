import type { OperatorRuntime } from '../operator-runtime.js';
import type { SourceControl } from '../operator-spec.js';
import { returnIterator } from './return-iterator.js';
import { SyncPullDriver } from './sync-pull-driver.js';

/**
 * Pulls a synchronous Iterable (a generator, a Set, …) one record at a time, only while the instance is ready
 * (backpressure), and yields to the event loop every few milliseconds so that control calls get through.
 * Stopping the job before the iterable is exhausted calls the iterator's `return()`.
 *
 * @example
 * ```ts
 * const driver = new IterableDriver(rt, control, new Set([1, 2, 3]));
 * driver.start();
 * ```
 */
export class IterableDriver extends SyncPullDriver {
  private iterator: Iterator<unknown> | undefined;
  /** Items read so far (the position saved in snapshots). */
  private read = 0;
  /** Items to skip at start, restoring a saved position (the iterable is read again from its start). */
  private skip = 0;

  constructor(
    rt: OperatorRuntime,
    control: SourceControl,
    private readonly iterable: Iterable<unknown>,
  ) {
    super(rt, control);
    rt.registerFunction(this);
  }

  /**
   * The number of items read, for checkpoints and savepoints: also once the iterable is exhausted, so that a
   * job restored from a cut taken while records of it were still on their way reads none of them again.
   */
  snapshotState(): { read: number } {
    return { read: this.read };
  }

  /** The final state of a finished job keeps no position: a job restored from it reads its own iterable. */
  finalState(): { read?: number } {
    return this.ended ? {} : { read: this.read };
  }

  /** Reads on after a saved position: that many items are skipped when the source starts. */
  restoreState(state: unknown): void {
    const read = (state as { read?: unknown } | null)?.read;
    if (typeof read === 'number' && Number.isInteger(read) && read >= 0) this.skip = read;
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
      // only when stopped early: an exhausted iterator, or one whose next() threw, is not returned (as in for…of)
      if (this.iterator !== undefined) returnIterator(this.rt, iterator);
    });
    for (; this.skip > 0; this.skip--) {
      let r: IteratorResult<unknown>;
      try {
        r = iterator.next();
      } catch (e) {
        this.fail(e);
        return;
      }
      if (r.done === true) {
        this.finish();
        return;
      }
      this.read++;
    }
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
    this.read++;
    this.control.emit(r.value);
    return true;
  }

  protected override finish(): void {
    this.iterator = undefined;
    super.finish();
  }
}
