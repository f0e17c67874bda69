import type { OperatorRuntime } from '../operator-runtime.js';
import type { SourceControl, SourceDriver } from '../operator-spec.js';
import { ScheduledWork } from '../task/scheduled-work.js';
import { SliceClock } from './slice.js';

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
export class ArrayDriver implements SourceDriver {
  private index = 0;
  private pumping = false;
  private yielding = false;
  private ended = false;
  private readonly later: ScheduledWork;
  private readonly slice: SliceClock;

  constructor(
    rt: OperatorRuntime,
    private readonly control: SourceControl,
    private readonly items: readonly unknown[],
  ) {
    const restored = rt.restored?.fields as { position?: unknown } | undefined;
    if (typeof restored?.position === 'number') this.index = restored.position;
    rt.registerFunction(this);
    this.slice = new SliceClock(rt.ctx.scheduler);
    this.later = new ScheduledWork(rt.ctx.scheduler, rt.subscription, () => {
      this.yielding = false;
      this.slice.restart();
      this.pump();
    });
  }

  start(): void {
    this.pump();
  }

  /**
   * The read position, for snapshots, while the array is not exhausted (a source that has read everything
   * saves nothing, so a job restored from a finished one reads its own array from the start).
   */
  getState(): { position?: number } {
    return this.ended ? {} : { position: this.index };
  }

  resume(): void {
    this.pump();
  }

  private pump(): void {
    if (this.pumping || this.yielding || this.ended) return;
    this.pumping = true;
    const control = this.control;
    const items = this.items;
    try {
      while (control.ready()) {
        if (this.index >= items.length) {
          this.ended = true;
          control.end();
          return;
        }
        control.emit(items[this.index++]);
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
}
