import { asyncScheduler, type Observer, type SchedulerLike } from 'rxjs';
import { toError } from '../errors/to-error.js';

/** One thing a Collector saw, at the scheduler's time (a frame number under `TestScheduler.run`). */
export type CollectedEvent<T> =
  | { readonly time: number; readonly kind: 'next'; readonly value: T }
  | { readonly time: number; readonly kind: 'error'; readonly error: unknown }
  | { readonly time: number; readonly kind: 'complete' };

/**
 * An RxJS Observer that records what a sink receives, and when: use it as `stream.sink(collector)` in marble
 * tests (read `values` / `events` after the flush) and in real-time tests (`await collector.done()`).
 *
 * @example
 * ```ts
 * const out = new Collector<number>();
 * env.fromBatch([1, 2, 3]).map((x) => x * 2).sink(out);
 * await env.submit();
 * expect(await out.done()).to.deep.equal([2, 4, 6]);
 * ```
 */
export class Collector<T> implements Observer<T> {
  /** The records received, in order. */
  readonly values: T[] = [];
  /** Everything received, with the scheduler's time of arrival. */
  readonly events: CollectedEvent<T>[] = [];
  private ended: { readonly ok: true } | { readonly ok: false; readonly error: unknown } | undefined;
  private readonly waiters: { resolve: (values: T[]) => void; reject: (error: unknown) => void }[] = [];

  constructor(
    /** Where arrival times are read (default `asyncScheduler`, whose clock is virtual under `TestScheduler.run`). */
    private readonly scheduler: SchedulerLike = asyncScheduler,
  ) {}

  /** True once the stream completed. */
  get completed(): boolean {
    return this.ended?.ok === true;
  }

  /** The error the stream ended with (the job's `JobFailedError`), if it failed. */
  get failure(): unknown {
    return this.ended !== undefined && !this.ended.ok ? this.ended.error : undefined;
  }

  /** True once the stream failed. */
  get failed(): boolean {
    return this.ended?.ok === false;
  }

  /** Records `value` with the scheduler's current time. */
  next(value: T): void {
    this.values.push(value);
    this.events.push({ time: this.scheduler.now(), kind: 'next', value });
  }

  /** Records the error; `done()` rejects with it. */
  error(error: unknown): void {
    if (this.ended !== undefined) return;
    this.ended = { ok: false, error };
    this.events.push({ time: this.scheduler.now(), kind: 'error', error });
    for (const w of this.waiters.splice(0)) w.reject(error);
  }

  /** Records the completion; `done()` resolves. */
  complete(): void {
    if (this.ended !== undefined) return;
    this.ended = { ok: true };
    this.events.push({ time: this.scheduler.now(), kind: 'complete' });
    for (const w of this.waiters.splice(0)) w.resolve(this.values);
  }

  /**
   * Resolves with the values once the stream completed; rejects with its error if it failed. Use it in
   * real-time tests only: under `TestScheduler.run`, read `values` after the flush instead.
   *
   * @example
   * ```ts
   * const values = await collector.done();
   * ```
   */
  done(): Promise<T[]> {
    const ended = this.ended;
    if (ended !== undefined)
      return ended.ok ? Promise.resolve(this.values) : Promise.reject(toError(ended.error));
    return new Promise<T[]>((resolve, reject) => {
      this.waiters.push({ resolve, reject });
    });
  }

  /**
   * The arrival times of the values, for timeline checks without a marble string.
   *
   * @example
   * ```ts
   * expect(collector.times()).to.deep.equal([1, 3, 5]);
   * ```
   */
  times(): number[] {
    const times: number[] = [];
    for (const e of this.events) if (e.kind === 'next') times.push(e.time);
    return times;
  }
}
