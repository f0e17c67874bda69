import type { Observable } from 'rxjs';
import { BufferOverflowError } from '../../../errors/buffer-overflow-error.js';
import type { OperatorRuntime } from '../operator-runtime.js';
import type { SourceControl, SourceDriver } from '../operator-spec.js';
import { RingQueue } from '../queue/ring-queue.js';
import { decodeJson, encodeJson, type JsonData } from '../state/json-codec.js';
import type { OverflowPolicy } from './overflow-policy.js';

/**
 * Subscribes to any Observable (synchronously, while the job is wired) and feeds its values to the instance.
 * Values that arrive while the instance is busy, pressed or paused wait in a bounded buffer (a ring queue:
 * memory follows the records held) handled by the overflow policy. Completion ends the stream once the buffer
 * is drained; so does an error: the records that arrived before it are still delivered, then the error ends
 * the stream (`'skip'`) or fails the job (`'fail'`).
 *
 * @example
 * ```ts
 * new ObservableDriver(rt, control, interval(10), 1000, 'error').start();
 * ```
 */
export class ObservableDriver implements SourceDriver {
  private readonly buffer = new RingQueue<unknown>();
  private completed = false;
  private failure: { error: unknown } | undefined;
  private ended = false;

  constructor(
    private readonly rt: OperatorRuntime,
    private readonly control: SourceControl,
    private readonly source: Observable<unknown>,
    private readonly bufferSize: number,
    private readonly overflow: OverflowPolicy,
  ) {
    rt.registerFunction(this);
  }

  /** The records buffered at the cut (an Observable cannot be rewound: these are what a restore replays). */
  snapshotState(): { buffered: JsonData[] } {
    const buffered: JsonData[] = [];
    for (let i = 0; i < this.buffer.length; i++) buffered.push(encodeJson(this.buffer.at(i)) as JsonData);
    return { buffered };
  }

  /** Puts saved buffered records back in front of whatever the Observable emits. */
  restoreState(state: unknown): void {
    const saved = (state as { buffered?: unknown } | null)?.buffered;
    if (Array.isArray(saved)) for (const item of saved) this.buffer.push(decodeJson(item));
  }

  start(): void {
    this.resume();
    const subscription = this.source.subscribe({
      next: (value) => {
        this.push(value);
      },
      error: (error: unknown) => {
        this.failure = { error };
        this.completed = true;
        this.resume();
      },
      complete: () => {
        this.completed = true;
        this.resume();
      },
    });
    this.rt.subscription.add(subscription);
  }

  resume(): void {
    const buffer = this.buffer;
    while (buffer.length > 0 && this.control.ready()) this.control.emit(buffer.shift());
    if (buffer.length === 0 && this.completed) this.end();
  }

  /** Records waiting in the buffer. */
  get buffered(): number {
    return this.buffer.length;
  }

  private end(): void {
    if (this.ended) return;
    this.ended = true;
    const failure = this.failure;
    // The records before the error flow on: under 'fail' the job fails once they were processed.
    if (failure !== undefined) {
      if (this.rt.errorAfterDrain !== undefined) this.rt.errorAfterDrain(failure.error);
      else this.rt.error(failure.error);
    }
    this.control.end();
  }

  private push(value: unknown): void {
    if (this.ended || this.completed) return;
    if (this.buffer.length === 0 && this.control.ready()) {
      this.control.emit(value);
      return;
    }
    if (this.buffer.length < this.bufferSize) {
      this.buffer.push(value);
      return;
    }
    switch (this.overflow) {
      case 'drop-newest':
        this.rt.metrics.dropped++;
        return;
      case 'drop-oldest':
        this.rt.metrics.dropped++;
        this.buffer.shift();
        this.buffer.push(value);
        return;
      default:
        this.ended = true;
        this.rt.failJob(new BufferOverflowError(this.rt.ctx.operator, this.bufferSize));
    }
  }
}
