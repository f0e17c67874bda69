import type { OperatorRuntime } from '../operator-runtime.js';
import type { SourceControl } from '../operator-spec.js';
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
export class ArrayDriver extends SyncPullDriver {
  private index = 0;

  constructor(
    rt: OperatorRuntime,
    control: SourceControl,
    private readonly items: readonly unknown[],
  ) {
    super(rt, control);
    rt.registerFunction(this);
  }

  start(): void {
    this.pump();
  }

  /**
   * The read position, for snapshots, while the array is not exhausted (a source that has read everything
   * saves nothing, so a job restored from a finished one reads its own array from the start).
   */
  snapshotState(): { position?: number } {
    return this.ended ? {} : { position: this.index };
  }

  /** Reads on from a saved position. */
  restoreState(state: unknown): void {
    const position = (state as { position?: unknown } | null)?.position;
    if (typeof position === 'number' && Number.isInteger(position) && position >= 0) this.index = position;
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
