import { isPromiseLike } from '../is-promise-like.js';
import type { OperatorRuntime } from '../operator-runtime.js';
import type { SourceControl, SourceDriver } from '../operator-spec.js';
import { StopSignal } from '../stop-signal.js';
import { ScheduledWork } from '../task/scheduled-work.js';
import { SliceClock } from './slice.js';

/** How a polled function's `undefined` is read. */
export type PollMode =
  /** `undefined` means "nothing now": poll again after the delay (a `SourceFunction`). */
  | 'source'
  /** `undefined` ends the stream (a `BatchFunction`). */
  | 'batch';

/**
 * Polls a function for records: a value is emitted, `StopSignal` ends the stream, `undefined` waits `delay`
 * ms (source mode) or ends (batch mode), and a Promise of any of these is awaited before the next poll.
 * It polls only while the instance is ready, and the waits run on the job's scheduler.
 *
 * @example
 * ```ts
 * new PollDriver(rt, control, () => queue.shift(), 'source', 10).start();
 * ```
 */
export class PollDriver implements SourceDriver {
  private pumping = false;
  private awaiting = false;
  private ended = false;
  /** A run on the scheduler is pending (a yield or a delay): polling waits for it. */
  private scheduled = false;
  private readonly later: ScheduledWork;
  private readonly slice: SliceClock;

  constructor(
    private readonly rt: OperatorRuntime,
    private readonly control: SourceControl,
    private readonly poll: () => unknown,
    private readonly mode: PollMode,
    private readonly delay: number,
  ) {
    this.slice = new SliceClock(rt.ctx.scheduler);
    this.later = new ScheduledWork(rt.ctx.scheduler, rt.subscription, () => {
      this.scheduled = false;
      this.slice.restart();
      this.pump();
    });
  }

  start(): void {
    this.pump();
  }

  resume(): void {
    this.pump();
  }

  private pump(): void {
    if (this.pumping || this.awaiting || this.ended || this.scheduled) return;
    this.pumping = true;
    const control = this.control;
    try {
      while (control.ready()) {
        let result: unknown;
        try {
          result = this.poll();
        } catch (e) {
          this.fail(e);
          return;
        }
        if (isPromiseLike(result)) {
          this.await(result);
          return;
        }
        if (!this.accept(result)) return;
        if (this.slice.tick()) {
          this.runLater(0);
          return;
        }
      }
    } finally {
      this.pumping = false;
    }
  }

  /** Handles one polled result; false when polling must stop for now. */
  private accept(result: unknown): boolean {
    if (result instanceof StopSignal) {
      this.finish();
      return false;
    }
    if (result === undefined) {
      if (this.mode === 'batch') {
        this.finish();
      } else {
        this.runLater(this.delay);
      }
      return false;
    }
    this.control.emit(result);
    return true;
  }

  private await(promise: PromiseLike<unknown>): void {
    const rt = this.rt;
    this.awaiting = true;
    rt.hold();
    promise.then(
      (value) => {
        rt.gate.whenRunning(() => {
          this.awaiting = false;
          this.accept(value);
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

  private runLater(delay: number): void {
    this.scheduled = true;
    this.later.request(delay);
  }

  private finish(): void {
    this.ended = true;
    this.control.end();
  }

  private fail(error: unknown): void {
    this.rt.error(error);
    this.finish();
  }
}
