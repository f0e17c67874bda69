import type { Observable } from 'rxjs';
import { BufferOverflowError } from '../../../errors/buffer-overflow-error.js';
import type { OperatorRuntime } from '../operator-runtime.js';
import type { SourceControl, SourceDriver } from '../operator-spec.js';
import type { OverflowPolicy } from './overflow-policy.js';

/**
 * Subscribes to any Observable (synchronously, while the job is wired) and feeds its values to the instance.
 * Values that arrive while the instance is busy, pressed or paused wait in a bounded buffer handled by the
 * overflow policy; completion ends the stream once the buffer is drained.
 *
 * @example
 * ```ts
 * new ObservableDriver(rt, control, interval(10), 1000, 'error').start();
 * ```
 */
export class ObservableDriver implements SourceDriver {
  private buffer: unknown[] = [];
  private bufferHead = 0;
  private completed = false;
  private failed = false;

  constructor(
    private readonly rt: OperatorRuntime,
    private readonly control: SourceControl,
    private readonly source: Observable<unknown>,
    private readonly bufferSize: number,
    private readonly overflow: OverflowPolicy,
  ) {}

  start(): void {
    const subscription = this.source.subscribe({
      next: (value) => {
        this.push(value);
      },
      error: (error: unknown) => {
        this.failed = true;
        this.rt.error(error);
        this.control.end();
      },
      complete: () => {
        this.completed = true;
        if (this.bufferHead === this.buffer.length) this.control.end();
      },
    });
    this.rt.subscription.add(subscription);
  }

  resume(): void {
    const buffer = this.buffer;
    while (this.bufferHead < buffer.length && this.control.ready()) {
      const value = buffer[this.bufferHead];
      buffer[this.bufferHead++] = undefined;
      this.control.emit(value);
    }
    if (this.bufferHead === buffer.length) {
      buffer.length = 0;
      this.bufferHead = 0;
      if (this.completed) this.control.end();
    }
  }

  private push(value: unknown): void {
    if (this.failed) return;
    if (this.bufferHead === this.buffer.length && this.control.ready()) {
      this.control.emit(value);
      return;
    }
    if (this.buffer.length - this.bufferHead < this.bufferSize) {
      this.buffer.push(value);
      return;
    }
    switch (this.overflow) {
      case 'drop-newest':
        this.rt.metrics.dropped++;
        return;
      case 'drop-oldest':
        this.rt.metrics.dropped++;
        this.buffer[this.bufferHead++] = undefined;
        this.buffer.push(value);
        if (this.bufferHead >= this.bufferSize) {
          this.buffer = this.buffer.slice(this.bufferHead);
          this.bufferHead = 0;
        }
        return;
      default:
        this.failed = true;
        this.rt.failJob(new BufferOverflowError(this.rt.ctx.operator, this.bufferSize));
    }
  }
}
