import type { OperatorRuntime } from '../operator-runtime.js';
import type { SourceControl, SourceDriver } from '../operator-spec.js';
import { ScheduledWork } from '../task/scheduled-work.js';
import { SliceClock } from './slice.js';
import { returnIterator } from './return-iterator.js';

/**
 * Pulls an AsyncIterable one record at a time: the next `next()` is requested only after the previous record
 * was handed downstream and the instance is ready again. Stopping the job calls the iterator's `return()`.
 *
 * @example
 * ```ts
 * new AsyncIterableDriver(rt, control, readLines(file)).start();
 * ```
 */
export class AsyncIterableDriver implements SourceDriver {
  private iterator: AsyncIterator<unknown> | undefined;
  private awaiting = false;
  /** A yield to the event loop is pending: pulling waits for it. */
  private yielding = false;
  private readonly later: ScheduledWork;
  private readonly slice: SliceClock;
  /** Items read so far (the position saved in snapshots), and items to skip when restoring one. */
  private read = 0;
  private skip = 0;
  private ended = false;

  constructor(
    private readonly rt: OperatorRuntime,
    private readonly control: SourceControl,
    private readonly iterable: AsyncIterable<unknown>,
  ) {
    rt.registerFunction(this);
    this.slice = new SliceClock(rt.ctx.scheduler);
    this.later = new ScheduledWork(rt.ctx.scheduler, rt.subscription, () => {
      this.yielding = false;
      this.slice.restart();
      this.resume();
    });
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

  /** Reads on after a saved position: the iterable is read again from its start and that many items skipped. */
  restoreState(state: unknown): void {
    const read = (state as { read?: unknown } | null)?.read;
    if (typeof read === 'number' && Number.isInteger(read) && read >= 0) this.skip = read;
  }

  start(): void {
    try {
      this.iterator = this.iterable[Symbol.asyncIterator]();
    } catch (e) {
      this.fail(e);
      return;
    }
    const iterator = this.iterator;
    this.rt.subscription.add(() => {
      if (this.iterator !== undefined) returnIterator(this.rt, iterator);
    });
    this.resume();
  }

  resume(): void {
    const iterator = this.iterator;
    if (this.awaiting || this.yielding || iterator === undefined || !this.control.ready()) return;
    const rt = this.rt;
    this.awaiting = true;
    rt.hold();
    let next: Promise<IteratorResult<unknown>>;
    try {
      next = iterator.next();
    } catch (e) {
      this.awaiting = false;
      this.fail(e);
      rt.release();
      return;
    }
    next.then(
      (r) => {
        rt.gate.whenRunning(() => {
          this.awaiting = false;
          if (r.done === true) {
            this.iterator = undefined;
            this.ended = true;
            this.control.end();
          } else if (this.skip > 0) {
            this.skip--;
            this.read++;
          } else {
            this.read++;
            this.control.emit(r.value);
            if (this.slice.tick()) {
              this.yielding = true;
              this.later.request(0);
            }
          }
          rt.release();
        });
      },
      (error: unknown) => {
        rt.gate.whenRunning(() => {
          this.awaiting = false;
          this.fail(error);
          rt.release();
        });
      },
    );
  }

  private fail(error: unknown): void {
    this.iterator = undefined;
    this.ended = true;
    this.rt.error(error);
    this.control.end();
  }
}
