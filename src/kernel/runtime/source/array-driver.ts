import type { OperatorRuntime } from '../operator-runtime.js';
import type { SourceControl } from '../operator-spec.js';
import type { ArrayCursor } from './array-loop.js';
import { SyncPullDriver } from './sync-pull-driver.js';

/**
 * Reads an array by index — the common case of `fromBatch([...])`, without an iterator result object per
 * record — only while the instance is ready (backpressure), yielding to the event loop every few
 * milliseconds so that control calls get through. Its position is part of job snapshots taken before it
 * ended, so a job restored from such a snapshot reads on from where the old one stopped.
 *
 * @example
 * ```ts
 * new ArrayDriver(rt, control, [1, 2, 3]).start();
 * ```
 */
export class ArrayDriver extends SyncPullDriver implements ArrayCursor {
  /** The index of the next item to emit. */
  index = 0;

  constructor(
    rt: OperatorRuntime,
    control: SourceControl,
    readonly items: readonly unknown[],
  ) {
    super(rt, control);
    rt.registerFunction(this);
  }

  start(): void {
    this.pump();
  }

  /**
   * The read position, for checkpoints and savepoints: also once the array is exhausted, so that a job
   * restored from a cut taken while records of it were still on their way reads none of them again.
   */
  snapshotState(): { position: number } {
    return { position: this.index };
  }

  /** The final state of a finished job keeps no position: a job restored from it reads its own array. */
  finalState(): { position?: number } {
    return this.ended ? {} : { position: this.index };
  }

  /** Reads on from a saved position. */
  restoreState(state: unknown): void {
    const position = (state as { position?: unknown } | null)?.position;
    if (typeof position === 'number' && Number.isInteger(position) && position >= 0) this.index = position;
  }

  /**
   * Emits up to `max` items in one go when the instance can take an array (its chain then runs them in one
   * loop), else one.
   */
  protected override pullSome(max: number): number {
    const control = this.control;
    if (control.emitArray === undefined || this.index >= this.items.length) return super.pullSome(max);
    const from = this.index;
    control.emitArray(this, Math.min(this.items.length, from + max));
    return this.index - from;
  }

  protected pullOne(): boolean {
    const items = this.items;
    if (this.index >= items.length) {
      this.finish();
      return false;
    }
    this.control.emit(items[this.index++]);
    return true;
  }
}
