import { Observable } from 'rxjs';
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
    const { rt, source } = this;
    // The instance owns the subscriber before the source runs: a job stopped while a synchronous source is still
    // inside its `subscribe` (a record ended it, or a consumer unsubscribed) closes it there, so the source
    // stops producing, as it would under RxJS's `take`.
    new Observable<unknown>((subscriber) => {
      rt.subscription.add(subscriber);
      source.subscribe(subscriber);
    }).subscribe({
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
  }

  resume(): void {
    const buffer = this.buffer;
    while (buffer.length > 0 && this.control.ready()) this.control.emit(buffer.shift());
    // Only once the instance is ready: an end that arrives while a record runs (a re-entrant complete) or while
    // the instance is held or pressed comes back here when it is (`push` above, or the instance's wake).
    if (buffer.length === 0 && this.completed && this.control.ready()) this.end();
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

  /** Whether values or the end wait in the buffer (a method: the source may have changed them meanwhile). */
  private leftWaiting(): boolean {
    return this.buffer.length > 0 || this.completed;
  }

  private push(value: unknown): void {
    if (this.ended || this.completed) return;
    if (this.buffer.length === 0 && this.control.ready()) {
      this.control.emit(value);
      // A re-entrant source (a Subject a sink or an operator feeds back into) emitted or completed while that
      // record ran: nothing else would wake the buffer, so what it holds, and the end, go now, in order.
      if (this.leftWaiting()) this.resume();
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
